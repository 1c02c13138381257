import Foundation
import MediaGenCore

/// One half of a pipeline.
public enum PipelineSide: String, Hashable, Sendable, Codable, CaseIterable {
    case video, music
}

/// What to make: a video, its music, and where the merged file goes.
///
/// ```swift
/// let request = PipelineRequest(
///     video: VideoRequest(prompt: "A mountain biker riding through a pine forest trail at sunset",
///                         duration: .seconds(10), aspectRatio: "16:9"),
///     music: MusicRequest(prompt: "Energetic indie rock, driving drums, 130 BPM", duration: .seconds(30)),
///     output: URL(fileURLWithPath: "scene_with_music.mp4"))
/// ```
///
/// The generated files are downloaded into `sourcesDirectory` (by default a folder named after the
/// output, beside it) and kept there: they were paid for.
public struct PipelineRequest: Hashable, Sendable {
    public var video: VideoRequest
    public var music: MusicRequest
    public var output: URL
    public var merge: MergeOptions
    public var sourcesDirectory: URL

    public init(
        video: VideoRequest,
        music: MusicRequest,
        output: URL,
        merge: MergeOptions = MergeOptions(),
        sourcesDirectory: URL? = nil
    ) {
        self.video = video
        self.music = music
        self.output = output
        self.merge = merge
        self.sourcesDirectory =
            sourcesDirectory
            ?? output.deletingLastPathComponent()
            .appendingPathComponent("\(output.deletingPathExtension().lastPathComponent)-sources", isDirectory: true)
    }
}

/// A generated file: the task that made it, where the provider served it, and where it is now.
public struct GeneratedMedia: Hashable, Sendable {
    public var handle: TaskHandle
    public var source: RemoteFile
    public var file: URL

    public init(handle: TaskHandle, source: RemoteFile, file: URL) {
        self.handle = handle
        self.source = source
        self.file = file
    }
}

/// Both tasks of a pipeline, once created. Persist it (it is `Codable`) to resume the pipeline
/// after a restart with `MultimediaPipeline.resume(_:request:)`, without paying again.
public struct PipelineCheckpoint: Hashable, Sendable, Codable {
    public var video: TaskHandle
    public var music: TaskHandle

    public init(video: TaskHandle, music: TaskHandle) {
        self.video = video
        self.music = music
    }
}

/// What a pipeline is expected to cost, before it runs.
public struct PipelineCost: Hashable, Sendable, CustomStringConvertible {
    /// `nil` when the provider has not published the model's price.
    public var video: Money?
    public var music: Money?

    /// The sum in US dollars, when both prices are known and convertible.
    public var total: Money? {
        guard let video, let music else { return nil }
        return Money.sum([video, music], in: .usd)
    }

    public var description: String {
        let parts =
            "video \(video.map(String.init(describing:)) ?? "price unknown"), music \(music.map(String.init(describing:)) ?? "price unknown")"
        return total.map { "\($0) (\(parts))" } ?? parts
    }
}

/// The finished pipeline.
public struct PipelineResult: Hashable, Sendable {
    /// The merged file.
    public var output: URL
    public var video: GeneratedMedia
    public var music: GeneratedMedia
    public var cost: PipelineCost
    /// Which merger wrote `output`, and why.
    public var merge: MergeReport
}

/// What a running pipeline reports, in order for each side.
public enum PipelineEvent: Sendable {
    /// Both tasks exist; persist the checkpoint to be able to resume.
    case started(PipelineCheckpoint)
    /// A side's task changed status (or logged something).
    case status(PipelineSide, TaskStatus, rawStatus: String, logs: [TaskLog])
    /// Bytes of a side's output arrived.
    case downloading(PipelineSide, TransferProgress)
    /// A side's output is on disk.
    case downloaded(PipelineSide, GeneratedMedia)
    /// The two files are being merged (natively or with ffmpeg: see ``PipelineResult/merge``).
    case merging
    /// Done.
    case finished(PipelineResult)
}
