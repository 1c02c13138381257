import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// A stand-in signature scheme for unit tests: the "signature" of a message under a key is
/// SHA-256(key ‖ message) ‖ SHA-256(message ‖ key). It checks which message and key we verify
/// with, exactly; real Ed25519 is checked with `PythonEd25519Verifier`.
struct FakeVerifier: SignatureVerifier {
    let calls = Locked(0)

    static func sign(_ message: Data, key: Data) -> Data {
        SecureHash.sha256(key + message) + SecureHash.sha256(message + key)
    }

    func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
        calls.withLock { $0 += 1 }
        guard publicKey.count == 32 else { throw CocoaError(.coderInvalidValue) }
        return signature == Self.sign(message, key: publicKey)
    }
}

@Suite("fal webhooks")
struct FalWebhookTests {
    static let keyA = Data(repeating: 0xA1, count: 32)
    static let keyB = Data(repeating: 0xB2, count: 32)
    static let now = Date(timeIntervalSince1970: 1_772_359_221)

    static func keySet(_ keys: Data...) -> FalJSONWebKeySet {
        FalJSONWebKeySet(
            keys: keys.map { key in
                let x = key.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                return .init(kty: "OKP", crv: "Ed25519", x: x)
            })
    }

    /// A delivery signed as fal signs it, with the fake scheme.
    static func signed(_ body: Data, key: Data = keyA, timestamp: Date = now, requestID: String = requestID)
        -> HTTPHeaders
    {
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        let message = Data(
            "\(requestID)\ntest-fal-id\n\(stamp)\n\(SecureHash.sha256(body).map { String(format: "%02x", $0) }.joined())"
                .utf8)
        return [
            "X-Fal-Webhook-Request-Id": requestID, "X-Fal-Webhook-User-Id": "test-fal-id",
            "X-Fal-Webhook-Timestamp": stamp,
            "X-Fal-Webhook-Signature": FakeVerifier.sign(message, key: key).map { String(format: "%02x", $0) }.joined(),
        ]
    }

    // MARK: - Decoding

    @Test func anOKDeliveryDecodesItsPayloadAsTheAppsOutput() throws {
        let delivery = try FalWebhook.decode(fixture("webhook-ok"))
        #expect(delivery.requestID == requestID)
        #expect(delivery.gatewayRequestID == requestID)
        #expect(delivery.rawStatus == "OK")
        #expect(delivery.status == .succeeded)
        let music = try delivery.payload(as: BeatovenOutput.self)
        #expect(music.audio.fileSize == 5_292_044)
        #expect(delivery.outputs.map(\.contentType) == ["audio/wav"])
    }

    @Test(arguments: [
        ("webhook-error", TaskFailure(code: "runner_server_error", message: "Invalid status code: 500")),
        ("webhook-payload-error", TaskFailure(message: "Invalid status code: 422")),
    ])
    func anErrorDeliveryIsAFailedRequest(fixtureName: String, failure: TaskFailure) throws {
        let delivery = try FalWebhook.decode(fixture(fixtureName))
        #expect(delivery.rawStatus == "ERROR")
        #expect(delivery.status == .failed(failure))
        #expect(delivery.outputs.isEmpty)
    }

    @Test func aPayloadErrorIsKept() throws {
        let delivery = try FalWebhook.decode(fixture("webhook-payload-error"))
        #expect(delivery.payloadError == "Response payload is not JSON serializable")
        #expect(delivery.payload == nil)
        #expect(throws: MediaGenError.self) { try delivery.payload(as: BeatovenOutput.self) }
    }

    @Test func aBodyThatIsNoDeliveryIsADecodingError() {
        let error = #expect(throws: MediaGenError.self) { try FalWebhook.decode(Data(#"{"hello": 1}"#.utf8)) }
        guard case .decoding = error?.kind else {
            Issue.record("expected a decoding error")
            return
        }
    }

    // MARK: - Signatures with keys the caller supplies

    @Test func theSignedMessageIsIdUserTimestampAndBodyDigestOnLines() {
        let message = FalWebhook.signedMessage(
            body: Data("abc".utf8), requestID: "r1", userID: "u1", timestamp: "1700000000")
        #expect(
            String(decoding: message, as: UTF8.self)
                == "r1\nu1\n1700000000\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aDeliverySignedByAnyKeyOfTheSetIsAccepted() throws {
        let body = try fixture("webhook-ok")
        let verifier = FakeVerifier()
        let delivery = try FalWebhook.event(
            body: body, headers: Self.signed(body, key: Self.keyB), keys: Self.keySet(Self.keyA, Self.keyB),
            verifier: verifier, now: Self.now)
        #expect(delivery.requestID == requestID)
    }

    @Test(arguments: [
        ("another key", "key"), ("a changed body", "body"), ("another request id", "id"),
        ("no signature", "missing"), ("not hex", "hex"), ("a short signature", "short"),
    ])
    func forgedDeliveriesAreRejected(_ label: String, _ variant: String) throws {
        let body = try fixture("webhook-ok")
        var headers = Self.signed(body)
        var payload = body
        switch variant {
        case "key": headers = Self.signed(body, key: Self.keyB)
        case "body":
            payload = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "OK", with: "ERROR").utf8)
        case "id": headers["X-Fal-Webhook-Request-Id"] = "another"
        case "missing": headers["X-Fal-Webhook-Signature"] = nil
        case "hex": headers["X-Fal-Webhook-Signature"] = "zz"
        default: headers["X-Fal-Webhook-Signature"] = "abcd"
        }
        let error = #expect(throws: MediaGenError.self, "\(label)") {
            try FalWebhook.verify(
                body: payload, headers: headers, keys: Self.keySet(Self.keyA), verifier: FakeVerifier(), now: Self.now)
        }
        #expect(error?.kind == .invalidSignature)
    }

    @Test(arguments: [-301, 301, 100_000])
    func staleOrFutureTimestampsAreRejected(offset: Int) throws {
        let body = try fixture("webhook-ok")
        let headers = Self.signed(body, timestamp: Self.now.addingTimeInterval(TimeInterval(offset)))
        let error = #expect(throws: MediaGenError.self) {
            try FalWebhook.verify(
                body: body, headers: headers, keys: Self.keySet(Self.keyA), verifier: FakeVerifier(), now: Self.now)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("timestamp") == true)
    }

    @Test(arguments: [-300, 0, 300])
    func timestampsWithinFiveMinutesAreAccepted(offset: Int) throws {
        let body = try fixture("webhook-ok")
        let headers = Self.signed(body, timestamp: Self.now.addingTimeInterval(TimeInterval(offset)))
        try FalWebhook.verify(
            body: body, headers: headers, keys: Self.keySet(Self.keyA), verifier: FakeVerifier(), now: Self.now)
    }

    @Test func keysThatAreNotEd25519AreSkipped() throws {
        let keys = try JSONReader().decode(FalJSONWebKeySet.self, from: fixture("jwks-rotated"))
        #expect(keys.keys.count == 2)
        #expect(keys.ed25519PublicKeys.count == 1)
        let published = try JSONReader().decode(FalJSONWebKeySet.self, from: fixture("jwks"))
        #expect(published.ed25519PublicKeys.first?.count == 32)
        let empty = FalJSONWebKeySet(keys: [.init(kty: "OKP", crv: "Ed25519", x: "not base64url!")])
        let body = try fixture("webhook-ok")
        let error = #expect(throws: MediaGenError.self) {
            try FalWebhook.verify(
                body: body, headers: Self.signed(body), keys: empty, verifier: FakeVerifier(), now: Self.now)
        }
        #expect(error?.message.contains("no Ed25519 key") == true)
    }

    // MARK: - With no verifier passed

    /// A real delivery, signed by the emulator's Ed25519 key (`webhook-ok-headers.json`), verifies
    /// with the platform's verifier — MediaGenKit's own on Linux, with no plug-in — and a changed
    /// body or request id does not.
    @Test func withoutAVerifierARealDeliveryVerifiesWithThePlatformsEd25519() throws {
        let body = try fixture("webhook-ok")
        let headers = try headers(fromFixture: "webhook-ok-headers")
        let keys = try JSONDecoder().decode(FalJSONWebKeySet.self, from: fixture("jwks"))
        let delivery = try FalWebhook.event(body: body, headers: headers, keys: keys, now: Self.now)
        #expect(delivery.requestID == requestID)
        #expect(delivery.status == .succeeded)

        var flipped = body
        flipped[flipped.startIndex + 2] ^= 0x01
        var otherRequest = headers
        otherRequest[FalWebhook.requestIDHeader] = "someone-else"
        for (payload, forged) in [(flipped, headers), (body, otherRequest)] {
            let error = #expect(throws: MediaGenError.self) {
                try FalWebhook.verify(body: payload, headers: forged, keys: keys, now: Self.now)
            }
            #expect(error?.kind == .invalidSignature)
            #expect(error?.message.contains("matches none of fal's keys") == true)
        }
    }

    @Test func withoutAVerifierTheCachingVerifierFetchesKeysAndVerifiesARealDelivery() async throws {
        let harness = FalHarness { _ in try fixtureResponse("jwks") }
        let webhooks = FalWebhookVerifier(client: harness.client)
        let body = try fixture("webhook-ok")
        let headers = try headers(fromFixture: "webhook-ok-headers")
        let delivery = try await webhooks.event(body: body, headers: headers, now: Self.now)
        #expect(delivery.status == .succeeded)
        #expect(harness.routes == ["GET https://rest.alpha.fal.ai/.well-known/jwks.json"])
    }

    /// docs.fal.ai (webhooks, "Verifying your webhook") names the key set's address; a client
    /// with another REST host (a proxy, the emulator) fetches it from there.
    @Test(arguments: [
        (nil, "https://rest.alpha.fal.ai/.well-known/jwks.json"),
        ("https://rest.fal.ai", "https://rest.alpha.fal.ai/.well-known/jwks.json"),
        ("https://fal-proxy.example.com/rest", "https://fal-proxy.example.com/rest/.well-known/jwks.json"),
    ])
    func theKeySetURLIsTheDocumentedOneUnlessTheRESTHostIsAnother(restURL: String?, expected: String) async throws {
        let transport = StubTransport { _ in try fixtureResponse("jwks") }
        let client = FalClient(
            apiKey: testKey, restURL: restURL.flatMap(URL.init(string:)),
            configuration: ClientConfiguration(transport: transport, clock: ImmediateClock()))
        #expect(client.webhookKeySetURL.absoluteString == expected)
        _ = try await client.webhookKeys()
        #expect(transport.requests.map(\.url.absoluteString) == [expected])
        #expect(transport.requests.first?.headers["Authorization"] == nil)
    }

    @Test func aKeySetURLGivenToTheVerifierIsWhereTheKeysComeFrom() async throws {
        let harness = FalHarness { _ in try fixtureResponse("jwks") }
        let pinned = try #require(URL(string: "https://keys.example.com/fal/jwks.json"))
        let webhooks = FalWebhookVerifier(client: harness.client, keySetURL: pinned)
        let delivery = try await webhooks.event(
            body: try fixture("webhook-ok"), headers: try headers(fromFixture: "webhook-ok-headers"), now: Self.now)
        #expect(delivery.status == .succeeded)
        #expect(harness.routes == ["GET https://keys.example.com/fal/jwks.json"])
        #expect(harness.requests.first?.headers["Authorization"] == nil)
    }

    @Test(arguments: ["file:///etc/jwks.json", "ftp://keys.example.com/jwks.json"])
    func aKeySetURLThatIsNotHTTPIsRefusedBeforeSending(url: String) async throws {
        let harness = FalHarness { _ in try fixtureResponse("jwks") }
        let target = try #require(URL(string: url))
        let error = await mediaError { try await harness.client.webhookKeys(from: target) }
        #expect(error?.kind.field == "keySetURL")
        #expect(harness.requests.isEmpty)
    }

    /// A verifier passed in is the one used: the fake scheme refuses fal's real signature.
    @Test func aVerifierPassedInWinsOverThePlatformsEd25519() throws {
        let body = try fixture("webhook-ok")
        let headers = try headers(fromFixture: "webhook-ok-headers")
        let keys = try JSONDecoder().decode(FalJSONWebKeySet.self, from: fixture("jwks"))
        let verifier = FakeVerifier()
        let error = #expect(throws: MediaGenError.self) {
            try FalWebhook.verify(body: body, headers: headers, keys: keys, verifier: verifier, now: Self.now)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(verifier.calls.current == 1)
    }

    // MARK: - Keys fetched by the client and cached

    /// A client whose REST host serves `keySets` in turn (the last one sticks).
    static func keyServer(_ keySets: [FalJSONWebKeySet]) -> FalHarness {
        let remaining = Locked(keySets)
        return FalHarness { _ in
            let keys = remaining.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(keys))
        }
    }

    @Test func keysAreFetchedOnceForManyDeliveriesWithoutSendingTheKey() async throws {
        let harness = Self.keyServer([Self.keySet(Self.keyA)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        for offset in 0..<5 {
            let when = Self.now.addingTimeInterval(TimeInterval(offset))
            let delivery = try await webhooks.event(
                body: body, headers: Self.signed(body, timestamp: when), now: when)
            #expect(delivery.status == .succeeded)
        }
        #expect(harness.routes == ["GET https://rest.alpha.fal.ai/.well-known/jwks.json"])
        #expect(harness.requests.first?.headers["Authorization"] == nil)
    }

    @Test func concurrentFirstDeliveriesShareOneFetch() async throws {
        let harness = Self.keyServer([Self.keySet(Self.keyA)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        let headers = Self.signed(body)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await webhooks.verify(body: body, headers: headers, now: Self.now) } }
            try await group.waitForAll()
        }
        #expect(harness.requests.count == 1)
    }

    @Test func aRotatedKeyIsFetchedOnceAndThenTrusted() async throws {
        let harness = Self.keyServer([Self.keySet(Self.keyA), Self.keySet(Self.keyB)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        try await webhooks.verify(body: body, headers: Self.signed(body), now: Self.now)
        // A minute later fal signs with a new key: one refetch finds it.
        let later = Self.now.addingTimeInterval(61)
        try await webhooks.verify(body: body, headers: Self.signed(body, key: Self.keyB, timestamp: later), now: later)
        try await webhooks.verify(body: body, headers: Self.signed(body, key: Self.keyB, timestamp: later), now: later)
        #expect(harness.requests.count == 2)
    }

    @Test func forgedDeliveriesCannotMakeTheVerifierHammerFal() async throws {
        let harness = Self.keyServer([Self.keySet(Self.keyA)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        let forged = Data(repeating: 0xEE, count: 32)
        for second in [0, 1, 2, 61, 62] {
            let when = Self.now.addingTimeInterval(TimeInterval(second))
            let error = await mediaError {
                try await webhooks.verify(
                    body: body, headers: Self.signed(body, key: forged, timestamp: when), now: when)
            }
            #expect(error?.kind == .invalidSignature)
        }
        // The first fetch, then one refetch after the interval: not one per forged delivery.
        #expect(harness.requests.count == 2)
    }

    @Test func keysOlderThanADayAreFetchedAgain() async throws {
        let harness = Self.keyServer([Self.keySet(Self.keyA)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        try await webhooks.verify(body: body, headers: Self.signed(body), now: Self.now)
        let nextDay = Self.now.addingTimeInterval(24 * 60 * 60 + 1)
        try await webhooks.verify(body: body, headers: Self.signed(body, timestamp: nextDay), now: nextDay)
        #expect(harness.requests.count == 2)
    }

    @Test func suppliedKeysAreNeverFetched() async throws {
        let webhooks = FalWebhookVerifier(keys: Self.keySet(Self.keyA), verifier: FakeVerifier())
        let body = try fixture("webhook-ok")
        let delivery = try await webhooks.event(body: body, headers: Self.signed(body), now: Self.now)
        #expect(delivery.requestID == requestID)
        let error = await mediaError {
            try await webhooks.verify(body: body, headers: Self.signed(body, key: Self.keyB), now: Self.now)
        }
        #expect(error?.kind == .invalidSignature)
    }

    // MARK: - Real Ed25519

    @Test(.enabled(if: PythonEd25519Verifier.isAvailable, "python3 is not installed"))
    func aRealSignatureVerifiesWithAnIndependentEd25519() async throws {
        let body = try fixture("webhook-ok")
        let headers = try headers(fromFixture: "webhook-ok-headers")
        let keys = try JSONReader().decode(FalJSONWebKeySet.self, from: fixture("jwks"))
        let verifier = PythonEd25519Verifier()
        let delivery = try await PythonEd25519Verifier.verifyOffPool {
            try FalWebhook.event(body: body, headers: headers, keys: keys, verifier: verifier, now: Self.now)
        }
        #expect(delivery.status == .succeeded)
        // One bit off in the body and the same signature fails.
        var flipped = body
        flipped[flipped.startIndex + 2] ^= 0x01
        let tampered = flipped
        let rejected = try await PythonEd25519Verifier.verifyOffPool { () -> MediaGenError? in
            do {
                try FalWebhook.verify(body: tampered, headers: headers, keys: keys, verifier: verifier, now: Self.now)
                return nil
            } catch let error as MediaGenError {
                return error
            }
        }
        #expect(rejected?.kind == .invalidSignature)
    }
}
