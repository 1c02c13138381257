import MediaGenCore
import Testing

/// The retry rule on its own: no transport, no clock, no executor. Each case is one failed
/// attempt and what the rule makes of it; `RequestExecutorTests` check the executor follows it.
@Suite("Retry state machine")
struct RetryStateMachineTests {
    /// The four intents the rule tells apart.
    enum Intent: String, CaseIterable, Sendable {
        case read, idempotent, createWithoutKey, createWithKey

        var value: RequestIntent {
            switch self {
            case .read: .read
            case .idempotent: .idempotent
            case .createWithoutKey: .create(idempotencyKey: nil, charge: nil)
            case .createWithKey: .create(idempotencyKey: "idem-1", charge: nil)
            }
        }
    }

    /// One of each kind of failed attempt.
    enum OutcomeClass: String, CaseIterable, Sendable {
        /// A 503: transient, and it may follow processing.
        case answerThatMayFollowProcessing
        /// A 429 the dialect says was refused at the door.
        case answerProvingNothingWasProcessed
        /// A 400: a refusal, not transient.
        case permanentAnswer
        /// A 503 the provider marks `retryable: false`.
        case transientAnswerTheProviderSaysNotToRetry
        /// A 400 the provider marks `retryable: true`.
        case permanentAnswerTheProviderSaysToRetry
        /// A 429 refused at the door asking for 7 s.
        case answerAskingForAShortWait
        /// A 429 refused at the door asking for an hour, past the 60 s cap.
        case answerAskingForAWaitPastTheCap
        /// A 503 that may follow processing, asking for an hour.
        case answerThatMayFollowProcessingAskingForAWaitPastTheCap
        /// No connection was made: nothing was sent.
        case neverConnected
        /// The connection broke after it was made.
        case connectionLostAfterSending
        /// The request could not be formed: nothing was sent, and nothing ever will be.
        case requestCannotBeFormed
        /// A local file could not be read or written.
        case localFileFailed
        /// The caller cancelled, or a middleware threw.
        case interrupted

        var value: RetryStateMachine.Outcome {
            switch self {
            case .answerThatMayFollowProcessing: .answer(.init(status: 503))
            case .answerProvingNothingWasProcessed: .answer(.init(status: 429, provesNotProcessed: true))
            case .permanentAnswer: .answer(.init(status: 400))
            case .transientAnswerTheProviderSaysNotToRetry: .answer(.init(status: 503, retryable: false))
            case .permanentAnswerTheProviderSaysToRetry: .answer(.init(status: 400, retryable: true))
            case .answerAskingForAShortWait:
                .answer(.init(status: 429, provesNotProcessed: true, retryAfter: .seconds(7)))
            case .answerAskingForAWaitPastTheCap:
                .answer(.init(status: 429, provesNotProcessed: true, retryAfter: .seconds(3600)))
            case .answerThatMayFollowProcessingAskingForAWaitPastTheCap:
                .answer(.init(status: 503, retryAfter: .seconds(3600)))
            case .neverConnected: .transportFailure(TransportError(.cannotConnect, "refused"))
            case .connectionLostAfterSending: .transportFailure(TransportError(.connectionLost, "reset"))
            case .requestCannotBeFormed: .transportFailure(TransportError(.invalidRequest, "bad URL"))
            case .localFileFailed: .transportFailure(TransportError(.localFile, "disk full", path: "/tmp/out"))
            case .interrupted: .interrupted
            }
        }
    }

    /// What the rule does with the first failed attempt, under the default policy (4 attempts,
    /// 0.5 s first backoff, 60 s longest `Retry-After`), no jitter and no time spent.
    struct Row: Sendable, CustomTestStringConvertible {
        var intent: Intent
        var outcome: OutcomeClass
        var action: RetryStateMachine.Action
        /// Whether a create's charge now stays counted whatever follows.
        var mayHaveCreated: Bool

        init(
            _ intent: Intent, _ outcome: OutcomeClass, _ action: RetryStateMachine.Action, mayHaveCreated: Bool = false
        ) {
            self.intent = intent
            self.outcome = outcome
            self.action = action
            self.mayHaveCreated = mayHaveCreated
        }

        var testDescription: String { "\(intent.rawValue) × \(outcome.rawValue)" }
    }

    static let backoff = RetryStateMachine.Action.retry(after: .milliseconds(500))

    static let firstAttempts: [Row] = [
        // An answer that may follow processing: only a create without a key cannot go on.
        Row(.read, .answerThatMayFollowProcessing, backoff),
        Row(.idempotent, .answerThatMayFollowProcessing, backoff),
        Row(
            .createWithoutKey, .answerThatMayFollowProcessing, .failOutcomeUnknown(.answered(status: 503)),
            mayHaveCreated: true),
        Row(.createWithKey, .answerThatMayFollowProcessing, backoff, mayHaveCreated: true),

        // Refused at the door: a duplicate is impossible, every intent retries.
        Row(.read, .answerProvingNothingWasProcessed, backoff),
        Row(.idempotent, .answerProvingNothingWasProcessed, backoff),
        Row(.createWithoutKey, .answerProvingNothingWasProcessed, backoff),
        Row(.createWithKey, .answerProvingNothingWasProcessed, backoff),

        // A refusal ends every call, and made nothing.
        Row(.read, .permanentAnswer, .fail),
        Row(.idempotent, .permanentAnswer, .fail),
        Row(.createWithoutKey, .permanentAnswer, .fail),
        Row(.createWithKey, .permanentAnswer, .fail),

        // The provider's `retryable: false` wins over a transient status.
        Row(.read, .transientAnswerTheProviderSaysNotToRetry, .fail),
        Row(.idempotent, .transientAnswerTheProviderSaysNotToRetry, .fail),
        Row(.createWithoutKey, .transientAnswerTheProviderSaysNotToRetry, .fail),
        Row(.createWithKey, .transientAnswerTheProviderSaysNotToRetry, .fail),

        // Its `retryable: true` makes any status transient; for a create it still may follow processing.
        Row(.read, .permanentAnswerTheProviderSaysToRetry, backoff),
        Row(.idempotent, .permanentAnswerTheProviderSaysToRetry, backoff),
        Row(
            .createWithoutKey, .permanentAnswerTheProviderSaysToRetry, .failOutcomeUnknown(.answered(status: 400)),
            mayHaveCreated: true),
        Row(.createWithKey, .permanentAnswerTheProviderSaysToRetry, backoff, mayHaveCreated: true),

        // A wait the provider asks for replaces the backoff.
        Row(.read, .answerAskingForAShortWait, .retry(after: .seconds(7))),
        Row(.idempotent, .answerAskingForAShortWait, .retry(after: .seconds(7))),
        Row(.createWithoutKey, .answerAskingForAShortWait, .retry(after: .seconds(7))),
        Row(.createWithKey, .answerAskingForAShortWait, .retry(after: .seconds(7))),

        // A wait past the cap ends the call, so that the caller decides.
        Row(.read, .answerAskingForAWaitPastTheCap, .fail),
        Row(.idempotent, .answerAskingForAWaitPastTheCap, .fail),
        Row(.createWithoutKey, .answerAskingForAWaitPastTheCap, .fail),
        Row(.createWithKey, .answerAskingForAWaitPastTheCap, .fail),

        // ...and a keyed create that may have been processed ends as an unknown outcome.
        Row(.read, .answerThatMayFollowProcessingAskingForAWaitPastTheCap, .fail),
        Row(.idempotent, .answerThatMayFollowProcessingAskingForAWaitPastTheCap, .fail),
        Row(
            .createWithoutKey, .answerThatMayFollowProcessingAskingForAWaitPastTheCap,
            .failOutcomeUnknown(.answered(status: 503)), mayHaveCreated: true),
        Row(
            .createWithKey, .answerThatMayFollowProcessingAskingForAWaitPastTheCap,
            .failOutcomeUnknown(.retriesRanOut), mayHaveCreated: true),

        // Nothing was sent: every intent retries, and a create made nothing.
        Row(.read, .neverConnected, backoff),
        Row(.idempotent, .neverConnected, backoff),
        Row(.createWithoutKey, .neverConnected, backoff),
        Row(.createWithKey, .neverConnected, backoff),

        // Sent, then lost: only a create without a key cannot go on.
        Row(.read, .connectionLostAfterSending, backoff),
        Row(.idempotent, .connectionLostAfterSending, backoff),
        Row(
            .createWithoutKey, .connectionLostAfterSending, .failOutcomeUnknown(.mayHaveBeenSent(detail: "reset")),
            mayHaveCreated: true),
        Row(.createWithKey, .connectionLostAfterSending, backoff, mayHaveCreated: true),

        // A request that cannot be formed never left: nothing to retry, nothing made.
        Row(.read, .requestCannotBeFormed, .fail),
        Row(.idempotent, .requestCannotBeFormed, .fail),
        Row(.createWithoutKey, .requestCannotBeFormed, .fail),
        Row(.createWithKey, .requestCannotBeFormed, .fail),

        // A local file fails the same way every time; a create may still have been sent.
        Row(.read, .localFileFailed, .fail),
        Row(.idempotent, .localFileFailed, .fail),
        Row(.createWithoutKey, .localFileFailed, .fail, mayHaveCreated: true),
        Row(.createWithKey, .localFileFailed, .fail, mayHaveCreated: true),

        // Interrupted in flight: the call ends as it was ended; a create may have been sent.
        Row(.read, .interrupted, .fail),
        Row(.idempotent, .interrupted, .fail),
        Row(.createWithoutKey, .interrupted, .fail, mayHaveCreated: true),
        Row(.createWithKey, .interrupted, .fail, mayHaveCreated: true),
    ]

    @Test(arguments: firstAttempts)
    func theFirstFailedAttempt(_ row: Row) {
        var retry = RetryStateMachine(intent: row.intent.value, policy: .default)
        #expect(retry.next(after: row.outcome.value, elapsed: .zero, jitter: 0) == row.action)
        #expect(retry.mayHaveCreated == row.mayHaveCreated)
        #expect(retry.failedAttempts == 1)
    }

    @Test func theTableHasEveryIntentAgainstEveryOutcomeOnce() {
        let pairs = Self.firstAttempts.map { "\($0.intent.rawValue) × \($0.outcome.rawValue)" }
        let expected = Intent.allCases.flatMap { intent in
            OutcomeClass.allCases.map { "\(intent.rawValue) × \($0.rawValue)" }
        }
        #expect(pairs.count == expected.count)
        #expect(Set(pairs) == Set(expected))
    }

    // MARK: Which answers are transient

    @Test(arguments: Intent.allCases)
    func exactlyRFC9110sTransientStatusesAnd429AreRetried(intent: Intent) {
        for status in 100...599 {
            var retry = RetryStateMachine(intent: intent.value, policy: .default)
            let action = retry.next(
                after: .answer(.init(status: status, provesNotProcessed: true)), elapsed: .zero, jitter: 0)
            let transient = [408, 429, 500, 502, 503, 504].contains(status)
            #expect(action == (transient ? Self.backoff : .fail), "HTTP \(status)")
        }
    }

    @Test(arguments: [500, 502, 503, 504, 408, 429])
    func aKeylessCreateEndsUnknownAfterAnyTransientAnswerThatProvesNothing(status: Int) {
        var retry = RetryStateMachine(intent: Intent.createWithoutKey.value, policy: .default)
        let action = retry.next(after: .answer(.init(status: status)), elapsed: .zero, jitter: 0)
        #expect(action == .failOutcomeUnknown(.answered(status: status)))
        #expect(retry.mayHaveCreated)
    }

    // MARK: Transport failures

    @Test(arguments: [TransportError.Reason.connectionLost, .timedOut, .invalidResponse, .other])
    func aKeylessCreateEndsUnknownAfterAnyFailureThatMayFollowSending(reason: TransportError.Reason) {
        var retry = RetryStateMachine(intent: Intent.createWithoutKey.value, policy: .default)
        let failure = TransportError(reason, "simulated \(reason)")
        let action = retry.next(after: .transportFailure(failure), elapsed: .zero, jitter: 0)
        #expect(action == .failOutcomeUnknown(.mayHaveBeenSent(detail: "simulated \(reason)")))
        #expect(retry.mayHaveCreated)
    }

    @Test(arguments: [TransportError.Reason.cannotConnect, .connectionLost, .timedOut, .invalidResponse, .other])
    func readsRetryEveryFailureBelowHTTPButTheTwoThatWouldRecur(reason: TransportError.Reason) {
        var retry = RetryStateMachine(intent: .read, policy: .default)
        let action = retry.next(after: .transportFailure(TransportError(reason, "x")), elapsed: .zero, jitter: 0)
        #expect(action == Self.backoff)
    }

    // MARK: Pace

    @Test func backoffGrowsWithEachFailedAttemptUpToItsCeiling() {
        let policy = RetryPolicy(maxAttempts: 6, initialBackoff: .seconds(1), multiplier: 2, maxBackoff: .seconds(5))
        var retry = RetryStateMachine(intent: .read, policy: policy)
        let actions = (1...6).map { _ in
            retry.next(after: .answer(.init(status: 503)), elapsed: .zero, jitter: 0)
        }
        #expect(
            actions == [
                .retry(after: .seconds(1)), .retry(after: .seconds(2)), .retry(after: .seconds(4)),
                .retry(after: .seconds(5)), .retry(after: .seconds(5)), .fail,
            ])
        #expect(retry.failedAttempts == 6)
    }

    @Test func jitterTakesItsFractionOffTheComputedWait() {
        var retry = RetryStateMachine(intent: .read, policy: RetryPolicy(initialBackoff: .seconds(2), jitter: 0.5))
        let lost = RetryStateMachine.Outcome.transportFailure(TransportError(.connectionLost, "reset"))
        // 2 s, then 4 s, each shortened by 0.5 × 0.5 = 25 %.
        #expect(retry.next(after: lost, elapsed: .zero, jitter: 0.5) == .retry(after: .milliseconds(1500)))
        #expect(retry.next(after: lost, elapsed: .zero, jitter: 0.5) == .retry(after: .seconds(3)))
    }

    @Test func aRequestedWaitIsHonouredAsItIsWithoutJitter() {
        var retry = RetryStateMachine(intent: .read, policy: .default)
        let action = retry.next(
            after: .answer(.init(status: 429, retryAfter: .seconds(7))), elapsed: .zero, jitter: 0.9)
        #expect(action == .retry(after: .seconds(7)))
    }

    @Test func aRequestedWaitOfExactlyTheCapIsHonoured() {
        var retry = RetryStateMachine(intent: .read, policy: RetryPolicy(maxRetryAfter: .seconds(60)))
        let action = retry.next(after: .answer(.init(status: 429, retryAfter: .seconds(60))), elapsed: .zero, jitter: 0)
        #expect(action == .retry(after: .seconds(60)))
    }

    @Test func aRequestedWaitStillCountsAgainstTheTotalTime() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(60), maxElapsed: .seconds(30))
        var retry = RetryStateMachine(intent: .read, policy: policy)
        let action = retry.next(after: .answer(.init(status: 429, retryAfter: .seconds(40))), elapsed: .zero, jitter: 0)
        #expect(action == .fail)
    }

    // MARK: Limits

    @Test func theLastAllowedAttemptEndsTheCallWithItsOwnError() {
        var retry = RetryStateMachine(intent: .read, policy: .default)
        let actions = (1...4).map { _ in retry.next(after: .answer(.init(status: 503)), elapsed: .zero, jitter: 0) }
        #expect(actions == [Self.backoff, .retry(after: .seconds(1)), .retry(after: .seconds(2)), .fail])
    }

    @Test(arguments: Intent.allCases)
    func retryPolicyNoneNeverRetries(intent: Intent) {
        var retry = RetryStateMachine(intent: intent.value, policy: .none)
        let action = retry.next(
            after: .transportFailure(TransportError(.cannotConnect, "refused")), elapsed: .zero, jitter: 0)
        #expect(action == .fail)
        #expect(!retry.mayHaveCreated)
    }

    @Test(arguments: [
        (Duration.seconds(1), RetryStateMachine.Action.retry(after: .seconds(2))),
        (.milliseconds(1001), .fail),
    ])
    func theNextWaitMustEndWithinTheTotalTime(elapsed: Duration, action: RetryStateMachine.Action) {
        let policy = RetryPolicy(initialBackoff: .seconds(2), maxElapsed: .seconds(3))
        var retry = RetryStateMachine(intent: .read, policy: policy)
        #expect(retry.next(after: .answer(.init(status: 503)), elapsed: elapsed, jitter: 0) == action)
    }

    // MARK: Creates over several attempts

    @Test func aKeyedCreateThatRunsOutOfAttemptsIsAnUnknownOutcome() {
        var retry = RetryStateMachine(intent: Intent.createWithKey.value, policy: .default)
        let actions = (1...4).map { _ in retry.next(after: .answer(.init(status: 503)), elapsed: .zero, jitter: 0) }
        #expect(
            actions == [
                Self.backoff, .retry(after: .seconds(1)), .retry(after: .seconds(2)),
                .failOutcomeUnknown(.retriesRanOut),
            ])
        #expect(retry.mayHaveCreated)
    }

    @Test func aKeyedCreateThatRunsOutOfTimeIsAnUnknownOutcome() {
        var retry = RetryStateMachine(intent: Intent.createWithKey.value, policy: RetryPolicy(maxElapsed: .seconds(1)))
        let lost = RetryStateMachine.Outcome.transportFailure(TransportError(.timedOut, "slow"))
        #expect(retry.next(after: lost, elapsed: .milliseconds(600), jitter: 0) == .failOutcomeUnknown(.retriesRanOut))
    }

    @Test(arguments: [Intent.createWithKey, .createWithoutKey])
    func aCreateThatNeverConnectedRunsOutAsAPlainFailure(intent: Intent) {
        var retry = RetryStateMachine(intent: intent.value, policy: .default)
        let refused = RetryStateMachine.Outcome.transportFailure(TransportError(.cannotConnect, "refused"))
        let actions = (1...4).map { _ in retry.next(after: refused, elapsed: .zero, jitter: 0) }
        #expect(actions.last == .fail)
        #expect(!retry.mayHaveCreated)
    }

    /// Once an attempt may have made the task, the charge stays counted, whatever the later
    /// attempts say — even a refusal, which may be about the task the first attempt made.
    @Test func mayHaveCreatedNeverGoesBack() {
        var retry = RetryStateMachine(intent: Intent.createWithKey.value, policy: .default)
        #expect(retry.next(after: .answer(.init(status: 503)), elapsed: .zero, jitter: 0) == Self.backoff)
        #expect(retry.mayHaveCreated)
        let refused = RetryStateMachine.Outcome.transportFailure(TransportError(.cannotConnect, "refused"))
        #expect(retry.next(after: refused, elapsed: .zero, jitter: 0) == .retry(after: .seconds(1)))
        #expect(retry.next(after: .answer(.init(status: 409)), elapsed: .zero, jitter: 0) == .fail)
        #expect(retry.mayHaveCreated)
    }

    @Test func aKeylessCreateRefusedAtTheDoorThenAnsweredAfterProcessingIsAnUnknownOutcome() {
        // Like fal: a 502 from the ingress proves nothing ran; one from the application does not.
        var retry = RetryStateMachine(intent: Intent.createWithoutKey.value, policy: .default)
        let ingress = RetryStateMachine.Outcome.answer(.init(status: 502, provesNotProcessed: true))
        #expect(retry.next(after: ingress, elapsed: .zero, jitter: 0) == Self.backoff)
        #expect(!retry.mayHaveCreated)
        let action = retry.next(after: .answer(.init(status: 503)), elapsed: .zero, jitter: 0)
        #expect(action == .failOutcomeUnknown(.answered(status: 503)))
        #expect(retry.mayHaveCreated)
    }

    @Test func readsNeverCountAsCreated() {
        var retry = RetryStateMachine(intent: .read, policy: .default)
        for outcome in OutcomeClass.allCases {
            _ = retry.next(after: outcome.value, elapsed: .zero, jitter: 0)
        }
        #expect(!retry.mayHaveCreated)
    }

    // MARK: Reasons

    @Test(arguments: [
        (RetryStateMachine.UnknownOutcome.answered(status: 502), "HTTP 502 after the request was sent"),
        (.mayHaveBeenSent(detail: "connection reset"), "connection reset"),
        (.retriesRanOut, "retries ran out after an attempt that may have been processed"),
    ])
    func anUnknownOutcomeSaysWhy(_ unknown: RetryStateMachine.UnknownOutcome, reason: String) {
        #expect(unknown.reason == reason)
    }

    @Test func theDocCommentsExampleHoldsTrue() {
        var retry = RetryStateMachine(intent: .create(idempotencyKey: "k-1", charge: nil), policy: .default)
        let lost = TransportError(.connectionLost, "reset")
        let action = retry.next(after: .transportFailure(lost), elapsed: .zero, jitter: 0)
        #expect(action == .retry(after: .milliseconds(500)))
        #expect(retry.mayHaveCreated)
    }
}
