/// An immutable value behind one reference, compared and hashed by the value.
///
/// ```swift
/// struct Big: Hashable, Sendable { var a, b, c, d: String }
/// let boxed = Boxed(Big(a: "1", b: "2", c: "3", d: "4"))  // 8 bytes wherever it is held
/// print(boxed.value.a)
/// ```
///
/// For the SDK's large values that are copied far more than changed — an error, a polled task —
/// so that the async frames holding them stay small: a Swift task keeps its deepest frames for as
/// long as it lives, and a task being followed lives between polls (see "Figure 4 at 10,000
/// tasks" in Documentation/Performance.md). A change makes a new box.
package final class Boxed<Value: Hashable & Sendable>: Hashable, Sendable {
    package let value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// A new box holding this value after `change`: the way to change a boxed value.
    package func updated(_ change: (inout Value) -> Void) -> Boxed {
        var value = value
        change(&value)
        return Boxed(value)
    }

    package static func == (lhs: Boxed, rhs: Boxed) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }

    package func hash(into hasher: inout Hasher) {
        value.hash(into: &hasher)
    }
}
