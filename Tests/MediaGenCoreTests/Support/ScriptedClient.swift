import Foundation
import MediaGenCore
import MediaGenTesting

/// A task value for tests.
struct FakeTask: MediaTask, Hashable {
    var handle: TaskHandle
    var status: TaskStatus
    var rawStatus: String
    var logs: [TaskLog] = []
    var outputs: [RemoteFile] = []

    init(_ status: TaskStatus, raw: String? = nil, logs: [String] = [], model: String? = "acme-music") {
        self.handle = TaskHandle(provider: .acme, id: "task_1", model: model)
        self.status = status
        self.rawStatus = raw ?? Self.raw(status)
        self.logs = logs.map { TaskLog(message: $0) }
    }

    private static func raw(_ status: TaskStatus) -> String {
        status.actionReason ?? status.case.description
    }
}

/// A client whose polls answer from a script: by poll number, or by the virtual time of the poll.
struct ScriptedClient: MediaClient {
    typealias RemoteTask = FakeTask

    let provider = Provider.acme
    let configuration: ClientConfiguration
    let catalog: [ModelDescriptor]
    let clock: ImmediateClock
    private let answer: @Sendable (_ poll: Int, _ elapsed: Duration) throws -> FakeTask
    private let pollTimes = Locked<[Duration]>([])

    /// Answers poll *n* with `script[n]`, the last entry repeating.
    init(_ script: [FakeTask], catalog: [ModelDescriptor] = []) {
        self.init(catalog: catalog) { poll, _ in script[min(poll, script.count - 1)] }
    }

    /// Answers with `answer(pollIndex, elapsedVirtualTime)`.
    init(
        catalog: [ModelDescriptor] = [],
        answer: @escaping @Sendable (_ poll: Int, _ elapsed: Duration) throws -> FakeTask
    ) {
        let clock = ImmediateClock()
        self.clock = clock
        self.catalog = catalog
        self.answer = answer
        self.configuration = ClientConfiguration(
            transport: StubTransport { _ in HTTPResponse(status: 500) }, clock: clock)
    }

    /// The virtual time of every poll made so far.
    var polls: [Duration] { pollTimes.current }

    func task(_ handle: TaskHandle) async throws -> FakeTask {
        let now = clock.elapsed
        let index = pollTimes.withLock { times in
            times.append(now)
            return times.count - 1
        }
        return try answer(index, now)
    }

    func cancel(_ handle: TaskHandle) async throws {}
}

extension ModelDescriptor {
    static func acmeMusic(latency: ClosedRange<Duration>?) -> ModelDescriptor {
        ModelDescriptor(
            id: "acme-music",
            provider: .acme,
            displayName: "Acme Music",
            kind: .music,
            price: Price(.usd(0.5), per: .task),
            typicalLatency: latency
        )
    }
}
