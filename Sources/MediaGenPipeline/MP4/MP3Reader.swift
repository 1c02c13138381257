import Foundation

/// Reads an MP3 file's frames (MPEG-1, 2 or 2.5 Layer III), after an ID3v2 tag if there is one,
/// into a track that MP4 carries as `mp4a` with objectTypeIndication 0x6B, as ffmpeg does.
///
/// The file is read in bounded blocks: only each frame's header is looked at.
enum MP3Reader {
    /// A frame header's fields.
    struct FrameHeader: Hashable {
        /// 1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.
        var version: Int
        var bitrate: Int
        var sampleRate: Int
        var channels: Int
        var size: Int
        var samplesPerFrame: Int
        /// The bits that stay the same from frame to frame: version, layer, sample rate.
        var stableBits: UInt32
    }

    private static let bitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let bitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]

    /// The header in `word` (the frame's first four bytes), or `nil` when it is not a Layer III one.
    static func header(_ word: UInt32) -> FrameHeader? {
        guard word >> 21 == 0x7FF else { return nil }
        let versionBits = (word >> 19) & 3
        let layerBits = (word >> 17) & 3
        let bitrateIndex = Int((word >> 12) & 0xF)
        let rateIndex = Int((word >> 10) & 3)
        let padding = Int((word >> 9) & 1)
        let mode = (word >> 6) & 3
        guard versionBits != 1, layerBits == 1, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else {
            return nil
        }
        let version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25
        let rates =
            version == 1 ? [44100, 48000, 32000] : version == 2 ? [22050, 24000, 16000] : [11025, 12000, 8000]
        let bitrate = (version == 1 ? bitratesV1 : bitratesV2)[bitrateIndex] * 1000
        let sampleRate = rates[rateIndex]
        let samplesPerFrame = version == 1 ? 1152 : 576
        let size = samplesPerFrame / 8 * bitrate / sampleRate + padding
        return FrameHeader(
            version: version, bitrate: bitrate, sampleRate: sampleRate, channels: mode == 3 ? 1 : 2, size: size,
            samplesPerFrame: samplesPerFrame, stableBits: word & 0xFFFE_0C00)
    }

    /// Whether `prefix` (a file's first bytes) looks like MP3: an ID3v2 tag or a frame header.
    static func looksLikeMP3(_ prefix: [UInt8]) -> Bool {
        if prefix.count >= 3, prefix[0] == 0x49, prefix[1] == 0x44, prefix[2] == 0x33 { return true }
        guard prefix.count >= 4 else { return false }
        return header(prefix.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }) != nil
    }

    static func track(in source: any ByteSource) throws(MP4Error) -> SourceTrack {
        var reader = BlockReader(source: source)
        var offset: UInt64 = 0
        // ID3v2: "ID3", version, flags, a 28-bit syncsafe size; a footer adds 10 bytes.
        if let tag = try reader.bytes(at: 0, count: 10), tag[0] == 0x49, tag[1] == 0x44, tag[2] == 0x33 {
            let size = tag[6...9].reduce(UInt64(0)) { $0 << 7 | UInt64($1 & 0x7F) }
            offset = 10 + size + (tag[5] & 0x10 != 0 ? 10 : 0)
        }
        var samples: [MediaSample] = []
        var first: FrameHeader?
        var largestFrame = 0
        var largestBitrate = 0
        var totalBytes: UInt64 = 0
        while let bytes = try reader.bytes(at: offset, count: 4) {
            let word = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard let frame = header(word), first.map({ $0.stableBits == frame.stableBits }) ?? true,
                UInt64(frame.size) <= source.size - offset
            else { break }  // the end of the frames: an ID3v1 tag, padding, or a cut-off last frame
            if first == nil {
                first = frame
                if try isInfoFrame(frame, at: offset, &reader) {
                    offset += UInt64(frame.size)
                    continue
                }
            }
            samples.append(
                MediaSample(
                    offset: offset, size: UInt32(frame.size), duration: UInt32(frame.samplesPerFrame),
                    compositionOffset: 0, isSync: true))
            guard samples.count <= maximumSampleCount else { throw .malformed("too many MP3 frames") }
            largestFrame = max(largestFrame, frame.size)
            largestBitrate = max(largestBitrate, frame.bitrate)
            totalBytes += UInt64(frame.size)
            offset += UInt64(frame.size)
        }
        guard let first, !samples.isEmpty else { throw .malformed("no MP3 frames") }
        let seconds = Double(samples.count * first.samplesPerFrame) / Double(first.sampleRate)
        let averageBitrate = seconds > 0 ? Double(totalBytes) * 8 / seconds : 0
        let entry = SampleEntryWriter.mp3(
            channels: first.channels, sampleRate: first.sampleRate, bufferSize: largestFrame,
            maxBitrate: largestBitrate, averageBitrate: Int(averageBitrate.rounded()))
        return SourceTrack(
            kind: .audio, codec: FourCC(code: "mp4a"), sampleEntry: entry, timescale: UInt32(first.sampleRate),
            presentationSeconds: seconds, samples: samples)
    }

    /// A Xing, Info or VBRI frame: silence that carries the encoder's summary; players skip it.
    private static func isInfoFrame(
        _ frame: FrameHeader, at offset: UInt64, _ reader: inout BlockReader
    ) throws(MP4Error) -> Bool {
        let sideInfo = frame.version == 1 ? (frame.channels == 1 ? 17 : 32) : (frame.channels == 1 ? 9 : 17)
        let tags: [(Int, [UInt8])] = [
            (4 + sideInfo, Array("Xing".utf8)), (4 + sideInfo, Array("Info".utf8)), (36, Array("VBRI".utf8)),
        ]
        for (position, tag) in tags where position + 4 <= frame.size {
            if try reader.bytes(at: offset + UInt64(position), count: 4) == tag { return true }
        }
        return false
    }
}

/// Reads small pieces of a file through a 64 KiB window: one system call per block, not per frame.
struct BlockReader {
    let source: any ByteSource
    private var window: [UInt8] = []
    private var windowStart: UInt64 = 0
    static let blockSize = 64 << 10

    init(source: any ByteSource) { self.source = source }

    /// `count` bytes at `offset` (at most a block), or `nil` past the end of the file.
    mutating func bytes(at offset: UInt64, count: Int) throws(MP4Error) -> [UInt8]? {
        guard offset <= source.size, UInt64(count) <= source.size - offset else { return nil }
        if offset < windowStart || offset + UInt64(count) > windowStart + UInt64(window.count) {
            let length = Int(min(UInt64(Self.blockSize), source.size - offset))
            window = try source.read(at: offset, count: max(length, count))
            windowStart = offset
        }
        let start = Int(offset - windowStart)
        return Array(window[start..<(start + count)])
    }
}
