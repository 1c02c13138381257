/// The retry rule as a pure value: after each failed attempt, whether to send the request again
/// and after what wait, or how the call ends.
///
/// ```swift
/// var retry = RetryStateMachine(intent: .create(idempotencyKey: "k-1", charge: nil), policy: .default)
/// let lost = TransportError(.connectionLost, "reset")
/// let action = retry.next(after: .transportFailure(lost), elapsed: .zero, jitter: 0)
/// // action == .retry(after: .milliseconds(500)): the key makes a second attempt safe.
/// // retry.mayHaveCreated == true: the first attempt may have made the task, so a budget keeps
/// // its charge whatever happens next.
/// ```
///
/// It reads no clock, draws no random number and sends nothing: the executor reads the time,
/// the jitter and the provider's verdicts on each answer and hands them over, so every branch of
/// the rule ("Retries and idempotency") is tested on its own, without a transport.
///
/// - Reads and idempotent requests retry on transport failures and on transient answers (408,
///   429, 500, 502, 503, 504, unless the provider says otherwise).
/// - A create retries only when a duplicate is impossible: it carries an idempotency key, or the
///   failed attempt provably never reached the application (no connection was made; an answer
///   the dialect says proves it). Otherwise it ends as an unknown outcome.
/// - Nothing retries once the policy's attempts or total time would be passed, nor when the
///   provider asks for a longer wait than ``RetryPolicy/maxRetryAfter``.
package struct RetryStateMachine: Sendable {
    /// How a failed attempt ended, as the rule needs to know it.
    package enum Outcome: Hashable, Sendable {
        /// The provider answered with an error: any status, or an error inside a 2xx.
        case answer(Answer)
        /// The request failed below HTTP.
        case transportFailure(TransportError)
        /// The attempt ended in an error that says nothing of what was sent: the caller
        /// cancelled it in flight, or a middleware or transport of the caller's threw a
        /// `MediaGenError`. The call ends with that error.
        case interrupted
    }

    /// An error answer, with what the provider's dialect makes of it.
    package struct Answer: Hashable, Sendable {
        package var status: Int
        /// The provider's own verdict on retrying (Beatra's `retryable`); it wins over the status.
        package var retryable: Bool?
        /// Whether the answer proves the request never reached the provider's application (a 429
        /// refused at the door; fal's ingress errors).
        package var provesNotProcessed: Bool
        /// The wait the answer asked for, in its body or its `Retry-After` header.
        package var retryAfter: Duration?

        package init(status: Int, retryable: Bool? = nil, provesNotProcessed: Bool = false, retryAfter: Duration? = nil)
        {
            self.status = status
            self.retryable = retryable
            self.provesNotProcessed = provesNotProcessed
            self.retryAfter = retryAfter
        }
    }

    /// What to do after a failed attempt.
    package enum Action: Hashable, Sendable {
        /// Send the request again after this wait.
        case retry(after: Duration)
        /// End the call with the attempt's own error.
        case fail
        /// End the call with `.outcomeUnknown`: a create may have been processed.
        case failOutcomeUnknown(UnknownOutcome)
    }

    /// Why a create's outcome is unknown.
    package enum UnknownOutcome: Hashable, Sendable {
        /// A create without an idempotency key met an answer that may follow processing.
        case answered(status: Int)
        /// A create without an idempotency key failed after it may have been sent; the transport's
        /// detail says how.
        case mayHaveBeenSent(detail: String)
        /// The retries of a create ran out (attempts, total time, or a wait too long to honour)
        /// after an attempt that may have been processed.
        case retriesRanOut

        /// The reason, as the error message gives it.
        package var reason: String {
            switch self {
            case .answered(let status): "HTTP \(status) after the request was sent"
            case .mayHaveBeenSent(let detail): detail
            case .retriesRanOut: "retries ran out after an attempt that may have been processed"
            }
        }
    }

    /// Statuses worth another attempt (RFC 9110's transient ones, plus 429).
    package static let transientStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    package let policy: RetryPolicy
    private let isCreate: Bool
    private let hasIdempotencyKey: Bool

    /// Failed attempts judged so far.
    package private(set) var failedAttempts = 0

    /// Whether some attempt of a create may have reached the provider and been processed. A
    /// create's charge is given back to its budget only while this is `false`: when no attempt
    /// can have made the task.
    package private(set) var mayHaveCreated = false

    package init(intent: RequestIntent, policy: RetryPolicy) {
        self.policy = policy
        if case .create(let key, _) = intent {
            (isCreate, hasIdempotencyKey) = (true, key != nil)
        } else {
            (isCreate, hasIdempotencyKey) = (false, false)
        }
    }

    /// Judges a failed attempt. `elapsed` is the time since the call began; `jitter`, in 0..<1,
    /// is the fraction of the policy's jitter taken off the computed backoff.
    package mutating func next(after outcome: Outcome, elapsed: Duration, jitter: Double) -> Action {
        failedAttempts += 1
        let requestedWait: Duration?
        switch outcome {
        case .interrupted:
            if isCreate { mayHaveCreated = true }
            return .fail
        case .answer(let answer):
            guard answer.retryable ?? Self.transientStatuses.contains(answer.status) else { return .fail }
            if isCreate && !answer.provesNotProcessed {
                mayHaveCreated = true
                if !hasIdempotencyKey { return .failOutcomeUnknown(.answered(status: answer.status)) }
            }
            if let wait = answer.retryAfter, wait > policy.maxRetryAfter { return giveUp }
            requestedWait = answer.retryAfter
        case .transportFailure(let error):
            if error.reason == .invalidRequest { return .fail }
            // A file here that cannot be read or written fails the same way on every attempt. A
            // create that failed so may still have been sent.
            if error.reason == .localFile {
                if isCreate { mayHaveCreated = true }
                return .fail
            }
            if isCreate && error.mayHaveReachedServer {
                mayHaveCreated = true
                if !hasIdempotencyKey { return .failOutcomeUnknown(.mayHaveBeenSent(detail: error.detail)) }
            }
            requestedWait = nil
        }
        let wait = requestedWait ?? policy.backoff(afterAttempt: failedAttempts, random: jitter)
        guard failedAttempts < policy.maxAttempts, elapsed + wait <= policy.maxElapsed else { return giveUp }
        return .retry(after: wait)
    }

    /// How the call ends when it may not go on: with the last attempt's error, or as an unknown
    /// outcome when some attempt of a create may have been processed.
    private var giveUp: Action {
        mayHaveCreated ? .failOutcomeUnknown(.retriesRanOut) : .fail
    }
}
