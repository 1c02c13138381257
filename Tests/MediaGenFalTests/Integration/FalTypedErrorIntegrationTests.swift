import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// fal's typed error bodies over real HTTP: the emulator's `error-type` fault answers them as fal's
/// application does (with `X-Fal-Request-Id`), and the client reads them through URLSession.
@Suite(
    "fal typed errors over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct FalTypedErrorIntegrationTests {
    /// A typed error as the emulator's fault sends it, and what the client must make of it.
    struct Case: Sendable, CustomTestStringConvertible {
        let fault: String
        let code: String
        let kind: MediaGenError.Kind
        let readIsRetried: Bool
        var testDescription: String { fault }
    }

    static let cases: [Case] = [
        Case(
            fault: "error-type;code=runner_disconnected", code: "runner_disconnected", kind: .server,
            readIsRetried: true),
        Case(fault: "error-type;code=request_timeout", code: "request_timeout", kind: .timeout, readIsRetried: true),
        Case(
            fault: "error-type;code=runner_scheduling_failure;header=internal_error",
            code: "runner_scheduling_failure", kind: .server, readIsRetried: true),
        Case(
            fault: "error-type;code=request_timeout;timeout_type=user", code: "request_timeout", kind: .timeout,
            readIsRetried: false),
        Case(
            fault: "error-type;code=client_cancelled", code: "client_cancelled", kind: .canceled, readIsRetried: false),
        Case(
            fault: "error-type;form=model;code=image_too_large;status=422;field=image_url;header=validation_error",
            code: "image_too_large",
            kind: .invalidRequest(field: "image_url", reason: "image_url: Emulated image_too_large."),
            readIsRetried: false),
        Case(
            fault: "error-type;form=model;code=generation_timeout;status=504", code: "generation_timeout",
            kind: .timeout, readIsRetried: true),
        Case(
            fault: "error-type;code=runner_server_error;retryable=false", code: "runner_server_error", kind: .server,
            readIsRetried: false),
    ]

    static let submitRoute = "POST /queue/{owner}/{alias}"
    static let statusRoute = "GET /queue/{owner}/{alias}/requests/{id}/status"

    func client(_ emulator: Emulator) -> FalClient {
        FalClient(
            apiKey: Emulator.falKey,
            queueURL: emulator.falQueueURL,
            restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                timeout: .seconds(30), transport: URLSessionTransport(), clock: ImmediateClock())
        )
    }

    @Test(arguments: cases)
    func aStatusPollKeepsTheTypedCodeAndRetriesOnlyWhatFalAllows(typed: Case) async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let submitted = try await fal.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz", duration: .seconds(5)))
            try await emulator.injectFaults([FaultRule(typed.fault, count: 1, provider: "fal", method: "GET")])
            if typed.readIsRetried {
                // One typed error, then the real status: the poll recovers.
                let now = try await fal.request(submitted.handle)
                #expect(now.requestID == submitted.requestID)
                #expect(try await emulator.stats().requests("fal", Self.statusRoute) == 2)
            } else {
                let error = await mediaError { try await fal.request(submitted.handle) }
                #expect(error?.kind == typed.kind)
                #expect(error?.providerCode == typed.code)
                #expect(error?.requestID?.isEmpty == false)
                #expect(try await emulator.stats().requests("fal", Self.statusRoute) == 1)
            }
        }
    }

    @Test(arguments: cases)
    func aSubmitMetByATypedErrorIsSentOnceAndKeepsItsCode(typed: Case) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule(typed.fault, count: 5, provider: "fal", method: "POST")])
            let error = await mediaError {
                try await client(emulator).createRequest(
                    .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
            }
            // fal's application answered (its request id is there): a retryable answer may have
            // followed processing, so the submit's outcome is unknown; a final one is the typed error.
            #expect(error?.kind == (typed.readIsRetried ? .outcomeUnknown : typed.kind), "\(String(describing: error))")
            #expect(error?.providerCode == typed.code)
            #expect(error?.requestID?.isEmpty == false)
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.submitRoute) == 1)
            #expect(stats.tasksCreated("fal") == 0)
        }
    }
}
