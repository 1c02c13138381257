// Makes a music video with BeatAPI from reference images, a song, a prompt and a language; prints
// each status change and downloads the video when it is done.
//
//     BEATAPI_API_KEY=… swift run BeatAPIMusicVideo \
//         --image https://cdn.example.com/singer-reference.png \
//         --audio https://cdn.example.com/song-preview.mp3 \
//         --language en --resolution 720p \
//         "Neon rooftop performance with metro cutaways and cinematic light trails."
//
// `--image` may be repeated. An `--image` or `--audio` that is not a URL is a local file: it is
// uploaded first. Options: --out <folder> (default outputs/), --base-url <url> (a proxy or the
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
    var output = URL(fileURLWithPath: "outputs", isDirectory: true)
    var baseURL: URL?
    var testHosts: Set<String> = []
    var prompt = ""

    init?(_ arguments: [String]) {
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--image": rest.popFirst().map { images.append(Self.source($0)) }
            case "--audio": audio = rest.popFirst().map(Self.source)
            case "--language": language = rest.popFirst().map { BeatAPILanguage(rawValue: $0) }
            case "--resolution": resolution = rest.popFirst().map { BeatAPIResolution(rawValue: $0) }
            case "--out": rest.popFirst().map { output = URL(fileURLWithPath: $0, isDirectory: true) }
            case "--base-url": baseURL = rest.popFirst().flatMap(URL.init(string:))
            case "--allow-test-host": if let host = rest.popFirst() { testHosts.insert(host) }
            default: positional.append(argument)
            }
        }
        guard positional.count == 1, !images.isEmpty, audio != nil, language != nil else { return nil }
        prompt = positional[0]
    }

    /// A URL when the text has a scheme, else a local file to upload.
    static func source(_ text: String) -> FileSource {
        if text.contains("://"), let url = URL(string: text) { return .url(url) }
        return .file(URL(fileURLWithPath: text))
    }
}

guard let options = Options(Array(CommandLine.arguments.dropFirst())),
    let audio = options.audio, let language = options.language
else {
    print(
        """
        usage: BeatAPIMusicVideo --image <url|file> [--image …] --audio <url|file> --language <code>
                                 [--resolution 540p|720p|1080p] [--out folder] [--base-url url]
                                 [--allow-test-host host] <prompt>
        """)
    exit(2)
}

let beatAPI = BeatAPIClient(
    configuration: ClientConfiguration(baseURL: options.baseURL), allowedTestHosts: options.testHosts)
let input = MusicVideoInput(
    images: options.images, audio: audio, prompt: options.prompt, language: language,
    resolution: options.resolution)
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
    let task = try await beatAPI.run(input, policy: BeatAPIClient.documentedPolling) { update in
        let reserved = update.usage?.creditsReserved.map { ", \($0) reserved" } ?? ""
        print("[\(update.rawStatus)] \(update.id)\(reserved)")
    }
    if let reason = task.status.actionReason {
        print("BeatAPI stopped at \(reason): finish the task in BeatAPI, then follow \(task.id) again.")
        exit(0)
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
