// Seed 000's multimedia pipeline: a video and matching music generated in parallel, downloaded
// before their links expire, and merged — natively (an MP4 remux, no ffmpeg needed) when the files
// allow, else with FFmpeg.
//
//     swift run Demo                                  # offline, on the bundled cassette, no key
//     SKYTELLS_API_KEY=sk-… swift run Demo            # for real, against Skytells
//
// Offline, the answers Skytells would give are replayed from `Cassettes/seed-000-pipeline.json`
// (real small media files included), time runs 100 times faster, and the merge is real: H.264
// video and MP3 music remuxed into one MP4. Options: --out <file> (default
// outputs/scene_with_music.mp4), --cassette <file> (another recording to replay).
import Foundation
import MediaGenCore
import MediaGenPipeline
import MediaGenSkytells
import MediaGenTesting

/// A clock that sleeps a hundredth of what is asked: the offline demo shows its minutes of
/// polling in seconds, in the same order and at the same pace as a real run.
struct FastForwardClock: Clock {
    private let base = ContinuousClock()
    var now: ContinuousClock.Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {
        try await base.sleep(for: base.now.duration(to: deadline) / 100)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let outputPath = arguments.firstIndex(of: "--out").flatMap {
    arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil
}
let output = URL(fileURLWithPath: outputPath ?? "outputs/scene_with_music.mp4")
let apiKey = ProcessInfo.processInfo.environment["SKYTELLS_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }

let cassettePath = arguments.firstIndex(of: "--cassette").flatMap {
    arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil
}

// Without ffmpeg the merge is native: enough for H.264 video with MP3 or AAC music.
let ffmpeg = try? FFmpeg.locate()
if ffmpeg == nil {
    print("ffmpeg is not installed: the video and music will be remuxed natively (H.264/HEVC with AAC/MP3).")
}

let configuration: ClientConfiguration
if apiKey != nil {
    print("SKYTELLS_API_KEY is set: running against the real Skytells API.")
    configuration = ClientConfiguration()
} else {
    guard
        let cassette = cassettePath.map({ URL(fileURLWithPath: $0) })
            ?? Bundle.module.url(forResource: "seed-000-pipeline", withExtension: "json", subdirectory: "Cassettes")
    else {
        print("The demo's cassette is missing from the build (Examples/Demo/Cassettes).")
        exit(1)
    }
    print("No SKYTELLS_API_KEY: replaying a recorded Skytells session (set the key to run it for real).")
    // Two creates go to the same path: the recorded bodies tell them apart.
    configuration = ClientConfiguration(
        transport: try ReplayTransport(contentsOf: cassette, matching: .body),
        clock: FastForwardClock()
    )
}

let skytells = SkytellsClient(apiKey: apiKey ?? "offline-demo", configuration: configuration)
let pipeline = MultimediaPipeline(video: skytells, music: skytells, ffmpeg: ffmpeg)
let request = PipelineRequest(
    video: VideoRequest(
        prompt: "A mountain biker riding through a pine forest trail at sunset", duration: .seconds(10),
        aspectRatio: "16:9"),
    music: MusicRequest(
        prompt: "Energetic indie rock, electric guitar, driving drums, adventurous, 130 BPM", duration: .seconds(30)),
    output: output
)

func line(_ side: PipelineSide, _ text: String) {
    print("\(side.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(text)")
}

do {
    let cost = try pipeline.estimateCost(request)
    print("Generating video (truefusion-video-pro) and music (beatfusion-2.0) in parallel — estimated \(cost).")
    let started = ContinuousClock.now
    for try await event in pipeline.run(request) {
        switch event {
        case .started(let checkpoint):
            print("created \(checkpoint.video.id) and \(checkpoint.music.id)")
        case .status(let side, let status, let raw, _):
            if let progress = status.progress {
                line(side, "\(raw) \(Int(progress * 100)) %")
            } else {
                line(side, raw)
            }
        case .downloading(let side, let progress):
            if progress.fraction == 1 { line(side, "downloaded \(progress.bytesTransferred) bytes") }
        case .downloaded(let side, let media):
            line(side, "saved \(media.file.path)")
        case .merging:
            print("merging…")
        case .finished(let result):
            let duration = result.merge.duration ?? .zero
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            let streams = result.merge.streams.joined(separator: " + ")
            print("done: \(result.output.path) — \(String(format: "%.1f", seconds)) s, \(streams)")
            print(result.merge)
            let elapsed = (ContinuousClock.now - started).components
            let took = String(format: "%.1f s", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
            print(
                apiKey == nil
                    ? "This run would have cost \(result.cost); replayed in \(took)."
                    : "Cost: \(result.cost); took \(took).")
        }
    }
} catch {
    print("The pipeline failed: \(error)")
    exit(1)
}
