import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal
import MediaGenSkytells
import MediaGenTesting

/// What one create-and-wait returned.
struct RunResult: Sendable {
    /// The id the create returned, when it returned.
    var createdID: String?
    /// The error, when the run failed with the SDK's own error type.
    var error: MediaGenError?
    /// Any other error, as text (never expected).
    var untyped: String?
    /// Every text the error turns into, for the secret scan.
    var errorTexts: [String] = []
    /// Whether the task the create returned exists at the emulator.
    var createdIDExists = false
    var counts = FaultInjector.Counts()

    init(createdID: String? = nil, error: (any Error)? = nil) {
        self.createdID = createdID
        if let error {
            self.error = error as? MediaGenError
            self.untyped = self.error == nil ? String(describing: error) : nil
            self.errorTexts = SecretScan.texts(of: error)
        }
    }

    var outcome: Outcome {
        if untyped != nil { return .untyped }
        guard let error else { return .succeeded }
        switch error.kind {
        case .outcomeUnknown: return .outcomeUnknown
        case .timeout: return .timeout
        case .server: return .server
        case .rateLimited: return .rateLimited
        case .network: return .network
        case .invalidRequest: return .invalidRequest
        case .decoding: return .decoding
        default: return .otherKind
        }
    }
}

/// A provider as the reliability suite drives it: its client over the emulator and one paid
/// create-and-wait through the shared ``MediaClient`` protocol.
struct ProviderUnderTest: Sendable {
    /// The emulator's name for the provider (its stats key and fault filter).
    let name: String
    let displayName: String
    let faults: [FaultSpec]
    /// Whether its creates carry an idempotency key (then an unknown outcome must name it).
    let keyed: Bool
    /// The emulator plan of every task (`X-Emulator-Script`): queued at creation, finished at
    /// the first poll — the one a poll fault hits — so that a run costs few requests.
    let script: String
    /// One create-and-wait on a fresh client with this configuration.
    let run: @Sendable (Emulator, ClientConfiguration) async -> RunResult

    static let all: [ProviderUnderTest] = [skytells, fal, beatAPI, beatra]

    static let skytells = ProviderUnderTest(
        name: "skytells", displayName: "Skytells", faults: FaultTable.skytells, keyed: false,
        script: "queued,succeeded"
    ) { emulator, configuration in
        var configuration = configuration
        configuration.baseURL = emulator.skytellsBaseURL
        let client = SkytellsClient(apiKey: Emulator.skytellsKey, configuration: configuration)
        return await createAndWait(client) {
            try await $0.generateMusic(MusicRequest(prompt: "lo-fi", duration: .seconds(5)))
        }
    }

    static let fal = ProviderUnderTest(
        name: "fal", displayName: "fal", faults: FaultTable.fal, keyed: false,
        script: "IN_QUEUE,COMPLETED"
    ) { emulator, configuration in
        // The matrix faults the status reads, so fal is followed by polling here; the status
        // stream and its fall back to polling under faults are FalStatusStreamIntegrationTests'.
        var configuration = configuration
        configuration.statusStreaming = false
        let client = FalClient(
            apiKey: Emulator.falKey, queueURL: emulator.falQueueURL, restURL: emulator.falRestURL,
            configuration: configuration)
        return await createAndWait(client) {
            try await $0.generateMusic(MusicRequest(prompt: "jazz", duration: .seconds(5)))
        }
    }

    static let beatAPI = ProviderUnderTest(
        name: "beatapi", displayName: "BeatAPI", faults: FaultTable.beatAPI, keyed: true,
        script: "queued,succeeded"
    ) { emulator, configuration in
        var configuration = configuration
        configuration.baseURL = emulator.beatAPIBaseURL
        let client = BeatAPIClient(apiKey: Emulator.beatAPIKey, configuration: configuration)
        return await createAndWait(client) { try await $0.createTask(musicVideo) }
    }

    static let beatra = ProviderUnderTest(
        name: "beatra", displayName: "Beatra", faults: FaultTable.beatra, keyed: true,
        script: "queued,succeeded"
    ) { emulator, configuration in
        let client = BeatraClient(
            apiKey: Emulator.beatraKey, baseURL: emulator.beatraBaseURL, configuration: configuration, environment: [:])
        return await createAndWait(client) {
            try await $0.createTask(BeatraMusicRequest(model: .minimaxMusic26, prompt: "dream pop"))
        }
    }

    /// The seed's music video (its images and audio are never fetched by the emulator).
    static let musicVideo = MusicVideoInput(
        imageURLs: [URL(string: "https://cdn.example.com/singer.png")].compactMap { $0 },
        audioURL: URL(string: "https://cdn.example.com/song.mp3") ?? URL(fileURLWithPath: "/"),
        prompt: "Neon rooftop performance with metro cutaways.",
        language: .english,
        resolution: .p720
    )

    /// Creates a task, then waits for it; a failure keeps the id the create returned.
    static func createAndWait<Client: MediaClient>(
        _ client: Client,
        create: @Sendable (Client) async throws -> Client.RemoteTask
    ) async -> RunResult {
        let created: Client.RemoteTask
        do {
            created = try await create(client)
        } catch {
            return RunResult(error: error)
        }
        do {
            let done = try await client.wait(for: created)
            guard done.id == created.id else {
                return RunResult(createdID: created.id, error: WrongTask(created: created.id, finished: done.id))
            }
            return RunResult(createdID: created.id)
        } catch {
            return RunResult(createdID: created.id, error: error)
        }
    }
}

/// The wait finished another task than the one created: never expected, counted as untyped.
struct WrongTask: Error, CustomStringConvertible {
    let created: String
    let finished: String
    var description: String { "waited for \(created), got \(finished)" }
}
