import Foundation

/// Removes credentials from text that leaves the SDK (errors, logs, cassettes).
package enum Redaction {
    package static let placeholder = "<redacted>"

    /// Secrets shorter than this are not searched for in answers' bytes: no real API key is that
    /// short, and a short one (a fal key id of digits, say) could match data and corrupt it.
    package static let minimumBodySecretLength = 8

    /// Replaces every occurrence of each secret (of a length worth matching) with a placeholder.
    package static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { text, secret in
            text.replacingOccurrences(of: secret, with: placeholder)
        }
    }

    /// The forms in which a server could echo `key` inside an answer: the key, each `:`-separated
    /// part of it (fal keys are `id:secret`), and each of those with `/` escaped as JSON may
    /// escape it. Forms shorter than ``minimumBodySecretLength`` are left out.
    package static func echoForms(of key: String) -> [String] {
        let parts = [key] + key.split(separator: ":").map(String.init)
        let forms = parts.flatMap { [$0, $0.replacingOccurrences(of: "/", with: "\\/")] }
        var seen = Set<String>()
        return forms.filter { $0.utf8.count >= minimumBodySecretLength && seen.insert($0).inserted }
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    /// `data` with every occurrence of each secret's bytes replaced by the placeholder's. Secrets
    /// are tried longest first, so a whole key goes before its parts. Returns `data` itself, with
    /// no copy, when no secret occurs in it.
    package static func scrub(_ data: Data, secrets: [Data]) -> Data {
        var result = data
        for secret in secrets where !secret.isEmpty {
            let hits = offsets(of: secret, in: result)
            guard !hits.isEmpty else { continue }
            var scrubbed = Data(capacity: result.count + hits.count * placeholder.utf8.count)
            var start = result.startIndex
            for hit in hits {
                let at = result.startIndex + hit
                scrubbed.append(result[start..<at])
                scrubbed.append(contentsOf: placeholder.utf8)
                start = at + secret.count
            }
            scrubbed.append(result[start...])
            result = scrubbed
        }
        return result
    }

    /// Whether `text` holds any of `secrets`' bytes. Every header of every answer passes here,
    /// and nearly all are shorter than any key: those are answered from their length, and the
    /// others are searched in place, with no copy.
    package static func contains(_ text: String, anyOf secrets: [Data]) -> Bool {
        let length = text.utf8.count
        guard secrets.contains(where: { !$0.isEmpty && $0.count <= length }) else { return false }
        var text = text
        return text.withUTF8 { bytes in
            secrets.contains { secret in
                secret.withUnsafeBytes { !offsets(of: $0, in: UnsafeRawBufferPointer(bytes)).isEmpty }
            }
        }
    }

    /// The offsets of `needle`'s non-overlapping occurrences in `haystack`, first to last.
    /// `memchr` finds each candidate first byte: every answer is scanned for every secret, and
    /// `Data.range(of:)` took ~11 µs a kilobyte on Linux where this takes ~2.
    static func offsets(of needle: Data, in haystack: Data) -> [Int] {
        haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { offsets(of: $0, in: hay) }
        }
    }

    private static func offsets(of pattern: UnsafeRawBufferPointer, in hay: UnsafeRawBufferPointer) -> [Int] {
        guard let base = hay.baseAddress, let patternBase = pattern.baseAddress, let first = pattern.first,
            pattern.count <= hay.count
        else {
            return []
        }
        var found: [Int] = []
        var offset = 0
        while hay.count - offset >= pattern.count,
            let hit = memchr(base + offset, Int32(first), hay.count - offset - pattern.count + 1)
        {
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, patternBase, pattern.count) == 0 {
                found.append(at)
                offset = at + pattern.count
            } else {
                offset = at + 1
            }
        }
        return found
    }

    /// A one-line description of any error, as the SDK prints it.
    package static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
