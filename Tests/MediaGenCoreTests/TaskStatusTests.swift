import Foundation
import MediaGenCore
import Testing

/// What an app's progress display does, written as an app writes it: bare names, the payload read
/// from the status, and a `default` for a status added in a later version.
private func line(for status: TaskStatus) -> String {
    switch status {
    case .queued: "queued \(status.queuePosition.map(String.init) ?? "-")"
    case .running: "running \(status.progress.map { "\(Int($0 * 100)) %" } ?? "-")"
    case .succeeded: "succeeded"
    case .failed: "failed \(status.failure?.message ?? "-")"
    case .canceled: "canceled"
    case .awaitingAction: "awaiting \(status.actionReason ?? "-")"
    default: "default"
    }
}

@Suite("Matching a task status")
struct TaskStatusMatchingTests {
    static let statuses: [(TaskStatus, String)] = [
        (.queued(position: 3), "queued 3"),
        (.queued(position: nil), "queued -"),
        (.running(progress: 0.5), "running 50 %"),
        (.running(progress: nil), "running -"),
        (.succeeded, "succeeded"),
        (.failed(TaskFailure(code: "E1", message: "no GPU", retryable: true)), "failed no GPU"),
        (.failed(TaskFailure(message: "")), "failed "),
        (.canceled, "canceled"),
        (.awaitingAction("storyboard_ready"), "awaiting storyboard_ready"),
    ]

    @Test(arguments: statuses)
    func aSwitchWithADefaultMatchesEveryStatusByNameWhateverItsPayload(status: TaskStatus, expected: String) {
        #expect(line(for: status) == expected)
    }

    @Test func aBareNameMatchesOnlyItsOwnStatus() {
        let status = TaskStatus.failed(TaskFailure(message: "no GPU"))
        var matched: [String] = []
        if case .failed = status { matched.append("failed") }
        if case .succeeded = status { matched.append("succeeded") }
        if case .running = status { matched.append("running") }
        #expect(matched == ["failed"])
        #expect(status.case == .failed)
        #expect(status.case != .canceled)
    }

    @Test func aCaseWithAWholeValueMatchesThatPayloadOnly() {
        func place(_ status: TaskStatus) -> String {
            switch status {
            case .queued(position: 0): "next"
            case .queued: "waiting"
            default: "not queued"
            }
        }
        #expect(place(.queued(position: 0)) == "next")
        #expect(place(.queued(position: 4)) == "waiting")
        #expect(place(.queued(position: nil)) == "waiting")
        #expect(place(.succeeded) == "not queued")
    }

    @Test func anOptionalStatusMatchesByNameAndNilMatchesNoName() {
        let latest: TaskStatus? = .running(progress: 0.5)
        let none: TaskStatus? = nil
        var matched: [String] = []
        if case .running = latest { matched.append("latest") }
        if case .running = none { matched.append("none") }
        #expect(matched == ["latest"])
    }

    @Test func equalityAndHashingStillCompareThePayload() {
        #expect(TaskStatus.queued(position: 3) == .queued(position: 3))
        #expect(TaskStatus.queued(position: 3) != .queued(position: 4))
        #expect(TaskStatus.running(progress: 0.5) != .running(progress: nil))
        #expect(TaskStatus.failed(TaskFailure(message: "a")) != .failed(TaskFailure(message: "b")))
        #expect(TaskStatus.awaitingAction("storyboard_ready") != .awaitingAction("requires_action"))
        #expect(Set(Self.statuses.map(\.0)).count == Self.statuses.count)
        #expect(TaskStatus.queued(position: 3).case == TaskStatus.queued(position: nil).case)
    }

    @Test func payloadsAreReadThroughPropertiesThatAreNilForOtherStatuses() {
        let failure = TaskFailure(code: "E1", message: "no GPU", retryable: true)
        #expect(TaskStatus.queued(position: 3).queuePosition == 3)
        #expect(TaskStatus.running(progress: 0.25).progress == 0.25)
        #expect(TaskStatus.failed(failure).failure == failure)
        #expect(TaskStatus.awaitingAction("requires_action").actionReason == "requires_action")
        for status in [TaskStatus.succeeded, .canceled, .queued(position: nil), .running(progress: nil)] {
            #expect(status.queuePosition == nil && status.progress == nil)
            #expect(status.failure == nil && status.actionReason == nil)
        }
        #expect(TaskStatus.running(progress: 0.25).queuePosition == nil)
        #expect(TaskStatus.queued(position: 3).progress == nil)
    }

    @Test(arguments: [
        (TaskStatus.queued(position: 1), false), (.running(progress: nil), false), (.succeeded, true),
        (.failed(TaskFailure(message: "x")), true), (.canceled, true), (.awaitingAction("requires_action"), true),
    ])
    func pollingStopsAtTheTerminalStatuses(status: TaskStatus, terminal: Bool) {
        #expect(status.isTerminal == terminal)
    }

    @Test(arguments: [
        (TaskStatus.queued(position: 3), ".queued(position: 3)"),
        (.running(progress: 0.5), ".running(progress: 0.5)"),
        (.running(progress: nil), ".running(progress: nil)"),
        (.succeeded, ".succeeded"),
        (.failed(TaskFailure(code: "E1", message: "no GPU")), #".failed("E1: no GPU")"#),
        (.awaitingAction("storyboard_ready"), #".awaitingAction("storyboard_ready")"#),
    ])
    func aStatusPrintsAsItIsWritten(status: TaskStatus, printed: String) {
        #expect(String(describing: status) == printed)
    }
}

@Suite("TaskStatus on the wire")
struct TaskStatusCodingTests {
    /// `Fixtures/TaskStatus/*.json`, written by the enum `TaskStatus` was (see SOURCES.md there).
    static let savedByTheEnum: [(String, TaskStatus)] = [
        ("queued-at-position", .queued(position: 3)),
        ("queued-without-position", .queued(position: nil)),
        ("running-with-progress", .running(progress: 0.25)),
        ("running-without-progress", .running(progress: nil)),
        ("succeeded", .succeeded),
        (
            "failed-with-code",
            .failed(TaskFailure(code: "generation_failed", message: "The model could not finish", retryable: true))
        ),
        ("failed-with-message-only", .failed(TaskFailure(message: "no GPU available"))),
        ("canceled", .canceled),
        ("awaiting-action", .awaitingAction("storyboard_ready")),
    ]

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/TaskStatus"))
        return try Data(contentsOf: url)
    }

    @Test(arguments: savedByTheEnum)
    func aStatusSavedByTheEnumDecodes(fixtureName: String, status: TaskStatus) throws {
        #expect(try JSONDecoder().decode(TaskStatus.self, from: Self.fixture(fixtureName)) == status)
    }

    @Test(arguments: savedByTheEnum)
    func aStatusEncodesByteForByteAsTheEnumDid(fixtureName: String, status: TaskStatus) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let saved = try Self.fixture(fixtureName)
        #expect(try encoder.encode(status) + Data("\n".utf8) == saved)
    }

    @Test func aStatusInsideAnotherValueRoundTrips() throws {
        struct Saved: Codable, Equatable {
            var id: String
            var status: TaskStatus
            var history: [TaskStatus]
        }
        let saved = Saved(
            id: "task_1", status: .failed(TaskFailure(code: "E1", message: "no GPU")),
            history: [.queued(position: 2), .running(progress: nil), .awaitingAction("requires_action")])
        let data = try JSONEncoder().encode(saved)
        #expect(try JSONDecoder().decode(Saved.self, from: data) == saved)
    }

    @Test(arguments: [#"{"paused":{}}"#, #"{"queued":{},"running":{}}"#, #""queued""#, "{}"])
    func aShapeTheEnumDidNotWriteIsRefused(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TaskStatus.self, from: Data(json.utf8)) }
    }
}
