import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

/// What a decoder fuzz run saw, checked against the SDK's contract as it goes: every call either
/// succeeds or throws `MediaGenError`; a 2xx answer that cannot be read is `.decoding` with the
/// start of the body; an error answer (4xx, 5xx) maps to a kind of its own, with its status.
/// Shared by every provider's test target.
public struct DecoderFuzzTally: Sendable {
    /// How a mutant reached the SDK: as an HTTP answer with this status, or as a webhook delivery.
    public enum Route: Sendable {
        case answer(status: Int)
        /// `allowedKinds`: the error kinds, besides `.decoding`, that the delivery may end in.
        case delivery(allowedKinds: Set<String> = [])
    }

    public private(set) var mutations = 0
    public private(set) var decoded = 0
    public private(set) var decodingErrors = 0
    public private(set) var otherKinds: [String: Int] = [:]
    public private(set) var violations = 0
    /// Contract breaches are recorded as issues up to this many, then only counted.
    public let reportLimit = 20

    public init() {}

    /// The case name of a kind: `decoding`, `rateLimited`, …
    public static func label(_ kind: MediaGenError.Kind) -> String {
        kind.case.description
    }

    /// `decoded`, the error kind's label, or a description of the breach.
    public static func classify(_ outcome: Result<Void, any Error>, route: Route, body: Data) -> (
        String, breach: String?
    ) {
        let error: MediaGenError
        switch outcome {
        case .success: return ("decoded", nil)
        case .failure(let thrown as MediaGenError): error = thrown
        case .failure(let thrown): return ("untyped", "threw \(type(of: thrown)), not MediaGenError: \(thrown)")
        }
        let label = Self.label(error.kind)
        // The one line an app shows must be printable whatever the answer held.
        _ = error.description
        if let snippet = error.kind.snippet {
            // The executor and the webhook decoders keep the start of the body, on one line.
            let start = String(decoding: body.prefix(200), as: UTF8.self)
            if snippet.isEmpty && start.contains(where: { !$0.isNewline }) {
                return (label, "a .decoding error without the body's start: \(error)")
            }
            if case .answer(let status) = route, !(200..<300).contains(status) {
                return (label, "the error answer \(status) became .decoding instead of its own kind: \(error)")
            }
            return (label, nil)
        }
        // A URL the mutated answer handed back that is off the provider's hosts is refused before
        // anything is sent (the key never goes there): the right outcome, not the answer's error.
        if error.kind.case == .invalidRequest, error.kind.field == "url", error.httpStatus == nil {
            return (label, nil)
        }
        switch route {
        case .answer(let status) where error.httpStatus != status:
            return (label, "a .\(label) error that is not the answer's (HTTP \(status)): \(error)")
        case .delivery(let allowed) where !allowed.contains(label):
            return (label, "a delivery signed correctly ended in .\(label): \(error)")
        default:
            return (label, nil)
        }
    }

    /// Counts one outcome; a breach becomes an issue naming the mutant (seed and mutation) and the call.
    public mutating func record(
        _ outcome: Result<Void, any Error>, route: Route, mutant: JSONMutator.Mutant, call: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        mutations += 1
        let (label, breach) = Self.classify(outcome, route: route, body: mutant.data)
        switch label {
        case "decoded": decoded += 1
        case "decoding": decodingErrors += 1
        default: otherKinds[label, default: 0] += 1
        }
        guard let breach else { return }
        violations += 1
        if violations <= reportLimit {
            Issue.record("\(mutant) — \(call): \(breach)", sourceLocation: sourceLocation)
        }
    }

    /// Adds the counts of another part of the run.
    public mutating func merge(_ other: DecoderFuzzTally) {
        mutations += other.mutations
        decoded += other.decoded
        decodingErrors += other.decodingErrors
        otherKinds.merge(other.otherKinds, uniquingKeysWith: +)
        violations += other.violations
    }

    /// Runs `count` mutants, mutant `i` through `targets[i % targets.count]`, in `parts` concurrent
    /// parts (the cooperative pool has a thread per core), and counts what happened.
    public static func run<Target: Sendable>(
        count: Int,
        of targets: [Target],
        parts: Int = 4,
        _ one: @escaping @Sendable (Int, Target) async -> (Result<Void, any Error>, Route, JSONMutator.Mutant, String)
    ) async -> DecoderFuzzTally {
        await withTaskGroup(of: DecoderFuzzTally.self) { group in
            for part in 0..<parts {
                group.addTask {
                    var tally = DecoderFuzzTally()
                    for index in stride(from: part, to: count, by: parts) {
                        let (result, route, mutant, call) = await one(index, targets[index % targets.count])
                        tally.record(result, route: route, mutant: mutant, call: call)
                    }
                    return tally
                }
            }
            var total = DecoderFuzzTally()
            for await part in group { total.merge(part) }
            return total
        }
    }

    /// One line for the run's log, with every count.
    public func summary(provider: String, fixtures: Int, calls: Int, elapsed: Duration) -> String {
        let others = otherKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let seconds = String(
            format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return "Decoder fuzzing, \(provider): \(mutations) mutations of \(fixtures) fixtures through \(calls) calls in "
            + "\(seconds) s: \(decoded) decoded, \(decodingErrors) typed decoding errors, "
            + "\(otherKinds.values.reduce(0, +)) other typed errors (\(others.isEmpty ? "none" : others)), "
            + "\(violations) contract violations"
    }
}

/// Runs `body`, keeping its outcome.
public func outcome(of body: () async throws -> Void) async -> Result<Void, any Error> {
    do {
        try await body()
        return .success(())
    } catch {
        return .failure(error)
    }
}

/// Reads what a decoded task offers, so that its computed properties run on mutated data too.
public func inspect(_ task: some MediaTask) throws {
    _ = (task.handle, task.status, task.rawStatus, task.logs, task.outputs, String(describing: task))
    _ = try JSONEncoder().encode(task.handle)
}

/// The `.json` fixtures of a test target (pass its `Bundle.module`), by name.
public func allFixtureNames(in bundle: Bundle) throws -> [String] {
    let folder = try #require(bundle.url(forResource: "Fixtures", withExtension: nil))
    return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "json" }.map { $0.deletingPathExtension().lastPathComponent }.sorted()
}

/// Runs `body` and returns the `MediaGenError` it throws: `nil` when it returns or throws another type.
public func mediaError(_ body: () async throws -> some Any) async -> MediaGenError? {
    do {
        _ = try await body()
        return nil
    } catch let error as MediaGenError {
        return error
    } catch {
        return nil
    }
}
