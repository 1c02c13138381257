import Foundation
import Testing

@testable import MediaGenPipeline

/// The native muxer's output checked by ffmpeg itself: clips made by ffmpeg, remuxed natively,
/// probed and decoded, and compared with ffmpeg's own `-c copy -shortest` of the same inputs.
@Suite(
    "Native muxer output, as ffmpeg reads it",
    .enabled(if: MediaFactory.ffmpeg != nil, Comment(rawValue: MediaFactory.skipReason)),
    .timeLimit(.minutes(5))
)
struct NativeMuxerFFmpegTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var video: [String]
        var videoFile: String
        var audio: [String]
        var audioFile: String
        var testDescription: String { name }
    }

    static func video(_ seconds: Double, rate: Int, codec: [String]) -> [String] {
        ["-f", "lavfi", "-i", "testsrc2=duration=\(seconds):size=192x108:rate=\(rate)", "-pix_fmt", "yuv420p"]
            + codec
    }

    static func tone(_ seconds: Double, rate: Int = 44100, codec: [String]) -> [String] {
        ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds):sample_rate=\(rate)"] + codec
    }

    static let x264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "35"]
    static let x265 = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"]

    static let cases: [Case] = [
        Case(
            name: "H.264 shorter than MP3", video: video(3, rate: 24, codec: x264), videoFile: "v.mp4",
            audio: tone(5, codec: ["-c:a", "libmp3lame", "-b:a", "64k"]), audioFile: "a.mp3"),
        Case(
            name: "H.264 longer than AAC in M4A", video: video(5, rate: 30, codec: x264), videoFile: "v.mp4",
            audio: tone(2.5, codec: ["-c:a", "aac", "-b:a", "64k"]), audioFile: "a.m4a"),
        Case(
            name: "HEVC (hvc1) in MOV with MPEG-2 Layer III",
            video: video(3, rate: 25, codec: x265 + ["-tag:v", "hvc1"]),
            videoFile: "v.mov", audio: tone(4, rate: 22050, codec: ["-c:a", "libmp3lame", "-b:a", "32k"]),
            audioFile: "a.mp3"),
        Case(
            name: "H.264 (avc3) with MP3", video: video(2, rate: 24, codec: x264 + ["-tag:v", "avc3"]),
            videoFile: "v.mp4", audio: tone(3, codec: ["-c:a", "libmp3lame"]), audioFile: "a.mp3"),
        Case(
            name: "HEVC (hev1) with AAC", video: video(2, rate: 24, codec: x265 + ["-tag:v", "hev1"]),
            videoFile: "v.mp4", audio: tone(3, rate: 48000, codec: ["-c:a", "aac"]), audioFile: "a.m4a"),
    ]

    struct Stream: Equatable {
        var type: String
        var codec: String
        var duration: Double
    }

    func probe(_ file: URL) async throws -> (streams: [Stream], duration: Double) {
        let (status, text) = try await MediaFactory.ffmpegRun(
            ["-show_entries", "format=duration:stream=codec_type,codec_name,duration", "-of", "json", file.path],
            probe: true)
        #expect(status == 0, "\(text)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let streams = (json["streams"] as? [[String: Any]] ?? []).map { stream in
            Stream(
                type: stream["codec_type"] as? String ?? "", codec: stream["codec_name"] as? String ?? "",
                duration: Double(stream["duration"] as? String ?? "") ?? -1)
        }
        let format = json["format"] as? [String: Any]
        return (streams, Double(format?["duration"] as? String ?? "") ?? -1)
    }

    @Test(arguments: cases)
    func theOutputDecodesAndLastsAsFFmpegsOwnCopy(_ example: Case) async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.make(example.video, folder.appendingPathComponent(example.videoFile))
        let audio = try await MediaFactory.make(example.audio, folder.appendingPathComponent(example.audioFile))
        let native = folder.appendingPathComponent("native.mp4")
        let report = try await MediaMerger(ffmpeg: nil).merge(
            video: video, audio: audio, to: native, options: MergeOptions(merger: .native))
        #expect(report.merger == .native)
        let reference = try await MediaFactory.make(
            ["-i", video.path, "-i", audio.path, "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-shortest"],
            folder.appendingPathComponent("reference.mp4"))

        let (decoded, errors) = try await MediaFactory.ffmpegRun(["-i", native.path, "-f", "null", "-"])
        #expect(decoded == 0 && errors.isEmpty, "\(errors)")

        let ours = try await probe(native)
        let theirs = try await probe(reference)
        #expect(ours.streams.map(\.type) == ["video", "audio"])
        #expect(ours.streams.map(\.codec) == theirs.streams.map(\.codec))
        // Cut to the shorter input within one frame: a video frame for the video, an audio frame
        // for the audio. ffmpeg's own `-c copy -shortest` overshoots the video by a few frames when
        // the audio is the shorter (it stops at its interleaving, not at the audio's end), so it
        // bounds ours from above rather than equalling it.
        let shorter = min(try await probe(video).duration, try await probe(audio).duration)
        let videoFrame = 1.0 / 24
        let audioFrame = 1152.0 / 22050
        #expect(abs(ours.streams[0].duration - shorter) <= videoFrame, "\(ours) vs \(shorter)")
        #expect(abs(ours.streams[1].duration - shorter) <= audioFrame, "\(ours) vs \(shorter)")
        #expect(abs(ours.duration - shorter) <= audioFrame)
        #expect(ours.streams[0].duration <= theirs.streams[0].duration + videoFrame, "\(ours) vs \(theirs)")
        #expect(abs(ours.streams[1].duration - theirs.streams[1].duration) <= audioFrame, "\(ours) vs \(theirs)")
        // The muxer's own reader agrees with ffprobe.
        let readBack = try MP4Reader.track(.video, in: try FileByteSource(native))
        #expect(abs(readBack.presentationSeconds - ours.streams[0].duration) <= videoFrame)
    }
}
