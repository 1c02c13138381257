import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Every public Beatra call that puts a task id in a URL path.
enum BeatraIDCall: String, CaseIterable, Sendable {
    case task, cancelTask, taskHandle, cancel, waitFor

    func call(_ client: BeatraClient, id: String) async throws {
        let handle = TaskHandle(provider: .beatra, id: id, model: "suno-5.5")
        switch self {
        case .task: _ = try await client.task(id: id)
        case .cancelTask: _ = try await client.cancelTask(id: id)
        case .taskHandle: _ = try await client.task(handle)
        case .cancel: try await client.cancel(handle)
        case .waitFor: _ = try await client.wait(for: handle)
        }
    }
}

struct BeatraIdentifierTests {
    @Test(arguments: BeatraIDCall.allCases, hostileIDs)
    func aHostileTaskIDIsRefusedBeforeSending(call: BeatraIDCall, id: String) async {
        let harness = BeatraHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await call.call(harness.client, id: id) }
        #expect(error?.refusedField == "task_id")
        #expect(error?.provider == .beatra)
        #expect(harness.requests.isEmpty)
    }
}

struct BeatraHeaderInjectionTests {
    private static let request = BeatraMusicRequest(model: .minimaxMusic26, prompt: "x")

    @Test(arguments: hostileHeaderValues)
    func anIdempotencyKeyWithAControlCharacterIsRefusedBeforeSending(key: String) async {
        let harness = BeatraHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await harness.client.createTask(Self.request, idempotencyKey: key) }
        #expect(error?.refusedField == "idempotencyKey")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anUploadWhoseFileNameCouldInjectAPartIsRefusedBeforeSending(name: String) async {
        let harness = BeatraHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.upload(.data(Data("ID3".utf8), fileName: "ref" + name + ".mp3"))
        }
        #expect(error?.refusedField == "fileName")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anUploadWhoseContentTypeCouldInjectAPartHeaderIsRefusedBeforeSending(suffix: String) async {
        let harness = BeatraHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError {
            try await harness.client.upload(
                .data(Data("ID3".utf8), fileName: "ref.mp3", contentType: "audio/mpeg" + suffix))
        }
        #expect(error?.refusedField == "contentType")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderValues)
    func anAdditionalHeaderWithAControlCharacterIsRefusedBeforeSending(value: String) async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = BeatraClient(
            apiKey: testKey,
            configuration: ClientConfiguration(transport: transport, additionalHeaders: ["X-Team": value]),
            environment: [:])
        let error = await mediaError { try await client.task(id: "task_1") }
        #expect(error?.refusedField == "X-Team")
        #expect(transport.requests.isEmpty)
    }
}
