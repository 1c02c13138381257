import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Hostile or careless input that must be refused with a typed error before anything is sent or
/// written: blank webhook secrets, non-finite numbers in a JSON body, download URLs that are not
/// http(s).
@Suite("Hostile input")
struct HostileInputTests {
    static let provider = Provider("hooks", displayName: "Hooks Test", apiKeyEnvironmentVariable: nil)
    static let message = Data(#"{"id":"pred_1","status":"succeeded"}"#.utf8)

    // MARK: Webhook secrets

    /// Blank secrets, each with the signature anyone can compute from it.
    static let blankSecrets = ["", " ", "\t", "\n", "  \r\n  "]

    @Test(arguments: blankSecrets)
    func aBlankSecretIsRefusedEvenWithTheSignatureItWouldGive(secret: String) {
        // HMAC keyed with an empty (or blank) secret is computable by anyone: a forger's signature.
        let forged = SecureHash.hmacSHA256(key: Data(secret.utf8), message: Self.message)
            .map { String(format: "%02x", $0) }.joined()
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkHMACSHA256(
                signatureHex: forged, secret: secret, message: Self.message, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.provider == Self.provider)
        #expect(error?.message.contains("secret") == true)
    }

    // MARK: Non-finite numbers in JSON bodies

    struct Leaf: Encodable, Sendable {
        var weight: Double
    }

    struct Body: Encodable, Sendable {
        var name = "x"
        var ratio: Double = 1
        var gain: Float = 1
        var leaves: [Leaf] = []
        var options: [String: Double] = [:]
    }

    struct NonFiniteCase: Sendable, CustomTestStringConvertible {
        let label: String
        let body: Body
        let field: String
        var testDescription: String { label }
    }

    static let nonFiniteCases: [NonFiniteCase] = [
        NonFiniteCase(label: "NaN", body: Body(ratio: .nan), field: "ratio"),
        NonFiniteCase(label: "+infinity", body: Body(ratio: .infinity), field: "ratio"),
        NonFiniteCase(label: "-infinity", body: Body(ratio: -.infinity), field: "ratio"),
        NonFiniteCase(label: "Float infinity", body: Body(gain: .infinity), field: "gain"),
        NonFiniteCase(label: "signalling NaN", body: Body(gain: .signalingNaN), field: "gain"),
        NonFiniteCase(
            label: "in an array", body: Body(leaves: [Leaf(weight: 1), Leaf(weight: .nan)]), field: "leaves[1].weight"
        ),
        NonFiniteCase(
            label: "in a dictionary", body: Body(options: ["style_weight": .infinity]), field: "options.style_weight"),
    ]

    @Test(arguments: nonFiniteCases)
    func aNonFiniteNumberIsRefusedNamingItsField(_ example: NonFiniteCase) async throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200, body: Data("{}".utf8)) }
        let error = await mediaError {
            try await harness.executor.send(
                APIRequest(.post, .path(["tasks"]), body: try harness.executor.jsonBody(example.body)))
        }
        let refused = try #require(error)
        #expect(refused.kind.field == example.field)
        #expect(refused.provider == .acme)
        #expect(refused.message.contains("finite"))
        #expect(harness.attempts == 0)
    }

    static let nonFiniteJSON: [(String, JSONValue, String)] = [
        ("NaN at the top of an object", ["seed": 1, "cfg": .number(.nan)], "cfg"),
        ("NaN from a Double", ["params": ["cfg": .number(Decimal(Double.nan))]], "params.cfg"),
        ("NaN in an array", ["list": [1, .number(.nan)]], "list[1]"),
    ]

    @Test(arguments: nonFiniteJSON)
    func aNaNInAJSONValueBodyIsRefusedNamingItsField(_ label: String, _ body: JSONValue, _ field: String) async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200, body: Data("{}".utf8)) }
        let error = await mediaError {
            try await harness.executor.send(
                APIRequest(.post, .path(["tasks"]), body: try harness.executor.jsonBody(body)))
        }
        #expect(error?.kind.field == field)
        #expect(harness.attempts == 0)
    }

    @Test func finiteExtremesStillEncode() throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200, body: Data("{}".utf8)) }
        let body = Body(ratio: .greatestFiniteMagnitude, gain: -.leastNonzeroMagnitude)
        _ = try harness.executor.jsonBody(body)
        _ = try harness.executor.jsonBody(["cfg": .number(Decimal(0.5))] as JSONValue)
    }

    @Test func theWordNaNInsideStringsIsSentAsIs() throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200, body: Data("{}".utf8)) }
        let body: JSONValue = [
            "prompt": "NaN, [NaN]: {NaN} — \"NaN\"", "NaN": ["NaN", "a\\\"NaN"],
            "file": .string("data:audio/wav;base64,QUFBNaNBQUFB,NaN]"), "seed": 7,
        ]
        guard case .json(let data) = try harness.executor.jsonBody(body) else {
            Issue.record("not a JSON body")
            return
        }
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == body)
    }

    // MARK: Download URLs

    static let notDownloadable = [
        "file:///etc/passwd",
        "ftp://cdn.example.com/out.mp4",
        "data:audio/wav;base64,UklGRg==",
        "javascript:alert(1)",
        "gopher://cdn.example.com/out.mp4",
        "https:///no-host.mp4",
        "https:no-host.mp4",
    ]

    @Test(arguments: notDownloadable)
    func aDownloadFromANonHTTPURLIsRefusedBeforeAnyIO(_ link: String) async throws {
        let url = try #require(URL(string: link))
        let stub = StubTransport { _ in HTTPResponse(status: 200, body: Data("secret file".utf8)) }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("HostileInputTests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let error = await mediaError {
            try await RemoteFile(url: url).download(
                to: folder.appendingPathComponent("out/"),
                configuration: ClientConfiguration(transport: stub, clock: ImmediateClock()))
        }
        let refused = try #require(error)
        #expect(refused.kind.field == "url")
        #expect(stub.requests.isEmpty)
        // Not even the destination folder was made.
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    // MARK: Webhook URLs

    static let webhookURLs: [(String, Bool)] = [
        ("https://app.example.com/hooks", true),
        ("HTTPS://APP.EXAMPLE.COM/hooks?team=a+b", true),
        ("http://localhost:8080/hooks", true),
        ("http://LOCALHOST./hooks", true),
        ("http://127.0.0.1/hooks", true),
        ("http://127.255.0.9:3000/hooks", true),
        ("http://[::1]:9000/hooks", true),
        ("http://example.com/hooks", false),
        ("http://10.0.0.1/hooks", false),
        ("http://169.254.169.254/latest/meta-data", false),
        ("http://127.0.0.1.nip.io/hooks", false),
        ("http://localhost.example.com/hooks", false),
        ("http://127.1/hooks", false),
        ("http://127.0.0.256/hooks", false),
        ("http://[::ffff:127.0.0.1]/hooks", false),
        ("ftp://app.example.com/hooks", false),
        ("file:///var/run/hooks.sock", false),
        ("javascript:alert(1)", false),
        ("https:///hooks", false),
        ("https:hooks", false),
        ("https://user:pass@app.example.com/hooks", false),
        ("https://token@app.example.com/hooks", false),
        ("https://@app.example.com/hooks", false),
        ("http://user:pass@localhost/hooks", false),
    ]

    @Test(arguments: webhookURLs)
    func webhookURLsMustBeHTTPSOrLoopbackHTTPWithoutCredentials(_ link: String, _ accepted: Bool) throws {
        let url = try #require(URL(string: link))
        if accepted {
            try URLPolicy.checkWebhookURL(url, field: "webhookURL", provider: Self.provider)
            return
        }
        let refused = try #require(
            #expect(throws: MediaGenError.self) {
                try URLPolicy.checkWebhookURL(url, field: "webhookURL", provider: Self.provider)
            })
        #expect(refused.kind.field == "webhookURL")
        #expect(refused.provider == Self.provider)
        // Never the user, password, path or query.
        #expect(!refused.description.contains("@"))
        #expect(!refused.description.contains("user:"))
        #expect(!refused.description.contains("token"))
        #expect(!refused.description.contains("/hooks"))
    }

    // MARK: Signed ids and secrets

    @Test func aSignedIDIsCheckedOnlyWhenOneIsExpected() throws {
        try WebhookVerification.checkSignedID("req_1", expected: nil, name: "request id", provider: Self.provider)
        try WebhookVerification.checkSignedID("req_1", expected: "req_1", name: "request id", provider: Self.provider)
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkSignedID(
                "req_1", expected: "req_2", name: "request id", provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("request id `req_1`, not the expected `req_2`") == true)
        #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkSignedID("req_1", expected: " ", name: "request id", provider: Self.provider)
        }
    }

    @Test(arguments: [nil, "", " \t"] as [String?])
    func aMissingSecretIsRefusedWithoutEchoingAnything(secret: String?) {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkSecret(secret, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.description.contains("Hooks Test") == true)
    }
}
