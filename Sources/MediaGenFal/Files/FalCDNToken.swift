import Foundation
import MediaGenCore

/// A short-lived credential for fal's v3 CDN, as `POST {rest}/storage/auth/token?storage_type=fal-cdn-v3`
/// answers it: `{"token", "token_type", "base_url", "expires_at"}`.
///
/// The token goes only to `base_url`'s origin, and is scrubbed from that host's answers as the
/// key is from fal's: it is a credential too.
struct FalCDNToken: Sendable {
    let token: Secret
    let tokenType: String
    let baseURL: URL
    /// `nil` when the answer's date could not be read: the token is then used for this upload only.
    let expiresAt: Date?

    /// Still good at `now` with a minute to spare, so that a part is not sent with a token that
    /// lapses on the way.
    func isFresh(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) > 60
    }
}

extension FalCDNToken: Decodable {
    private enum CodingKeys: String, CodingKey {
        case token
        case tokenType = "token_type"
        case baseURL = "base_url"
        case expiresAt = "expires_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let token = try container.decode(String.self, forKey: .token)
        let tokenType = try container.decode(String.self, forKey: .tokenType)
        let base = try container.decode(String.self, forKey: .baseURL)
        // Both become the Authorization header's value: a scheme word and a token68, nothing else.
        guard !token.isEmpty, token.allSatisfy(Self.isTokenCharacter) else {
            throw DecodingError.dataCorruptedError(
                forKey: .token, in: container,
                debugDescription: "the token is empty or holds characters a header cannot")
        }
        guard let first = tokenType.first, first.isASCII, first.isLetter,
            tokenType.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .tokenType, in: container, debugDescription: "token_type is not an authorization scheme")
        }
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let host = url.host, !host.isEmpty, url.user == nil,
            url.password == nil, url.query == nil,
            url.scheme?.lowercased() == "https"
                || (url.scheme?.lowercased() == "http" && URLPolicy.isLoopback(host: host))
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .baseURL, in: container,
                debugDescription: "base_url is not an https URL (or http to this machine) with a host")
        }
        self.token = Secret(token)
        self.tokenType = tokenType
        self.baseURL = url
        self.expiresAt = (try? container.decodeIfPresent(String.self, forKey: .expiresAt)).flatMap(Self.date)
    }

    /// RFC 3339 / ISO 8601, with or without fractional seconds (Python's `isoformat()` writes
    /// microseconds only when there are some).
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// RFC 7235's token68: letters, digits and `-._~+/`, with `=` padding.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-._~+/=".contains(character))
    }
}

/// The CDN token every copy of a ``FalClient`` shares: fetched when first needed, reused until a
/// minute before it lapses. Concurrent uploads that find none wait for one fetch.
final class FalCDNTokens: Sendable {
    private struct State: Sendable {
        var token: FalCDNToken?
        var fetch: Task<FalCDNToken, any Error>?
    }

    private let state = Locked(State())

    /// A fresh token: the kept one, the one being fetched, or one `fetch` gets now.
    func token(now: Date, fetch: @escaping @Sendable () async throws -> FalCDNToken) async throws -> FalCDNToken {
        let pending: Task<FalCDNToken, any Error> = state.withLock { state in
            if let token = state.token, token.isFresh(at: now) { return Task { token } }
            if let fetch = state.fetch { return fetch }
            let started = Task { try await fetch() }
            state.fetch = started
            return started
        }
        do {
            let token = try await pending.value
            state.withLock { state in
                if state.fetch == pending { state.fetch = nil }
                state.token = token
            }
            return token
        } catch {
            state.withLock { state in
                if state.fetch == pending { state.fetch = nil }
            }
            throw error
        }
    }

    /// Forgets the kept token: the CDN refused it.
    func discard() {
        state.withLock { $0.token = nil }
    }
}
