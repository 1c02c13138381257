import Foundation
import MediaGenCore

/// fal's webhook signing keys, as published at `https://rest.fal.ai/.well-known/jwks.json`:
/// `{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "<base64url>"}]}`.
///
/// ```swift
/// let keys = try await fal.webhookKeys()            // fetched from fal
/// let pinned = try JSONDecoder().decode(FalJSONWebKeySet.self, from: savedJWKS)  // or your own copy
/// print(keys.ed25519PublicKeys.count)
/// ```
public struct FalJSONWebKeySet: Hashable, Sendable, Codable {
    /// One JSON Web Key.
    ///
    /// ```swift
    /// let key = FalJSONWebKeySet.Key(kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
    /// ```
    public struct Key: Hashable, Sendable, Codable {
        /// `OKP` for an Ed25519 key.
        public var kty: String
        /// `Ed25519`.
        public var crv: String?
        /// The public key, base64url without padding.
        public var x: String?
        /// The key's id.
        public var kid: String?
        /// `sig`.
        public var use: String?
        /// `EdDSA`.
        public var alg: String?

        /// A key, for a set you keep yourself.
        ///
        /// ```swift
        /// let key = FalJSONWebKeySet.Key(kty: "OKP", crv: "Ed25519", x: base64URLPublicKey)
        /// ```
        public init(
            kty: String, crv: String? = nil, x: String? = nil, kid: String? = nil, use: String? = nil,
            alg: String? = nil
        ) {
            self.kty = kty
            self.crv = crv
            self.x = x
            self.kid = kid
            self.use = use
            self.alg = alg
        }

        /// The 32-byte Ed25519 public key, or `nil` when this is not a usable Ed25519 key.
        public var ed25519PublicKey: Data? {
            guard kty == "OKP", crv == "Ed25519", let x, let key = Data(base64URLEncoded: x), key.count == 32
            else { return nil }
            return key
        }
    }

    /// The keys, as published; see ``ed25519PublicKeys`` for the usable ones.
    public var keys: [Key]

    /// A key set, for keys you keep yourself.
    ///
    /// ```swift
    /// let keys = FalJSONWebKeySet(keys: [.init(kty: "OKP", crv: "Ed25519", x: x)])
    /// ```
    public init(keys: [Key]) {
        self.keys = keys
    }

    /// The usable Ed25519 keys, in order; other kinds of keys are skipped.
    public var ed25519PublicKeys: [Data] {
        keys.compactMap(\.ed25519PublicKey)
    }
}

extension FalClient {
    /// Fetches fal's webhook signing keys from `{rest}/.well-known/jwks.json` (a public document:
    /// no key is sent). Prefer ``FalWebhookVerifier``, which fetches them once and caches them.
    ///
    /// ```swift
    /// let keys = try await fal.webhookKeys()
    /// let delivery = try FalWebhook.event(body: body, headers: headers, keys: keys, verifier: verifier)
    /// ```
    public func webhookKeys() async throws -> FalJSONWebKeySet {
        var request = APIRequest(.get, .path([".well-known", "jwks.json"]))
        request.sendsCredential = false
        return try await rest.send(request, decoding: FalJSONWebKeySet.self)
    }
}
