import Foundation
import MediaGenCore

/// The native merge: a video track from an MP4/MOV (H.264 or HEVC) and an audio track from an
/// MP4/M4A (AAC) or an MP3, remuxed into one fast-start MP4 cut to the shorter, without ffmpeg.
enum NativeMuxer {
    /// Why `options` need ffmpeg (a filter or a loop), or `nil` when a remux can honour them.
    static func optionsNeedingFFmpeg(_ options: MergeOptions) -> String? {
        if options.loopAudio { return "looping the audio needs ffmpeg" }
        if options.fadeOut.map({ $0 > .zero }) ?? false { return "a fade-out needs ffmpeg (the audio is re-encoded)" }
        if let volume = options.volume, volume != 1 { return "a volume change needs ffmpeg (the audio is re-encoded)" }
        return nil
    }

    /// The two tracks to remux, read from the files' headers and sample tables.
    static func plan(video: any ByteSource, audio: any ByteSource) throws(MP4Error) -> MuxPlan {
        guard try kind(of: video) == .mp4 else { throw .unsupported("video that is not in an MP4 or MOV file") }
        let videoTrack = try MP4Reader.track(.video, in: video)
        let audioTrack: SourceTrack
        switch try kind(of: audio) {
        case .mp4: audioTrack = try MP4Reader.track(.audio, in: audio)
        case .mp3: audioTrack = try MP3Reader.track(in: audio)
        case .wav: throw .unsupported("WAV (PCM) audio, which must be encoded to AAC")
        case .unknown: throw .unsupported("audio in a format other than MP4/M4A (AAC) or MP3")
        }
        return try MuxPlan(video: videoTrack, audio: audioTrack)
    }

    enum FileKind {
        case mp4, mp3, wav, unknown
    }

    /// What a file is, from its first bytes.
    static func kind(of source: any ByteSource) throws(MP4Error) -> FileKind {
        let prefix = try source.read(at: 0, count: Int(min(source.size, 12)))
        if prefix.count >= 12, prefix[0..<4].elementsEqual("RIFF".utf8), prefix[8..<12].elementsEqual("WAVE".utf8) {
            return .wav
        }
        if prefix.count >= 8 {
            let type = prefix[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let topLevel: Set<FourCC> = [
                FourCC(code: "ftyp"), FourCC(code: "moov"), FourCC(code: "mdat"), FourCC(code: "free"),
                FourCC(code: "skip"), FourCC(code: "wide"),
            ]
            if topLevel.contains(type) { return .mp4 }
        }
        return MP3Reader.looksLikeMP3(prefix) ? .mp3 : .unknown
    }

    /// Remuxes `video` and `audio` into `output` through a temporary file beside it, renamed into
    /// place when complete: a failed merge leaves no file.
    static func merge(
        video: URL, audio: URL, to output: URL, isCancelled: () -> Bool
    ) throws -> (duration: Duration, streams: [String]) {
        let videoSource: FileByteSource
        let audioSource: FileByteSource
        do {
            videoSource = try FileByteSource(video)
        } catch {
            throw MediaGenError.unreadableMedia(video, reason: error.message)
        }
        do {
            audioSource = try FileByteSource(audio)
        } catch {
            throw MediaGenError.unreadableMedia(audio, reason: error.message)
        }
        let plan: MuxPlan
        do {
            plan = try Self.plan(video: videoSource, audio: audioSource)
        } catch {
            guard error.kind == .malformed else { throw error }
            // Which input is broken: the video's reading comes first.
            let file = (try? MP4Reader.track(.video, in: videoSource)) == nil ? video : audio
            throw MediaGenError.unreadableMedia(file, reason: error.message)
        }
        let partial = try PartialOutput(for: output)
        defer { partial.discard() }
        do {
            _ = try MP4Writer(plan: plan, sources: [videoSource, audioSource]).write(
                to: partial.file, isCancelled: isCancelled)
        } catch let error as MP4Error {
            throw MediaGenError.unreadableMedia(video, reason: error.message)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw MediaGenError.cannotWrite(output, reason: error.localizedDescription)
        }
        try partial.commit()
        let streams = plan.tracks.map { "\($0.source.codecName) \($0.source.kind == .video ? "video" : "audio")" }
        return (.milliseconds(Int64(clamping: plan.duration)), streams)
    }
}
