import Foundation
import MediaGenTesting
import Testing

@testable import MediaGenCore

#if canImport(CryptoKit)
    import CryptoKit
#endif

/// RFC 8032 §7.1's Ed25519 test vectors (`Fixtures/Ed25519/rfc8032-section-7.1.json`).
struct RFC8032Vector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let publicKey: String
    let message: String
    let signature: String
    var testDescription: String { name }

    var key: Data { Data(hexEncoded: publicKey) ?? Data() }
    var signed: Data { Data(hexEncoded: message) ?? Data() }
    var signatureBytes: Data { Data(hexEncoded: signature) ?? Data() }
}

/// What the verifier answers: `true`, `false`, or a thrown `UnusableKey`.
enum Ed25519Verdict: String, Decodable, Sendable {
    case valid, invalid, unusableKey
}

/// A signature strict and lax verifiers disagree on (`Fixtures/Ed25519/edge-cases.json`, written
/// by `edge_cases.py` there, which says how each was built).
struct Ed25519EdgeCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let rule: String
    let publicKey: String
    let message: String
    let signature: String
    let expected: Ed25519Verdict
    /// What a verifier with none of the strict rules answers, for the record.
    let laxVerifier: Ed25519Verdict
    var testDescription: String { name }
}

struct Ed25519EdgeCases: Decodable, Sendable {
    /// The encodings of the eight points of small order.
    let smallOrderPoints: [String]
    let cases: [Ed25519EdgeCase]
}

enum Ed25519Fixtures {
    struct Missing: Error {
        let name: String
    }

    static func load<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/Ed25519")
        else { throw Missing(name: name) }
        return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
    }

    static func rfcVectors() throws -> [RFC8032Vector] {
        try load("rfc8032-section-7.1", as: [RFC8032Vector].self)
    }

    static func edgeCases() throws -> Ed25519EdgeCases {
        try load("edge-cases", as: Ed25519EdgeCases.self)
    }

    /// RFC 8032 §7.1 TEST 1, the vector the single-case tests use.
    static func test1() throws -> RFC8032Vector {
        try #require(try rfcVectors().first { $0.name == "TEST 1" })
    }

    static func smallOrderPoints() throws -> [Data] {
        try edgeCases().smallOrderPoints.map { try #require(Data(hexEncoded: $0)) }
    }
}

extension SplitMix64 {
    /// `count` seeded bytes: the same inputs on every run.
    mutating func bytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) })
    }
}

/// The built-in verifier's answer, a thrown `UnusableKey` included; any other error is an issue.
func ed25519Verdict(_ signature: Data, _ message: Data, _ publicKey: Data) -> Ed25519Verdict {
    do {
        return try Ed25519Verifier().isValidEd25519Signature(signature, for: message, publicKey: publicKey)
            ? .valid : .invalid
    } catch is Ed25519Verifier.UnusableKey {
        return .unusableKey
    } catch {
        Issue.record("Ed25519Verifier threw \(error), which is not an UnusableKey")
        return .unusableKey
    }
}

extension Data {
    /// A copy with bit `bit` of byte `index` flipped.
    func flipping(bit: Int, ofByte index: Int) -> Data {
        var copy = self
        copy[copy.startIndex + index] ^= 1 << UInt8(bit)
        return copy
    }
}

/// The built-in Ed25519 verifier through its public API: the RFC's vectors, every strict rule,
/// and hostile input.
@Suite("Ed25519 verifier")
struct Ed25519VerifierTests {
    // MARK: RFC 8032 §7.1

    @Test(arguments: try Ed25519Fixtures.rfcVectors())
    func rfc8032VectorsVerify(_ vector: RFC8032Vector) {
        #expect(ed25519Verdict(vector.signatureBytes, vector.signed, vector.key) == .valid)
    }

    // R's first and last bytes (the last holds x's sign), S's first, middle and last.
    @Test(arguments: try Ed25519Fixtures.rfcVectors(), [0, 31, 32, 47, 63])
    func aFlippedBitInTheSignatureFails(_ vector: RFC8032Vector, byte: Int) {
        for bit in [0, 7] {
            let forged = vector.signatureBytes.flipping(bit: bit, ofByte: byte)
            #expect(ed25519Verdict(forged, vector.signed, vector.key) == .invalid, "bit \(bit)")
        }
    }

    @Test(arguments: try Ed25519Fixtures.rfcVectors())
    func aFlippedBitInTheMessageFails(_ vector: RFC8032Vector) {
        let message = vector.signed
        var changed = [message + [0]]
        if !message.isEmpty {
            changed += [message.flipping(bit: 0, ofByte: 0), message.flipping(bit: 7, ofByte: message.count - 1)]
        }
        for forged in changed {
            #expect(ed25519Verdict(vector.signatureBytes, forged, vector.key) == .invalid)
        }
    }

    /// Another key either is no usable key (thrown) or does not verify; the sign bit (255) makes
    /// it -A, a valid key of its own.
    @Test(arguments: try Ed25519Fixtures.rfcVectors(), [0, 1, 100, 254, 255])
    func aFlippedBitInTheKeyNeverVerifies(_ vector: RFC8032Vector, bit: Int) {
        let key = vector.key.flipping(bit: bit % 8, ofByte: bit / 8)
        #expect(ed25519Verdict(vector.signatureBytes, vector.signed, key) != .valid)
        if bit == 255 {
            #expect(ed25519Verdict(vector.signatureBytes, vector.signed, key) == .invalid)
        }
    }

    // MARK: Strict rules

    /// S + L satisfies the same equation as S; a strict verifier accepts only S < L, so that a
    /// valid signature cannot be turned into another.
    @Test(arguments: try Ed25519Fixtures.rfcVectors())
    func sPlusLIsRefused(_ vector: RFC8032Vector) {
        let order: [UInt8] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ]
        var s = [UInt8](vector.signatureBytes.suffix(32))
        var carry = 0
        for index in 0..<32 {
            let sum = Int(s[index]) + Int(order[index]) + carry
            s[index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        #expect(carry == 0)
        let malleated = vector.signatureBytes.prefix(32) + s
        #expect(ed25519Verdict(malleated, vector.signed, vector.key) == .invalid)
    }

    /// Each case is built (see `edge_cases.py`) so that a lax verifier and the strict one differ,
    /// or to pin down a rule; the fixture names the rule.
    @Test(arguments: try Ed25519Fixtures.edgeCases().cases)
    func edgeCasesFollowTheStrictRules(_ edgeCase: Ed25519EdgeCase) throws {
        let signature = try #require(Data(hexEncoded: edgeCase.signature))
        let message = try #require(Data(hexEncoded: edgeCase.message))
        let key = try #require(Data(hexEncoded: edgeCase.publicKey))
        #expect(ed25519Verdict(signature, message, key) == edgeCase.expected, "\(edgeCase.rule)")
    }

    @Test(arguments: try Ed25519Fixtures.smallOrderPoints())
    func aSmallOrderKeyIsUnusable(_ point: Data) throws {
        let vector = try Ed25519Fixtures.test1()
        let error = #expect(throws: Ed25519Verifier.UnusableKey.self) {
            try Ed25519Verifier().isValidEd25519Signature(vector.signatureBytes, for: vector.signed, publicKey: point)
        }
        #expect(error?.description.contains("small order") == true)
    }

    @Test(arguments: try Ed25519Fixtures.smallOrderPoints())
    func aSmallOrderRIsRefused(_ point: Data) throws {
        let vector = try Ed25519Fixtures.test1()
        for s in [Data(count: 32), vector.signatureBytes.suffix(32)] {
            #expect(ed25519Verdict(point + s, vector.signed, vector.key) == .invalid)
        }
    }

    /// y + p for y = 0 … 18, with either sign: the second encodings of the points with y < 19,
    /// where those points exist. Neither a key nor an R may use one.
    @Test(arguments: 0..<19, [false, true])
    func nonCanonicalEncodingsAreRefused(y: Int, negative: Bool) throws {
        let vector = try Ed25519Fixtures.test1()
        // p + y, little-endian: p is 0xed, 0xff × 30, 0x7f; y < 19 only changes the first byte.
        var encoding = [UInt8](repeating: 0xff, count: 32)
        encoding[0] = 0xed + UInt8(y)
        encoding[31] = negative ? 0xff : 0x7f
        #expect(ed25519Verdict(vector.signatureBytes, vector.signed, Data(encoding)) == .unusableKey)
        let signature = Data(encoding) + vector.signatureBytes.suffix(32)
        #expect(ed25519Verdict(signature, vector.signed, vector.key) == .invalid)
    }

    #if canImport(CryptoKit)
        /// Fresh keys and signatures from CryptoKit verify; a changed message does not.
        @Test(arguments: [0, 1, 100, 1_000])
        func signaturesMadeByCryptoKitVerify(length: Int) throws {
            let key = Curve25519.Signing.PrivateKey()
            let message = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let signature = try key.signature(for: message)
            let publicKey = key.publicKey.rawRepresentation
            #expect(ed25519Verdict(signature, message, publicKey) == .valid)
            #expect(ed25519Verdict(signature, message + [1], publicKey) == .invalid)
        }
    #endif

    // MARK: Lengths and hostile input

    @Test(arguments: [0, 1, 32, 63, 65, 128])
    func aSignatureOfTheWrongLengthIsInvalid(length: Int) throws {
        let vector = try Ed25519Fixtures.test1()
        let signature = Data((0..<length).map { vector.signatureBytes[$0 % 64] })
        #expect(ed25519Verdict(signature, vector.signed, vector.key) == .invalid)
    }

    @Test(arguments: [0, 1, 31, 33, 64])
    func aKeyOfTheWrongLengthIsUnusable(length: Int) throws {
        let vector = try Ed25519Fixtures.test1()
        let key = Data((0..<length).map { vector.key[$0 % 32] })
        let error = #expect(throws: Ed25519Verifier.UnusableKey.self) {
            try Ed25519Verifier().isValidEd25519Signature(vector.signatureBytes, for: vector.signed, publicKey: key)
        }
        #expect(error?.description == "the Ed25519 public key is \(length) bytes, not 32")
    }

    @Test func slicesThatDoNotStartAtZeroVerify() throws {
        let vector = try Ed25519Fixtures.test1()
        let padding = Data([1, 2, 3])
        let signature = (padding + vector.signatureBytes + padding).dropFirst(3).dropLast(3)
        let key = (padding + vector.key).dropFirst(3)
        let message = (padding + Data("x".utf8)).dropFirst(3).dropLast(1)
        #expect(signature.startIndex == 3 && key.startIndex == 3)
        #expect(ed25519Verdict(signature, message, key) == .valid)
    }

    /// Random bytes of random lengths, mostly the right ones so that decoding and the equation
    /// are reached: an answer or an `UnusableKey` every time, never a trap, never `true`.
    @Test func randomInputsNeverTrapOrVerify() {
        var random = SplitMix64(seed: 0xED25_5190)
        var verdicts: [Ed25519Verdict: Int] = [:]
        for _ in 0..<3_000 {
            let keyLength = Int.random(in: 0..<10, using: &random) == 0 ? Int.random(in: 0...40, using: &random) : 32
            let signatureLength =
                Int.random(in: 0..<10, using: &random) == 0 ? Int.random(in: 0...80, using: &random) : 64
            var signature = random.bytes(signatureLength)
            if signatureLength == 64 && Bool.random(using: &random) {
                signature[63] &= 0x0f  // S below 2^252, so below L: the equation is reached
            }
            let verdict = ed25519Verdict(
                signature, random.bytes(Int.random(in: 0...200, using: &random)), random.bytes(keyLength))
            verdicts[verdict, default: 0] += 1
        }
        #expect(verdicts[.valid] == nil)
        #expect(verdicts[.invalid, default: 0] > 1_000)
        #expect(verdicts[.unusableKey, default: 0] > 1_000)
    }

    /// One to three random bytes of a valid signature, message or key changed.
    @Test func mutationsOfValidSignaturesNeverVerify() throws {
        let vectors = try Ed25519Fixtures.rfcVectors()
        var random = SplitMix64(seed: 8032)
        for round in 0..<300 {
            let vector = vectors[round % vectors.count]
            let original = [vector.signatureBytes, vector.signed, vector.key]
            var parts = original
            let part = Int.random(in: 0..<3, using: &random)
            guard !parts[part].isEmpty else { continue }
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = Int.random(in: 0..<parts[part].count, using: &random)
                parts[part][index] ^= UInt8.random(in: 1 ... .max, using: &random)
            }
            guard parts != original else { continue }  // two changes of one byte can cancel out
            #expect(ed25519Verdict(parts[0], parts[1], parts[2]) != .valid, "round \(round)")
        }
    }
}
