import Foundation
import MediaGenCore

/// Why a merge or a pipeline failed, with what is needed to act on it.
///
/// ```swift
/// do {
///     try await ffmpeg.merge(video: video, audio: music, to: output)
/// } catch let error as PipelineError {
///     print(error)   // one line, with the end of ffmpeg's own output when it failed
/// }
/// ```
public enum PipelineError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// ffmpeg (or ffprobe) is not installed where the SDK looked.
    case ffmpegNotFound(searched: [String])
    /// An input could not be read as media (ffprobe's reason).
    case unreadableInput(URL, reason: String)
    /// An input lacks the stream the merge needs (a video without a video stream…).
    case missingStream(URL, expected: String)
    /// ffmpeg ran and failed; `outputTail` is the end of what it printed.
    case ffmpegFailed(status: Int32, outputTail: String)
    /// The output could not be put in place.
    case cannotWriteOutput(URL, reason: String)
    /// The native merger was chosen (``MergeOptions/Merger-swift.enum/native``) but cannot do
    /// this merge: `reason` says what it would take (a codec, a filter…).
    case cannotRemux(reason: String)
    /// The merge needs ffmpeg, which is not installed: `reason` says why, and how to merge once it is.
    case needsFFmpeg(reason: String, searched: [String])
    /// One side of a pipeline failed. The other side's result, when it completed, is kept in
    /// `kept` (its task and downloaded file), so that it need not be paid for twice.
    case sideFailed(PipelineSide, error: MediaGenError, kept: GeneratedMedia?)

    public var description: String {
        switch self {
        case .ffmpegNotFound(let searched):
            return
                "ffmpeg not found (looked in \(searched.joined(separator: ", "))). Install it — `apt-get install -y ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or set FFMPEG_PATH."
        case .unreadableInput(let file, let reason):
            return "cannot read \(file.lastPathComponent) as media: \(reason)"
        case .missingStream(let file, let expected):
            return "\(file.lastPathComponent) has no \(expected) stream to merge"
        case .ffmpegFailed(let status, let tail):
            return
                "ffmpeg failed with status \(status): \(tail.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | "))"
        case .cannotWriteOutput(let file, let reason):
            return "cannot write \(file.path): \(reason)"
        case .cannotRemux(let reason):
            return
                "the native merger cannot do this merge: \(reason). Use MergeOptions(merger: .automatic) with ffmpeg installed."
        case .needsFFmpeg(let reason, let searched):
            let looked = searched.isEmpty ? "" : " (looked in \(searched.joined(separator: ", ")))"
            return
                "this merge needs ffmpeg, which is not installed\(looked): \(reason). Install it — `apt-get install -y ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or set FFMPEG_PATH."
        case .sideFailed(let side, let error, let kept):
            let other = side == .video ? "music" : "video"
            let keptText = kept.map { " The \(other) was kept: \($0.file.path)." } ?? ""
            return "the \(side.rawValue) failed: \(error)\(keptText)"
        }
    }

    public var errorDescription: String? { description }
}
