import Foundation
import MediaGenCore
import Testing

@testable import MediaGenPipeline

@Suite("Finding ffmpeg")
struct FFmpegLocationTests {
    /// A folder holding fake `ffmpeg` and `ffprobe` executables.
    func fakeTools(_ names: [String] = ["ffmpeg", "ffprobe"]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tools-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            let tool = folder.appendingPathComponent(name)
            try Data("#!/bin/sh\nexit 0\n".utf8).write(to: tool)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        }
        return folder
    }

    @Test func ffmpegPathNamingTheBinaryComesFirst() throws {
        let tools = try fakeTools()
        defer { try? FileManager.default.removeItem(at: tools) }
        let found = try FFmpeg.locate(environment: [
            "FFMPEG_PATH": tools.appendingPathComponent("ffmpeg").path, "PATH": "/usr/bin",
        ])
        #expect(found.executable == tools.appendingPathComponent("ffmpeg"))
        #expect(found.probeExecutable == tools.appendingPathComponent("ffprobe"))
    }

    @Test func ffmpegPathNamingAFolderComesBeforePATH() throws {
        let tools = try fakeTools()
        defer { try? FileManager.default.removeItem(at: tools) }
        let found = try FFmpeg.locate(environment: ["FFMPEG_PATH": tools.path, "PATH": "/usr/bin:/bin"])
        #expect(found.executable.deletingLastPathComponent().path == tools.path)
    }

    @Test func pathIsSearchedInOrderAndNeedsBothTools() throws {
        let onlyFFmpeg = try fakeTools(["ffmpeg"])
        let both = try fakeTools()
        defer {
            try? FileManager.default.removeItem(at: onlyFFmpeg)
            try? FileManager.default.removeItem(at: both)
        }
        let found = try FFmpeg.locate(environment: ["PATH": "\(onlyFFmpeg.path):\(both.path)"])
        #expect(found.executable.deletingLastPathComponent().path == both.path)
    }

    @Test func missingFFmpegSaysWhereItLookedAndHowToInstall() {
        let error = #expect(throws: MediaGenError.self) {
            try FFmpeg.locate(environment: ["PATH": "/nonexistent/bin"])
        }
        #expect(error?.kind.case == .needsFFmpeg)
        #expect(error?.kind.searchedPaths == ["/nonexistent/bin"])
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("/nonexistent/bin"))
        #expect(text.contains("apt-get install -y ffmpeg"))
        #expect(text.contains("FFMPEG_PATH"))
    }
}

@Suite("The ffmpeg command line")
struct MergeArgumentTests {
    let video = URL(fileURLWithPath: "/work/video.mp4")
    let audio = URL(fileURLWithPath: "/work/music.mp3")
    let output = URL(fileURLWithPath: "/work/out.mp4")

    @Test func theDefaultsAreSeed000s() {
        let arguments = FFmpeg.mergeArguments(
            video: video, audio: audio, output: output, options: MergeOptions(), outputDuration: .seconds(10))
        #expect(
            arguments == [
                "-y", "-hide_banner", "-nostdin", "-i", "/work/video.mp4", "-i", "/work/music.mp3",
                "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac",
                "-shortest", "-movflags", "+faststart", "/work/out.mp4",
            ]
        )
    }

    @Test func loopingRepeatsTheAudioInputOnly() {
        let arguments = FFmpeg.mergeArguments(
            video: video, audio: audio, output: output, options: MergeOptions(loopAudio: true),
            outputDuration: .seconds(10))
        let loop = arguments.firstIndex(of: "-stream_loop")
        let audioInput = arguments.firstIndex(of: "/work/music.mp3")
        #expect(loop != nil && audioInput != nil && loop! + 3 == audioInput!)
        #expect(arguments[arguments.index(after: loop!)] == "-1")
    }

    @Test func volumeAndFadeBecomeOneAudioFilterEndingWithTheOutput() {
        let options = MergeOptions(fadeOut: .seconds(2), volume: 0.8)
        let arguments = FFmpeg.mergeArguments(
            video: video, audio: audio, output: output, options: options, outputDuration: .milliseconds(7500))
        let filter = arguments.firstIndex(of: "-af").map { arguments[$0 + 1] }
        #expect(filter == "volume=0.800,afade=t=out:st=5.500:d=2.000")
    }

    @Test(arguments: [
        (Duration.seconds(10), Duration.seconds(4), false, Duration.seconds(4)),
        (.seconds(10), .seconds(30), false, .seconds(10)),
        (.seconds(10), .seconds(4), true, .seconds(10)),
    ])
    func theOutputLastsAsLongAsTheShorterInputUnlessTheAudioLoops(
        video: Duration, audio: Duration, loop: Bool, expected: Duration
    ) {
        #expect(FFmpeg.outputDuration(video: video, audio: audio, options: MergeOptions(loopAudio: loop)) == expected)
    }
}

@Suite(
    "Merging with the real ffmpeg", .enabled(if: MediaFactory.ffmpeg != nil, Comment(rawValue: MediaFactory.skipReason))
)
struct MergeTests {
    let ffmpeg =
        MediaFactory.ffmpeg ?? FFmpeg(executable: URL(fileURLWithPath: "/"), probeExecutable: URL(fileURLWithPath: "/"))

    func seconds(_ duration: Duration?) -> Double {
        Double(duration?.components.seconds ?? -1) + Double(duration?.components.attoseconds ?? 0) / 1e18
    }

    @Test func probingReadsStreamsAndDuration() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let probe = try await ffmpeg.probe(try await MediaFactory.video(seconds: 2, in: folder))
        #expect(probe.hasVideo && !probe.hasAudio)
        #expect(probe.streams.first?.codec == "h264")
        #expect(abs(seconds(probe.duration) - 2) < 0.1)
    }

    @Test func aDefaultMergeHasBothStreamsAndStopsWithTheShorter() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.video(seconds: 3, in: folder)
        let audio = try await MediaFactory.audio(seconds: 5, in: folder)
        let output = folder.appendingPathComponent("out/scene_with_music.mp4")
        #expect(try await ffmpeg.merge(video: video, audio: audio, to: output) == output)
        let merged = try await ffmpeg.probe(output)
        #expect(merged.hasVideo && merged.hasAudio)
        #expect(merged.streams.first { $0.type == "audio" }?.codec == "aac")
        #expect(abs(seconds(merged.duration) - 3) < 0.2)
    }

    @Test func aShortTrackEndsTheOutputUnlessItLoops() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.video(seconds: 4, in: folder)
        let audio = try await MediaFactory.audio(seconds: 1, in: folder)
        let plain = try await ffmpeg.merge(video: video, audio: audio, to: folder.appendingPathComponent("plain.mp4"))
        let looped = try await ffmpeg.merge(
            video: video,
            audio: audio,
            to: folder.appendingPathComponent("looped.mp4"),
            options: MergeOptions(loopAudio: true, fadeOut: .seconds(1), volume: 0.5)
        )
        #expect(seconds(try await ffmpeg.probe(plain).duration) < 2)
        #expect(abs(seconds(try await ffmpeg.probe(looped).duration) - 4) < 0.2)
    }

    @Test func anExistingOutputIsReplaced() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.mp4")
        try Data("old".utf8).write(to: output)
        _ = try await ffmpeg.merge(
            video: try await MediaFactory.video(seconds: 1, in: folder),
            audio: try await MediaFactory.audio(seconds: 1, in: folder),
            to: output
        )
        #expect(try await ffmpeg.probe(output).hasVideo)
    }

    @Test func aFileThatIsNotMediaFailsBeforeFFmpegRuns() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("video.mp4")
        try Data("not a video".utf8).write(to: junk)
        let audio = try await MediaFactory.audio(seconds: 1, in: folder)
        await #expect {
            try await ffmpeg.merge(video: junk, audio: audio, to: folder.appendingPathComponent("out.mp4"))
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .unreadableMedia = kind else { return false }
            return kind.mediaFile == junk && kind.reason?.isEmpty == false
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.mp4").path))
    }

    @Test func swappedInputsAreRefusedNamingTheMissingStream() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.video(seconds: 1, in: folder)
        let audio = try await MediaFactory.audio(seconds: 1, in: folder)
        await #expect {
            try await ffmpeg.merge(video: audio, audio: video, to: folder.appendingPathComponent("out.mp4"))
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .missingStream = kind else { return false }
            return kind.expectedStream == "video" && kind.mediaFile == audio
        }
    }

    @Test func aFailingFFmpegReportsTheEndOfItsOutputAndLeavesNoFile() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.video(seconds: 1, in: folder)
        let audio = try await MediaFactory.audio(seconds: 1, in: folder)
        // No muxer is registered for this extension: ffmpeg refuses to write it.
        let output = folder.appendingPathComponent("out.notaformat")
        await #expect {
            try await ffmpeg.merge(video: video, audio: audio, to: output)
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .ffmpegFailed = kind,
                let status = kind.exitStatus, let tail = kind.outputTail
            else { return false }
            return status != 0 && !tail.isEmpty && String(describing: error).contains("ffmpeg failed")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(left) == ["video.mp4", "music.wav"])
    }

    @Test func cancellingAMergeKillsFFmpegAndLeavesNoFile() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try await MediaFactory.video(seconds: 1, in: folder)
        let audio = try await MediaFactory.audio(seconds: 1, in: folder)
        let output = folder.appendingPathComponent("out.mp4")
        let merge = Task { try await ffmpeg.merge(video: video, audio: audio, to: output) }
        merge.cancel()
        _ = await merge.result
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!left.contains { $0.hasSuffix(".partial.mp4") })
        if case .failure(let error) = await merge.result {
            #expect(error is CancellationError)
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}
