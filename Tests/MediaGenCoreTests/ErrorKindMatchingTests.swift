import Foundation
import MediaGenCore
import Testing

/// What an app's `switch` over a kind does, written as an app writes it: bare names and a
/// `default`, which a kind added in a later version falls into. That this compiles is half the test.
private func reaction(to kind: MediaGenError.Kind) -> String {
    switch kind {
    case .invalidRequest: "invalidRequest"
    case .authentication: "authentication"
    case .insufficientCredits: "insufficientCredits"
    case .rateLimited: "rateLimited"
    case .notFound: "notFound"
    case .conflict: "conflict"
    case .server: "server"
    case .network: "network"
    case .timeout: "timeout"
    case .decoding: "decoding"
    case .taskFailed: "taskFailed"
    case .canceled: "canceled"
    case .budgetExceeded: "budgetExceeded"
    case .outcomeUnknown: "outcomeUnknown"
    case .invalidSignature: "invalidSignature"
    case .unsupported: "unsupported"
    case .file: "file"
    case .needsFFmpeg: "needsFFmpeg"
    case .cannotRemux: "cannotRemux"
    case .unreadableMedia: "unreadableMedia"
    case .missingStream: "missingStream"
    case .ffmpegFailed: "ffmpegFailed"
    default: "default"
    }
}

private let clip = URL(fileURLWithPath: "/tmp/clip.mp4")

@Suite("Matching an error kind")
struct ErrorKindMatchingTests {
    /// Every kind, the payload ones twice with different payloads: a bare name matches both.
    static let kinds: [(MediaGenError.Kind, String)] = [
        (.invalidRequest(field: "prompt", reason: "must not be blank"), "invalidRequest"),
        (.invalidRequest(field: nil, reason: "refused"), "invalidRequest"),
        (.authentication, "authentication"),
        (.insufficientCredits, "insufficientCredits"),
        (.rateLimited(retryAfter: .seconds(2)), "rateLimited"),
        (.rateLimited(retryAfter: nil), "rateLimited"),
        (.notFound, "notFound"),
        (.conflict, "conflict"),
        (.server, "server"),
        (.network, "network"),
        (.timeout, "timeout"),
        (.decoding(snippet: "<html>"), "decoding"),
        (.decoding(snippet: ""), "decoding"),
        (.taskFailed(TaskFailure(code: "E1", message: "no GPU", retryable: true)), "taskFailed"),
        (.taskFailed(TaskFailure(message: "")), "taskFailed"),
        (.canceled, "canceled"),
        (.budgetExceeded(estimate: .usd(2), remaining: .usd(1)), "budgetExceeded"),
        (.budgetExceeded(estimate: nil, remaining: .usd(0)), "budgetExceeded"),
        (.outcomeUnknown, "outcomeUnknown"),
        (.invalidSignature, "invalidSignature"),
        (.unsupported, "unsupported"),
        (.file(path: "/tmp/out.mp3"), "file"),
        (.needsFFmpeg(reason: "looping the audio needs ffmpeg", searched: ["/usr/bin"]), "needsFFmpeg"),
        (.needsFFmpeg(reason: "", searched: []), "needsFFmpeg"),
        (.cannotRemux(reason: "WAV (PCM) audio"), "cannotRemux"),
        (.unreadableMedia(clip, reason: "no 'moov' box"), "unreadableMedia"),
        (.missingStream(clip, expected: "audio"), "missingStream"),
        (.ffmpegFailed(status: 1, outputTail: "Invalid argument"), "ffmpegFailed"),
    ]

    @Test(arguments: kinds)
    func aSwitchWithADefaultMatchesEveryKindByNameWhateverItsPayload(kind: MediaGenError.Kind, name: String) {
        #expect(reaction(to: kind) == name)
        #expect(kind.case.description == name)
    }

    @Test func aBareNameMatchesOnlyItsOwnKind() {
        let kind = MediaGenError.Kind.rateLimited(retryAfter: .seconds(2))
        var matched: [String] = []
        if case .rateLimited = kind { matched.append("rateLimited") }
        if case .taskFailed = kind { matched.append("taskFailed") }
        if case .server = kind { matched.append("server") }
        #expect(matched == ["rateLimited"])
    }

    @Test func aCaseWithAWholeValueMatchesThatPayloadOnly() {
        func wait(_ kind: MediaGenError.Kind) -> String {
            switch kind {
            case .rateLimited(retryAfter: .seconds(2)): "two seconds"
            case .rateLimited: "another wait"
            default: "not rate limited"
            }
        }
        #expect(wait(.rateLimited(retryAfter: .seconds(2))) == "two seconds")
        #expect(wait(.rateLimited(retryAfter: .seconds(3))) == "another wait")
        #expect(wait(.rateLimited(retryAfter: nil)) == "another wait")
        #expect(wait(.server) == "not rate limited")
    }

    @Test func equalityAndHashingStillCompareThePayload() {
        let two = MediaGenError.Kind.rateLimited(retryAfter: .seconds(2))
        #expect(two == .rateLimited(retryAfter: .seconds(2)))
        #expect(two != .rateLimited(retryAfter: .seconds(3)))
        #expect(two != .rateLimited(retryAfter: nil))
        #expect(
            MediaGenError.Kind.taskFailed(TaskFailure(message: "a")) != .taskFailed(TaskFailure(message: "b")))
        #expect(MediaGenError.Kind.file(path: "/a") != .file(path: "/b"))
        #expect(Set(Self.kinds.map(\.0)).count == Self.kinds.count)
        // The name alone is what `case` compares.
        #expect(two.case == MediaGenError.Kind.rateLimited(retryAfter: nil).case)
        #expect(Set(Self.kinds.map(\.0.case)).count == Set(Self.kinds.map(\.1)).count)
    }

    @Test func anOptionalKindMatchesByNameAndNilMatchesNoName() {
        let error: MediaGenError? = MediaGenError(.decoding(snippet: "<html>"), message: "not JSON")
        let none: MediaGenError? = nil
        var matched: [String] = []
        if case .decoding = error?.kind { matched.append("error") }
        if case .decoding = none?.kind { matched.append("none") }
        switch error?.kind {
        case .rateLimited: matched.append("rateLimited")
        case .decoding?: matched.append("decoding?")
        default: matched.append("default")
        }
        #expect(matched == ["error", "decoding?"])
    }

    @Test func payloadsAreReadThroughPropertiesThatAreNilForOtherKinds() {
        let invalid = MediaGenError.Kind.invalidRequest(field: "prompt", reason: "must not be blank")
        #expect(invalid.field == "prompt")
        #expect(invalid.reason == "must not be blank")
        #expect(MediaGenError.Kind.rateLimited(retryAfter: .seconds(2)).retryAfter == .seconds(2))
        #expect(MediaGenError.Kind.decoding(snippet: "<html>").snippet == "<html>")
        let failure = TaskFailure(code: "E1", message: "no GPU", retryable: true)
        #expect(MediaGenError.Kind.taskFailed(failure).failure == failure)
        let budget = MediaGenError.Kind.budgetExceeded(estimate: .usd(2), remaining: .usd(1))
        #expect(budget.estimate == .usd(2))
        #expect(budget.remaining == .usd(1))
        #expect(MediaGenError.Kind.file(path: "/tmp/out.mp3").path == "/tmp/out.mp3")
        let ffmpeg = MediaGenError.Kind.needsFFmpeg(reason: "a fade needs ffmpeg", searched: ["/usr/bin", "/bin"])
        #expect(ffmpeg.reason == "a fade needs ffmpeg")
        #expect(ffmpeg.searchedPaths == ["/usr/bin", "/bin"])
        #expect(MediaGenError.Kind.cannotRemux(reason: "WAV").reason == "WAV")
        let unreadable = MediaGenError.Kind.unreadableMedia(clip, reason: "no 'moov' box")
        #expect(unreadable.mediaFile == clip)
        #expect(unreadable.reason == "no 'moov' box")
        let missing = MediaGenError.Kind.missingStream(clip, expected: "audio")
        #expect(missing.mediaFile == clip)
        #expect(missing.expectedStream == "audio")
        let failed = MediaGenError.Kind.ffmpegFailed(status: 234, outputTail: "Invalid argument")
        #expect(failed.exitStatus == 234)
        #expect(failed.outputTail == "Invalid argument")

        // Every payload property of a kind without that payload is nil.
        for kind in [MediaGenError.Kind.network, .rateLimited(retryAfter: nil), .canceled] {
            #expect(kind.field == nil && kind.reason == nil && kind.snippet == nil && kind.failure == nil)
            #expect(kind.estimate == nil && kind.remaining == nil && kind.path == nil && kind.searchedPaths == nil)
            #expect(kind.mediaFile == nil && kind.expectedStream == nil && kind.exitStatus == nil)
            #expect(kind.outputTail == nil && kind.retryAfter == nil)
        }
        #expect(MediaGenError.Kind.invalidRequest(field: nil, reason: "refused").field == nil)
        #expect(MediaGenError.Kind.budgetExceeded(estimate: nil, remaining: .usd(1)).estimate == nil)
    }

    @Test(arguments: [
        (MediaGenError.Kind.rateLimited(retryAfter: .seconds(2)), ".rateLimited(retryAfter: 2.0 seconds)"),
        (.rateLimited(retryAfter: nil), ".rateLimited(retryAfter: nil)"),
        (.invalidRequest(field: "prompt", reason: "blank"), #".invalidRequest(field: "prompt", reason: "blank")"#),
        (.taskFailed(TaskFailure(code: "E1", message: "no GPU")), #".taskFailed("E1: no GPU")"#),
        (.notFound, ".notFound"),
        (.missingStream(clip, expected: "audio"), #".missingStream("/tmp/clip.mp4", expected: "audio")"#),
    ])
    func aKindPrintsAsItIsWritten(kind: MediaGenError.Kind, printed: String) {
        #expect(String(describing: kind) == printed)
    }
}
