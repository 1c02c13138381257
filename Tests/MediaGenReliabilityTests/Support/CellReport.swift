import Foundation

/// The tally of one cell — a provider, a fault, a placement — and the promises it broke, if any.
struct CellReport: Sendable {
    let provider: String
    let fault: String
    /// `nil` on a total line, which covers both placements.
    let placement: Placement?
    var runs = 0
    var outcomes: [Outcome: Int] = [:]
    /// Tasks the emulator created during the cell (its `tasks_created` counter).
    var tasksCreated = 0
    /// Tasks created that the caller neither got back nor was told about (`.outcomeUnknown`).
    var duplicates = 0
    /// Failures after a task existed that did not carry its id, and unknown outcomes without
    /// the key or request id that was known.
    var lostIDs = 0
    /// Texts (error descriptions, log lines) that contained a key.
    var leaks = 0
    var textsScanned = 0
    var createAttempts = 0
    var reads = 0
    /// Each broken promise, in words.
    var problems: [String] = []

    var label: String { "\(provider) \(fault) on \(placement?.rawValue ?? "both")" }

    var failedByKind: String {
        let failed = outcomes.filter { $0.key != .succeeded && $0.key != .outcomeUnknown && $0.value > 0 }
        return failed.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    }

    /// One row of the Markdown table printed by the suite.
    var row: String {
        let cells = [
            provider, placement == nil ? fault : "`\(fault)`", placement?.rawValue ?? "both", "\(runs)",
            "\(outcomes[.succeeded] ?? 0)",
            "\(outcomes[.outcomeUnknown] ?? 0)", failedByKind.isEmpty ? "–" : failedByKind, "\(tasksCreated)",
            "\(createAttempts)", "\(reads)", "\(duplicates)", "\(lostIDs)", "\(leaks)",
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    static let header = """
        | provider | fault | on | runs | ok | unknown | failed (kind) | tasks | create attempts | reads | dup | lost ids | leaks |
        | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |
        """

    /// The table, with a total line per provider and one for everything.
    static func table(_ reports: [CellReport]) -> String {
        var lines = [header]
        lines += reports.map(\.row)
        var order: [String] = []
        for report in reports where !order.contains(report.provider) { order.append(report.provider) }
        for provider in order {
            lines.append(total(of: reports.filter { $0.provider == provider }, named: "**\(provider)**").row)
        }
        lines.append(total(of: reports, named: "**all**").row)
        return lines.joined(separator: "\n")
    }

    static func total(of reports: [CellReport], named name: String) -> CellReport {
        var total = CellReport(provider: name, fault: "\(reports.count) cells", placement: nil)
        for report in reports {
            total.runs += report.runs
            total.outcomes.merge(report.outcomes, uniquingKeysWith: +)
            total.tasksCreated += report.tasksCreated
            total.duplicates += report.duplicates
            total.lostIDs += report.lostIDs
            total.leaks += report.leaks
            total.textsScanned += report.textsScanned
            total.createAttempts += report.createAttempts
            total.reads += report.reads
            total.problems += report.problems
        }
        return total
    }
}
