import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import Testing

@testable import MediaGenPipeline

/// Seed 000's pipeline with Skytells video and BeatFusion music, over real HTTP against the emulator.
@Suite(
    "Multimedia pipeline",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .enabled(if: MediaFactory.ffmpeg != nil, Comment(rawValue: MediaFactory.skipReason)),
    .timeLimit(.minutes(5))
)
struct MultimediaPipelineTests {
    func skytells(_ emulator: Emulator, headers: HTTPHeaders = [:], budget: Budget? = nil) -> SkytellsClient {
        SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: emulator.skytellsBaseURL,
                budget: budget,
                transport: URLSessionTransport(),
                clock: ImmediateClock(),
                additionalHeaders: headers
            )
        )
    }

    func request(in folder: URL) -> PipelineRequest {
        PipelineRequest(
            video: VideoRequest(
                prompt: "A mountain biker riding through a pine forest trail at sunset", duration: .seconds(3),
                aspectRatio: "16:9"),
            music: MusicRequest(
                prompt: "Energetic indie rock, electric guitar, driving drums, 130 BPM", duration: .seconds(5)),
            output: folder.appendingPathComponent("scene_with_music.mp4")
        )
    }

    @Test func videoAndMusicAreMadeInParallelDownloadedAndMerged() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = skytells(emulator)
            let pipeline = MultimediaPipeline(video: client, music: client)
            let request = request(in: folder)
            #expect(try pipeline.estimateCost(request).total == .usd(cents: 225))

            let events = Locked<[PipelineEvent]>([])
            let result = try await pipeline.make(request) { event in events.withLock { $0.append(event) } }

            // The emulator's music is a WAV: it is encoded by ffmpeg, and the report says why.
            #expect(result.merge.merger == .ffmpeg)
            #expect(result.merge.reason.contains("WAV (PCM) audio"))
            let merged = try await #require(MediaFactory.ffmpeg).probe(result.output)
            #expect(merged.hasVideo && merged.hasAudio)
            #expect(abs(Double(merged.duration?.components.seconds ?? 0) - 3) <= 1)
            #expect(FileManager.default.fileExists(atPath: result.video.file.path))
            #expect(FileManager.default.fileExists(atPath: result.music.file.path))
            #expect(result.video.file.deletingLastPathComponent().lastPathComponent == "scene_with_music-sources")

            let log = events.current
            guard case .started(let checkpoint) = log.first else {
                Issue.record("the first event should carry the checkpoint, got \(String(describing: log.first))")
                return
            }
            #expect(checkpoint.video.model == "truefusion-video-pro")
            #expect(checkpoint.music.model == "beatfusion-2.0")
            for side in PipelineSide.allCases {
                let statuses = log.compactMap { event -> String? in
                    guard case .status(side, _, let raw, _) = event else { return nil }
                    return raw
                }
                #expect(statuses.last == "succeeded", "\(side): \(statuses)")
                #expect(log.contains { if case .downloaded(side, _) = $0 { true } else { false } })
            }
            #expect(log.contains { if case .merging = $0 { true } else { false } })
            guard case .finished = log.last else {
                Issue.record("the last event should be .finished")
                return
            }
            #expect(try await emulator.stats().tasksCreated("skytells") == 2)
        }
    }

    @Test func aPipelineOverTheBudgetCreatesNothing() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let budget = Budget(limit: .usd(2))
            let client = skytells(emulator, budget: budget)
            let pipeline = MultimediaPipeline(video: client, music: client, budget: budget)
            await #expect {
                _ = try await pipeline.make(request(in: folder))
            } throws: { error in
                guard let error = error as? MediaGenError, case .budgetExceeded = error.kind else { return false }
                return error.message.contains("$2.25")
            }
            #expect(try await emulator.stats().tasksCreated("skytells") == 0)
        }
    }

    @Test func withoutFFmpegNothingIsCreated() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let missing = FFmpeg(
                executable: URL(fileURLWithPath: "/nonexistent/ffmpeg"),
                probeExecutable: URL(fileURLWithPath: "/nonexistent/ffprobe"))
            let client = skytells(emulator)
            let pipeline = MultimediaPipeline(video: client, music: client, ffmpeg: missing)
            await #expect {
                _ = try await pipeline.make(request(in: folder))
            } throws: { error in
                guard let kind = (error as? MediaGenError)?.kind, case .needsFFmpeg = kind else { return false }
                return kind.searchedPaths == ["/nonexistent/ffmpeg", "/nonexistent/ffprobe"]
            }
            #expect(try await emulator.stats().tasksCreated("skytells") == 0)
        }
    }

    @Test func withoutFFmpegALoopIsRefusedBeforeAnythingIsCreated() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = skytells(emulator)
            var pipeline = MultimediaPipeline(video: client, music: client)
            pipeline.mergerOverride = MediaMerger(ffmpeg: nil)
            var request = request(in: folder)
            request.merge.loopAudio = true
            await #expect {
                _ = try await pipeline.make(request)
            } throws: { error in
                guard let kind = (error as? MediaGenError)?.kind, case .needsFFmpeg = kind else { return false }
                return kind.reason?.contains("looping") == true
            }
            #expect(try await emulator.stats().tasksCreated("skytells") == 0)
        }
    }

    @Test func withoutFFmpegAWAVMusicIsDownloadedKeptAndTheErrorSaysHowToMerge() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = skytells(emulator)
            var pipeline = MultimediaPipeline(video: client, music: client)
            pipeline.mergerOverride = MediaMerger(ffmpeg: nil)
            let request = request(in: folder)
            await #expect {
                _ = try await pipeline.make(request)
            } throws: { error in
                guard let kind = (error as? MediaGenError)?.kind, case .needsFFmpeg = kind, let reason = kind.reason
                else { return false }
                return reason.contains("WAV (PCM) audio") && reason.contains(request.sourcesDirectory.path)
            }
            let kept = try FileManager.default.contentsOfDirectory(atPath: request.sourcesDirectory.path)
            #expect(kept.count == 2)
            #expect(!FileManager.default.fileExists(atPath: request.output.path))
        }
    }

    @Test func aFailedVideoSaysSoAndKeepsTheMusic() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let failingVideo = skytells(emulator, headers: ["X-Emulator-Script": "queued,processing,failed"])
            let pipeline = MultimediaPipeline(video: failingVideo, music: skytells(emulator))
            await #expect {
                _ = try await pipeline.make(request(in: folder))
            } throws: { error in
                guard let error = error as? MediaGenError, error.failedSide == .video, let kept = error.keptMedia
                else { return false }
                guard case .taskFailed = error.kind else { return false }
                return kept.handle.model == "beatfusion-2.0" && FileManager.default.fileExists(atPath: kept.file.path)
                    && String(describing: error).contains("The music was kept")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("scene_with_music.mp4").path))
        }
    }

    @Test func aMusicThatCannotBeCreatedSaysSoAndKeepsTheVideo() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try await emulator.injectFaults([FaultRule("500", provider: "skytells", method: "POST")])
            // The first create to arrive fails; whichever it is, the other side is followed and kept.
            let client = skytells(emulator)
            await #expect {
                _ = try await MultimediaPipeline(video: client, music: client).make(request(in: folder))
            } throws: { error in
                guard let error = error as? MediaGenError, let side = error.failedSide, let kept = error.keptMedia
                else { return false }
                return error.kind == .outcomeUnknown
                    && kept.handle.model == (side == .video ? "beatfusion-2.0" : "truefusion-video-pro")
            }
        }
    }

    @Test func stoppingTheEventsCancelsBothRemoteTasks() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let slow = skytells(emulator, headers: ["X-Emulator-Script": "queued,processing*500,succeeded"])
            let pipeline = MultimediaPipeline(video: slow, music: slow)
            let consumer = Task {
                for try await event in pipeline.run(request(in: folder)) {
                    if case .status(_, .running, _, _) = event { break }
                }
            }
            _ = await consumer.result
            // The cancels are sent from the pipeline's own task, just after the stream ends; on a
            // busy machine that task may run seconds later.
            let deadline = ContinuousClock.now + .seconds(15)
            var cancels = 0
            while cancels < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                cancels = try await emulator.stats().requests("skytells", "POST /v1/predictions/{id}/cancel")
            }
            #expect(cancels == 2)
        }
    }

    @Test func aPersistedCheckpointResumesWithoutCreatingAgain() async throws {
        try await Emulator.run { emulator in
            let folder = try MediaFactory.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let request = request(in: folder)
            // "Before the restart": the tasks exist and their checkpoint is saved to disk.
            let before = skytells(emulator)
            let video = try await before.generateVideo(request.video)
            let music = try await before.generateMusic(request.music)
            let saved = folder.appendingPathComponent("checkpoint.json")
            try JSONEncoder().encode(PipelineCheckpoint(video: video.handle, music: music.handle)).write(to: saved)

            // "After the restart": new clients, the checkpoint read back, the pipeline resumed.
            let checkpoint = try JSONDecoder().decode(PipelineCheckpoint.self, from: Data(contentsOf: saved))
            let after = skytells(emulator)
            let result = try await MultimediaPipeline(video: after, music: after).resume(checkpoint, request: request)
                .reduce(into: [PipelineEvent]()) { $0.append($1) }
            guard case .finished(let finished) = result.last else {
                Issue.record("the resumed pipeline should finish")
                return
            }
            #expect(finished.video.handle.id == video.id)
            #expect(FileManager.default.fileExists(atPath: finished.output.path))
            #expect(try await emulator.stats().tasksCreated("skytells") == 2)
        }
    }
}
