/// A credential that never prints: `description`, `debugDescription` and `dump` all show
/// `<redacted>`.
package struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package let value: String

    package init(_ value: String) {
        self.value = value
    }

    package var description: String { Redaction.placeholder }
    package var debugDescription: String { Redaction.placeholder }
    package var customMirror: Mirror { Mirror(self, children: []) }
}
