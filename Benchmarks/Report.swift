import Foundation

/// One printed line of the benchmark: what was measured, the figures side by side, the target and
/// whether it was met.
struct Report {
    enum Verdict: String {
        case pass = "PASS"
        case miss = "MISS"
        /// A figure with no target: printed for the record.
        case info = "INFO"

        init(_ met: Bool) { self = met ? .pass : .miss }
    }

    var figure: String
    var measured: String
    var target: String
    var verdict: Verdict

    /// `[PASS] 1 per-call overhead — … (target ≤ 1.05)`
    var line: String {
        "[\(verdict.rawValue)] \(figure): \(measured)" + (target.isEmpty ? "" : " (target \(target))")
    }

    func print() {
        Swift.print(line)
        fflush(nil)  // every stream: lines show up at once even when piped
    }
}

/// Number formatting shared by every figure, fixed to the POSIX locale so runs compare as text.
enum Format {
    static func fixed(_ value: Double, _ digits: Int = 2) -> String {
        String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value)
    }

    /// `12,345`
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `812 µs`, `3.41 ms`, `5.12 s`
    static func duration(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds.magnitude < 0.001 { return "\(fixed(seconds * 1e6, 0)) µs" }
        if seconds.magnitude < 1 { return "\(fixed(seconds * 1e3, 2)) ms" }
        return "\(fixed(seconds, 2)) s"
    }

    static func mebibytes(_ bytes: Int64) -> String {
        "\(fixed(Double(bytes) / 1_048_576, 1)) MiB"
    }
}
