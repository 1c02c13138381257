import Foundation

/// What the output will hold: both tracks cut to the shorter one (as ffmpeg's `-shortest`), their
/// samples grouped into chunks of about half a second, and the chunks' order in `mdat`
/// (alternating video and audio by time, so that a player streams the file without seeking).
struct MuxPlan {
    /// The movie's timescale (`mvhd`, `tkhd` and `elst` durations), as ffmpeg writes it.
    static let movieTimescale: UInt32 = 1000

    struct Track {
        var source: SourceTrack
        var trackID: UInt32
        /// How long it plays, in the movie's timescale.
        var presentation: UInt64
        /// Runs of consecutive samples, in this track's order.
        var chunks: [Range<Int>]
    }

    var tracks: [Track]
    /// The chunks in file order: which track, which of its chunks.
    var order: [(track: Int, chunk: Int)]
    /// The bytes of all the kept samples: `mdat`'s payload.
    var payloadSize: UInt64

    var duration: UInt64 { tracks.map(\.presentation).max() ?? 0 }

    init(video: SourceTrack, audio: SourceTrack, chunkSeconds: Double = 0.5) throws(MP4Error) {
        let seconds = min(video.presentationSeconds, audio.presentationSeconds)
        let kept = [Self.cut(video, toSeconds: seconds), Self.cut(audio, toSeconds: seconds)]
        tracks = []
        var starts: [[Double]] = []
        var total: UInt64 = 0
        for (index, track) in kept.enumerated() {
            var chunks: [Range<Int>] = []
            var chunkStarts: [Double] = []
            var decodeTime: UInt64 = 0
            var chunkStart = 0
            var chunkStartTime: UInt64 = 0
            var chunkBytes: UInt64 = 0
            let span = UInt64(max(1, chunkSeconds * Double(track.timescale)))
            for (sampleIndex, sample) in track.samples.enumerated() {
                if sampleIndex > chunkStart,
                    decodeTime - chunkStartTime >= span || sampleIndex - chunkStart >= 4096 || chunkBytes >= 8 << 20
                {
                    chunks.append(chunkStart..<sampleIndex)
                    chunkStarts.append(Double(chunkStartTime) / Double(track.timescale))
                    chunkStart = sampleIndex
                    chunkStartTime = decodeTime
                    chunkBytes = 0
                }
                decodeTime += UInt64(sample.duration)
                chunkBytes += UInt64(sample.size)
                total = try Checked.add(total, UInt64(sample.size), "the output's size")
            }
            chunks.append(chunkStart..<track.samples.count)
            chunkStarts.append(Double(chunkStartTime) / Double(track.timescale))
            let presentation = UInt64(
                (track.presentationSeconds * Double(Self.movieTimescale)).rounded().clamped(to: 0...1e15))
            tracks.append(Track(source: track, trackID: UInt32(index + 1), presentation: presentation, chunks: chunks))
            starts.append(chunkStarts)
        }
        payloadSize = total
        // Merge by start time; the video first when both start together.
        var order: [(track: Int, chunk: Int)] = []
        var next = [0, 0]
        while next[0] < starts[0].count || next[1] < starts[1].count {
            let takeVideo =
                next[1] >= starts[1].count || (next[0] < starts[0].count && starts[0][next[0]] <= starts[1][next[1]])
            let track = takeVideo ? 0 : 1
            order.append((track, next[track]))
            next[track] += 1
        }
        self.order = order
    }

    /// The samples of `track` that play before `seconds`: all whose presentation starts earlier,
    /// taken as a prefix in decoding order (sample-accurate for video, frame-accurate for audio).
    static func cut(_ track: SourceTrack, toSeconds seconds: Double) -> SourceTrack {
        let limit = seconds * Double(track.timescale)
        // In Double: a composition offset and an edit's media time straight from the file may be
        // anything, and their difference must not trap.
        let start = Double(track.mediaStart)
        var decodeTime: Int64 = 0
        var count = 0
        for sample in track.samples {
            if Double(decodeTime) + Double(sample.compositionOffset) - start < limit { count += 1 }
            decodeTime += Int64(sample.duration)
        }
        var cut = track
        cut.samples = Array(track.samples.prefix(max(1, count)))
        let end = cut.presentationEnd
        let played = Double(max(0, end - track.mediaStart)) / Double(track.timescale)
        cut.presentationSeconds = min(track.presentationSeconds, played)
        return cut
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double {
        guard isFinite else { return range.lowerBound }
        return Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
