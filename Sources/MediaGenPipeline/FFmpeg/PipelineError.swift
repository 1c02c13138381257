import Foundation
import MediaGenCore

/// Replaced by `MediaGenError`: MediaGenPipeline throws the one error type every client throws, so
/// one `catch` handles a whole pipeline.
///
/// ```swift
/// do {
///     try await MediaMerger.located().merge(video: video, audio: music, to: output)
/// } catch let error as MediaGenError {
///     switch error.kind {
///     case .needsFFmpeg: print("install ffmpeg; looked in", error.kind.searchedPaths ?? [])
///     case .cannotRemux: print("the native merger cannot:", error.kind.reason ?? "")
///     default: print(error)  // one line: what went wrong and what to do
///     }
/// }
/// ```
///
/// Each case became a kind of `MediaGenError`, its data the kind's properties:
///
/// - `ffmpegNotFound(searched:)` and `needsFFmpeg(reason:searched:)`: `.needsFFmpeg`, with
///   `kind.reason` and `kind.searchedPaths`.
/// - `unreadableInput(_:reason:)`: `.unreadableMedia`, with `kind.mediaFile` and `kind.reason`.
/// - `missingStream(_:expected:)`: `.missingStream`, with `kind.mediaFile` and `kind.expectedStream`.
/// - `ffmpegFailed(status:outputTail:)`: `.ffmpegFailed`, with `kind.exitStatus` and `kind.outputTail`.
/// - `cannotWriteOutput(_:reason:)`: `.file`, with `kind.path`; the reason is in `message`.
/// - `cannotRemux(reason:)`: `.cannotRemux`, with `kind.reason`.
/// - `sideFailed(_:error:kept:)`: the side's own error — its kind (`.taskFailed`, `.outcomeUnknown`…),
///   provider and ids as the client threw it — with `error.failedSide` and `error.keptMedia`.
///
/// It is unavailable rather than deprecated: nothing throws it any more, so a `catch` of it would
/// compile and never run.
@available(
    *, unavailable, message: "MediaGenPipeline throws MediaGenError: catch MediaGenError and switch on error.kind"
)
public enum PipelineError: Error, Sendable {
    case ffmpegNotFound(searched: [String])
    case unreadableInput(URL, reason: String)
    case missingStream(URL, expected: String)
    case ffmpegFailed(status: Int32, outputTail: String)
    case cannotWriteOutput(URL, reason: String)
    case cannotRemux(reason: String)
    case needsFFmpeg(reason: String, searched: [String])
    case sideFailed(PipelineSide, error: MediaGenError, kept: GeneratedMedia?)
}
