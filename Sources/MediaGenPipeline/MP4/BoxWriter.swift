import Foundation

/// Builds boxes in memory, big-endian, each box's size filled in when its body is done.
struct BoxWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func u24(_ value: UInt32) {
        bytes += [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
    mutating func u32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
    mutating func u64(_ value: UInt64) {
        u32(UInt32(value >> 32))
        u32(UInt32(value & 0xFFFF_FFFF))
    }
    mutating func zeros(_ count: Int) { bytes += [UInt8](repeating: 0, count: count) }
    mutating func append(_ other: [UInt8]) { bytes += other }
    mutating func fourCC(_ code: FourCC) { u32(code) }

    /// A box of `type` whose body `content` writes. Bodies of metadata stay far below 4 GiB.
    mutating func box(_ type: FourCC, _ content: (inout BoxWriter) -> Void) {
        let start = bytes.count
        u32(0)
        fourCC(type)
        content(&self)
        let size = UInt32(truncatingIfNeeded: bytes.count - start)
        bytes[start] = UInt8(size >> 24)
        bytes[start + 1] = UInt8(size >> 16 & 0xFF)
        bytes[start + 2] = UInt8(size >> 8 & 0xFF)
        bytes[start + 3] = UInt8(size & 0xFF)
    }

    /// A full box: version and flags, then the body.
    mutating func fullBox(_ type: FourCC, version: UInt8 = 0, flags: UInt32 = 0, _ content: (inout BoxWriter) -> Void) {
        box(type) { writer in
            writer.u8(version)
            writer.u24(flags)
            content(&writer)
        }
    }

    /// An MPEG-4 descriptor (tag, length, body) inside `esds`; the length in one byte when it fits.
    mutating func descriptor(_ tag: UInt8, _ content: (inout BoxWriter) -> Void) {
        var body = BoxWriter()
        content(&body)
        u8(tag)
        let length = body.bytes.count
        if length < 0x80 {
            u8(UInt8(length))
        } else {
            u8(UInt8(0x80 | (length >> 21 & 0x7F)))
            u8(UInt8(0x80 | (length >> 14 & 0x7F)))
            u8(UInt8(0x80 | (length >> 7 & 0x7F)))
            u8(UInt8(length & 0x7F))
        }
        append(body.bytes)
    }
}

/// Sample entries the muxer makes itself (the others are copied from the source).
enum SampleEntryWriter {
    /// `mp4a` for MP3 frames: an `esds` with objectTypeIndication 0x6B (MPEG-1 audio; ffmpeg's
    /// choice for MP3 of any version) and no decoder-specific info.
    static func mp3(channels: Int, sampleRate: Int, bufferSize: Int, maxBitrate: Int, averageBitrate: Int) -> [UInt8] {
        var writer = BoxWriter()
        writer.box(FourCC(code: "mp4a")) { entry in
            entry.zeros(6)
            entry.u16(1)  // data reference index
            entry.zeros(8)  // version, revision, vendor
            entry.u16(UInt16(clamping: channels))
            entry.u16(16)  // sample size
            entry.zeros(4)  // compression id, packet size
            entry.u32(UInt32(clamping: sampleRate) << 16)
            entry.fullBox(FourCC(code: "esds")) { esds in
                esds.descriptor(0x03) { es in
                    es.u16(2)  // ES_ID: the audio track
                    es.u8(0)
                    es.descriptor(0x04) { config in
                        config.u8(0x6B)
                        config.u8(0x15)  // audio stream, upstream 0, reserved 1
                        config.u24(UInt32(clamping: bufferSize))
                        config.u32(UInt32(clamping: maxBitrate))
                        config.u32(UInt32(clamping: averageBitrate))
                    }
                    es.descriptor(0x06) { sl in sl.u8(0x02) }
                }
            }
        }
        return writer.bytes
    }
}
