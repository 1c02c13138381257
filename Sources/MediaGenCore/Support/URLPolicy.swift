import Foundation

/// The rules for URLs that cross the SDK's edge: webhook URLs a provider is told to call, and
/// provider-given URLs the SDK downloads. Provider modules check every such URL here, before
/// sending or writing anything.
///
/// ```swift
/// let hook = URL(string: "https://app.example.com/hooks/fal")!
/// try URLPolicy.checkWebhookURL(hook, field: "webhookURL", provider: .fal)  // passes
///
/// let plain = URL(string: "http://app.example.com/hooks/fal")!
/// try URLPolicy.checkWebhookURL(plain, field: "webhookURL", provider: .fal) // throws .invalidRequest
/// ```
///
/// Errors name the field and never repeat a URL's user, password, path or query: they show the
/// scheme and host only.
public enum URLPolicy: Sendable {
    /// Checks a URL a provider will POST results to: `https`, or `http` to a loopback host
    /// (`localhost`, `127.0.0.0/8`, `[::1]`) while developing; a host; no user name or password.
    ///
    /// ```swift
    /// try URLPolicy.checkWebhookURL(URL(string: "http://localhost:8080/hooks")!, field: "webhook.url")
    /// ```
    ///
    /// Plain `http` to any other host would carry every result (and its output links) in clear
    /// text; other schemes (`ftp:`, `file:`, …) are nothing a provider can call; credentials in the
    /// URL would be stored in the provider's systems and logs. Each is refused with
    /// `.invalidRequest(field:reason:)` naming `field`.
    public static func checkWebhookURL(_ url: URL, field: String, provider: Provider? = nil) throws(MediaGenError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "https" || scheme == "http" else {
            throw .invalidInput(
                field,
                "a webhook URL must be https (or http to localhost, 127.0.0.0/8 or [::1] while developing); got \(describe(url))",
                provider: provider)
        }
        guard let host = url.host, !host.isEmpty else {
            throw .invalidInput(
                field, "a webhook URL needs a host, as in `https://app.example.com/…`; got \(describe(url))",
                provider: provider)
        }
        guard url.user == nil, url.password == nil else {
            throw .invalidInput(
                field,
                "a webhook URL must not carry a user name or password: the provider would store and log them; remove them and trust deliveries by their signature instead",
                provider: provider)
        }
        guard scheme == "https" || isLoopback(host: host) else {
            throw .invalidInput(
                field,
                "a webhook URL must be https: results would travel in clear text to \(describe(url)); use https, or http only to localhost, 127.0.0.0/8 or [::1] while developing",
                provider: provider)
        }
    }

    /// Checks a URL the SDK is about to download from: `http` or `https`, with a host.
    ///
    /// ```swift
    /// try URLPolicy.checkDownloadURL(URL(string: "file:///etc/passwd")!)  // throws .invalidRequest
    /// ```
    ///
    /// Output URLs come from the provider's answers; a `file:`, `ftp:` or `data:` URL there would
    /// make the download read local files or reach places no provider serves outputs from, so it is
    /// refused with `.invalidRequest(field:reason:)` before any I/O.
    public static func checkDownloadURL(_ url: URL, field: String = "url", provider: Provider? = nil)
        throws(MediaGenError)
    {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
            throw .invalidInput(
                field,
                "only http(s) URLs with a host are downloaded; refusing \(describe(url)) — a provider's output link is always http(s), so this one is not to be trusted",
                provider: provider)
        }
    }

    /// `true` for `localhost` (with or without a final dot), any dotted-quad address in
    /// `127.0.0.0/8`, and `::1` (bracketed or not).
    ///
    /// ```swift
    /// URLPolicy.isLoopback(host: "127.0.0.1")          // true
    /// URLPolicy.isLoopback(host: "127.0.0.1.nip.io")   // false
    /// ```
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            octet.count <= 3 && !octet.isEmpty && octet.allSatisfy(\.isASCIIDigit) && (Int(octet) ?? 256) <= 255
        }
    }

    /// The scheme and host only: never a user, password, path or query, which may hold secrets.
    private static func describe(_ url: URL) -> String {
        guard let scheme = url.scheme else { return "a URL with no scheme" }
        guard let host = url.host, !host.isEmpty else { return "a `\(scheme):` URL with no host" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "`\(scheme)://\(shownHost)/…`"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
