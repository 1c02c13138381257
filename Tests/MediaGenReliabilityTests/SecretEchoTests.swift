import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal
import MediaGenSkytells
import MediaGenTesting
import Testing

/// A server that echoes the caller's key — in every error field any provider uses, in the
/// request-id headers, at every offset, in JSON and in a plain body cut by the error snippet —
/// never gets it into anything the SDK prints, logs or records. Random keys (a fresh one per
/// case), through the real transport against the emulator's `echo-secret` fault.
@Suite(
    "Echoed secrets never leave in text",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct SecretEchoTests {
    enum Client: String, CaseIterable, Sendable {
        case skytells, fal, beatAPI, beatra
    }

    /// Offsets of the key into the echoed text: the start, the middle, and around the 200-character
    /// cut of an error's body snippet (the plain body starts with the text itself).
    static let offsets = [0, 1, 37, 150, 180, 185, 190, 195, 198, 199, 200, 201, 205, 240]

    /// A key of upper-case letters and digits (the emulator's filler is lower-case), so that any
    /// part of it found in a text came from the key. fal's is `id:secret`.
    static func randomKey(for client: Client) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        func part(_ count: Int) -> String { String((0..<count).map { _ in alphabet.randomElement() ?? "K" }) }
        return client == .fal ? "\(part(20)):\(part(32))" : "SK\(part(Int.random(in: 24...48)))"
    }

    /// Every piece of the key long enough to identify it: any 8 consecutive characters of each part.
    static func fragments(of key: String) -> [String] {
        key.split(separator: ":").flatMap { part -> [String] in
            let characters = Array(part)
            guard characters.count >= 8 else { return [String(part)] }
            return (0...(characters.count - 8)).map { String(characters[$0..<($0 + 8)]) }
        }
    }

    /// One read through `client`, answered by the echo fault, with a logging middleware and a
    /// recording transport around the real one. Returns every text the call produced.
    func texts(_ emulator: Emulator, client: Client, key: String, fault: String) async throws -> [String] {
        let lines = Locked<[String]>([])
        let recorder = RecordingTransport(wrapping: URLSessionTransport())
        let configuration = ClientConfiguration(
            retry: .none, middleware: [LoggingMiddleware { line in lines.withLock { $0.append(line) } }],
            transport: recorder, clock: ImmediateClock(), additionalHeaders: ["X-Emulator-Fault": fault])
        let thrown: (any Error)?
        do {
            switch client {
            case .skytells:
                var skytells = configuration
                skytells.baseURL = emulator.skytellsBaseURL
                _ = try await SkytellsClient(apiKey: key, configuration: skytells).prediction(id: "pred_echo")
            case .fal:
                let fal = FalClient(
                    apiKey: key, queueURL: emulator.falQueueURL, restURL: emulator.falRestURL,
                    configuration: configuration)
                _ = try await fal.request(try fal.handle(app: "fal-ai/echo", requestID: "req_echo"))
            case .beatAPI:
                var beatAPI = configuration
                beatAPI.baseURL = emulator.beatAPIBaseURL
                _ = try await BeatAPIClient(apiKey: key, configuration: beatAPI).task(id: "task_echo")
            case .beatra:
                _ = try await BeatraClient(
                    apiKey: key, baseURL: emulator.beatraBaseURL, configuration: configuration, environment: [:]
                ).task(id: "task_echo")
            }
            thrown = nil
        } catch {
            thrown = error
        }
        let error = try #require(thrown, "the echo fault must fail the call")
        #expect(error is MediaGenError)
        var dumped = ""
        dump(error, to: &dumped)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("echo-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try recorder.cassette.write(to: file)
        let cassette = try String(contentsOf: file, encoding: .utf8)
        var texts = [
            String(describing: error), String(reflecting: error), error.localizedDescription, dumped, cassette,
        ]
        if let media = error as? MediaGenError {
            texts += [media.message, media.providerCode ?? "", media.requestID ?? ""]
            texts += [media.kind.field, media.kind.reason, media.kind.snippet].compactMap { $0 }
        }
        texts += lines.current
        // Bodies a cassette keeps as base64 are checked as the bytes they encode.
        let recorded = try JSONDecoder().decode(JSONValue.self, from: Data(cassette.utf8))
        for interaction in recorded["interactions"]?.arrayValue ?? [] {
            for side in ["request", "response"] {
                if let encoded = interaction[side]?["base64"]?.stringValue, let bytes = Data(base64Encoded: encoded) {
                    texts.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        return texts
    }

    @Test(arguments: Client.allCases, ["json", "text"])
    func anEchoedKeyAppearsInNoTextAtAnyOffset(client: Client, format: String) async throws {
        try await Emulator.run { emulator in
            for offset in Self.offsets {
                let key = Self.randomKey(for: client)
                let status = offset.isMultiple(of: 2) ? 400 : 500
                let fault = "echo-secret;offset=\(offset);status=\(status)" + (format == "text" ? ";format=text" : "")
                let texts = try await texts(emulator, client: client, key: key, fault: fault)
                let leaks = Self.fragments(of: key).filter { fragment in texts.contains { $0.contains(fragment) } }
                #expect(leaks.isEmpty, "offset \(offset), \(fault): \(leaks.prefix(3)) found in the texts")
            }
        }
    }
}
