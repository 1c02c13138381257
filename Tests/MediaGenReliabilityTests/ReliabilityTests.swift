import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every provider through every emulator fault that applies to it, twenty create-and-waits per
/// fault and placement, over the real `URLSessionTransport`: no crash, no duplicate paid task, no
/// lost task id, no key in any error or log line, and an outcome the retry rule allows.
///
/// One test runs every cell so that the figures come out as one table (printed once, for
/// `Documentation/Reliability.md`); each broken promise is still reported on its own, naming its
/// cell. The four providers run side by side against one emulator (its counters are per
/// provider); a provider's cells run one after another, the twenty runs of a cell at once.
/// Backoff and polling waits go through an `ImmediateClock`, so nothing waits for real except
/// the slow answers the faults ask for. Alone it takes about 50–60 s on a 2-core machine, 95–110 s
/// beside the rest of `swift test`, and about 250 s under ThreadSanitizer beside the rest: the
/// limit, there only to end a hang, leaves room for a slower machine.
@Suite(
    "Reliability under emulator faults",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(10))
)
struct ReliabilityTests {
    static let runsPerCell = 20

    /// BeatAPI counts unfinished tasks against a concurrency limit, and both credit providers
    /// debit every task: room for every cell's twenty concurrent runs.
    static let emulatorArguments = [
        "--beatapi-concurrency", "1000", "--beatapi-credits", "100000000", "--beatra-credits", "100000000",
    ]

    @Test func everyProviderSurvivesEveryFaultWithoutDuplicatesLostIDsOrLeakedKeys() async throws {
        let started = ContinuousClock.now
        let reports = try await Emulator.run(arguments: Self.emulatorArguments) { emulator in
            try await withThrowingTaskGroup(of: (Int, [CellReport]).self) { group in
                for (index, provider) in ProviderUnderTest.all.enumerated() {
                    group.addTask { (index, try await Self.runCells(of: provider, on: emulator)) }
                }
                var byProvider: [Int: [CellReport]] = [:]
                for try await (index, providerReports) in group { byProvider[index] = providerReports }
                return byProvider.sorted { $0.key < $1.key }.flatMap(\.value)
            }
        }
        let elapsed = ContinuousClock.now - started

        for report in reports {
            #expect(report.problems.isEmpty, "\(report.label): \(report.problems.joined(separator: "; "))")
        }
        let total = CellReport.total(of: reports, named: "all")
        let planned = ProviderUnderTest.all.reduce(0) { $0 + $1.faults.count } * Placement.allCases.count
        #expect(reports.count == planned)
        #expect(total.runs == planned * Self.runsPerCell)
        #expect(total.duplicates == 0)
        #expect(total.lostIDs == 0)
        #expect(total.leaks == 0)
        #expect(total.outcomes[.untyped, default: 0] == 0)
        #expect(total.textsScanned > total.runs)

        print(
            """
            Reliability: \(reports.count) cells × \(Self.runsPerCell) runs = \(total.runs) create-and-waits in \
            \(Int(elapsed.components.seconds)) s; \(total.tasksCreated) tasks created, \(total.duplicates) duplicates, \
            \(total.lostIDs) lost ids, \(total.leaks) leaks in \(total.textsScanned) texts scanned.
            \(CellReport.table(reports))
            """)
    }

    /// A provider's cells, one after another (its emulator counters are read before and after each).
    static func runCells(of provider: ProviderUnderTest, on emulator: Emulator) async throws -> [CellReport] {
        let configuration = URLSessionTransport.defaultConfiguration()
        configuration.httpMaximumConnectionsPerHost = runsPerCell * 2
        let transport = URLSessionTransport(configuration: configuration)
        var reports: [CellReport] = []
        for spec in provider.faults {
            for placement in Placement.allCases {
                reports.append(
                    try await runCell(provider, spec, placement, on: emulator, transport: transport))
            }
        }
        return reports
    }

    /// Twenty create-and-waits at once with the fault on `placement`, then the promises checked.
    static func runCell(
        _ provider: ProviderUnderTest,
        _ spec: FaultSpec,
        _ placement: Placement,
        on emulator: Emulator,
        transport: URLSessionTransport
    ) async throws -> CellReport {
        let createdBefore = try await emulator.stats().tasksCreated(provider.name)
        // `{foreign}` in a fault is another origin that keeps what reaches it: the emulator's
        // capture route reached as `localhost`, one per provider and placement.
        let captureName = "\(provider.name)-\(placement.rawValue)"
        let fault = spec.fault.replacingOccurrences(
            of: "{foreign}", with: emulator.foreignCaptureURL(captureName).absoluteString)
        let logs = Locked<[String]>([])
        let logger = LoggingMiddleware { line in logs.withLock { $0.append(line) } }
        let results = await withTaskGroup(of: RunResult.self) { group in
            for _ in 0..<runsPerCell {
                group.addTask {
                    let injector = FaultInjector(
                        fault: fault, faultedTimeout: spec.faultedTimeout, placement: placement)
                    let configuration = ClientConfiguration(
                        timeout: spec.timeout,
                        middleware: [injector, logger],
                        transport: transport,
                        // Each run its own instant clock: backoff and polling cost no real time, and
                        // one run's virtual waits never count against another's deadline.
                        clock: ImmediateClock(),
                        additionalHeaders: ["X-Emulator-Script": provider.script]
                    )
                    var result = await provider.run(emulator, configuration)
                    result.counts = injector.counts
                    if let id = result.createdID {
                        let task = try? await emulator.task(provider.name, id)
                        result.createdIDExists = task?["id"]?.stringValue == id
                    }
                    return result
                }
            }
            var results: [RunResult] = []
            for await result in group { results.append(result) }
            return results
        }
        let tasksCreated = try await emulator.stats().tasksCreated(provider.name) - createdBefore
        var report = evaluate(
            provider, spec, placement, results: results, tasksCreated: tasksCreated, logs: logs.current)
        if fault != spec.fault {
            // What reached the other origin must carry no credential header and no key.
            let captured = try await emulator.captures(captureName)
            let carrying = captured.filter { request in
                let headers = request["headers"]?.objectValue ?? [:]
                return headers.contains { name, value in
                    HTTPHeaders.isSensitive(name) || SecretScan.leaks(in: [value.stringValue ?? ""]).count > 0
                }
            }
            report.textsScanned += captured.count
            report.leaks += carrying.count
            if captured.isEmpty {
                report.problems.append("nothing reached the other origin: the redirect was not followed")
            }
            if !carrying.isEmpty {
                report.problems.append("\(carrying.count) requests carried a credential to another origin")
            }
        }
        return report
    }

    /// Checks a cell's runs against the promises and tallies them.
    static func evaluate(
        _ provider: ProviderUnderTest,
        _ spec: FaultSpec,
        _ placement: Placement,
        results: [RunResult],
        tasksCreated: Int,
        logs: [String]
    ) -> CellReport {
        var report = CellReport(provider: provider.displayName, fault: spec.fault, placement: placement)
        report.runs = results.count
        report.tasksCreated = tasksCreated
        let expected = spec.expected(on: placement)
        for result in results {
            report.outcomes[result.outcome, default: 0] += 1
            report.createAttempts += result.counts.creates
            report.reads += result.counts.reads
            if !expected.contains(result.outcome) {
                let said = result.error.map(String.init(describing:)) ?? result.untyped ?? "success"
                report.problems.append("\(result.outcome.rawValue), expected \(expected.sorted()): \(said)")
            }
            if result.counts.faulted != 1 {
                report.problems.append("the fault hit \(result.counts.faulted) requests, not 1")
            }
            if let id = result.createdID, !result.createdIDExists {
                report.problems.append("the emulator has no task \(id), which the create returned")
            }
            if let error = result.error {
                // A failure after the task existed names it.
                if let id = result.createdID, error.taskID != id {
                    report.lostIDs += 1
                    report.problems.append("a failure after task \(id) existed does not name it: \(error)")
                }
                // An unknown outcome names what was known: the idempotency key, the request id.
                if error.kind == .outcomeUnknown {
                    let missingKey = provider.keyed && error.idempotencyKey == nil
                    let missingRequest = spec.unknownCarriesRequestID && error.requestID == nil
                    if missingKey || missingRequest {
                        report.lostIDs += 1
                        report.problems.append("an unknown outcome without the key or request id known: \(error)")
                    }
                }
            }
        }

        // No duplicate paid task: at most one task per logical create, and every task created is
        // one a caller got back or one a caller was told may exist.
        let returned = results.compactMap(\.createdID)
        let unknown = report.outcomes[.outcomeUnknown, default: 0]
        if Set(returned).count != returned.count {
            report.problems.append("two runs got the same task id")
        }
        report.duplicates = max(0, tasksCreated - Set(returned).count - unknown, tasksCreated - results.count)
        if report.duplicates > 0 {
            report.problems.append(
                "\(tasksCreated) tasks created for \(results.count) creates, \(returned.count) returned, \(unknown) unknown"
            )
        }

        // No key in any error text or log line.
        let texts = results.flatMap(\.errorTexts) + logs
        let leaks = SecretScan.leaks(in: texts)
        report.textsScanned = texts.count
        report.leaks = leaks.count
        if let leak = leaks.first { report.problems.append("\(leaks.count) texts show a key, first: \(leak)") }
        if logs.isEmpty { report.problems.append("the logging middleware logged nothing") }
        return report
    }
}
