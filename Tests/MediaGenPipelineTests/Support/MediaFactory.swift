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

    /// A checked-in file of `Fixtures/` (see its SOURCES.md).
    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return url
    }

    /// Makes `output` with ffmpeg `arguments` (inputs and codecs).
    static func make(_ arguments: [String], _ output: URL) async throws -> URL {
        let (status, _) = try await ffmpegRun(arguments + [output.path])
        guard status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return output
    }

    /// Runs ffmpeg (or, with `probe`, ffprobe) quietly; returns its status and what it printed on stderr.
    static func ffmpegRun(_ arguments: [String], probe: Bool = false) async throws -> (status: Int32, errors: String) {
        guard let ffmpeg else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = probe ? ffmpeg.probeExecutable : ffmpeg.executable
        process.arguments =
            (probe ? ["-v", "error"] : ["-y", "-hide_banner", "-loglevel", "error", "-nostdin"]) + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Waiting blocks: do it on a thread of its own, not on Swift's cooperative pool.
        return await withCheckedContinuation { continuation in
            Thread {
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, text))
            }.start()
        }
    }
}
