import Foundation

/// Verifies Ed25519 signatures (RFC 8032) in Swift alone: the verifier fal webhooks use where
/// CryptoKit does not exist, such as on Linux.
///
/// ```swift
/// import Foundation
/// import MediaGenCore
///
/// // RFC 8032 §7.1, TEST 1: the empty message.
/// let publicKey = Data(base64Encoded: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")!
/// let signature = Data(
///     base64Encoded: "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18Flbv"
///         + "iRlUUFDjnoQCw==")!
///
/// let verifier = Ed25519Verifier()
/// let valid = try verifier.isValidEd25519Signature(signature, for: Data(), publicKey: publicKey)
/// print(valid)  // true
/// ```
///
/// ``SignatureVerifiers/platformDefault`` is this verifier wherever CryptoKit is missing, so a
/// fal webhook verifies with no verifier passed; pass one of your own and it is used instead.
///
/// It only verifies — it never signs or holds a secret — and it is strict, as RFC 8032 allows and
/// verifiers such as libsodium's are, so that no one but the signer can turn a valid signature
/// into another valid one, and no key can be chosen to make one signature valid for many messages:
///
/// - S must be below the group order L (RFC 8032 §5.1.7): S + L satisfies the same equation, and
///   is refused.
/// - R and the key must be canonical encodings (RFC 8032 §5.1.3): y below p, and no x = 0 with
///   the sign bit set.
/// - R and the key must not be of small order (one of the eight points P with [8]P = 0): with
///   such a key, or such an R, one signature verifies for many messages or keys.
/// - The equation is the cofactorless [S]B = R + [k]A, k = SHA-512(R ‖ A ‖ M) mod L, which
///   RFC 8032 §5.1.7 names as sufficient. It agrees with the cofactored
///   [8][S]B = [8]R + [8][k]A on every signature made as §5.1.6 signs with a key made as §5.1.5
///   makes keys; the two can differ only when the key or R has a small-order component, and
///   then the cofactorless one may refuse what the cofactored one accepts.
///
/// A signature that is not 64 bytes, or fails any rule, gives `false`. A key that is not 32
/// bytes, not the encoding of a curve point, or of small order throws ``UnusableKey``: no
/// signature can be valid for it, and the caller can tell a misconfigured key from a forgery.
///
/// A verification takes about 2 ms in a debug build and 0.3 ms optimized (Linux, two shared
/// cores). Inputs are public, so the arithmetic is not constant-time; no input makes it trap.
public struct Ed25519Verifier: SignatureVerifier {
    /// Why a public key cannot verify anything.
    ///
    /// ```swift
    /// do {
    ///     _ = try Ed25519Verifier().isValidEd25519Signature(signature, for: message, publicKey: key)
    /// } catch let error as Ed25519Verifier.UnusableKey {
    ///     print(error)  // the Ed25519 public key is 31 bytes, not 32
    /// }
    /// ```
    public struct UnusableKey: Error, Sendable, CustomStringConvertible {
        /// What is wrong with the key.
        public let description: String
    }

    /// Creates a verifier; it holds no state.
    ///
    /// ```swift
    /// let verifier = Ed25519Verifier()
    /// ```
    public init() {}

    /// `true` when `signature` is a valid Ed25519 signature of `message` by `publicKey`, by
    /// RFC 8032 §5.1.7 and the strict rules above.
    ///
    /// ```swift
    /// let valid = try Ed25519Verifier().isValidEd25519Signature(signature, for: payload, publicKey: key)
    /// ```
    ///
    /// Throws ``UnusableKey`` when `publicKey` is not 32 bytes encoding a point of the curve
    /// that is not of small order.
    public func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
        let keyBytes = [UInt8](publicKey)
        guard keyBytes.count == 32 else {
            throw UnusableKey(description: "the Ed25519 public key is \(keyBytes.count) bytes, not 32")
        }
        guard let key = EdwardsPoint(decoding: keyBytes) else {
            throw UnusableKey(
                description: "the Ed25519 public key is not the encoding of a point of the curve (RFC 8032 §5.1.3)")
        }
        guard !key.hasSmallOrder else {
            throw UnusableKey(description: "the Ed25519 public key is a point of small order, which no real key is")
        }

        let signatureBytes = [UInt8](signature)
        guard signatureBytes.count == 64 else { return false }
        let encodedR = Array(signatureBytes[0..<32])
        guard let s = Scalar(canonical: Array(signatureBytes[32..<64])),
            let r = EdwardsPoint(decoding: encodedR), !r.hasSmallOrder
        else { return false }

        // k = SHA-512(dom2(F, C) ‖ R ‖ A ‖ PH(M)); for Ed25519, dom2 is empty and PH the identity.
        let k = Scalar(reducing: [UInt8](SecureHash.sha512(encodedR + keyBytes + message)))

        // [S]B = R + [k]A, checked as [S]B + [k](-A) = R.
        return EdwardsPoint.combination(s, k, -key) == r
    }
}
