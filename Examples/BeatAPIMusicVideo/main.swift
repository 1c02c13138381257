// Makes a music video with BeatAPI from reference images and a song (a prompt and a language are
// optional); prints the USD estimate before it creates, each status change, and downloads the video.
//
//     BEATAPI_API_KEY=… swift run BeatAPIMusicVideo \
//         --image https://cdn.example.com/singer-reference.png \
//         --audio https://cdn.example.com/song-preview.mp3 \
//         --language en --resolution 720p \
//         "Neon rooftop performance with metro cutaways and cinematic light trails."
//
// `--image` may be repeated. An `--image`, `--audio` or `--lip-ref` that is not a URL is a local
// file: it is uploaded first. `--tier premium --mode sing --lip-ref face.png` makes a premium video;
// `--manual` stops at the storyboard, prints its shots, then composes them all ($1) — a storyboard
// round trip. Options: --out <folder> (default outputs/), --base-url <url> (a proxy or the
// local emulator: `python3 Tests/Emulator/emulator.py --port 8089`, then
// `BEATAPI_API_KEY=test-beatapi-key swift run BeatAPIMusicVideo --base-url http://127.0.0.1:8089/beatapi/v1 …`),
// --allow-test-host <host> (accept http: and local input URLs on that host, for a test server).
import Foundation
import MediaGenBeatAPI
import MediaGenCore

/// The command line: options anywhere, the prompt as the one positional argument.
struct Options {
    var images: [FileSource] = []
    var audio: FileSource?
    var language: BeatAPILanguage?
    var resolution: BeatAPIResolution?
    var tier: BeatAPIMusicVideoTier?
    var mode: BeatAPIMusicVideoMode?
    var lipReferences: [FileSource] = []
    var manual = false
    var output = URL(fileURLWithPath: "outputs", isDirectory: true)
    var baseURL: URL?
    var testHosts: Set<String> = []
    var prompt: String?

    init?(_ arguments: [String]) {
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--image": rest.popFirst().map { images.append(Self.source($0)) }
            case "--audio": audio = rest.popFirst().map(Self.source)
            case "--language": language = rest.popFirst().map { BeatAPILanguage(rawValue: $0) }
            case "--resolution": resolution = rest.popFirst().map { BeatAPIResolution(rawValue: $0) }
            case "--tier": tier = rest.popFirst().map { BeatAPIMusicVideoTier(rawValue: $0) }
            case "--mode": mode = rest.popFirst().map { BeatAPIMusicVideoMode(rawValue: $0) }
            case "--lip-ref": rest.popFirst().map { lipReferences.append(Self.source($0)) }
            case "--manual": manual = true
            case "--out": rest.popFirst().map { output = URL(fileURLWithPath: $0, isDirectory: true) }
            case "--base-url": baseURL = rest.popFirst().flatMap(URL.init(string:))
            case "--allow-test-host": if let host = rest.popFirst() { testHosts.insert(host) }
            default: positional.append(argument)
            }
        }
        guard positional.count <= 1, audio != nil else { return nil }
        prompt = positional.first
    }

    /// A URL when the text has a scheme, else a local file to upload.
    static func source(_ text: String) -> FileSource {
        if text.contains("://"), let url = URL(string: text) { return .url(url) }
        return .file(URL(fileURLWithPath: text))
    }
}

guard let options = Options(Array(CommandLine.arguments.dropFirst())), let audio = options.audio else {
    print(
        """
        usage: BeatAPIMusicVideo [--image <url|file> …] --audio <url|file> [--language en|zh]
                                 [--resolution 540p|720p|1080p] [--tier standard|premium]
                                 [--mode sing|sing_perform|dance|perform] [--lip-ref <url|file> …]
                                 [--manual] [--out folder] [--base-url url] [--allow-test-host host]
                                 [prompt]
        """)
    exit(2)
}

let beatAPI = BeatAPIClient(
    configuration: ClientConfiguration(baseURL: options.baseURL), allowedTestHosts: options.testHosts)
var input = MusicVideoInput(
    images: options.images, audio: audio, prompt: options.prompt, language: options.language,
    resolution: options.resolution)
input.tier = options.tier
input.premiumMode = options.mode
if options.tier == .premium {
    input.lipReferences = options.lipReferences
} else {
    input.lipReference = options.lipReferences.first
    input.lipSync = options.lipReferences.isEmpty ? nil : true
    input.composeMode = options.manual ? .manual : nil
}
do {
    // Checks every input before anything is uploaded or charged.
    try input.validate(allowedTestHosts: options.testHosts)
    // BeatAPI bills in US dollars by the song's measured length, at a rate it does not publish:
    // the catalog has no estimate, and the created task reports the dollars it reserved.
    if let estimate = beatAPI.estimateCost(of: input) {
        print("estimate: \(estimate)")
    } else {
        print("estimate: unknown (billed in USD by the song's length; the task reports what it reserves)")
    }
    let report: @Sendable (BeatAPITask) -> Void = { update in
        let reserved = update.usage?.creditsReserved.map { ", \($0) reserved" } ?? ""
        print("[\(update.rawStatus)] \(update.id)\(reserved)")
    }
    var task = try await beatAPI.run(input, policy: BeatAPIClient.documentedPolling, onUpdate: report)
    if let reason = task.status.actionReason {
        let shots = task.storyboard?.shots ?? []
        guard options.manual, !shots.isEmpty else {
            print("BeatAPI stopped at \(reason): finish the task in BeatAPI, then follow \(task.id) again.")
            exit(0)
        }
        // The storyboard round trip: look at the shots, then compose them all into the video.
        for shot in shots {
            print("shot \(shot.index ?? 0) \(shot.id): \(shot.lyricText ?? "") (\(shot.durationSeconds ?? 0) s)")
        }
        print("composing \(shots.count) shots for \(BeatAPICatalog.composeCharge)")
        let composing = try await beatAPI.compose(taskID: task.id, shotIDs: shots.map(\.id))
        task = try await beatAPI.wait(for: composing, policy: BeatAPIClient.documentedPolling, onUpdate: report)
    }
    if let settled = task.usage?.creditsSettled { print("settled \(settled)") }
    for file in task.outputs {
        let saved = try await file.download(to: options.output, configuration: beatAPI.configuration)
        print("saved \(saved.path)")
    }
} catch let error as MediaGenError {
    print(error)
    exit(1)
}
