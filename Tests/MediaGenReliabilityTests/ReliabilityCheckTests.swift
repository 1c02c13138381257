import EmulatorSupport
import MediaGenCore
import Testing

/// The reliability suite's checks catch what they claim to, on made-up runs: a suite that could
/// not fail would prove nothing.
struct ReliabilityCheckTests {
    static let spec = FaultSpec(fault: "drop-after", onCreate: [.outcomeUnknown])

    func run(_ id: String? = nil, error: MediaGenError? = nil) -> RunResult {
        var result = RunResult(createdID: id, error: error)
        result.createdIDExists = id != nil
        result.counts.faulted = 1
        return result
    }

    func unknown(key: String? = nil) -> MediaGenError {
        MediaGenError(.outcomeUnknown, message: "lost", idempotencyKey: key)
    }

    @Test func aTaskNeitherReturnedNorReportedUnknownIsADuplicate() {
        let report = ReliabilityTests.evaluate(
            .skytells, Self.spec, .create, results: [run(error: unknown()), run(error: unknown())],
            tasksCreated: 3, logs: ["→ POST"])
        #expect(report.duplicates == 1)
        #expect(!report.problems.isEmpty)
    }

    @Test func moreTasksThanCreatesIsADuplicateEvenWhenEveryRunWasUnknown() {
        let report = ReliabilityTests.evaluate(
            .skytells, Self.spec, .create, results: [run(error: unknown())], tasksCreated: 2, logs: ["→ POST"])
        #expect(report.duplicates == 1)
    }

    @Test func everyTaskAccountedForIsNoDuplicate() {
        let report = ReliabilityTests.evaluate(
            .skytells, Self.spec, .create, results: [run(error: unknown()), run(error: unknown())],
            tasksCreated: 2, logs: ["→ POST"])
        #expect(report.duplicates == 0)
        #expect(report.problems.isEmpty)
    }

    @Test func aFailureAfterTheTaskExistedWithoutItsIDIsALostID() {
        let spec = FaultSpec(fault: "500", onCreate: [.server], onPoll: [.server])
        let report = ReliabilityTests.evaluate(
            .skytells, spec, .poll,
            results: [run("pred_1", error: MediaGenError(.server, message: "boom"))],
            tasksCreated: 1, logs: ["→ GET"])
        #expect(report.lostIDs == 1)
    }

    @Test func aKeyedUnknownOutcomeWithoutItsKeyIsALostID() {
        let report = ReliabilityTests.evaluate(
            .beatra, Self.spec, .create, results: [run(error: unknown()), run(error: unknown(key: "k-1"))],
            tasksCreated: 2, logs: ["→ POST"])
        #expect(report.lostIDs == 1)
    }

    @Test(arguments: SecretScan.secrets)
    func aKeyInALogLineOrAnErrorIsALeak(secret: String) {
        let leaky = MediaGenError(.server, message: "Authorization: Key \(secret)", taskID: "r-1")
        let report = ReliabilityTests.evaluate(
            .fal, FaultSpec(fault: "500", onCreate: [.server], onPoll: [.server]), .poll,
            results: [run("r-1", error: leaky)], tasksCreated: 1, logs: ["→ GET header \(secret)"])
        #expect(report.leaks >= 2)
    }

    @Test func anOutcomeTheRuleDoesNotAllowIsAProblem() {
        let report = ReliabilityTests.evaluate(
            .skytells, Self.spec, .create, results: [run("pred_1")], tasksCreated: 1, logs: ["→ POST"])
        #expect(report.problems.count == 1)
        #expect(report.duplicates == 0)
    }
}
