import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// Every public fal call that puts a request id in a URL path (through a handle, or building the
/// handle), and the field its error names.
enum FalIDCall: String, CaseIterable, Sendable {
    case status, resultTyped, resultJSON, cancelRequest, task, cancel, waitFor, handleFromRequestID
    case statusWithFalURLs

    var field: String { self == .handleFromRequestID ? "requestID" : "handle" }

    func call(_ client: FalClient, id: String) async throws {
        let handle = TaskHandle(provider: .fal, id: id, model: "beatoven/music-generation")
        switch self {
        case .status: _ = try await client.request(handle)
        case .resultTyped: _ = try await client.result(.beatovenMusicGeneration, of: handle)
        case .resultJSON: _ = try await client.result(of: handle)
        case .cancelRequest: _ = try await client.cancelRequest(handle)
        case .task: _ = try await client.task(handle)
        case .cancel: try await client.cancel(handle)
        case .waitFor: _ = try await client.wait(for: handle)
        case .handleFromRequestID: _ = try client.handle(app: .beatovenMusicGeneration, requestID: id)
        case .statusWithFalURLs:
            let base = "https://queue.fal.run/beatoven/music-generation/requests/r1"
            let given = TaskHandle(
                provider: .fal, id: id, model: "beatoven/music-generation", statusURL: URL(string: base + "/status"),
                resultURL: URL(string: base), cancelURL: URL(string: base + "/cancel"))
            _ = try await client.request(given)
        }
    }
}

/// The calls that take an app id, which fal puts in the path as `{owner}/{alias}`.
enum FalAppCall: String, CaseIterable, Sendable {
    case submit, handle

    func call(_ client: FalClient, app: FalAppID) async throws {
        switch self {
        case .submit: _ = try await client.createRequest(FalJSONApp(app), input: ["prompt": "x"])
        case .handle: _ = try client.handle(app: app, requestID: "764cabcf-b745-4b3e-ae38-1200304cf45b")
        }
    }
}

struct FalIdentifierTests {
    @Test(arguments: FalIDCall.allCases, hostileIDs)
    func aHostileRequestIDIsRefusedBeforeSending(call: FalIDCall, id: String) async {
        let harness = FalHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await call.call(harness.client, id: id) }
        #expect(error?.refusedField == call.field)
        #expect(error?.provider == .fal)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: FalAppCall.allCases, hostileIDs)
    func aHostileAppAliasIsRefusedBeforeSending(call: FalAppCall, alias: String) async {
        let harness = FalHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await call.call(harness.client, app: FalAppID(rawValue: "owner/" + alias)) }
        #expect(error?.refusedField == "app")
        #expect(harness.requests.isEmpty)
    }
}

struct FalHeaderInjectionTests {
    @Test(arguments: hostileHeaderValues)
    func aRunnerHintWithAControlCharacterIsRefusedBeforeSending(hint: String) async {
        let harness = FalHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), runnerHint: hint)
        }
        #expect(error?.refusedField == "runnerHint")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anAdditionalHeaderWithAControlCharacterIsRefusedBeforeSending(value: String) async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = FalClient(
            apiKey: testKey,
            configuration: ClientConfiguration(transport: transport, additionalHeaders: ["X-Team": value])
        )
        let error = await mediaError {
            try await client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.refusedField == "X-Team")
        #expect(transport.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anUploadWhoseContentTypeCouldInjectAHeaderIsRefusedBeforeSending(contentType: String) async {
        let harness = FalHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.upload(.data(Data("RIFF".utf8), fileName: "a.wav", contentType: contentType))
        }
        #expect(error?.refusedField == "contentType")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anUploadWhoseFileNameHoldsAControlCharacterIsRefusedBeforeSending(fileName: String) async {
        let harness = FalHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.upload(.data(Data("RIFF".utf8), fileName: fileName + ".wav"))
        }
        #expect(error?.refusedField == "fileName")
        #expect(harness.requests.isEmpty)
    }
}
