import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

/// Every fixture, mutated thousands of times (``JSONMutator``), through the SDK's real decoding:
/// a client on a stub transport answering the mutated body to the calls the fixture belongs to,
/// and the webhook decoder with the mutated body signed. Nothing may crash; every failure must
/// be a typed `MediaGenError` (see ``DecoderFuzzTally``).
@Suite("Skytells decoder fuzzing", .timeLimit(.minutes(10)))
struct SkytellsDecoderFuzzTests {
    static let seed: UInt64 = 0x5C7_E115
    static let minimumMutations = 10_000

    typealias Target = FuzzTarget<SkytellsClient>

    static func getPrediction(_ client: SkytellsClient, _: Data) async throws {
        let prediction = try await client.prediction(id: "pred_fuzz")
        try inspect(prediction)
        _ = (prediction.createdAt, prediction.startedAt, prediction.completedAt, prediction.progress)
    }

    static func createPrediction(_ client: SkytellsClient, _: Data) async throws {
        try inspect(try await client.createPrediction(.beatFusion2, input: BeatFusionInput(prompt: "jazz")))
    }

    static func cancelPrediction(_ client: SkytellsClient, _: Data) async throws {
        try inspect(try await client.cancelPrediction(id: "pred_fuzz"))
    }

    static func webhook(_ client: SkytellsClient, _ body: Data) async throws {
        // Signed as Skytells signs, so that the decoder, not the signature check, meets the body.
        let signature = SecureHash.hmacSHA256(key: Data(testKey.utf8), message: body).hexEncodedString
        let event = try SkytellsWebhook.event(body: body, signature: signature, secret: testKey)
        _ = (event.type, event.createdAt)
        try inspect(event.prediction)
    }

    static let predictions = [
        "prediction-canceled", "prediction-cancelled", "prediction-failed-object", "prediction-failed-string",
        "prediction-official-client", "prediction-pending", "prediction-processing-percent",
        "prediction-processing-progress", "prediction-queued", "prediction-starting", "prediction-succeeded-list",
        "prediction-status-false-queued", "prediction-succeeded-string", "prediction-unknown-status",
        "prediction-await-succeeded", "prediction-await-video-pending", "prediction-failed-top-level",
    ]

    /// Error answers with the status each was documented with, and the kind a poll and a create
    /// end with: a create answered with a server error may have made its prediction, so it ends
    /// `outcomeUnknown`, never a plain error the app would create again after.
    static let errors: [(String, Int, poll: String, create: String)] = [
        ("error-response-string", 401, "authentication", "authentication"),
        ("error-status-false", 200, "invalidRequest", "invalidRequest"),
        ("error-structured-insufficient-credits", 402, "insufficientCredits", "insufficientCredits"),
        ("error-structured-invalid-input", 422, "invalidRequest", "invalidRequest"),
        ("error-structured-model-not-found", 404, "notFound", "notFound"),
        ("error-structured-rate-limit", 429, "rateLimited", "rateLimited"),
        ("error-top-level-rate-limit", 429, "rateLimited", "rateLimited"),
        ("error-envelope-unauthorized", 401, "authentication", "authentication"),
        ("error-envelope-in-200-credits", 200, "insufficientCredits", "insufficientCredits"),
        ("error-envelope-in-200-status-only", 200, "rateLimited", "rateLimited"),
        ("error-typed-internal", 500, "server", "outcomeUnknown"),
        ("error-inference-timeout", 504, "timeout", "outcomeUnknown"),
        ("error-prediction-fetch-502", 502, "server", "outcomeUnknown"),
        ("error-validation", 422, "invalidRequest", "invalidRequest"),
    ]

    static func predictionPage(_ client: SkytellsClient, _: Data) async throws {
        for prediction in try await client.predictionPage(page: 2).items { try inspect(prediction) }
    }

    static func models(_ client: SkytellsClient, _: Data) async throws {
        for model in try await client.models(includeSchemas: true) { _ = (model.id, model.price) }
    }

    static func model(_ client: SkytellsClient, _: Data) async throws {
        _ = try await client.model(named: .beatFusion2).price
    }

    static func streamURL(_ client: SkytellsClient, _: Data) async throws {
        _ = try await client.streamURL(id: "pred_fuzz")
    }

    static let targets: [Target] = {
        var targets: [Target] = []
        func add(
            _ fixture: String, _ route: DecoderFuzzTally.Route, _ call: String, _ pristine: String = "decoded",
            run: @escaping @Sendable (SkytellsClient, Data) async throws -> Void
        ) {
            targets.append(Target(fixture: fixture, route: route, call: call, pristine: pristine, run: run))
        }
        for name in predictions {
            add(name, .answer(status: 200), "prediction(id:)", run: getPrediction)
            add(name, .delivery(), "SkytellsWebhook.event", run: webhook)
        }
        for name in ["prediction-queued", "prediction-pending", "prediction-starting"] {
            add(name, .answer(status: 201), "createPrediction", run: createPrediction)
        }
        for name in ["prediction-canceled", "prediction-cancelled"] {
            add(name, .answer(status: 200), "cancelPrediction", run: cancelPrediction)
        }
        for (name, status, poll, create) in errors {
            add(name, .answer(status: status), "prediction(id:)", poll, run: getPrediction)
            add(name, .answer(status: status), "createPrediction", create, run: createPrediction)
        }
        for name in ["predictions-page-1", "predictions-page-2", "predictions-list-array"] {
            add(name, .answer(status: 200), "predictionPage", run: predictionPage)
        }
        for (name, status, kind) in [
            ("error-list-per-page", 400, "invalidRequest"), ("error-list-date-format", 400, "invalidRequest"),
            ("error-list-parameter-combination", 400, "invalidRequest"), ("error-list-model-filter", 404, "notFound"),
        ] {
            add(name, .answer(status: status), "predictionPage", kind, run: predictionPage)
        }
        add("models-list", .answer(status: 200), "models", run: models)
        add("models-pricing-units", .answer(status: 200), "models", run: models)
        add("model-detail", .answer(status: 200), "model(named:)", run: model)
        // Both routes answer that they do not exist: the second answer is the error.
        add("error-endpoint-not-found", .answer(status: 404), "model(named:)", "notFound", run: model)
        add("stream", .answer(status: 200), "streamURL", run: streamURL)
        return targets
    }()

    /// The client, over a transport answering every request with `body`.
    static func client(answering body: Data, route: DecoderFuzzTally.Route) -> SkytellsClient {
        guard case .answer(let status) = route else { return SkytellsHarness { _ in HTTPResponse(status: 500) }.client }
        let headers: HTTPHeaders =
            status == 429
            ? ["Content-Type": "application/json", "Retry-After": "3"] : ["Content-Type": "application/json"]
        return SkytellsHarness { _ in HTTPResponse(status: status, headers: headers, body: body) }.client
    }

    static let campaign = DecoderFuzzCampaign(
        provider: "Skytells", seed: seed, minimumMutations: minimumMutations, targets: targets,
        client: client(answering:route:))

    @Test func everyFixtureIsFuzzed() throws {
        #expect(Set(Self.targets.map(\.fixture)) == Set(try allFixtureNames(in: .module)))
    }

    @Test(arguments: targets)
    func eachUnmutatedFixtureGivesItsDocumentedOutcome(target: Target) async throws {
        await Self.campaign.expectPristineOutcome(of: target, body: try fixture(target.fixture))
    }

    @Test func tenThousandMutantsDecodeOrFailWithTypedErrors() async throws {
        try await Self.campaign.expectMutantsDecodeOrFailTyped(fixture: fixture)
    }
}
