import Foundation

/// Removes credentials from text that leaves the SDK (errors, logs, cassettes).
package enum Redaction {
    package static let placeholder = "<redacted>"

    /// Replaces every occurrence of each secret (of a length worth matching) with a placeholder.
    package static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { text, secret in
            text.replacingOccurrences(of: secret, with: placeholder)
        }
    }

    /// A one-line description of any error, as the SDK prints it.
    package static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
