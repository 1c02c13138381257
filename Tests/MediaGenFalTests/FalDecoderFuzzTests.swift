import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// Every fixture, mutated thousands of times (``JSONMutator``), through the SDK's real decoding:
/// a client on a stub transport answering the mutated body to the calls the fixture belongs to,
/// and the webhook decoders with the mutated body signed (by the fake Ed25519 of the webhook
/// tests). Nothing may crash; every failure must be a typed `MediaGenError` (see ``DecoderFuzzTally``).
@Suite("fal decoder fuzzing", .timeLimit(.minutes(10)))
struct FalDecoderFuzzTests {
    static let seed: UInt64 = 0xFA1_F022
    static let minimumMutations = 10_000

    typealias Target = FuzzTarget<FalClient>

    static func poll(_ client: FalClient, _: Data) async throws {
        try inspect(try await client.request(seedHandle, logs: true))
        // One poll as `wait(for:)` makes it: the status, then the result once completed.
        try inspect(try await client.task(seedHandle))
    }

    static func submit(_ client: FalClient, _: Data) async throws {
        try inspect(try await client.createRequest(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz")))
    }

    static func result(_ client: FalClient, _: Data) async throws {
        let music = try await client.result(.beatovenMusicGeneration, of: seedHandle).data
        _ = (music.audio.url, String(describing: music))
        _ = try await client.result(of: seedHandle).data
    }

    static func cancel(_ client: FalClient, _: Data) async throws {
        _ = try await client.cancelRequest(seedHandle)
    }

    static func upload(_ client: FalClient, _: Data) async throws {
        _ = try await client.upload(
            .data(Data("RIFF".utf8), fileName: "take.wav", contentType: "audio/wav"),
            options: FalUploadOptions(repositories: [.gcs]))
    }

    /// A CDN upload (in parts when `multipart`) whose step `mutated` answers with the fuzzed body
    /// and every other step as fal would: the CDN only, so that the broken answer is the failure,
    /// not a fallback.
    static func uploadToCDN(mutating mutated: String, multipart: Bool = false)
        -> @Sendable (FalClient, Data) async throws -> Void
    {
        { _, body in
            let client = FalHarness { request in
                let path = request.url.path
                let step =
                    path.hasSuffix("/storage/auth/token")
                    ? "storage-cdn-token"
                    : path.hasSuffix("/files/upload/multipart")
                        ? "storage-cdn-multipart" : path.hasSuffix("/files/upload") ? "storage-cdn-upload" : nil
                if step == mutated { return HTTPResponse(status: 200, body: body) }
                if let step { return try fixtureResponse(step) }
                return HTTPResponse(status: 200, headers: ["ETag": "\"e\""])
            }.client
            var options = FalUploadOptions(repositories: [.cdn])
            if multipart { options.multipartThreshold = 0 }
            _ = try await client.upload(
                .data(Data("RIFF".utf8), fileName: "take.wav", contentType: "audio/wav"), options: options)
        }
    }

    /// Fetches the keys, then checks a delivery signed (with the fake scheme) by the first usable one.
    static func prices(_ client: FalClient, _: Data) async throws {
        let prices = try await client.modelPrices(for: ["fal-ai/flux/dev"])
        _ = prices.values.map(\.price)
    }

    static func keys(_ client: FalClient, _: Data) async throws {
        let keys = try await client.webhookKeys()
        guard let key = keys.ed25519PublicKeys.first else { return }
        let body = try fixture("webhook-ok")
        let delivery = try FalWebhook.event(
            body: body, headers: FalWebhookTests.signed(body, key: key), keys: keys, verifier: FakeVerifier(),
            now: FalWebhookTests.now)
        _ = delivery.status
    }

    static func delivery(_: FalClient, _ body: Data) async throws {
        let headers = FalWebhookTests.signed(body)
        let keys = FalWebhookTests.keySet(FalWebhookTests.keyA)
        let delivery = try FalWebhook.event(
            body: body, headers: headers, keys: keys, verifier: FakeVerifier(), now: FalWebhookTests.now)
        let verifier = FalWebhookVerifier(keys: keys, verifier: FakeVerifier())
        guard try await verifier.event(body: body, headers: headers, now: FalWebhookTests.now) == delivery else {
            throw Disagreement()
        }
        _ = (delivery.status, delivery.outputs)
        // Without a payload there is nothing to decode (`payload(as:)` says so, with no snippet).
        if delivery.status == .succeeded, delivery.payload != nil {
            _ = try delivery.payload(as: BeatovenOutput.self).audio.url
        }
    }

    /// The mutated header fixture as a delivery's headers (or, when it is no longer a map of
    /// strings, as its signature): every outcome is a rejection, never a crash or a pass.
    static func signatureHeaders(_: FalClient, _ mutated: Data) async throws {
        var headers = try headers(fromFixture: "webhook-ok-headers")
        if let map = try? JSONDecoder().decode([String: String].self, from: mutated) {
            headers = HTTPHeaders()
            for (name, value) in map.sorted(by: { $0.key < $1.key }) { headers.append(name: name, value: value) }
        } else {
            headers[FalWebhook.signatureHeader] = String(decoding: mutated, as: UTF8.self)
        }
        let keys = try JSONReader().decode(FalJSONWebKeySet.self, from: fixture("jwks"))
        try FalWebhook.verify(
            body: try fixture("webhook-ok"), headers: headers, keys: keys, verifier: FakeVerifier(),
            now: FalWebhookTests.now)
    }

    static let targets: [Target] = {
        var targets: [Target] = []
        func add(
            _ fixture: String, _ route: DecoderFuzzTally.Route, _ call: String, _ pristine: String = "decoded",
            run: @escaping @Sendable (FalClient, Data) async throws -> Void
        ) {
            targets.append(Target(fixture: fixture, route: route, call: call, pristine: pristine, run: run))
        }
        let statuses = [
            ("status-in-queue", 202), ("status-in-progress", 202), ("status-completed", 200),
            ("status-completed-error", 200), ("status-completed-error-null-logs", 200),
            ("status-completed-cancelled", 200), ("status-unknown", 200),
        ]
        for (name, status) in statuses {
            add(name, .answer(status: status), "status, task", run: poll)
        }
        for name in ["submit-response", "submit-response-id-only", "submit-response-with-status"] {
            add(name, .answer(status: 200), "submit", run: submit)
        }
        for name in ["beatoven-output", "beatoven-output-seed"] {
            add(name, .answer(status: 200), "result", run: result)
        }
        for (name, status) in [
            ("cancel-ok", 200), ("cancel-requested", 202), ("cancel-already-completed", 400), ("cancel-not-found", 404),
        ] {
            add(name, .answer(status: status), "cancelRequest", run: cancel)
        }
        for (name, status, kind) in [
            ("error-detail-plain", 401, "authentication"), ("error-detail-string", 400, "invalidRequest"),
            ("error-validation-list", 422, "invalidRequest"), ("error-validation-nested", 422, "invalidRequest"),
        ] {
            add(name, .answer(status: status), "status", kind, run: poll)
            add(name, .answer(status: status), "submit", kind, run: submit)
        }
        // fal's typed errors: a retryable status on a submit that reached fal is an unknown outcome.
        for (name, status, pollKind, submitKind) in [
            ("error-request-typed", 504, "timeout", "outcomeUnknown"),
            ("error-model-typed", 422, "invalidRequest", "invalidRequest"),
            ("error-model-general", 500, "server", "outcomeUnknown"),
        ] {
            add(name, .answer(status: status), "status", pollKind, run: poll)
            add(name, .answer(status: status), "submit", submitKind, run: submit)
        }
        for name in ["pricing", "pricing-empty"] {
            add(name, .answer(status: 200), "modelPrices", run: prices)
        }
        for name in ["jwks", "jwks-rotated"] {
            add(name, .answer(status: 200), "webhookKeys", run: keys)
        }
        add("storage-initiate", .answer(status: 200), "upload", run: upload)
        for name in ["storage-cdn-token", "storage-cdn-token-expired"] {
            add(name, .answer(status: 200), "upload", run: uploadToCDN(mutating: "storage-cdn-token"))
        }
        add("storage-cdn-upload", .answer(status: 200), "upload", run: uploadToCDN(mutating: "storage-cdn-upload"))
        add(
            "storage-cdn-multipart", .answer(status: 200), "upload",
            run: uploadToCDN(mutating: "storage-cdn-multipart", multipart: true))
        for name in ["webhook-ok", "webhook-error", "webhook-payload-error"] {
            add(name, .delivery(), "FalWebhook.event", run: delivery)
        }
        add(
            "webhook-ok-headers", .delivery(allowedKinds: ["invalidSignature"]), "FalWebhook.verify",
            "invalidSignature", run: signatureHeaders)
        return targets
    }()

    /// The client, over a transport answering every request with `body`.
    static func client(answering body: Data, route: DecoderFuzzTally.Route) -> FalClient {
        guard case .answer(let status) = route else { return FalHarness { _ in HTTPResponse(status: 500) }.client }
        let headers: HTTPHeaders = ["Content-Type": "application/json", "x-fal-request-id": requestID]
        return FalHarness { _ in HTTPResponse(status: status, headers: headers, body: body) }.client
    }

    static let campaign = DecoderFuzzCampaign(
        provider: "fal", seed: seed, minimumMutations: minimumMutations, targets: targets,
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

/// `FalWebhookVerifier` and `FalWebhook` read one delivery differently.
private struct Disagreement: Error {}
