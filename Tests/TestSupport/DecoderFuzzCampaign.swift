import Foundation
import MediaGenTesting
import Testing

/// One way a fixture reaches a provider's decoders: answered with a status to a client call, or
/// delivered to a webhook decoder.
public struct FuzzTarget<Client>: Sendable, CustomStringConvertible {
    public let fixture: String
    public let route: DecoderFuzzTally.Route
    public let call: String
    /// What the unmutated fixture gives: `decoded`, or an error kind's label.
    public let pristine: String
    public let run: @Sendable (Client, Data) async throws -> Void

    public init(
        fixture: String, route: DecoderFuzzTally.Route, call: String, pristine: String,
        run: @escaping @Sendable (Client, Data) async throws -> Void
    ) {
        self.fixture = fixture
        self.route = route
        self.call = call
        self.pristine = pristine
        self.run = run
    }

    public var description: String {
        switch route {
        case .answer(let status): "\(call) answered \(status) with \(fixture)"
        case .delivery: "\(call) of \(fixture)"
        }
    }
}

/// A provider's decoder fuzzing: its targets, and a client over a transport answering every request
/// with a given body. Each provider's suite lists its targets; the checks are the same for all.
public struct DecoderFuzzCampaign<Client>: Sendable {
    public let provider: String
    public let seed: UInt64
    public let minimumMutations: Int
    public let targets: [FuzzTarget<Client>]
    public let client: @Sendable (Data, DecoderFuzzTally.Route) -> Client

    public init(
        provider: String, seed: UInt64, minimumMutations: Int = 10_000, targets: [FuzzTarget<Client>],
        client: @escaping @Sendable (Data, DecoderFuzzTally.Route) -> Client
    ) {
        self.provider = provider
        self.seed = seed
        self.minimumMutations = minimumMutations
        self.targets = targets
        self.client = client
    }

    /// Runs `target` against a client answering `body`.
    public func outcome(of target: FuzzTarget<Client>, body: Data) async -> Result<Void, any Error> {
        let client = client(body, target.route)
        return await TestSupport.outcome { try await target.run(client, body) }
    }

    /// Expects the unmutated fixture to keep the contract and give its documented outcome.
    public func expectPristineOutcome(
        of target: FuzzTarget<Client>, body: Data, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let result = await outcome(of: target, body: body)
        let (label, breach) = DecoderFuzzTally.classify(result, route: target.route, body: body)
        #expect(breach == nil, "\(target): \(breach ?? "")", sourceLocation: sourceLocation)
        #expect(label == target.pristine, "\(target): \(result)", sourceLocation: sourceLocation)
    }

    /// Feeds at least `minimumMutations` mutants, spread over every target in whole rounds, prints the
    /// summary line and expects no contract breach.
    public func expectMutantsDecodeOrFailTyped(
        fixture: (String) throws -> Data, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let mutator = JSONMutator(seed: seed)
        let bodies = try Dictionary(uniqueKeysWithValues: Set(targets.map(\.fixture)).map { ($0, try fixture($0)) })
        let count = (minimumMutations + targets.count - 1) / targets.count * targets.count
        let started = ContinuousClock.now
        let tally = await DecoderFuzzTally.run(count: count, of: targets) { index, target in
            let mutant = mutator.mutant(index, of: bodies[target.fixture] ?? Data())
            return (await outcome(of: target, body: mutant.data), target.route, mutant, "\(target)")
        }
        let summary = tally.summary(
            provider: provider, fixtures: bodies.count, calls: targets.count, elapsed: ContinuousClock.now - started)
        print(summary)
        #expect(tally.mutations >= minimumMutations, sourceLocation: sourceLocation)
        #expect(tally.violations == 0, "\(summary)", sourceLocation: sourceLocation)
        #expect(tally.decoded > 0 && tally.decodingErrors > 0, "\(summary)", sourceLocation: sourceLocation)
    }
}
