import Foundation
import MediaGenPipeline
import Testing

/// The README's main command, run as a user would: the `Demo` example, offline, from a fresh folder.
@Suite(
    "The offline demo",
    .enabled(if: MediaFactory.ffmpeg != nil, Comment(rawValue: MediaFactory.skipReason)),
    .timeLimit(.minutes(2))
)
struct DemoTests {
    /// Built beside this test bundle: the test target depends on it.
    static let demo = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "Demo")

    /// Runs the demo in `folder` with `environment`, on a thread of its own (it blocks).
    func run(in folder: URL, environment: [String: String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = Self.demo
        process.currentDirectoryURL = folder
        process.environment = environment
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, text))
            }.start()
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: demo.path), "the Demo example is not built"))
    func theDemoMergesTheRecordedVideoAndMusicWithoutAKey() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["SKYTELLS_API_KEY"] = nil
        let (status, output) = try await run(in: folder, environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("This run would have cost $2.25 (video $1.50, music $0.75)"))

        let merged = folder.appendingPathComponent("outputs/scene_with_music.mp4")
        let probe = try await #require(MediaFactory.ffmpeg).probe(merged)
        #expect(probe.streams.map(\.type).sorted() == ["audio", "video"])
        #expect(abs(Double(probe.duration?.components.seconds ?? 0) - 10) <= 1)
        let sources = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("outputs/scene_with_music-sources").path)
        #expect(sources.sorted() == ["music-pred_aud_3Kf9Wd.mp3", "video-pred_vid_7Hq2Lm.mp4"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: demo.path), "the Demo example is not built"))
    func withoutFFmpegTheDemoSaysHowToInstallIt() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, output) = try await run(in: folder, environment: ["PATH": "/nonexistent"])
        #expect(status == 1)
        #expect(output.contains("apt-get install -y ffmpeg"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("outputs").path))
    }
}
