import Foundation
import MediaGenCore

extension MediaGenError {
    /// The side of a ``MultimediaPipeline`` that failed with this error; `nil` when the error did
    /// not end one side (a merge that failed, an error from a client used on its own).
    ///
    /// ```swift
    /// do {
    ///     _ = try await pipeline.make(request)
    /// } catch let error as MediaGenError {
    ///     if let side = error.failedSide { print("the \(side) failed:", error.kind) }
    ///     if let kept = error.keptMedia { print("kept, already paid for:", kept.file.path) }
    /// }
    /// ```
    ///
    /// The error is the side's own — its kind (`.taskFailed`, `.outcomeUnknown`…), provider and
    /// ids as its client threw it — and its description starts with the side: "the video failed:
    /// Skytells: task failed… The music was kept: /path/music-….mp3."
    public var failedSide: PipelineSide? {
        pipelineFailure.flatMap { PipelineSide(rawValue: $0.side) }
    }

    /// The other side's result when one side of a ``MultimediaPipeline`` failed and the other
    /// finished: downloaded and kept in the request's sources folder, since it was paid for.
    ///
    /// ```swift
    /// if let error = error as? MediaGenError, let kept = error.keptMedia {
    ///     print("kept \(kept.handle.id):", kept.file.path)
    /// }
    /// ```
    public var keptMedia: GeneratedMedia? {
        pipelineFailure?.kept.map { GeneratedMedia(handle: $0.handle, source: $0.source, file: $0.file) }
    }

    /// `error` with the pipeline's context: which side it ended, and what the other side kept.
    static func side(_ side: PipelineSide, failedWith error: MediaGenError, kept: GeneratedMedia?) -> MediaGenError {
        var error = error
        error.pipelineFailure = PipelineFailure(
            side: side.rawValue,
            kept: kept.map {
                KeptMedia(side: side.other.rawValue, handle: $0.handle, source: $0.source, file: $0.file)
            })
        return error
    }

    // MARK: - Media on this machine

    /// ffmpeg is missing and `reason` needs it.
    static func needsFFmpeg(_ reason: String, searched: [String]) -> MediaGenError {
        MediaGenError(.needsFFmpeg(reason: reason, searched: searched), message: reason)
    }

    /// The native merger was forced and cannot do this merge.
    static func cannotRemux(_ reason: String) -> MediaGenError {
        MediaGenError(.cannotRemux(reason: reason), message: "the native merger cannot do this merge: \(reason)")
    }

    static func unreadableMedia(_ file: URL, reason: String) -> MediaGenError {
        MediaGenError(
            .unreadableMedia(file, reason: reason), message: "cannot read \(file.lastPathComponent) as media: \(reason)"
        )
    }

    static func missingStream(_ file: URL, expected: String) -> MediaGenError {
        MediaGenError(
            .missingStream(file, expected: expected),
            message: "\(file.lastPathComponent) has no \(expected) stream to merge")
    }

    static func ffmpegFailed(status: Int32, outputTail: String) -> MediaGenError {
        let lastLines = outputTail.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
        return MediaGenError(
            .ffmpegFailed(status: status, outputTail: outputTail),
            message: "ffmpeg exited with status \(status): \(lastLines)")
    }

    /// A merge's output could not be put in place: a local file error, like a download's.
    static func cannotWrite(_ output: URL, reason: String) -> MediaGenError {
        MediaGenError(.file(path: output.path), message: "cannot write \(output.lastPathComponent): \(reason)")
    }
}

extension PipelineSide {
    /// The other half of the pipeline.
    var other: PipelineSide { self == .video ? .music : .video }
}
