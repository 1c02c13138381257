import Foundation
import MediaGenCore
import Testing

@testable import MediaGenPipeline

/// What MediaGenPipeline throws: `MediaGenError`s whose kind and description say what is wrong and
/// how to fix it, and, when one side fails, that side's own error marked with the side.
@Suite("Pipeline failures")
struct PipelineFailureTests {
    static let acme = Provider("acme", displayName: "Acme", apiKeyEnvironmentVariable: nil)
    static let music = GeneratedMedia(
        handle: TaskHandle(provider: acme, id: "task_music", model: "beatfusion-2.0"),
        source: RemoteFile(url: URL(string: "https://cdn.example.com/music.mp3")!),
        file: URL(fileURLWithPath: "/tmp/scene-sources/music-task_music.mp3"))

    @Test func aFailedSideKeepsItsOwnKindAndIdsAndSaysWhichSideAndWhatWasKept() {
        let created = MediaGenError(
            .outcomeUnknown, provider: Self.acme, message: "HTTP 500 after the request was sent", httpStatus: 500,
            requestID: "req_1", idempotencyKey: "key_1")
        let error = MediaGenError.side(.video, failedWith: created, kept: Self.music)
        #expect(error.kind == .outcomeUnknown)
        #expect(error.provider == Self.acme && error.requestID == "req_1" && error.idempotencyKey == "key_1")
        #expect(error.failedSide == .video)
        #expect(error.keptMedia == Self.music)
        #expect(
            error.description
                == "the video failed: \(created.description) The music was kept: /tmp/scene-sources/music-task_music.mp3."
        )
        switch error.kind {
        case .outcomeUnknown: break
        default: Issue.record("a side's outcomeUnknown must still match .outcomeUnknown, got \(error.kind)")
        }
    }

    @Test func aSideThatFailedWithNothingKeptSaysOnlyWhichSide() {
        let failed = MediaGenError(.taskFailed(TaskFailure(message: "no GPU")), provider: Self.acme, message: "no GPU")
        let error = MediaGenError.side(.music, failedWith: failed, kept: nil)
        #expect(error.failedSide == .music)
        #expect(error.keptMedia == nil)
        #expect(error.kind.failure?.message == "no GPU")
        #expect(error.description == "the music failed: \(failed.description)")
    }

    @Test func anErrorThatEndedNoSideHasNoSide() {
        let error = MediaGenError(.network, message: "connection reset")
        #expect(error.failedSide == nil)
        #expect(error.keptMedia == nil)
        #expect(!error.description.hasPrefix("the "))
    }

    @Test func missingFFmpegSaysWhyWhereItLookedAndHowToInstallIt() {
        let error = MediaGenError.needsFFmpeg("looping the audio needs ffmpeg", searched: ["/usr/bin", "/bin"])
        #expect(error.kind == .needsFFmpeg(reason: "looping the audio needs ffmpeg", searched: ["/usr/bin", "/bin"]))
        #expect(
            error.description
                == "ffmpeg not found — looping the audio needs ffmpeg. Install it — `apt-get install -y ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or set FFMPEG_PATH (looked in /usr/bin, /bin)."
        )
    }

    @Test func aRemuxTheNativeMergerCannotDoSaysToAllowFFmpeg() {
        let error = MediaGenError.cannotRemux("the native muxer does not remux WAV (PCM) audio")
        #expect(error.kind.reason == "the native muxer does not remux WAV (PCM) audio")
        #expect(
            error.description
                == "cannot remux — the native merger cannot do this merge: the native muxer does not remux WAV (PCM) audio. Use MergeOptions(merger: .automatic) with ffmpeg installed."
        )
    }

    @Test func aFailedFFmpegKeepsItsWholeTailAndShowsItsLastLines() {
        let tail = "line 1\nline 2\nline 3\nout.notaformat: Invalid argument\n"
        let error = MediaGenError.ffmpegFailed(status: 234, outputTail: tail)
        #expect(error.kind.exitStatus == 234)
        #expect(error.kind.outputTail == tail)
        #expect(
            error.description.hasPrefix(
                "ffmpeg failed — ffmpeg exited with status 234: line 2 | line 3 | out.notaformat: Invalid argument. "))
    }

    @Test func anOutputThatCannotBeWrittenIsALocalFileError() {
        let output = URL(fileURLWithPath: "/read-only/scene.mp4")
        let error = MediaGenError.cannotWrite(output, reason: "Permission denied")
        #expect(error.kind == .file(path: "/read-only/scene.mp4"))
        #expect(error.message == "cannot write scene.mp4: Permission denied")
        #expect(error.description.contains("Check that /read-only/scene.mp4 can be read or written here"))
        #expect(!error.isTransient)
    }

    @Test func unusableInputsNameTheFileAndWhatIsWrong() {
        let clip = URL(fileURLWithPath: "/tmp/clip.mp4")
        let unreadable = MediaGenError.unreadableMedia(clip, reason: "no 'moov' box")
        #expect(unreadable.kind == .unreadableMedia(clip, reason: "no 'moov' box"))
        #expect(unreadable.description.hasPrefix("unreadable media — cannot read clip.mp4 as media: no 'moov' box. "))
        let missing = MediaGenError.missingStream(clip, expected: "video")
        #expect(missing.kind.expectedStream == "video" && missing.kind.mediaFile == clip)
        #expect(missing.description.hasPrefix("no video stream — clip.mp4 has no video stream to merge. "))
    }
}
