import Foundation
import Testing

@testable import MediaGenPipeline

/// The README's main command, run as a user would: the `Demo` example, offline, from a fresh folder.
@Suite("The offline demo", .timeLimit(.minutes(5)))
struct DemoTests {
    /// Built beside this test bundle: the test target depends on it.
    static let demo = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "Demo")

    /// Runs the demo in `folder` with `environment`, on a thread of its own (it blocks).
    func run(
        in folder: URL, environment: [String: String], arguments: [String] = []
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = Self.demo
        process.arguments = arguments
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

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: demo.path), "the Demo example is not built"),
        .enabled(if: MediaFactory.ffmpeg != nil, Comment(rawValue: MediaFactory.skipReason))
    )
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

    /// The environment of a machine with Swift only: `PATH` holds no ffmpeg, `FFMPEG_PATH` is unset.
    func withoutFFmpeg(in folder: URL) throws -> [String: String] {
        let bin = folder.appendingPathComponent("bin", isDirectory: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["SKYTELLS_API_KEY"] = nil
        environment["FFMPEG_PATH"] = nil
        environment["PATH"] = bin.path
        #expect((try? FFmpeg.locate(environment: environment)) == nil)
        return environment
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: demo.path), "the Demo example is not built"))
    func withoutFFmpegTheDemoRemuxesNativelyIntoARealMP4() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, output) = try await run(in: folder, environment: try withoutFFmpeg(in: folder))
        #expect(status == 0, "\(output)")
        #expect(output.contains("ffmpeg is not installed"))
        #expect(output.contains("merged natively (h264 video and mp3 audio copied as they are)"))
        #expect(output.contains("10.0 s, h264 video + mp3 audio"))

        let merged = folder.appendingPathComponent("outputs/scene_with_music.mp4")
        let video = try MP4Reader.track(.video, in: try FileByteSource(merged))
        let audio = try MP4Reader.track(.audio, in: try FileByteSource(merged))
        #expect(video.samples.count == 240)
        #expect(abs(audio.presentationSeconds - 10) < 0.05)
        if MediaFactory.ffmpeg != nil {
            let (decoded, errors) = try await MediaFactory.ffmpegRun(["-i", merged.path, "-f", "null", "-"])
            #expect(decoded == 0 && errors.isEmpty, "\(errors)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: demo.path), "the Demo example is not built"))
    func withoutFFmpegAWAVMusicIsDownloadedAndTheDemoSaysHowToMerge() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The demo's recording, with the music served as a WAV.
        let cassettes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Examples/Demo/Cassettes").standardizedFileURL
        let media = folder.appendingPathComponent("cassette/media", isDirectory: true)
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: cassettes.appendingPathComponent("media/video.mp4"), to: media.appendingPathComponent("video.mp4"))
        var wav = Array("RIFF".utf8) + [0x24, 0x7D, 0, 0] + Array("WAVEfmt ".utf8)
        wav += [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0]
        wav += Array("data".utf8) + [0, 0x7D, 0, 0] + [UInt8](repeating: 0, count: 32000)
        try Data(wav).write(to: media.appendingPathComponent("audio.wav"))
        let recording = try String(
            contentsOf: cassettes.appendingPathComponent("seed-000-pipeline.json"), encoding: .utf8
        ).replacingOccurrences(of: "media/audio.mp3", with: "media/audio.wav")
        let cassette = folder.appendingPathComponent("cassette/recording.json")
        try recording.write(to: cassette, atomically: true, encoding: .utf8)

        let environment = try withoutFFmpeg(in: folder)
        let demoArguments = ["--cassette", cassette.path]
        let (status, output) = try await run(in: folder, environment: environment, arguments: demoArguments)
        #expect(status == 1)
        #expect(output.contains("scene_with_music-sources/music-pred_aud_3Kf9Wd.mp3"), "\(output)")
        #expect(output.contains("WAV (PCM) audio"))
        #expect(output.contains("then merge with: ffmpeg -i ") && output.contains("video-pred_vid_7Hq2Lm.mp4 -i "))
        #expect(output.contains("apt-get install -y ffmpeg"))
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("outputs/scene_with_music.mp4").path))
    }
}
