import Foundation
import MediaGenCore

/// What ffprobe found in a media file.
///
/// ```swift
/// let probe = try await ffmpeg.probe(URL(fileURLWithPath: "scene.mp4"))
/// print(probe.duration ?? .zero, probe.hasVideo, probe.hasAudio)
/// ```
public struct MediaProbe: Hashable, Sendable {
    /// One stream of the file.
    public struct Stream: Hashable, Sendable {
        /// `video`, `audio`, `subtitle`…
        public var type: String
        /// `h264`, `aac`, `mp3`…
        public var codec: String?
        /// The stream's own length, when the container says.
        public var duration: Duration?
    }

    public var duration: Duration?
    public var streams: [Stream]

    public var hasVideo: Bool { streams.contains { $0.type == "video" } }
    public var hasAudio: Bool { streams.contains { $0.type == "audio" } }

    /// Reads `ffprobe -show_entries format=duration:stream=codec_type,codec_name,duration -of json`.
    init(ffprobeJSON data: Data) throws {
        let json = try JSONReader().value(from: data)
        duration = Self.seconds(json["format"]?["duration"])
        streams = (json["streams"]?.arrayValue ?? []).map { stream in
            Stream(
                type: stream["codec_type"]?.stringValue ?? "unknown",
                codec: stream["codec_name"]?.stringValue,
                duration: Self.seconds(stream["duration"])
            )
        }
    }

    /// ffprobe writes durations as strings of seconds (`"4.000000"`).
    private static func seconds(_ value: JSONValue?) -> Duration? {
        guard let text = value?.stringValue, let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
            return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
