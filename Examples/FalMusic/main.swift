// Generates a track with fal's beatoven/music-generation, prints the queue position and each new
// log line as the request moves, and downloads the WAV.
//
//     FAL_KEY=… swift run FalMusic "Jazz music for a late-night restaurant setting" 30
//
// Options: --out <folder>, --priority low, --queue-url <url> and --rest-url <url> (a proxy or the
// local emulator: `python3 Tests/Emulator/emulator.py --port 8089`, then
// `FAL_KEY=test-fal-id:test-fal-secret swift run FalMusic --queue-url http://127.0.0.1:8089/fal/queue
//  --rest-url http://127.0.0.1:8089/fal/rest "jazz" 10`).
import Foundation
import MediaGenCore
import MediaGenFal

/// The command line: options anywhere, then the prompt and the length in seconds.
struct Options {
    var output = URL(fileURLWithPath: "outputs", isDirectory: true)
    var queueURL: URL?
    var restURL: URL?
    var priority: FalQueuePriority?
    var prompt = ""
    var seconds: Double?

    init?(_ arguments: [String]) {
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--out": rest.popFirst().map { output = URL(fileURLWithPath: $0, isDirectory: true) }
            case "--queue-url": queueURL = rest.popFirst().flatMap(URL.init(string:))
            case "--rest-url": restURL = rest.popFirst().flatMap(URL.init(string:))
            case "--priority": priority = rest.popFirst().flatMap(FalQueuePriority.init(rawValue:))
            default: positional.append(argument)
            }
        }
        guard let prompt = positional.first else { return nil }
        self.prompt = prompt
        self.seconds = positional.dropFirst().first.flatMap(Double.init)
    }
}

guard let options = Options(Array(CommandLine.arguments.dropFirst())) else {
    print("usage: FalMusic [--out folder] [--priority low] [--queue-url url] [--rest-url url] <prompt> [seconds]")
    exit(2)
}

// The key comes from FAL_KEY (or FAL_KEY_ID + FAL_KEY_SECRET).
let fal = FalClient(queueURL: options.queueURL, restURL: options.restURL)
let input = BeatovenInput(
    prompt: options.prompt,
    duration: options.seconds.map { .milliseconds(Int64($0 * 1000)) }
)
do {
    // Checked here, before anything is sent or charged.
    try FalApp.beatovenMusicGeneration.validate(input)
    let submitted = try await fal.createRequest(.beatovenMusicGeneration, input: input, priority: options.priority)
    print("submitted \(submitted.requestID)")

    var lastPosition: Int?
    var printedLines = 0
    var final = submitted
    // One element per change: a new queue position, new log lines, a new status.
    for try await update in fal.updates(of: submitted) {
        if let position = update.status.queuePosition, position != lastPosition {
            print("queue position \(position)")
            lastPosition = position
        }
        for line in update.logs.dropFirst(printedLines) {
            print("  \(line.message)")
        }
        printedLines = max(printedLines, update.logs.count)
        final = update
    }

    switch final.status {
    case .succeeded:
        let music = try final.output.map { try $0.decode(as: BeatovenOutput.self) }
        if let seconds = music?.metadata?.duration { print("generated \(seconds) s of music") }
        for file in final.outputs {
            let saved = try await file.download(to: options.output, configuration: fal.configuration)
            print("saved \(saved.path)")
        }
    case .failed:
        print("failed: \(final.status.failure?.description ?? final.rawStatus)")
        exit(1)
    default:
        print("ended \(final.rawStatus)")
        exit(1)
    }
} catch let error as MediaGenError {
    print(error)
    exit(1)
}
