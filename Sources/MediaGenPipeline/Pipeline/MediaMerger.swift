import Foundation
import MediaGenCore

/// Merges a video with its music: natively when the two can be remuxed as they are, with ffmpeg
/// otherwise — and says which ran, and why.
///
/// ```swift
/// let merger = MediaMerger.located()    // ffmpeg if installed; the native muxer always
/// let report = try await merger.merge(
///     video: URL(fileURLWithPath: "video.mp4"),     // H.264 or HEVC in MP4/MOV
///     audio: URL(fileURLWithPath: "music.mp3"),     // MP3, or AAC in MP4/M4A
///     to: URL(fileURLWithPath: "scene_with_music.mp4"))
/// print(report)   // merged natively: h264 video and mp3 audio copied as they are, cut to 10.0 s
/// ```
///
/// With ``MergeOptions/Merger-swift.enum/automatic`` (the default), the native muxer runs when
/// the options ask for no filter (no loop, fade or volume) and it can read both files: the video
/// in H.264 or HEVC from an MP4 or MOV, the audio in AAC from an MP4 or M4A, or an MP3. Anything
/// else goes to ffmpeg, and when ffmpeg is missing too the error says what is needed and how to
/// install it. ``MergeOptions/Merger-swift.enum/native`` and ``MergeOptions/Merger-swift.enum/ffmpeg``
/// force one. Either way the output is written beside its destination under a temporary name and
/// renamed into place: a failed merge leaves no file.
public struct MediaMerger: Sendable {
    /// ffmpeg, when installed; `nil` merges natively only.
    public var ffmpeg: FFmpeg?
    /// Where ffmpeg was looked for, when it was not found (for the error that asks for it).
    public var searched: [String]

    public init(ffmpeg: FFmpeg?, searched: [String] = []) {
        self.ffmpeg = ffmpeg
        self.searched = searched
    }

    /// A merger with ffmpeg when `FFmpeg.locate(environment:)` finds it, without otherwise.
    public static func located(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> MediaMerger {
        do {
            return MediaMerger(ffmpeg: try FFmpeg.locate(environment: environment))
        } catch {
            return MediaMerger(ffmpeg: nil, searched: error.kind.searchedPaths ?? [])
        }
    }

    /// Why merging with `options` cannot start without ffmpeg, or `nil` when it may.
    public func ffmpegRequirement(for options: MergeOptions) -> String? {
        guard ffmpeg == nil else { return nil }
        if options.merger == .ffmpeg { return "the ffmpeg merger was chosen in MergeOptions" }
        return NativeMuxer.optionsNeedingFFmpeg(options)
    }

    /// Merges `video` (its first video track) with `audio` (its first audio track) into `output`,
    /// replacing it if it exists.
    @discardableResult
    public func merge(video: URL, audio: URL, to output: URL, options: MergeOptions = MergeOptions()) async throws
        -> MergeReport
    {
        if options.merger == .ffmpeg {
            return try await withFFmpeg(video, audio, output, options, because: "chosen in MergeOptions")
        }
        if let reason = NativeMuxer.optionsNeedingFFmpeg(options) {
            if options.merger == .native { throw MediaGenError.cannotRemux(reason) }
            return try await withFFmpeg(video, audio, output, options, because: reason)
        }
        do {
            let summary = try await Self.remux(video: video, audio: audio, to: output)
            let why =
                options.merger == .native
                ? "chosen in MergeOptions" : "\(summary.streams.joined(separator: " and ")) copied as they are"
            return MergeReport(
                output: output, merger: .native, reason: why, duration: summary.duration, streams: summary.streams)
        } catch let error as MP4Error {
            let reason = "the native muxer does not remux \(error.message)"
            if options.merger == .native { throw MediaGenError.cannotRemux(reason) }
            return try await withFFmpeg(video, audio, output, options, because: reason)
        }
    }

    private func withFFmpeg(
        _ video: URL, _ audio: URL, _ output: URL, _ options: MergeOptions, because reason: String
    ) async throws -> MergeReport {
        guard let ffmpeg else {
            let arguments = FFmpeg.mergeArguments(
                video: video, audio: audio, output: output, options: options, outputDuration: nil)
            let command = (["ffmpeg"] + arguments.dropFirst(3)).joined(separator: " ")
            throw MediaGenError.needsFFmpeg("\(reason); then merge with: \(command)", searched: searched)
        }
        try await ffmpeg.merge(video: video, audio: audio, to: output, options: options)
        let probe = try? await ffmpeg.probe(output)
        return MergeReport(
            output: output, merger: .ffmpeg, reason: reason, duration: probe?.duration,
            streams: probe?.streams.map { "\($0.codec ?? "?") \($0.type)" } ?? [])
    }

    /// The native remux, on a thread of its own: it blocks on the disk for as long as the copy takes.
    private static func remux(video: URL, audio: URL, to output: URL) async throws -> (
        duration: Duration, streams: [String]
    ) {
        let cancelled = Locked(false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread {
                    do {
                        let summary = try NativeMuxer.merge(video: video, audio: audio, to: output) {
                            cancelled.current
                        }
                        continuation.resume(returning: summary)
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }.start()
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
    }
}

/// Which merger ran, and why.
///
/// ```swift
/// let report = try await MediaMerger.located().merge(video: video, audio: music, to: output)
/// if report.merger == .native { print("no ffmpeg needed:", report.reason) }
/// ```
public struct MergeReport: Hashable, Sendable, CustomStringConvertible {
    /// The merger that wrote the file.
    public enum Merger: String, Hashable, Sendable, Codable {
        /// The Foundation-only MP4 muxer: streams copied as they are.
        case native
        /// ffmpeg, with the command line of `FFmpeg.merge(video:audio:to:options:)`.
        case ffmpeg
    }

    /// The merged file.
    public var output: URL
    public var merger: Merger
    /// Why this merger: "h264 video and mp3 audio copied as they are", "WAV (PCM) audio…".
    public var reason: String
    /// How long the output plays, when known.
    public var duration: Duration?
    /// The output's streams, as "h264 video", "aac audio".
    public var streams: [String]

    public init(output: URL, merger: Merger, reason: String, duration: Duration? = nil, streams: [String] = []) {
        self.output = output
        self.merger = merger
        self.reason = reason
        self.duration = duration
        self.streams = streams
    }

    public var description: String {
        let seconds =
            duration.map {
                String(format: ", %.1f s", Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)
            } ?? ""
        return "merged \(merger == .native ? "natively" : "with ffmpeg") (\(reason))\(seconds)"
    }
}
