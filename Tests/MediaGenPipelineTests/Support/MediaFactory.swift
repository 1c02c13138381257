import Foundation
import MediaGenPipeline

/// Real small media files, made with ffmpeg for the tests that need them.
enum MediaFactory {
    /// ffmpeg and ffprobe, when installed.
    static let ffmpeg: FFmpeg? = try? FFmpeg.locate()
    static let skipReason = "ffmpeg is not installed (apt-get install -y ffmpeg): the merge tests are skipped"

    /// A fresh folder, removed by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pipeline-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A video-only H.264 MP4 of `seconds`.
    static func video(seconds: Int, in folder: URL, name: String = "video.mp4") async throws -> URL {
        try await make(
            [
                "-f", "lavfi", "-i", "testsrc=duration=\(seconds):size=160x120:rate=24", "-c:v", "libx264", "-pix_fmt",
                "yuv420p",
            ],
            folder.appendingPathComponent(name)
        )
    }

    /// A sine-wave WAV of `seconds`.
    static func audio(seconds: Int, in folder: URL, name: String = "music.wav") async throws -> URL {
        try await make(
            ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)"], folder.appendingPathComponent(name))
    }

    private static func make(_ arguments: [String], _ output: URL) async throws -> URL {
        guard let ffmpeg else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = ffmpeg.executable
        process.arguments = ["-y", "-hide_banner", "-loglevel", "error", "-nostdin"] + arguments + [output.path]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Waiting blocks: do it on a thread of its own, not on Swift's cooperative pool.
        let status = await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }.start()
        }
        guard status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return output
    }
}
