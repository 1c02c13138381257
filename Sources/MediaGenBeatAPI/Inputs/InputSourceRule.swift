import Foundation
import MediaGenCore

/// The checks every media input goes through before anything is sent: BeatAPI fetches inputs
/// itself, from public HTTPS URLs, so a URL it cannot (or must not) reach is refused here, and a
/// local file is checked to exist and to be the right kind of media before it is uploaded.
struct InputSourceRule: Sendable {
    /// Hosts (lowercased, IPv6 without brackets) where `http:` and non-public addresses are
    /// allowed: a test server such as the emulator. Empty unless the client was told otherwise.
    let allowedTestHosts: Set<String>

    init(allowedTestHosts: Set<String>) {
        self.allowedTestHosts = Set(allowedTestHosts.map(Self.normalized))
    }

    static let strict = InputSourceRule(allowedTestHosts: [])

    /// What an input must be: its field name on the wire and the media type family it takes.
    struct Slot {
        var field: String
        /// `"image"` or `"audio"`: the family of the MIME type a local file must have (`nil`: any).
        var family: String?
    }

    func check(_ source: FileSource, for slot: Slot) throws(MediaGenError) {
        switch source {
        case .url(let url):
            try check(url, field: slot.field)
        case .file(let url, _):
            var isDirectory: ObjCBool = false
            guard url.isFileURL, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: url.path)
            else {
                throw .invalidInput(slot.field, "\(url.path) is not a readable file", provider: .beatAPI)
            }
            try checkType(of: source, for: slot)
        case .data(let data, _, _):
            guard !data.isEmpty else {
                throw .invalidInput(slot.field, "the \(slot.family ?? "file") data is empty", provider: .beatAPI)
            }
            try checkType(of: source, for: slot)
        }
    }

    /// A public HTTPS URL, or any http(s) URL on an allowed test host.
    func check(_ url: URL, field: String) throws(MediaGenError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard let rawHost = url.host, !rawHost.isEmpty else {
            throw .invalidInput(field, "\(url.absoluteString) is not an absolute URL with a host", provider: .beatAPI)
        }
        let host = Self.normalized(rawHost)
        if allowedTestHosts.contains(host) {
            guard scheme == "https" || scheme == "http" else {
                throw .invalidInput(field, "\(url.absoluteString) is not an http(s) URL", provider: .beatAPI)
            }
            return
        }
        guard scheme == "https" else {
            throw .invalidInput(
                field,
                "BeatAPI fetches inputs itself, from public HTTPS URLs; \(url.absoluteString) \(scheme.isEmpty ? "is not a URL" : "uses \(scheme):")",
                provider: .beatAPI)
        }
        if let reason = HostAddress.nonPublicReason(host) {
            throw .invalidInput(
                field,
                "BeatAPI fetches inputs from public HTTPS URLs; \(url.absoluteString) names \(reason) it cannot reach (upload the file instead)",
                provider: .beatAPI)
        }
    }

    private func checkType(of source: FileSource, for slot: Slot) throws(MediaGenError) {
        guard let family = slot.family else { return }
        let type = source.contentType.lowercased()
        guard type.hasPrefix(family + "/") else {
            throw .invalidInput(
                slot.field,
                "\(source.fileName) is \(type), not \(family); name it with its extension or pass its content type",
                provider: .beatAPI)
        }
    }

    /// Lowercased, percent-decoded, without IPv6 brackets or a trailing dot.
    static func normalized(_ host: String) -> String {
        var text = (host.removingPercentEncoding ?? host).lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
