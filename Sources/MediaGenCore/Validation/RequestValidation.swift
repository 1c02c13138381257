import Foundation

/// The checks every outgoing request passes before anything is sent: header names and values,
/// idempotency keys, identifiers that go into URL paths, and the parts of a multipart form.
///
/// Each check runs where requests are built (``RequestExecutor``, ``MultipartFormData``), so that
/// no provider module can forget one. They are byte loops, cheap enough for every call.
package enum RequestValidation {
    /// The longest idempotency key the SDK sends.
    package static let maxIdempotencyKeyLength = 255

    // MARK: - Headers

    /// Refuses a header whose name is not an RFC 9110 token or whose value holds a control
    /// character other than horizontal tab (CR, LF, NUL, DEL…): such a value could end the header
    /// and add others. The error names the header, never its value (it may be a credential).
    package static func checkHeader(name: String, value: String, provider: Provider?) throws(MediaGenError) {
        guard isToken(name) else {
            throw MediaGenError(
                .invalidRequest(field: "headers", reason: "the header name \(name.debugDescription) is not a token"),
                provider: provider,
                message:
                    "the header name \(name.debugDescription) is not an HTTP token: use letters, digits and !#$%&'*+-.^_`|~ only, with no spaces, colons or line breaks (check ClientConfiguration.additionalHeaders)"
            )
        }
        if let bad = firstControlCharacter(in: value, allowingTab: true) {
            throw MediaGenError(
                .invalidRequest(field: name, reason: "the `\(name)` header holds \(bad)"),
                provider: provider,
                message:
                    "the value of the `\(name)` header holds \(bad), which could end the header and inject another: remove line breaks and control characters from it (check the API key for a trailing newline, ClientConfiguration.additionalHeaders and the call's arguments)"
            )
        }
    }

    /// Checks every field of `headers` (see ``checkHeader(name:value:provider:)``).
    package static func checkHeaders(_ headers: HTTPHeaders, provider: Provider?) throws(MediaGenError) {
        for field in headers.fields { try checkHeader(name: field.name, value: field.value, provider: provider) }
    }

    /// Refuses a header value given through a call's argument, naming the argument (`runnerHint`).
    package static func checkHeaderValue(_ value: String, field: String, provider: Provider?) throws(MediaGenError) {
        if let bad = firstControlCharacter(in: value, allowingTab: true) {
            throw .invalidInput(
                field,
                "`\(field)` is sent as a header and holds \(bad), which could inject another header: remove line breaks and control characters",
                provider: provider)
        }
    }

    /// Whether `name` is an RFC 9110 token: one or more of `A–Z a–z 0–9 ! # $ % & ' * + - . ^ _ \` | ~`.
    package static func isToken(_ name: String) -> Bool {
        guard !name.utf8.isEmpty else { return false }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
                UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
                UInt8(ascii: "|"), UInt8(ascii: "~"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// The first C0 control character or DEL in `text`, described (`a line feed (LF) at position
    /// 2`); `nil` when there is none. Horizontal tab passes when `allowingTab`.
    package static func firstControlCharacter(in text: String, allowingTab: Bool) -> String? {
        var position = 0
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F, !(allowingTab && byte == 0x09) {
                return "\(describe(byte)) at byte \(position)"
            }
            position += 1
        }
        return nil
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: "a carriage return (CR)"
        case 0x0A: "a line feed (LF)"
        case 0x00: "a NUL character"
        case 0x09: "a tab"
        case 0x7F: "a DEL character"
        default: "the control character U+00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        }
    }

    // MARK: - Idempotency keys

    /// The key a create sends: the caller's, checked, or a new lowercase UUID made once for this
    /// call (and resent unchanged on every retry of it).
    package static func idempotencyKey(_ given: String?, provider: Provider) throws(MediaGenError) -> String {
        guard let given else { return UUID().uuidString.lowercased() }
        try checkIdempotencyKey(given, provider: provider)
        return given
    }

    /// Refuses an idempotency key that is empty, longer than 255 characters, or holds anything
    /// but visible ASCII (`!`…`~`, no spaces): what every provider accepts in the header.
    package static func checkIdempotencyKey(_ key: String, provider: Provider?) throws(MediaGenError) {
        var count = 0
        for byte in key.utf8 {
            guard (0x21...0x7E).contains(byte) else {
                throw .invalidInput(
                    "idempotencyKey",
                    "use 1–\(maxIdempotencyKeyLength) visible ASCII characters without spaces, such as a UUID; the key holds \(describeInKey(byte)) at byte \(count)",
                    provider: provider)
            }
            count += 1
        }
        guard count >= 1, count <= maxIdempotencyKeyLength else {
            throw .invalidInput(
                "idempotencyKey",
                "use 1–\(maxIdempotencyKeyLength) visible ASCII characters without spaces, such as a UUID; the key has \(count)",
                provider: provider)
        }
    }

    private static func describeInKey(_ byte: UInt8) -> String {
        switch byte {
        case 0x20: "a space"
        case 0x80...: "a non-ASCII character"
        default: describe(byte)
        }
    }

    /// A key derived from a checked `key` for one step of a call (such as each upload before a
    /// create), the same every time the call is made with `key`: `key` + `suffix` when that fits
    /// in 255 characters, otherwise the SHA-256 of `key` in hex + `suffix`, so that a long key of
    /// the caller's never makes a derived key the SDK would refuse.
    package static func derivedIdempotencyKey(from key: String, suffix: String) -> String {
        if key.utf8.count + suffix.utf8.count <= maxIdempotencyKeyLength { return key + suffix }
        return SecureHash.sha256(Data(key.utf8)).hexEncodedString + suffix
    }

    // MARK: - Identifiers in paths

    /// Refuses a path segment that is empty, `.` or `..` once surrounding whitespace is trimmed,
    /// or that holds a control character: such an id would reach another endpoint (a list, or
    /// the parent resource) instead of failing. `field` names the argument it came from.
    package static func checkPathSegment(_ segment: String, field: String, provider: Provider?) throws(MediaGenError) {
        for scalar in segment.unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            throw .invalidInput(
                field,
                "the \(field) \(segment.debugDescription) holds a control character; pass the id exactly as the provider returned it",
                provider: provider)
        }
        let scalars = segment.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while start < end, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        let core = scalars[start..<end]
        let isDots = core.allSatisfy { $0 == "." } && core.count <= 2
        guard isDots else { return }
        let what = core.isEmpty ? "is empty or blank" : "is \(segment.debugDescription), a relative path step"
        throw .invalidInput(
            field,
            "the \(field) \(what); it would address another endpoint. Pass the id the provider returned (such as a task's `id`)",
            provider: provider)
    }

    /// `base` followed by each segment, checked (``checkPathSegment(_:field:provider:)``) and
    /// percent-encoded: `https://api.test/v1` + `["tasks", id]` → `https://api.test/v1/tasks/{id}`.
    package static func path(
        _ base: String,
        appending segments: some Sequence<String>,
        field: String,
        provider: Provider?
    ) throws(MediaGenError) -> String {
        var text = base
        for segment in segments {
            try checkPathSegment(segment, field: field, provider: provider)
            text += "/" + PercentEncoding.encode(segment)
        }
        return text
    }

    // MARK: - Multipart parts

    /// Refuses a file whose name (as given, before ``FileSource/fileName`` cleans it) or content
    /// type holds a control character: both go into an upload's part headers or request headers.
    /// Run before the first of several uploads, so that none is sent when a later one would fail.
    package static func checkFileSource(_ source: FileSource) throws(MediaGenError) {
        switch source {
        case .url: return
        case .data(_, let fileName, _): try checkPartText(fileName, field: "fileName")
        case .file(let url, _): try checkPartText(url.lastPathComponent, field: "fileName")
        }
        try checkPartText(source.contentType, field: "contentType")
    }

    /// Refuses a multipart part's name, file name or content type that holds a control character
    /// (a line break would end the part's headers and start others).
    package static func checkPartText(_ text: String, field: String) throws(MediaGenError) {
        if let bad = firstControlCharacter(in: text, allowingTab: false) {
            throw .invalidInput(
                field,
                "a multipart part's \(field) holds \(bad), which could inject part headers or a new part: remove line breaks and control characters"
            )
        }
    }
}
