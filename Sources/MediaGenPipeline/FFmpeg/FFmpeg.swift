import Foundation
import MediaGenCore

/// ffmpeg and ffprobe on this machine: probe media, and merge a video with a music track.
///
/// ```swift
/// let ffmpeg = try FFmpeg.locate()              // FFMPEG_PATH, then PATH
/// let merged = try await ffmpeg.merge(
///     video: URL(fileURLWithPath: "video.mp4"),
///     audio: URL(fileURLWithPath: "music.mp3"),
///     to: URL(fileURLWithPath: "scene_with_music.mp4"),
///     options: MergeOptions(loopAudio: true, fadeOut: .seconds(2)))
/// ```
///
/// By default the merge is the BeatFusion guide's: `-c:v copy -c:a aac -shortest` — the video is copied as
/// is, the audio encoded to AAC, and the output stops with the shorter input. The inputs are
/// probed first, so a file that is not media fails with a clear error before ffmpeg runs. The
/// output is written beside its destination under a temporary name and renamed into place when
/// ffmpeg succeeds: a failed or cancelled merge never leaves a half-written file.
public struct FFmpeg: Hashable, Sendable {
    public let executable: URL
    public let probeExecutable: URL

    public init(executable: URL, probeExecutable: URL) {
        self.executable = executable
        self.probeExecutable = probeExecutable
    }

    /// Finds ffmpeg and ffprobe: `FFMPEG_PATH` (the ffmpeg binary, or the folder holding both)
    /// first, then each folder of `PATH`. When neither has them, throws a `MediaGenError` of kind
    /// `.needsFFmpeg` that lists where it looked and how to install ffmpeg.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(MediaGenError) -> FFmpeg {
        var folders: [URL] = []
        var searched: [String] = []
        if let configured = environment["FFMPEG_PATH"], !configured.isEmpty {
            let url = URL(fileURLWithPath: configured)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                let probe = url.deletingLastPathComponent().appendingPathComponent("ffprobe")
                if FileManager.default.isExecutableFile(atPath: url.path),
                    FileManager.default.isExecutableFile(atPath: probe.path)
                {
                    return FFmpeg(executable: url, probeExecutable: probe)
                }
                searched.append("FFMPEG_PATH=\(configured)")
            } else {
                folders.append(url)
            }
        }
        folders += (environment["PATH"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        for folder in folders {
            let ffmpeg = folder.appendingPathComponent("ffmpeg")
            let ffprobe = folder.appendingPathComponent("ffprobe")
            if FileManager.default.isExecutableFile(atPath: ffmpeg.path),
                FileManager.default.isExecutableFile(atPath: ffprobe.path)
            {
                return FFmpeg(executable: ffmpeg, probeExecutable: ffprobe)
            }
            searched.append(folder.path)
        }
        throw .needsFFmpeg("no ffmpeg with ffprobe beside it in FFMPEG_PATH or PATH", searched: searched)
    }

    /// The duration and streams of a media file.
    public func probe(_ file: URL) async throws -> MediaProbe {
        let outcome = try await ProcessRunner.run(
            probeExecutable,
            [
                "-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,duration", "-of", "json",
                file.path,
            ]
        )
        guard outcome.status == 0 else {
            let reason = outcome.errorTail.trimmingCharacters(in: .whitespacesAndNewlines)
            throw MediaGenError.unreadableMedia(
                file, reason: reason.isEmpty ? "ffprobe exited with \(outcome.status)" : reason)
        }
        do {
            return try MediaProbe(ffprobeJSON: outcome.standardOutput)
        } catch {
            throw MediaGenError.unreadableMedia(file, reason: "ffprobe's answer was not understood: \(error)")
        }
    }

    /// Merges `video` (its first video stream) with `audio` (its first audio stream) into `output`,
    /// replacing it if it exists. Returns `output`.
    @discardableResult
    public func merge(video: URL, audio: URL, to output: URL, options: MergeOptions = MergeOptions()) async throws
        -> URL
    {
        let videoProbe = try await probe(video)
        guard videoProbe.hasVideo else { throw MediaGenError.missingStream(video, expected: "video") }
        let audioProbe = try await probe(audio)
        guard audioProbe.hasAudio else { throw MediaGenError.missingStream(audio, expected: "audio") }

        let partial = try PartialOutput(for: output)
        defer { partial.discard() }

        let arguments = Self.mergeArguments(
            video: video,
            audio: audio,
            output: partial.file,
            options: options,
            outputDuration: Self.outputDuration(
                video: videoProbe.duration, audio: audioProbe.duration, options: options)
        )
        let outcome = try await ProcessRunner.run(executable, arguments)
        guard outcome.status == 0 else {
            throw MediaGenError.ffmpegFailed(status: outcome.status, outputTail: outcome.errorTail)
        }
        try partial.commit()
        return output
    }

    /// How long the merged file will last: the video's length when the audio loops, else the shorter.
    static func outputDuration(video: Duration?, audio: Duration?, options: MergeOptions) -> Duration? {
        guard let video else { return nil }
        guard !options.loopAudio, let audio else { return video }
        return min(video, audio)
    }

    /// The ffmpeg command line for a merge (exposed to the tests; the order of options matters).
    static func mergeArguments(
        video: URL,
        audio: URL,
        output: URL,
        options: MergeOptions,
        outputDuration: Duration?
    ) -> [String] {
        var arguments = ["-y", "-hide_banner", "-nostdin", "-i", video.path]
        if options.loopAudio { arguments += ["-stream_loop", "-1"] }
        arguments += ["-i", audio.path, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac"]
        var filters: [String] = []
        if let volume = options.volume { filters.append("volume=\(Self.decimal(volume))") }
        if let fade = options.fadeOut, fade > .zero, let total = outputDuration {
            let start = max(.zero, total - fade)
            filters.append("afade=t=out:st=\(Self.decimal(start.seconds)):d=\(Self.decimal(fade.seconds))")
        }
        if !filters.isEmpty { arguments += ["-af", filters.joined(separator: ",")] }
        arguments += ["-shortest", "-movflags", "+faststart", output.path]
        return arguments
    }

    private static func decimal(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
