// Generates a track with Skytells' BeatFusion, prints progress as the prediction moves, and
// downloads the file before its CDN link expires.
//
//     SKYTELLS_API_KEY=sk-… swift run SkytellsMusic "Lo-fi hip hop, vinyl crackle, 85 BPM" 30
//
// Options: --model beatfusion-1.0, --out <folder>, --base-url <url> (a proxy or the local
// emulator: `python3 Tests/Emulator/emulator.py --port 8089`, then
// `SKYTELLS_API_KEY=test-skytells-key swift run SkytellsMusic --base-url http://127.0.0.1:8089/skytells/v1 "jazz" 10`).
import Foundation
import MediaGenCore
import MediaGenSkytells

/// The command line: options anywhere, then the prompt and the length in seconds.
struct Options {
    var model = SkytellsModelID.beatFusion2
    var output = URL(fileURLWithPath: "outputs", isDirectory: true)
    var baseURL: URL?
    var prompt = ""
    var seconds = 30

    init?(_ arguments: [String]) {
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--model": rest.popFirst().map { model = SkytellsModelID(rawValue: $0) }
            case "--out": rest.popFirst().map { output = URL(fileURLWithPath: $0, isDirectory: true) }
            case "--base-url": baseURL = rest.popFirst().flatMap(URL.init(string:))
            default: positional.append(argument)
            }
        }
        guard let prompt = positional.first else { return nil }
        self.prompt = prompt
        self.seconds = positional.dropFirst().first.flatMap(Int.init) ?? 30
    }
}

guard let options = Options(Array(CommandLine.arguments.dropFirst())) else {
    print("usage: SkytellsMusic [--model id] [--out folder] [--base-url url] <prompt> [seconds]")
    exit(2)
}
let (model, output, seconds) = (options.model, options.output, options.seconds)

let skytells = SkytellsClient(configuration: ClientConfiguration(baseURL: options.baseURL))
let input = BeatFusionInput(prompt: options.prompt, duration: .seconds(seconds))
do {
    // Checks the request (before any charge) and prices it from the catalog.
    let request = MusicRequest(prompt: options.prompt, duration: .seconds(seconds), model: model.rawValue)
    if let cost = try skytells.estimateCost(of: request) {
        print("\(model) for \(seconds) s will cost \(cost)")
    }
    let prediction = try await skytells.run(model, input: input) { update in
        let progress = update.progress.map { String(format: " %3.0f %%", $0 * 100) } ?? ""
        print("[\(update.rawStatus)\(progress)] \(update.id)")
    }
    for file in prediction.outputs {
        let saved = try await file.download(to: output, configuration: skytells.configuration)
        print("saved \(saved.path)")
    }
} catch let error as MediaGenError {
    print(error)
    exit(1)
}
