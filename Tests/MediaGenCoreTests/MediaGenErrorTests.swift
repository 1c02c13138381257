import Foundation
import Testing

@testable import MediaGenCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("MediaGenError")
struct MediaGenErrorTests {
    @Test func theDescriptionIsOneActionableLineWithEveryKnownId() {
        let error = MediaGenError(
            .rateLimited(retryAfter: .seconds(2)),
            provider: .acme,
            message: "Too many requests",
            providerCode: "RATE_LIMIT_EXCEEDED",
            httpStatus: 429,
            requestID: "req_1",
            taskID: "task_1"
        )
        #expect(
            error.description
                == "Acme: rate limited — Too many requests (HTTP 429, code RATE_LIMIT_EXCEEDED, request req_1, task task_1). Retry after 2 s."
        )
        #expect(error.localizedDescription == error.description)
    }

    @Test(arguments: [
        (
            MediaGenError.Kind.invalidRequest(field: "duration_seconds", reason: "too long"),
            "invalid value for `duration_seconds`", "Correct the input"
        ),
        (.authentication, "authentication failed", "Check the API key (set ACME_API_KEY or pass the key explicitly)."),
        (.insufficientCredits, "insufficient credits", "Top up"),
        (.rateLimited(retryAfter: nil), "rate limited", "Slow down"),
        (.notFound, "not found", "Check the id"),
        (.conflict, "conflict", "new idempotency key"),
        (.server, "server error", "retry later"),
        (.network, "network error", "Check the connection"),
        (.timeout, "timed out", "allow more time"),
        (.decoding(snippet: "<html>"), "unexpected response", "body starts: <html>"),
        (.taskFailed(TaskFailure(message: "x")), "task failed", "Change the input"),
        (.canceled, "task canceled", "Create a new task"),
        (.budgetExceeded(estimate: .usd(2), remaining: .usd(1)), "budget exceeded", "Estimated $2.00 with $1.00 left"),
        (.outcomeUnknown, "outcome unknown", "look it up before creating it again"),
        (.invalidSignature, "webhook rejected", "Reject the delivery"),
        (.unsupported, "not supported", "alternatives"),
        (.file(path: "/tmp/out.mp3"), "local file error", "Check that /tmp/out.mp3 can be read or written here"),
        (
            .needsFFmpeg(reason: "a fade needs ffmpeg", searched: ["/usr/bin", "/bin"]), "ffmpeg not found",
            "Install it — `apt-get install -y ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or set FFMPEG_PATH (looked in /usr/bin, /bin)."
        ),
        (.cannotRemux(reason: "WAV"), "cannot remux", "Use MergeOptions(merger: .automatic) with ffmpeg installed."),
        (
            .unreadableMedia(URL(fileURLWithPath: "/tmp/clip.mp4"), reason: "no 'moov' box"), "unreadable media",
            "Check that /tmp/clip.mp4 is a whole audio or video file"
        ),
        (
            .missingStream(URL(fileURLWithPath: "/tmp/clip.mp4"), expected: "audio"), "no audio stream",
            "Pass a file with an audio stream as the audio (clip.mp4 may be the other input)."
        ),
        (.ffmpegFailed(status: 1, outputTail: "Invalid argument"), "ffmpeg failed", "check the inputs"),
    ])
    func everyKindSaysWhatHappenedAndWhatToDo(kind: MediaGenError.Kind, headline: String, hint: String) {
        let description = MediaGenError(kind, provider: .acme, message: "details").description
        #expect(description.hasPrefix("Acme: \(headline) — details"))
        #expect(description.contains(hint))
        #expect(!description.contains("\n"))
    }

    @Test func anErrorIsAValueChangingACopyLeavesTheOriginal() {
        let original = MediaGenError(.server, provider: .acme, message: "boom", httpStatus: 502, taskID: "task_1")
        var copy = original
        copy.taskID = "task_2"
        copy.kind = .timeout
        copy.pipelineFailure = MediaGenError.PipelineFailure(side: "video", kept: nil)
        #expect(original.taskID == "task_1")
        #expect(original.kind.case == .server)
        #expect(original.pipelineFailure == nil)
        #expect(copy.taskID == "task_2")
        #expect(copy.kind.case == .timeout)
        #expect(copy.httpStatus == 502)
        #expect(copy != original)

        let same = MediaGenError(.server, provider: .acme, message: "boom", httpStatus: 502, taskID: "task_1")
        #expect(same == original)
        #expect(same.hashValue == original.hashValue)
        #expect(Set([original, same, copy]).count == 2)
    }

    @Test func invalidInputNamesTheField() {
        let error = MediaGenError.invalidInput("bpm", "must be between 40 and 240")
        #expect(error.kind == .invalidRequest(field: "bpm", reason: "must be between 40 and 240"))
        #expect(error.description.hasPrefix("invalid value for `bpm` — must be between 40 and 240"))
    }

    @Test func transientKindsAreTheOnesWorthRetryingLater() {
        let transient: [MediaGenError.Kind] = [
            .rateLimited(retryAfter: nil), .rateLimited(retryAfter: .seconds(3)), .server, .network, .timeout,
        ]
        let permanent: [MediaGenError.Kind] = [
            .authentication, .notFound, .outcomeUnknown, .canceled, .file(path: "/tmp/x"),
            .needsFFmpeg(reason: "", searched: []), .cannotRemux(reason: ""),
            .ffmpegFailed(status: 1, outputTail: ""),
        ]
        #expect(transient.allSatisfy { MediaGenError($0, message: "").isTransient })
        #expect(!permanent.contains { MediaGenError($0, message: "").isTransient })
    }
}

@Suite("Retry-After")
struct RetryAfterTests {
    // 2027-01-15T08:00:00Z
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        ("120", Duration.seconds(120)),
        (" 3 ", .seconds(3)),
        ("1.5", .milliseconds(1500)),
        ("0", .zero),
        ("Fri, 15 Jan 2027 08:00:30 GMT", .seconds(30)),  // IMF-fixdate
        ("Friday, 15-Jan-27 08:01:00 GMT", .seconds(60)),  // RFC 850
        ("Fri Jan 15 08:00:05 2027", .seconds(5)),  // asctime
        ("Fri Jan  15 08:00:05 2027", .seconds(5)),  // asctime pads the day with a space
        ("Thu, 14 Jan 2027 08:00:00 GMT", .zero),  // in the past: retry now
    ])
    func understandsSecondsAndEveryHTTPDateForm(value: String, expected: Duration) {
        #expect(RetryAfter.parse(value, now: now) == expected)
    }

    /// Found by the decoder fuzzing: such values trapped converting to `Int64` milliseconds.
    @Test(arguments: ["1e20", "123456789012345678901234567890.123456789", "1e300"])
    func anAbsurdlyLongWaitIsCappedNotACrash(value: String) throws {
        let wait = try #require(RetryAfter.parse(value, now: now))
        #expect(wait == .seconds(1_000_000_000))
        #expect(MediaGenError(.rateLimited(retryAfter: wait), message: "").description.contains("1000000000 s"))
    }

    @Test(arguments: ["", "soon", "-5", "inf", "nan", "Fri, 99 Foo 2027"])
    func rejectsWhatItDoesNotUnderstand(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }
}

@Suite("URLSession error mapping")
struct TransportErrorMappingTests {
    @Test(arguments: [
        (URLError.Code.cannotConnectToHost, TransportError.Reason.cannotConnect),
        (.cannotFindHost, .cannotConnect),
        (.dnsLookupFailed, .cannotConnect),
        (.notConnectedToInternet, .cannotConnect),
        (.secureConnectionFailed, .cannotConnect),
        (.badURL, .invalidRequest),
        (.unsupportedURL, .invalidRequest),
        (.timedOut, .timedOut),
        (.networkConnectionLost, .connectionLost),
        (.badServerResponse, .invalidResponse),
        (.cannotParseResponse, .invalidResponse),
        (.zeroByteResource, .invalidResponse),
        (.unknown, .other),
        (.cancelled, .other),  // cancelled by the system, not by the caller's task
    ])
    func urlErrorsAreSortedByWhetherTheRequestMayHaveArrived(code: URLError.Code, reason: TransportError.Reason) {
        let mapped = URLSessionTransport.transportError(from: URLError(code)) as? TransportError
        #expect(mapped?.reason == reason)
        #expect(mapped?.mayHaveReachedServer == (reason != .cannotConnect && reason != .invalidRequest))
    }

    @Test func aCancelledCallersURLErrorBecomesCancellationError() async {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return URLSessionTransport.transportError(from: URLError(.cancelled))
        }
        #expect(await task.value is CancellationError)
    }

    @Test func otherErrorsBecomeOtherTransportErrors() {
        struct Weird: Error {}
        #expect((URLSessionTransport.transportError(from: Weird()) as? TransportError)?.reason == .other)
        #expect(URLSessionTransport.transportError(from: CancellationError()) is CancellationError)
    }
}
