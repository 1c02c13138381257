import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

/// Every public Skytells call that puts an id in a URL path, and the field its error names.
enum SkytellsIDCall: String, CaseIterable, Sendable {
    case prediction, cancelPrediction, deletePrediction, streamURL, modelNamed, task, cancel, waitFor

    var field: String { self == .modelNamed ? "model" : "id" }

    func call(_ client: SkytellsClient, id: String) async throws {
        let handle = TaskHandle(provider: .skytells, id: id)
        switch self {
        case .prediction: _ = try await client.prediction(id: id)
        case .cancelPrediction: _ = try await client.cancelPrediction(id: id)
        case .deletePrediction: try await client.deletePrediction(id: id)
        case .streamURL: _ = try await client.streamURL(id: id)
        case .modelNamed: _ = try await client.model(named: SkytellsModelID(rawValue: id))
        case .task: _ = try await client.task(handle)
        case .cancel: try await client.cancel(handle)
        case .waitFor: _ = try await client.wait(for: handle)
        }
    }
}

struct SkytellsIdentifierTests {
    @Test(arguments: SkytellsIDCall.allCases, hostileIDs)
    func aHostileIDIsRefusedBeforeSending(call: SkytellsIDCall, id: String) async {
        let harness = SkytellsHarness { _ in HTTPResponse(status: 500) }
        let error = await mediaError { try await call.call(harness.client, id: id) }
        #expect(error?.refusedField == call.field)
        #expect(error?.provider == .skytells)
        #expect(harness.requests.isEmpty)
    }

    @Test func anEmptyIDNoLongerReachesTheListEndpoint() async {
        let harness = SkytellsHarness { _ in .json(#"{"data": [], "total": 0}"#) }
        _ = await mediaError { try await harness.client.prediction(id: "") }
        #expect(harness.requests.isEmpty)
    }

    @Test func deletingDotDotNoLongerReachesTheParentPath() async {
        let harness = SkytellsHarness { _ in HTTPResponse(status: 200) }
        _ = await mediaError { try await harness.client.deletePrediction(id: "..") }
        #expect(harness.requests.isEmpty)
    }
}

struct SkytellsHeaderInjectionTests {
    @Test(arguments: hostileHeaderValues)
    func anAdditionalHeaderWithAControlCharacterIsRefusedBeforeSending(value: String) async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = SkytellsClient(
            apiKey: testKey,
            configuration: ClientConfiguration(transport: transport, additionalHeaders: ["X-Tenant": value]))
        let error = await mediaError { try await client.prediction(id: "pred_1") }
        #expect(error?.refusedField == "X-Tenant")
        #expect(transport.requests.isEmpty)
    }

    @Test(arguments: hostileHeaderNames)
    func anAdditionalHeaderNameThatIsNotATokenIsRefused(name: String) async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = SkytellsClient(
            apiKey: testKey, configuration: ClientConfiguration(transport: transport, additionalHeaders: [name: "v"]))
        let error = await mediaError { try await client.prediction(id: "pred_1") }
        #expect(error?.refusedField == "headers")
        #expect(transport.requests.isEmpty)
    }

    @Test func anAPIKeyWithALineBreakIsRefusedWithoutPrintingIt() async {
        let transport = StubTransport { _ in HTTPResponse(status: 500) }
        let client = SkytellsClient(
            apiKey: "sk-LINE-BREAK-77\r\nX-Injected: 1", configuration: ClientConfiguration(transport: transport))
        let error = await mediaError { try await client.prediction(id: "pred_1") }
        #expect(error?.refusedField != nil)
        #expect(error?.description.contains("sk-LINE-BREAK-77") == false)
        #expect(transport.requests.isEmpty)
    }
}
