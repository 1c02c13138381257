import Dispatch
import Foundation
import Testing

@testable import MediaGenCore

struct DigestVector: Sendable, CustomTestStringConvertible {
    let name: String
    let message: Data
    let digest: String
    var testDescription: String { name }
}

struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: Data
    let message: Data
    /// Expected MAC in hex; shorter than 64 digits when the source truncates it.
    let mac: String
    var testDescription: String { name }
}

private func repeated(_ byte: UInt8, _ count: Int) -> Data {
    Data(repeating: byte, count: count)
}

struct SecureHashTests {
    // MARK: SHA-256

    // FIPS 180-2 Appendix B and NIST's "SHA256.pdf" / "SHA2_Additional.pdf" example values;
    // the empty message is NIST CAVP SHA256ShortMsg.rsp, Len = 0.
    static let nistVectors: [DigestVector] = [
        DigestVector(
            name: "empty (CAVP Len = 0)", message: Data(),
            digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        DigestVector(
            name: "abc (FIPS 180-2 B.1)", message: Data("abc".utf8),
            digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        DigestVector(
            name: "448 bits (FIPS 180-2 B.2)",
            message: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        DigestVector(
            name: "896 bits (NIST SHA2 examples)",
            message: Data(
                ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
            digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        DigestVector(
            name: "one million a (FIPS 180-2 B.3)", message: repeated(UInt8(ascii: "a"), 1_000_000),
            digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: nistVectors)
    func sha256MatchesNISTVectors(_ vector: DigestVector) {
        #expect(SecureHash.sha256(vector.message).hexEncodedString == vector.digest)
        #expect(SecureHash.portableSHA256(vector.message).hexEncodedString == vector.digest)
    }

    // Lengths either side of the point where padding spills into an extra block (55/56) and of
    // the block and two-block sizes. Expected digests from coreutils `sha256sum`.
    static let paddingBoundaryVectors: [DigestVector] = [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ].map { DigestVector(name: "\($0.0) × a", message: repeated(UInt8(ascii: "a"), $0.0), digest: $0.1) }

    @Test(arguments: paddingBoundaryVectors)
    func sha256PadsCorrectlyAtBlockBoundaries(_ vector: DigestVector) {
        #expect(SecureHash.portableSHA256(vector.message).hexEncodedString == vector.digest)
    }

    @Test func sha256IsIndependentOfHowTheInputIsSplit() {
        let message = Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let expected = SecureHash.portableSHA256(message)
        for first in 0...message.count {
            for second in [first, min(first + 1, message.count), min(first + 64, message.count)] {
                var hasher = SHA256Hasher()
                hasher.update(message[..<first])
                hasher.update(message[first..<second])
                hasher.update(message[second...])
                #expect(hasher.finalize() == expected, "split at \(first) and \(second)")
            }
        }
    }

    @Test func sha256ReadsNonContiguousInputAcrossRegions() {
        let message = Data((0..<300).map { UInt8(truncatingIfNeeded: $0) })
        var regions = DispatchData.empty
        for range in [0..<1, 1..<70, 70..<128, 128..<129, 129..<300] {
            message[range].withUnsafeBytes { regions.append($0) }
        }
        #expect(regions.regions.count > 1)
        #expect(SecureHash.sha256(regions) == SecureHash.sha256(message))
        #expect(SecureHash.portableSHA256(regions) == SecureHash.portableSHA256(message))
    }

    @Test func finalizeLeavesTheHasherReusable() {
        var hasher = SHA256Hasher()
        hasher.update(Data("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Data("c".utf8))
        #expect(hasher.finalize() == SecureHash.sha256(Data("abc".utf8)))
    }

    // MARK: SHA-512

    // FIPS 180-2 Appendix C and NIST's "SHA512.pdf" / "SHA2_Additional.pdf" example values; the
    // empty message is NIST CAVP SHA512ShortMsg.rsp, Len = 0.
    static let sha512NISTVectors: [DigestVector] = [
        DigestVector(
            name: "empty (CAVP Len = 0)", message: Data(),
            digest:
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
        DigestVector(
            name: "abc (FIPS 180-2 C.1)", message: Data("abc".utf8),
            digest:
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        DigestVector(
            name: "448 bits (NIST SHA2 examples)",
            message: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            digest:
                "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
        ),
        DigestVector(
            name: "896 bits (FIPS 180-2 C.2)",
            message: Data(
                ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
            digest:
                "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        ),
        DigestVector(
            name: "one million a (FIPS 180-2 C.3)", message: repeated(UInt8(ascii: "a"), 1_000_000),
            digest:
                "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        ),
    ]

    @Test(arguments: sha512NISTVectors)
    func sha512MatchesNISTVectors(_ vector: DigestVector) {
        #expect(SecureHash.sha512(vector.message).hexEncodedString == vector.digest)
        #expect(SecureHash.portableSHA512(vector.message).hexEncodedString == vector.digest)
    }

    // Lengths either side of the point where SHA-512's padding spills into an extra block
    // (111/112) and of the block and two-block sizes. Expected digests from coreutils `sha512sum`.
    static let sha512PaddingBoundaryVectors: [DigestVector] = [
        (
            111,
            "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2"
        ),
        (
            112,
            "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca"
        ),
        (
            127,
            "828613968b501dc00a97e08c73b118aa8876c26b8aac93df128502ab360f91bab50a51e088769a5c1eff4782ace147dce3642554199876374291f5d921629502"
        ),
        (
            128,
            "b73d1929aa615934e61a871596b3f3b33359f42b8175602e89f7e06e5f658a243667807ed300314b95cacdd579f3e33abdfbe351909519a846d465c59582f321"
        ),
        (
            129,
            "4f681e0bd53cda4b5a2041cc8a06f2eabde44fb16c951fbd5b87702f07aeab611565b19c47fde30587177ebb852e3971bbd8d3fd30da18d71037dfbd98420429"
        ),
        (
            239,
            "52c853cb8d907f3d4d6b889beb027985d7c273486d75f8baf26f80d24e90c74c6c3de3e22131582380a7d14d43f2941a31385439cd6ddc469f628015e50bf286"
        ),
        (
            240,
            "4c296d90c61052a62ffb1dd196f1b7b09373b1f93e71836baebf89690546b7595684dbe9467a8e484fa0d1094272b4344a7c24f5fee8daedeb0bf549c985ab5f"
        ),
    ].map { DigestVector(name: "\($0.0) × a", message: repeated(UInt8(ascii: "a"), $0.0), digest: $0.1) }

    @Test(arguments: sha512PaddingBoundaryVectors)
    func sha512PadsCorrectlyAtBlockBoundaries(_ vector: DigestVector) {
        #expect(SecureHash.portableSHA512(vector.message).hexEncodedString == vector.digest)
    }

    @Test func sha512IsIndependentOfHowTheInputIsSplit() {
        let message = Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        let expected = SecureHash.portableSHA512(message)
        for first in 0...message.count {
            for second in [first, min(first + 1, message.count), min(first + 128, message.count)] {
                var hasher = SHA512Hasher()
                hasher.update(message[..<first])
                hasher.update(message[first..<second])
                hasher.update(message[second...])
                #expect(hasher.finalize() == expected, "split at \(first) and \(second)")
            }
        }
    }

    @Test func sha512ReadsNonContiguousInputAcrossRegions() {
        let message = Data((0..<300).map { UInt8(truncatingIfNeeded: $0) })
        var regions = DispatchData.empty
        for range in [0..<1, 1..<130, 130..<256, 256..<257, 257..<300] {
            message[range].withUnsafeBytes { regions.append($0) }
        }
        #expect(regions.regions.count > 1)
        #expect(SecureHash.sha512(regions) == SecureHash.sha512(message))
        #expect(SecureHash.portableSHA512(regions) == SecureHash.portableSHA512(message))
    }

    // MARK: HMAC-SHA256

    // RFC 4231 §4.2–4.8, HMAC-SHA-256 results.
    static let rfc4231Vectors: [HMACVector] = [
        HMACVector(
            name: "RFC 4231 test case 1", key: repeated(0x0b, 20), message: Data("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(
            name: "RFC 4231 test case 2", key: Data("Jefe".utf8),
            message: Data("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(
            name: "RFC 4231 test case 3", key: repeated(0xaa, 20), message: repeated(0xdd, 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(
            name: "RFC 4231 test case 4", key: Data(1...25), message: repeated(0xcd, 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        // The RFC gives only the first 128 bits for this case.
        HMACVector(
            name: "RFC 4231 test case 5 (truncated to 128 bits)", key: repeated(0x0c, 20),
            message: Data("Test With Truncation".utf8),
            mac: "a3b6167473100ee06e0c796c2955552b"),
        HMACVector(
            name: "RFC 4231 test case 6", key: repeated(0xaa, 131),
            message: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(
            name: "RFC 4231 test case 7", key: repeated(0xaa, 131),
            message: Data(
                ("This is a test using a larger than block-size key and a larger than block-size data."
                    + " The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    // Keys at the edges of the block size, which RFC 4231 does not exercise.
    // Expected values from Python's `hmac.new(key, message, hashlib.sha256)`.
    static let keyLengthVectors: [HMACVector] = [
        HMACVector(
            name: "empty key and message", key: Data(), message: Data(),
            mac: "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
        HMACVector(
            name: "64-byte key, used as is", key: repeated(UInt8(ascii: "k"), 64), message: Data("m".utf8),
            mac: "3b7a8d453e76edb519238a515105a57508d0f169f480ebeee120a9e7803289fa"),
        HMACVector(
            name: "65-byte key, hashed first", key: repeated(UInt8(ascii: "k"), 65), message: Data("m".utf8),
            mac: "c2d7d4c2256ddb097409ec0c67e1d58fa1a007fc6932cac0d892a525d08af7cc"),
    ]

    @Test(arguments: rfc4231Vectors)
    func hmacMatchesRFC4231(_ vector: HMACVector) {
        expectMAC(vector)
    }

    @Test(arguments: keyLengthVectors)
    func hmacPadsShortKeysAndHashesLongOnes(_ vector: HMACVector) {
        expectMAC(vector)
    }

    private func expectMAC(_ vector: HMACVector, sourceLocation: SourceLocation = #_sourceLocation) {
        let mac = SecureHash.hmacSHA256(key: vector.key, message: vector.message)
        let portableMAC = SecureHash.portableHMACSHA256(key: vector.key, message: vector.message)
        #expect(mac.count == 32, sourceLocation: sourceLocation)
        #expect(mac.hexEncodedString.hasPrefix(vector.mac), sourceLocation: sourceLocation)
        #expect(portableMAC == mac, sourceLocation: sourceLocation)
    }

    // MARK: Hex

    @Test func hexRoundTripsEveryByteValue() {
        let bytes = Data(0...255)
        let hex = bytes.hexEncodedString
        #expect(hex.count == 512)
        #expect(hex.hasPrefix("000102"))
        #expect(hex.hasSuffix("fdfeff"))
        #expect(Data(hexEncoded: hex) == bytes)
        #expect(Data(hexEncoded: hex.uppercased()) == bytes)
    }

    @Test func hexDecodingAcceptsMixedCaseAndEmptyText() {
        #expect(Data(hexEncoded: "DEADbeef") == Data([0xde, 0xad, 0xbe, 0xef]))
        #expect(Data(hexEncoded: "sig=00ff".dropFirst(4)) == Data([0x00, 0xff]))
        #expect(Data(hexEncoded: "") == Data())
    }

    @Test(arguments: ["abc", "0", "zz", "0g", "g0", " 00", "00 ", "0x00", "+1", "éé", "٠٠"])
    func hexDecodingRejectsMalformedText(_ text: String) {
        #expect(Data(hexEncoded: text) == nil)
    }

    // MARK: Base64url

    // RFC 4648 §10 test vectors, whose output is the same in both alphabets, with and without
    // the padding §5 lets base64url omit.
    static let rfc4648Vectors: [(text: String, encoded: String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: rfc4648Vectors)
    func base64URLDecodesWithAndWithoutPadding(_ text: String, _ encoded: String) {
        let unpadded = encoded.replacingOccurrences(of: "=", with: "")
        #expect(Data(base64URLEncoded: encoded) == Data(text.utf8))
        #expect(Data(base64URLEncoded: unpadded) == Data(text.utf8))
        #expect(Data(base64URLEncoded: Substring(unpadded)) == Data(text.utf8))
    }

    @Test func base64URLDecodesTheURLSafeAlphabet() {
        // 0xfb 0xff is "+/8=" in standard base64.
        #expect(Data(base64URLEncoded: "-_8") == Data([0xfb, 0xff]))
        #expect(Data(base64URLEncoded: "-_8=") == Data([0xfb, 0xff]))
        // RFC 8037 Appendix A.2: the "x" of the Ed25519 JWK is RFC 8032 §7.1 TEST 1's public key.
        let key = Data(base64URLEncoded: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        #expect(key?.hexEncodedString == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    }

    @Test(arguments: [
        "Z", "Zm9vY", "Zg=", "Zg===", "Zm9=v", "Z=g=", "====", "=",
        "+/8=", "Zm/v", "Zm9 v", "Zm9v\n", "Zh", "Zm9", "Zm9vYh==", "Zg==Zg==",
    ])
    func base64URLRejectsMalformedText(_ text: String) {
        #expect(Data(base64URLEncoded: text) == nil)
    }

    // MARK: Constant-time comparison

    static let comparisons: [(lhs: [UInt8], rhs: [UInt8], equal: Bool)] = [
        ([], [], true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 3], [9, 2, 3], false),
        ([1, 2, 3], [1, 2, 9], false),
        ([1, 2, 3], [1, 2], false),
        ([1, 2], [1, 2, 3], false),
        ([], [0], false),
        ([0], [], false),
    ]

    @Test(arguments: comparisons)
    func constantTimeEqualsMatchesByteEquality(_ lhs: [UInt8], _ rhs: [UInt8], _ equal: Bool) {
        #expect(SecureHash.constantTimeEquals(lhs, rhs) == equal)
        #expect(SecureHash.constantTimeEquals(Data(lhs), rhs) == equal)
        #expect(SecureHash.constantTimeEquals(Data(lhs), Data(rhs)) == equal)
    }

    // MARK: Signature verifiers

    #if !canImport(CryptoKit)
        @Test func platformDefaultVerifierIsTheBuiltInEd25519WithoutCryptoKit() {
            #expect(SignatureVerifiers.platformDefault is Ed25519Verifier)
        }
    #endif

    #if canImport(CryptoKit)
        // RFC 8032 §7.1 TEST 1: the empty message.
        @Test func cryptoKitVerifierChecksRFC8032Signature() throws {
            let verifier = SignatureVerifiers.platformDefault
            #expect(!(verifier is Ed25519Verifier))
            let publicKey = try #require(
                Data(hexEncoded: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
            let signature = try #require(
                Data(
                    hexEncoded:
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
                ))
            #expect(try verifier.isValidEd25519Signature(signature, for: Data(), publicKey: publicKey))
            #expect(try !verifier.isValidEd25519Signature(signature, for: Data("x".utf8), publicKey: publicKey))
            #expect(try !verifier.isValidEd25519Signature(signature.prefix(63), for: Data(), publicKey: publicKey))
            #expect(throws: (any Error).self) {
                try verifier.isValidEd25519Signature(signature, for: Data(), publicKey: publicKey.prefix(31))
            }
        }
    #endif
}
