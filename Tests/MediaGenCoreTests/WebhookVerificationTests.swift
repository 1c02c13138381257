import Foundation
import MediaGenCore
import Testing

/// A verifier that answers a fixed verdict, to tell it apart from the platform's.
private struct FixedVerifier: SignatureVerifier {
    let verdict: Bool

    func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
        verdict
    }
}

struct WebhookVerificationTests {
    static let provider = Provider("hooks", displayName: "Hooks Test", apiKeyEnvironmentVariable: nil)
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    static let secret = "Jefe"
    static let message = Data("what do ya want for nothing?".utf8)
    static let signature = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

    // MARK: Timestamps

    @Test(arguments: [
        "1700000000", "1699999700", "1700000300", "1699999999", "1700000001", "1700000000.5",
        "  1700000000  ",
    ])
    func timestampWithinTheToleranceIsAccepted(_ timestamp: String) throws {
        try WebhookVerification.checkTimestamp(timestamp, now: Self.now, provider: Self.provider)
    }

    @Test(arguments: ["1699999699", "1700000301", "0", "1800000000"])
    func timestampOutsideTheToleranceIsRejected(_ timestamp: String) {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkTimestamp(timestamp, now: Self.now, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.provider == Self.provider)
        #expect(error?.message.contains("300 s tolerance") == true)
    }

    @Test func toleranceCanBeNarrowed() throws {
        try WebhookVerification.checkTimestamp(
            "1700000010", tolerance: .seconds(10), now: Self.now, provider: Self.provider)
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkTimestamp(
                "1699999989", tolerance: .seconds(10), now: Self.now, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("11 s from now") == true)
    }

    @Test(
        arguments: [
            nil, "", "   ", "abc", "1700000000abc", "nan", "inf", "-inf", "1,700,000,000", "-1700000000", "1.7e9",
            "0x6553f100",
        ] as [String?])
    func missingOrUnreadableTimestampIsRejected(_ timestamp: String?) {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkTimestamp(timestamp, now: Self.now, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message == "missing or unreadable timestamp")
    }

    @Test func defaultToleranceIsFiveMinutes() {
        #expect(WebhookVerification.defaultTolerance == .seconds(300))
    }

    // MARK: HMAC-SHA256

    @Test(arguments: [signature, signature.uppercased(), " \(signature) "])
    func correctSignatureIsAcceptedInEitherCase(_ signatureHex: String) throws {
        try WebhookVerification.checkHMACSHA256(
            signatureHex: signatureHex, secret: Self.secret, message: Self.message, provider: Self.provider)
    }

    @Test func signatureOfAnotherBodyIsRejected() {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkHMACSHA256(
                signatureHex: Self.signature, secret: Self.secret, message: Self.message + Data(" ".utf8),
                provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("does not match") == true)
    }

    @Test func signatureWithAnotherSecretIsRejected() {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkHMACSHA256(
                signatureHex: Self.signature, secret: "jefe", message: Self.message, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
    }

    static let wrongSignatures: [String?] = [
        nil,
        "",
        String(signature.dropLast()) + "4",  // one digit off
        String(signature.prefix(32)),  // truncated
        signature + "00",  // extended
        "0x" + signature,
        String(signature.dropLast(2)) + "zz",
        String(signature.dropLast()),  // odd length
        "sha256=" + signature,
    ]

    @Test(arguments: wrongSignatures)
    func wrongMissingOrNonHexSignatureIsRejected(_ signatureHex: String?) {
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkHMACSHA256(
                signatureHex: signatureHex, secret: Self.secret, message: Self.message, provider: Self.provider)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.provider == Self.provider)
    }

    @Test func rejectionsNeverEchoTheSecret() {
        let secret = "whsec-VERY-SECRET-123"
        let error = #expect(throws: MediaGenError.self) {
            try WebhookVerification.checkHMACSHA256(
                signatureHex: Self.signature, secret: secret, message: Self.message, provider: Self.provider)
        }
        #expect(error?.description.contains(secret) == false)
    }

    // MARK: Ed25519 verifiers

    @Test(arguments: [true, false])
    func requireVerifierReturnsTheSuppliedVerifier(_ verdict: Bool) throws {
        let verifier = try WebhookVerification.requireVerifier(FixedVerifier(verdict: verdict), provider: Self.provider)
        let fixed = try #require(verifier as? FixedVerifier)
        #expect(fixed.verdict == verdict)
        #expect(try verifier.isValidEd25519Signature(Data(), for: Data(), publicKey: Data()) == verdict)
    }

    @Test func requireVerifierWithoutOneUsesThePlatformVerifier() throws {
        let verifier = try WebhookVerification.requireVerifier(nil, provider: Self.provider)
        #if canImport(CryptoKit)
            #expect(!(verifier is Ed25519Verifier))
        #else
            // No plug-in needed on Linux: the built-in verifier, never an `.unsupported` error.
            #expect(verifier is Ed25519Verifier)
        #endif
    }
}
