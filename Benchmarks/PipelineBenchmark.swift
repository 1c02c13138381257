import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenPipeline
import MediaGenSkytells

/// Figure 10: the whole pipeline. `MultimediaPipeline.make` against the emulator's Skytells,
/// whose video takes 60 s and music 30 s of job time (played 10× faster, as figure 3 plays its
/// long job: the emulator's timelines are divided by 10 and the clients get a clock whose sleeps
/// are), with real downloads and the real merge.
///
/// The limit is what no client could beat: the later of the two tasks' completions (the video's,
/// counted from the moment the pipeline started, so never an overestimate), plus the slower of the
/// two downloads and the merge, each measured alone right after. The overhead is the wall time
/// over the limit (target ≤ 5 % of the limit). The seed's sequential script — create both, wait
/// for one then the other, download one by one, merge — is timed the same way, as the reference.
struct PipelineBenchmark {
    static let speedUp = 10
    static let videoJob: Duration = .seconds(60)
    static let musicJob: Duration = .seconds(30)
    static let overheadTarget = 0.05

    func run(_ emulator: Emulator) async throws -> [Report] {
        guard let ffmpeg = try? FFmpeg.locate() else {
            return [
                Report(
                    figure: "10 pipeline", measured: "ffmpeg is not installed (the emulator makes its video with it)",
                    target: "", verdict: .miss)
            ]
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-pipeline-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Once untimed: the emulator makes its clip on first use, and ffmpeg's first start is cold.
        _ = try await pipelineRun(emulator, ffmpeg: ffmpeg, into: directory.appendingPathComponent("warm"))

        let pipeline = try await pipelineRun(emulator, ffmpeg: ffmpeg, into: directory.appendingPathComponent("a"))
        let sequential = try await sequentialRun(emulator, ffmpeg: ffmpeg, into: directory.appendingPathComponent("b"))
        let later = Self.videoJob / Self.speedUp
        let limit = later + pipeline.slowerDownload + pipeline.merge
        let overhead = pipeline.wall - limit
        let fraction = overhead.seconds / limit.seconds
        let sequentialLimit = later + sequential.slowerDownload + sequential.merge
        return [
            Report(
                figure:
                    "10 pipeline, video 60 s + music 30 s of job time (played \(Self.speedUp)× faster), downloads and merge",
                measured:
                    "MultimediaPipeline.make \(Format.duration(pipeline.wall)) against a limit of \(Format.duration(limit)) (the video's completion \(Format.duration(later)) + the slower download \(Format.duration(pipeline.slowerDownload)) + the merge \(Format.duration(pipeline.merge))): overhead \(Format.duration(overhead)), \(Format.fixed(fraction * 100, 1)) %; the seed's sequential script \(Format.duration(sequential.wall)) (limit \(Format.duration(sequentialLimit)), \(Format.fixed((sequential.wall - sequentialLimit).seconds / sequentialLimit.seconds * 100, 1)) % over)",
                target: "overhead ≤ \(Int(Self.overheadTarget * 100)) % of the limit",
                verdict: .init(fraction <= Self.overheadTarget))
        ]
    }

    struct Timing {
        var wall: Duration
        /// The slower of the two outputs' downloads, each measured alone after the run.
        var slowerDownload: Duration
        /// The merge of the two downloaded files, measured alone after the run.
        var merge: Duration
    }

    /// A Skytells client whose tasks the emulator finishes after `job` of job time.
    private func client(_ emulator: Emulator, job: Duration) -> SkytellsClient {
        let finish = Int((job / Self.speedUp).seconds * 1000)
        return SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: emulator.skytellsBaseURL,
                transport: URLSessionTransport(),
                clock: ScaledClock(factor: Self.speedUp),
                additionalHeaders: ["X-Emulator-Timeline": "queued@0,processing@\(finish / 2),succeeded@\(finish)"]
            ),
            environment: [:])
    }

    private var request: (VideoRequest, MusicRequest) {
        (
            VideoRequest(prompt: "A mountain biker at sunset", duration: .seconds(10), aspectRatio: "16:9"),
            MusicRequest(prompt: "Energetic indie rock, 130 BPM", duration: .seconds(30))
        )
    }

    private func pipelineRun(_ emulator: Emulator, ffmpeg: FFmpeg, into folder: URL) async throws -> Timing {
        let pipeline = MultimediaPipeline(
            video: client(emulator, job: Self.videoJob), music: client(emulator, job: Self.musicJob), ffmpeg: ffmpeg)
        let (video, music) = request
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await pipeline.make(
            PipelineRequest(video: video, music: music, output: folder.appendingPathComponent("scene.mp4")))
        let wall = start.duration(to: clock.now)
        return try await alone(
            wall: wall, video: result.video.source, music: result.music.source, ffmpeg: ffmpeg, in: folder)
    }

    /// The seed's script: both created, then waited for one after the other, downloaded one by
    /// one, merged.
    private func sequentialRun(_ emulator: Emulator, ffmpeg: FFmpeg, into folder: URL) async throws -> Timing {
        let videoClient = client(emulator, job: Self.videoJob)
        let musicClient = client(emulator, job: Self.musicJob)
        let (video, music) = request
        let clock = ContinuousClock()
        let start = clock.now
        let videoTask = try await videoClient.generateVideo(video)
        let musicTask = try await musicClient.generateMusic(music)
        let videoDone = try await videoClient.wait(for: videoTask)
        let musicDone = try await musicClient.wait(for: musicTask)
        guard let videoFile = videoDone.outputs.first, let musicFile = musicDone.outputs.first else {
            throw BenchmarkError("a task finished without an output")
        }
        let videoPath = try await videoFile.download(to: folder.appendingPathComponent("video.mp4"))
        let musicPath = try await musicFile.download(to: folder.appendingPathComponent("music.wav"))
        try await MediaMerger(ffmpeg: ffmpeg).merge(
            video: videoPath, audio: musicPath, to: folder.appendingPathComponent("scene.mp4"))
        let wall = start.duration(to: clock.now)
        return try await alone(wall: wall, video: videoFile, music: musicFile, ffmpeg: ffmpeg, in: folder)
    }

    /// Each download and the merge again, alone, for the limit.
    private func alone(wall: Duration, video: RemoteFile, music: RemoteFile, ffmpeg: FFmpeg, in folder: URL)
        async throws -> Timing
    {
        let scratch = folder.appendingPathComponent("alone", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        var start = clock.now
        let videoPath = try await video.download(to: scratch.appendingPathComponent("video.mp4"))
        let videoTime = start.duration(to: clock.now)
        start = clock.now
        let musicPath = try await music.download(to: scratch.appendingPathComponent("music.wav"))
        let musicTime = start.duration(to: clock.now)
        start = clock.now
        try await MediaMerger(ffmpeg: ffmpeg).merge(
            video: videoPath, audio: musicPath, to: scratch.appendingPathComponent("scene.mp4"))
        let merge = start.duration(to: clock.now)
        return Timing(wall: wall, slowerDownload: max(videoTime, musicTime), merge: merge)
    }
}
