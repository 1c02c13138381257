import Foundation

/// Which request of a create-and-wait the fault hits.
///
/// `create` faults the first attempt of the paid create (a POST); `poll` faults the first status
/// poll (the first GET) after a create that went through. Each fault hits exactly one request per
/// run, whatever the concurrency: the header form of the emulator's fault injection is added by
/// ``FaultInjector`` to that one request, so no scripted rule can leak into another run or cell.
enum Placement: String, CaseIterable, Sendable {
    case create
    case poll
}

/// How one create-and-wait ended, in the classes the retry rule talks about.
enum Outcome: String, CaseIterable, Hashable, Sendable, Comparable {
    case succeeded = "ok"
    case outcomeUnknown = "unknown"
    case timeout
    case server
    case rateLimited = "rate-limited"
    case network
    case invalidRequest = "invalid"
    case decoding
    case otherKind = "other"
    case untyped

    static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One fault of the emulator's table, as a provider meets it.
struct FaultSpec: Sendable {
    /// The `X-Emulator-Fault` value.
    var fault: String
    /// The per-request timeout of the clients in this cell. Loose for a loaded machine, yet short:
    /// on Linux a few POSTs whose connection is dropped never get an answer from URLSession (its
    /// libcurl resends them on a fresh connection without the body, and waits), so only this
    /// deadline ends them.
    var timeout: Duration = .seconds(10)
    /// A shorter timeout for the faulted request alone, where the fault is a slow answer; the
    /// run's other requests keep ``timeout``, so a busy machine cannot time them out too.
    var faultedTimeout: Duration?
    /// What the retry rule promises when the fault hits the create.
    var onCreate: Set<Outcome>
    /// What the retry rule promises when the fault hits the first poll.
    var onPoll: Set<Outcome> = [.succeeded]
    /// Whether an `.outcomeUnknown` must carry the provider's request id (the answer had one).
    var unknownCarriesRequestID = false

    func expected(on placement: Placement) -> Set<Outcome> {
        placement == .create ? onCreate : onPoll
    }
}

/// A provider's answer to each fault, by whether its creates carry an idempotency key.
enum FaultTable {
    /// A wait past the slow answer's per-request timeout; the emulator answers after 3 s.
    static let slowPastTimeout = "slow-first-byte;ms=3000"

    /// The faults every provider meets. `keyed` creates retry under their idempotency key;
    /// `ingress` is fal's rule that a 502–504 without `X-Fal-Request-Id` never reached the app.
    /// A 307 to the emulator's capture route on another origin (filled in per cell).
    static let redirect = "redirect;to={foreign};status=307"

    static func common(keyed: Bool, ingress: Bool = false) -> [FaultSpec] {
        // A create that may have been processed: retried under the key, else reported unknown.
        let mayHaveRun: Set<Outcome> = keyed ? [.succeeded] : [.outcomeUnknown]
        // A 502–504 (or an HTML 502): an ingress error for fal, so retried there too.
        let gateway: Set<Outcome> = keyed || ingress ? [.succeeded] : [.outcomeUnknown]
        // A 500 that names a request id (the echo puts one in every request-id header): it came
        // from the provider's application, so even fal's ingress rule does not retry it.
        let echoed500 = mayHaveRun
        // fal reads a submit answered without a `request_id` as a request it cannot name (unknown),
        // and a status without one as still running (the next, clean poll ends it).
        let redirectedPoll: Set<Outcome> = ingress ? [.succeeded] : [.decoding]
        return [
            FaultSpec(fault: "429;retry_after=1", onCreate: [.succeeded]),
            FaultSpec(fault: "429;retry_after=1;retry_after_date=1", onCreate: [.succeeded]),
            FaultSpec(fault: "500", onCreate: mayHaveRun),
            FaultSpec(fault: "502", onCreate: gateway),
            FaultSpec(fault: "503", onCreate: gateway),
            FaultSpec(fault: "504", onCreate: gateway),
            FaultSpec(fault: "drop-before", onCreate: mayHaveRun),
            FaultSpec(fault: "drop-after", onCreate: mayHaveRun),
            FaultSpec(fault: "slow-first-byte;ms=300", onCreate: [.succeeded]),
            // Past the faulted request's timeout: a keyed create is retried under its key; an
            // unkeyed one is unknown. A poll is retried.
            FaultSpec(
                fault: slowPastTimeout, faultedTimeout: .milliseconds(1500),
                onCreate: keyed ? [.succeeded] : [.outcomeUnknown]),
            FaultSpec(fault: "truncate", onCreate: mayHaveRun),
            FaultSpec(fault: "non-json", onCreate: gateway),
            FaultSpec(fault: "wrong-content-type", onCreate: [.succeeded]),
            FaultSpec(fault: "large-body;bytes=2000000", onCreate: [.succeeded]),
            // A server that echoes the caller's key in every field of a refusal, and across the
            // 200-character cut of a plain 500's snippet: the leak scan must find nothing.
            FaultSpec(fault: "echo-secret;offset=37", onCreate: [.invalidRequest], onPoll: [.invalidRequest]),
            FaultSpec(fault: "echo-secret;offset=195;format=text;status=500", onCreate: echoed500),
            // A redirect to another origin, which answers 200 with a body that is no task: the
            // call fails to read it, and what reached that origin carried no credential.
            FaultSpec(fault: redirect, onCreate: ingress ? [.outcomeUnknown] : [.decoding], onPoll: redirectedPoll),
        ]
    }

    static let skytells =
        common(keyed: false) + [
            FaultSpec(fault: "response-body;status=500", onCreate: [.outcomeUnknown]),
            // A 200 with `"status": false` is Skytells refusing the request: nothing ran, nothing to retry.
            FaultSpec(fault: "status-false", onCreate: [.invalidRequest], onPoll: [.invalidRequest]),
            // The same envelope beside a prediction `id` is a prediction still queued: followed to
            // its end, never created twice (Skytells' TypeScript SDK, `src/http.ts`).
            FaultSpec(fault: "status-false-queued", onCreate: [.succeeded]),
        ]

    static let fal =
        common(keyed: false, ingress: true) + [
            // With `X-Fal-Request-Id` the answer came from fal's application: the submit may have run.
            FaultSpec(fault: "502;fal_request_id=1", onCreate: [.outcomeUnknown], unknownCarriesRequestID: true),
            FaultSpec(fault: "503;fal_request_id=1", onCreate: [.outcomeUnknown], unknownCarriesRequestID: true),
            FaultSpec(fault: "504;fal_request_id=1", onCreate: [.outcomeUnknown], unknownCarriesRequestID: true),
            // A user-set timeout is final, on a submit as on a poll.
            FaultSpec(fault: "504;timeout_type=user", onCreate: [.timeout], onPoll: [.timeout]),
        ]

    static let beatAPI =
        common(keyed: true) + [
            // The account's concurrency limit is reported, not retried (BeatAPI's own client agrees).
            FaultSpec(
                fault: "429;code=user_concurrency_exceeded", onCreate: [.rateLimited], onPoll: [.rateLimited])
        ]

    static let beatra =
        common(keyed: true) + [
            // Beatra's `retryable: false` wins over the status.
            FaultSpec(fault: "503;retryable=false", onCreate: [.server], onPoll: [.server])
        ]
}
