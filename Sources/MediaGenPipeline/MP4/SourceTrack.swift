import Foundation

/// One sample (a video frame, an audio frame) of a source file: where its bytes are, and its timing.
struct MediaSample: Hashable {
    /// Where the bytes are in the source file.
    var offset: UInt64
    var size: UInt32
    /// In the track's timescale.
    var duration: UInt32
    /// Presentation minus decoding time (`ctts`), in the track's timescale.
    var compositionOffset: Int32
    var isSync: Bool
}

/// A track read from a source file, ready to be written into another: its codec's sample entry
/// as it was, its timing, and where each sample is.
struct SourceTrack {
    enum Kind: Hashable {
        case video, audio
    }

    var kind: Kind
    /// The sample entry's type: `avc1`, `hvc1`, `mp4a`…
    var codec: FourCC
    /// The whole sample entry box (`avc1` with its `avcC`…), written into the output's `stsd` as is.
    var sampleEntry: [UInt8]
    var timescale: UInt32
    /// ISO-639-2/T packed as in `mdhd`; `und` when unknown.
    var language: UInt16 = 0x55C4
    /// Video only: the display size (16.16 fixed point) and matrix of the source's `tkhd`.
    var width: UInt32 = 0
    var height: UInt32 = 0
    var matrix: [UInt8] = TrackHeader.identityMatrix
    /// Where presentation starts in the media (the first edit's `media_time`; AAC priming,
    /// B-frame delay), in the track's timescale.
    var mediaStart: Int64 = 0
    /// How long the track plays, in seconds (its edit list's, else its samples').
    var presentationSeconds: Double
    var samples: [MediaSample]
    /// The source lists its sync samples (`stss`); without it every sample is one.
    var hasSyncTable: Bool = false
    var hasCompositionOffsets: Bool = false

    /// The sum of the sample durations, in the track's timescale.
    /// The codec as ffmpeg names it: `h264`, `hevc`, `aac`, `mp3`.
    var codecName: String {
        switch codec {
        case FourCC(code: "avc1"), FourCC(code: "avc3"): return "h264"
        case FourCC(code: "hvc1"), FourCC(code: "hev1"): return "hevc"
        case FourCC(code: "mp4a"):
            return Self.mpeg4AudioObjectType(sampleEntry).map { [0x69, 0x6B].contains($0) } == true ? "mp3" : "aac"
        default: return codec.text
        }
    }

    /// The objectTypeIndication in an `mp4a` entry's `esds` (0x40 AAC, 0x6B MP3…), when found.
    static func mpeg4AudioObjectType(_ entry: [UInt8]) -> UInt8? {
        // mp4a: an 8-byte header and 28 bytes of fields, then its boxes.
        guard entry.count > 36,
            let boxes = try? ByteCursor.boxes(in: entry, range: 36..<entry.count),
            let esds = boxes.first(where: { $0.type == FourCC(code: "esds") })
        else { return nil }
        var cursor = ByteCursor(entry, range: esds.payload)
        do {
            try cursor.skip(4)
            guard try cursor.descriptorTag() == 0x03 else { return nil }
            try cursor.skip(2)
            let flags = try cursor.u8()
            if flags & 0x80 != 0 { try cursor.skip(2) }
            if flags & 0x40 != 0 { try cursor.skip(Int(try cursor.u8())) }
            if flags & 0x20 != 0 { try cursor.skip(2) }
            guard try cursor.descriptorTag() == 0x04 else { return nil }
            return try cursor.u8()
        } catch {
            return nil
        }
    }

    var mediaDuration: UInt64 { samples.reduce(0) { $0 + UInt64($1.duration) } }

    /// When the last sample to be shown ends (decoding time plus composition offset plus duration),
    /// in the track's timescale: past `mediaDuration` when B-frames shift presentation.
    var presentationEnd: Int64 {
        var decodeTime: Int64 = 0
        var end: Int64 = 0
        for sample in samples {
            end = max(end, decodeTime + Int64(sample.compositionOffset) + Int64(sample.duration))
            decodeTime += Int64(sample.duration)
        }
        return end
    }
}

/// Constants of `tkhd`.
enum TrackHeader {
    /// The unity matrix of ISO/IEC 14496-12 (16.16 and 2.30 fixed point).
    static let identityMatrix: [UInt8] = {
        var bytes: [UInt8] = []
        for value: UInt32 in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
            bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        }
        return bytes
    }()
}

/// The video and audio codecs the native muxer copies.
enum RemuxableCodec {
    static let video: Set<FourCC> = [
        FourCC(code: "avc1"), FourCC(code: "avc3"), FourCC(code: "hvc1"), FourCC(code: "hev1"),
    ]
    static let audio: Set<FourCC> = [FourCC(code: "mp4a")]
}

/// The most samples one track may have: ten hours at 240 frames a second. More is a broken file.
let maximumSampleCount = 10 * 3600 * 240
