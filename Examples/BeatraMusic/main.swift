// Generates music with Beatra — from a prompt, or from reference audio plus a prompt — prints
// progress as the task moves, and downloads every clip.
//
//     BEATRA_API_KEY=… swift run BeatraMusic "dream pop, warm analog drums, bright chorus"
//     BEATRA_API_KEY=… swift run BeatraMusic --model minimax-music-2.6 --lyrics "[Verse] City lights" "synth pop"
//     BEATRA_API_KEY=… swift run BeatraMusic --reference reference.mp3 "turn this into polished synth pop"
//     BEATRA_API_KEY=… swift run BeatraMusic --reference https://cdn.example.com/ref.mp3 "a jazz cover"
//
// A local --reference file is uploaded first (streamed from disk) and used by artifact id; an
// https:// URL is sent as is, for Beatra to fetch. Options: --model suno-5.5|minimax-music-2.6,
// --lyrics <text>, --title <text>, --instrumental, --out <folder>, --base-url <url> (else
// BEATRA_BASE_URL, else https://api.beatra.ai/v1). Against the local emulator:
// `python3 Tests/Emulator/emulator.py --port 8089`, then
// `BEATRA_API_KEY=test-beatra-key swift run BeatraMusic --base-url http://127.0.0.1:8089/beatra/v1 "jazz"`.
import Foundation
import MediaGenBeatra
import MediaGenCore

/// The command line: options anywhere, then the prompt.
struct Options {
    var model = BeatraModelID.suno55
    var lyrics: String?
    var title: String?
    var instrumental: Bool?
    var reference: String?
    var output = URL(fileURLWithPath: "outputs", isDirectory: true)
    var baseURL: URL?
    var prompt = ""

    init?(_ arguments: [String]) {
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--model": rest.popFirst().map { model = BeatraModelID(rawValue: $0) }
            case "--lyrics": lyrics = rest.popFirst()
            case "--title": title = rest.popFirst()
            case "--instrumental": instrumental = true
            case "--reference": reference = rest.popFirst()
            case "--out": rest.popFirst().map { output = URL(fileURLWithPath: $0, isDirectory: true) }
            case "--base-url": baseURL = rest.popFirst().flatMap(URL.init(string:))
            default: positional.append(argument)
            }
        }
        guard !positional.isEmpty else { return nil }
        self.prompt = positional.joined(separator: " ")
    }

    /// A URL is sent for Beatra to fetch (only HTTPS is accepted); anything else is a local file to upload.
    var referenceAudio: ReferenceAudio? {
        guard let reference else { return nil }
        if let url = URL(string: reference), ["https", "http"].contains(url.scheme?.lowercased() ?? "") {
            return .url(url)
        }
        return .file(.file(URL(fileURLWithPath: reference)))
    }
}

guard let options = Options(Array(CommandLine.arguments.dropFirst())) else {
    print(
        """
        usage: BeatraMusic [--model suno-5.5|minimax-music-2.6] [--lyrics text] [--title text] [--instrumental]
                           [--reference file-or-https-url] [--out folder] [--base-url url] <prompt>
        """)
    exit(2)
}

let beatra = BeatraClient(baseURL: options.baseURL)
let request = BeatraMusicRequest(
    model: options.model,
    prompt: options.prompt,
    lyrics: options.lyrics,
    instrumental: options.instrumental,
    title: options.title
)
do {
    if let cost = beatra.estimateCost(of: request) {
        print("\(options.model) costs \(cost) per task (debited on create, refunded on failure)")
    }
    if case .file(.file(let file, _)) = options.referenceAudio {
        print("uploading \(file.path) first …")
    }
    let task = try await beatra.run(request, referenceAudio: options.referenceAudio) { update in
        let percent = update.progress?.percent.map { String(format: " %3.0f %%", $0) } ?? ""
        let message = update.progress?.message.map { " — \($0)" } ?? ""
        print("[\(update.rawStatus)\(percent)] \(update.id)\(message)")
    }
    if let billing = task.billing, let charged = billing.charged {
        print("charged \(charged)")
    }
    for clip in task.clips {
        let saved = try await clip.file.download(to: options.output, configuration: beatra.configuration)
        print("saved \(saved.path) (artifact \(clip.artifactID ?? "unknown"))")
    }
} catch let error as MediaGenError {
    print(error)
    exit(1)
}
