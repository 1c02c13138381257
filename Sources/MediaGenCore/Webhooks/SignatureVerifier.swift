import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#endif

/// Verifies Ed25519 signatures (fal signs its webhooks with Ed25519).
///
/// ```swift
/// let verifier = SignatureVerifiers.platformDefault  // CryptoKit, or the built-in Ed25519Verifier
/// let valid = try verifier.isValidEd25519Signature(signature, for: payload, publicKey: key)
/// ```
///
/// MediaGenKit verifies Ed25519 everywhere with nothing to plug in: ``SignatureVerifiers/platformDefault``
/// is CryptoKit's verifier on Apple platforms and ``Ed25519Verifier``, written in Swift alone,
/// elsewhere (Linux). Conform a type of your own — backed by swift-crypto, a hardware module, or a
/// test double — and pass it as `verifier:`: the one you pass is always used instead.
public protocol SignatureVerifier: Sendable {
    /// `true` when `signature` (64 bytes) is a valid Ed25519 signature of `message` by
    /// `publicKey` (32 bytes).
    ///
    /// ```swift
    /// let valid = try verifier.isValidEd25519Signature(signature, for: payload, publicKey: key)
    /// ```
    ///
    /// A signature of the wrong length, or one that does not verify, gives `false`.
    /// Throws only when the key itself is unusable (wrong length / not a curve point), so a
    /// caller can tell a forged request from a misconfigured or stale key.
    func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool
}

#if canImport(CryptoKit)
    /// CryptoKit-backed verifier (Apple platforms).
    ///
    /// ```swift
    /// let verifier = CryptoKitSignatureVerifier()
    /// let valid = try verifier.isValidEd25519Signature(signature, for: payload, publicKey: key)
    /// ```
    ///
    /// Uses `Curve25519.Signing.PublicKey`; the errors it throws are CryptoKit's.
    @available(macOS 10.15, iOS 13, tvOS 13, watchOS 6, *)
    public struct CryptoKitSignatureVerifier: SignatureVerifier {
        /// Creates a verifier; it holds no state.
        ///
        /// ```swift
        /// let verifier = CryptoKitSignatureVerifier()
        /// ```
        public init() {}

        /// `true` when `signature` is a valid Ed25519 signature of `message` by `publicKey`.
        ///
        /// ```swift
        /// let valid = try CryptoKitSignatureVerifier()
        ///     .isValidEd25519Signature(signature, for: payload, publicKey: key)
        /// ```
        ///
        /// Throws when `publicKey` is not a usable 32-byte Ed25519 key.
        public func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
            return key.isValidSignature(signature, for: message)
        }
    }
#endif

/// The signature verifiers that come with MediaGenKit.
///
/// ```swift
/// let verifier = SignatureVerifiers.platformDefault
/// let valid = try verifier.isValidEd25519Signature(signature, for: payload, publicKey: key)
/// ```
public enum SignatureVerifiers: Sendable {
    /// The verifier used when none is passed: CryptoKit's where CryptoKit exists (Apple
    /// platforms), ``Ed25519Verifier`` elsewhere (Linux).
    ///
    /// ```swift
    /// let verifier: any SignatureVerifier = configuredVerifier ?? SignatureVerifiers.platformDefault
    /// ```
    ///
    /// Both accept the signatures an honest signer makes; ``Ed25519Verifier`` is the stricter
    /// with crafted ones (see its rules).
    public static var platformDefault: any SignatureVerifier {
        #if canImport(CryptoKit)
            if #available(tvOS 13, watchOS 6, *) {
                return CryptoKitSignatureVerifier()
            }
        #endif
        return Ed25519Verifier()
    }
}
