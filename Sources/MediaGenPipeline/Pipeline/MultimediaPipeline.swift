import Foundation
import MediaGenCore

/// Generates a video and matching music in parallel — with any providers that can — downloads
/// both before their links expire, and merges them — natively when the files allow, else with
/// FFmpeg (see ``MediaMerger``): the pipeline of Skytells' BeatFusion guide.
///
/// ```swift
/// let pipeline = MultimediaPipeline(video: skytells, music: skytells)
/// print(try pipeline.estimateCost(request))        // $2.25 (video $1.50, music $0.75)
/// for try await event in pipeline.run(request) {
///     switch event {
///     case .started(let checkpoint): try save(checkpoint)        // to resume after a restart
///     case .status(let side, let status, _, _): print(side, status)
///     case .downloading(let side, let progress): print(side, progress.fraction ?? 0)
///     case .downloaded, .merging: break
///     case .finished(let result): print("done:", result.output.path, result.merge)
///     }
/// }
/// ```
///
/// - Nothing is created before the whole pipeline's cost passes the budget, and before the merge is
///   known to be possible: the `ffmpeg` given exists, or no option needs ffmpeg when it is missing.
///   The music's format is known only once downloaded: a WAV without ffmpeg fails then with
///   `.needsFFmpeg`, which says how to merge the kept files.
/// - Stop iterating (or cancel the iterating task) and both remote tasks are canceled.
/// - If one side fails, the error is that side's `MediaGenError`, with `error.failedSide` saying
///   which, and the other side's file is kept — it was paid for — in `error.keptMedia`.
/// - Download progress is reported per percent, not per network chunk.
public struct MultimediaPipeline<VideoClient: VideoGenerating, MusicClient: MusicGenerating>: Sendable {
    public let videoClient: VideoClient
    public let musicClient: MusicClient
    /// `nil`: located when the pipeline runs (`FFmpeg.locate()`); when not found, the native muxer merges.
    public let ffmpeg: FFmpeg?
    /// Checked against the whole pipeline's estimate before anything is created.
    public let budget: Budget?
    /// The merger to use instead of one made from `ffmpeg` (tests: a machine without ffmpeg).
    var mergerOverride: MediaMerger?

    public init(video: VideoClient, music: MusicClient, ffmpeg: FFmpeg? = nil, budget: Budget? = nil) {
        self.videoClient = video
        self.musicClient = music
        self.ffmpeg = ffmpeg
        self.budget = budget
    }

    /// What the pipeline would cost, from each provider's catalog; throws when a request is invalid.
    public func estimateCost(_ request: PipelineRequest) throws -> PipelineCost {
        PipelineCost(
            video: try videoClient.estimateCost(of: request.video),
            music: try musicClient.estimateCost(of: request.music))
    }

    /// Runs the pipeline; its events end with `.finished`.
    public func run(_ request: PipelineRequest) -> AsyncThrowingStream<PipelineEvent, any Error> {
        events { emit in try await execute(request, resuming: nil, emit: emit) }
    }

    /// Continues a pipeline whose tasks were created earlier (maybe by another process), from its
    /// checkpoint: nothing is created or charged again.
    public func resume(_ checkpoint: PipelineCheckpoint, request: PipelineRequest) -> AsyncThrowingStream<
        PipelineEvent, any Error
    > {
        events { emit in try await execute(request, resuming: checkpoint, emit: emit) }
    }

    /// Runs the pipeline to its end and returns the result; `onEvent` sees every event.
    public func make(
        _ request: PipelineRequest,
        onEvent: @escaping @Sendable (PipelineEvent) -> Void = { _ in }
    ) async throws -> PipelineResult {
        for try await event in run(request) {
            onEvent(event)
            if case .finished(let result) = event { return result }
        }
        throw CancellationError()
    }

    // MARK: - Running

    private func events(
        _ work: @escaping @Sendable (_ emit: @escaping @Sendable (PipelineEvent) -> Void) async throws -> Void
    ) -> AsyncThrowingStream<PipelineEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await work { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { termination in
                if case .cancelled = termination { task.cancel() }
            }
        }
    }

    private func execute(
        _ request: PipelineRequest,
        resuming checkpoint: PipelineCheckpoint?,
        emit: @escaping @Sendable (PipelineEvent) -> Void
    ) async throws {
        // Everything that can fail locally fails before a cent is spent: an ffmpeg given but
        // missing, or options that only ffmpeg can honour without it.
        let merger: MediaMerger
        if let mergerOverride {
            merger = mergerOverride
        } else if let ffmpeg = self.ffmpeg {
            guard FileManager.default.isExecutableFile(atPath: ffmpeg.executable.path),
                FileManager.default.isExecutableFile(atPath: ffmpeg.probeExecutable.path)
            else {
                throw MediaGenError.needsFFmpeg(
                    "the ffmpeg given to the pipeline is not there or cannot be run",
                    searched: [ffmpeg.executable.path, ffmpeg.probeExecutable.path])
            }
            merger = MediaMerger(ffmpeg: ffmpeg)
        } else {
            merger = MediaMerger.located()
        }
        if let reason = merger.ffmpegRequirement(for: request.merge) {
            throw MediaGenError.needsFFmpeg(reason, searched: merger.searched)
        }
        let cost = try estimateCost(request)
        if checkpoint == nil, let budget {
            try await budget.ensureAffordable(cost.total, for: "the pipeline (\(cost))")
        }

        let started: (video: Started<VideoClient>, music: Started<MusicClient>)
        if let checkpoint {
            started = (.handle(checkpoint.video), .handle(checkpoint.music))
        } else {
            async let video = capture { try await videoClient.generateVideo(request.video) }
            async let music = capture { try await musicClient.generateMusic(request.music) }
            switch (await video, await music) {
            case (.success(let video), .success(let music)):
                started = (.task(video), .task(music))
            case (.failure(let error), .success(let music)):
                let kept = try? await follow(.music, musicClient, .task(music), request, emit)
                throw try failure(.video, error, kept: kept)
            case (.success(let video), .failure(let error)):
                let kept = try? await follow(.video, videoClient, .task(video), request, emit)
                throw try failure(.music, error, kept: kept)
            case (.failure(let error), .failure):
                throw try failure(.video, error, kept: nil)
            }
        }
        let handles = PipelineCheckpoint(video: started.video.handle, music: started.music.handle)
        if checkpoint == nil { emit(.started(handles)) }

        async let followedVideo = capture { try await follow(.video, videoClient, started.video, request, emit) }
        async let followedMusic = capture { try await follow(.music, musicClient, started.music, request, emit) }
        let (video, music) = (await followedVideo, await followedMusic)
        if Task.isCancelled {
            await cancelRemotely(handles)
            throw CancellationError()
        }
        switch (video, music) {
        case (.success(let video), .success(let music)):
            emit(.merging)
            let report = try await merger.merge(
                video: video.file, audio: music.file, to: request.output, options: request.merge)
            emit(
                .finished(PipelineResult(output: report.output, video: video, music: music, cost: cost, merge: report)))
        case (.failure(let error), .success(let music)):
            throw try failure(.video, error, kept: music)
        case (.success(let video), .failure(let error)):
            throw try failure(.music, error, kept: video)
        case (.failure(let error), .failure):
            throw try failure(.video, error, kept: nil)
        }
    }

    /// A created task, or a handle to one created earlier.
    private enum Started<Client: MediaClient>: Sendable {
        case task(Client.RemoteTask)
        case handle(TaskHandle)

        var handle: TaskHandle {
            switch self {
            case .task(let task): task.handle
            case .handle(let handle): handle
            }
        }
    }

    /// Follows one side's task to its end, then downloads its first output.
    private func follow<Client: MediaClient>(
        _ side: PipelineSide,
        _ client: Client,
        _ started: Started<Client>,
        _ request: PipelineRequest,
        _ emit: @escaping @Sendable (PipelineEvent) -> Void
    ) async throws -> GeneratedMedia {
        let report: @Sendable (Client.RemoteTask) -> Void = { task in
            emit(.status(side, task.status, rawStatus: task.rawStatus, logs: task.logs))
        }
        let finished: Client.RemoteTask
        switch started {
        case .task(let task): finished = try await client.wait(for: task, onUpdate: report)
        case .handle(let handle): finished = try await client.wait(for: handle, onUpdate: report)
        }
        guard finished.status == .succeeded, let source = finished.outputs.first else {
            throw MediaGenError(
                .taskFailed(TaskFailure(message: "ended as \(finished.rawStatus) without an output file")),
                provider: client.provider,
                message: "the \(side.rawValue) task ended as \(finished.rawStatus) without an output file",
                taskID: finished.handle.id
            )
        }
        let ext = (source.suggestedFileName as NSString).pathExtension
        let name = "\(side.rawValue)-\(RemoteFile.sanitizedFileName(finished.handle.id))\(ext.isEmpty ? "" : ".\(ext)")"
        let lastPercent = Locked(-1)
        let file = try await source.download(
            to: request.sourcesDirectory.appendingPathComponent(name),
            configuration: client.configuration
        ) { progress in
            // One event per percent: a download has thousands of chunks.
            let percent = Int((progress.fraction ?? 0) * 100)
            let isNew = lastPercent.withLock { last in
                defer { last = max(last, percent) }
                return percent > last
            }
            if isNew { emit(.downloading(side, progress)) }
        }
        let media = GeneratedMedia(handle: finished.handle, source: source, file: file)
        emit(.downloaded(side, media))
        return media
    }

    /// Asks both providers to cancel, from a task of its own: the calling one is already cancelled.
    private func cancelRemotely(_ handles: PipelineCheckpoint) async {
        await Task {
            async let video: Void? = try? videoClient.cancel(handles.video)
            async let music: Void? = try? musicClient.cancel(handles.music)
            _ = await (video, music)
        }.value
    }

    /// The error that ends the pipeline when `side` failed with `error`: that side's own error, which
    /// says which side it was and what the other side kept.
    private func failure(_ side: PipelineSide, _ error: any Error, kept: GeneratedMedia?) throws -> MediaGenError {
        if error is CancellationError { throw error }
        let reason = error as? MediaGenError ?? MediaGenError(.network, message: String(describing: error))
        return .side(side, failedWith: reason, kept: kept)
    }
}

/// The outcome of `body`, without throwing: both sides of a pipeline always run to their end.
private func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
