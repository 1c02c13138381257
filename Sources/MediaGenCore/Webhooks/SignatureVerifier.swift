import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#endif

/// Verifies Ed25519 signatures (fal signs its webhooks with Ed25519).
///
/// ```swift
/// import Crypto  // swift-crypto, for Linux
///
/// struct SwiftCryptoVerifier: SignatureVerifier {
///     func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
///         try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
///             .isValidSignature(signature, for: message)
///     }
/// }
/// ```
///
/// MediaGenKit has no dependencies and so no Ed25519 of its own. On Apple platforms
/// ``SignatureVerifiers/platformDefault`` uses CryptoKit; on Linux, supply a verifier like the
/// one above.
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

/// The signature verifiers that come with the platform.
///
/// ```swift
/// if let verifier = SignatureVerifiers.platformDefault {
///     let valid = try verifier.isValidEd25519Signature(signature, for: payload, publicKey: key)
/// }
/// ```
public enum SignatureVerifiers: Sendable {
    /// The platform's verifier: CryptoKit on Apple platforms, `nil` on Linux (users plug in one,
    /// e.g. backed by swift-crypto's `Curve25519`).
    ///
    /// ```swift
    /// let verifier: any SignatureVerifier = SignatureVerifiers.platformDefault ?? SwiftCryptoVerifier()
    /// ```
    public static var platformDefault: (any SignatureVerifier)? {
        #if canImport(CryptoKit)
            if #available(tvOS 13, watchOS 6, *) {
                return CryptoKitSignatureVerifier()
            }
        #endif
        return nil
    }
}
