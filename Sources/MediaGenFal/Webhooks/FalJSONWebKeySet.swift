import Foundation
import MediaGenCore

/// fal's webhook signing keys, as published at ``documentedURL``
/// (`https://rest.alpha.fal.ai/.well-known/jwks.json`):
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

extension FalJSONWebKeySet {
    /// Where fal's webhook documentation says to fetch the key set:
    /// `https://rest.alpha.fal.ai/.well-known/jwks.json`.
    ///
    /// ```swift
    /// let keys = try await fal.webhookKeys(from: FalJSONWebKeySet.documentedURL)
    /// ```
    public static let documentedURL = URL.constant("https://rest.alpha.fal.ai/.well-known/jwks.json")
}

extension FalClient {
    /// Where ``webhookKeys(from:)`` fetches the key set when given no URL: fal's documented
    /// ``FalJSONWebKeySet/documentedURL`` while ``restURL`` is fal's own, else
    /// `{restURL}/.well-known/jwks.json` — a proxy or an emulator standing in for fal's REST host
    /// serves the keys too.
    ///
    /// ```swift
    /// print(FalClient().webhookKeySetURL)  // https://rest.alpha.fal.ai/.well-known/jwks.json
    /// ```
    public var webhookKeySetURL: URL {
        guard restURL != Self.defaultRestURL else { return FalJSONWebKeySet.documentedURL }
        return restURL.appendingPathComponent(".well-known").appendingPathComponent("jwks.json")
    }

    /// Fetches fal's webhook signing keys from `url`, or ``webhookKeySetURL`` (a public document:
    /// no key is sent, wherever it is). Prefer ``FalWebhookVerifier``, which fetches them once
    /// and caches them.
    ///
    /// ```swift
    /// let keys = try await fal.webhookKeys()
    /// let delivery = try FalWebhook.event(body: body, headers: headers, keys: keys, verifier: verifier)
    /// ```
    ///
    /// A `url` that is not `http(s)` with a host is refused with `.invalidRequest` before sending.
    public func webhookKeys(from url: URL? = nil) async throws -> FalJSONWebKeySet {
        let url = url ?? webhookKeySetURL
        try URLPolicy.checkDownloadURL(url, field: "keySetURL", provider: .fal)
        var request = APIRequest(.get, .url(url))
        request.sendsCredential = false
        return try await rest.send(request, decoding: FalJSONWebKeySet.self)
    }
}
