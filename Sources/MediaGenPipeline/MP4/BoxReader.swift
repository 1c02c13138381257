import Foundation

/// Why the native muxer could not read or remux a file.
///
/// `malformed`: the file is broken (a box past its parent's end, a table that contradicts
/// another…). `unsupported`: the file is fine, but not something the native muxer remuxes (a
/// codec, a fragmented MP4, a WAV…); ffmpeg may do it.
struct MP4Error: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case malformed, unsupported
    }

    var kind: Kind
    var message: String

    static func malformed(_ message: String) -> MP4Error { MP4Error(kind: .malformed, message: message) }
    static func unsupported(_ message: String) -> MP4Error { MP4Error(kind: .unsupported, message: message) }

    var description: String { message }
}

/// Checked arithmetic on numbers read from a file: an overflow is a malformed file, never a trap.
enum Checked {
    static func add(_ a: UInt64, _ b: UInt64, _ what: String) throws(MP4Error) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .malformed("\(what) overflows") }
        return sum
    }

    static func multiply(_ a: UInt64, _ b: UInt64, _ what: String) throws(MP4Error) -> UInt64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .malformed("\(what) overflows") }
        return product
    }

    static func int(_ value: UInt64, _ what: String) throws(MP4Error) -> Int {
        guard let int = Int(exactly: value) else { throw .malformed("\(what) is too large") }
        return int
    }
}

/// Random access to a file's bytes, in bounded reads.
protocol ByteSource {
    var size: UInt64 { get }
    /// Exactly `count` bytes at `offset`; throws when they are not all there.
    func read(at offset: UInt64, count: Int) throws(MP4Error) -> [UInt8]
    /// The same as `Data`, for copying sample bytes without converting them.
    func readData(at offset: UInt64, count: Int) throws(MP4Error) -> Data
}

extension ByteSource {
    func readData(at offset: UInt64, count: Int) throws(MP4Error) -> Data { Data(try read(at: offset, count: count)) }
}

/// A file on disk, read with `FileHandle` a piece at a time: never loaded whole.
final class FileByteSource: ByteSource {
    let url: URL
    let size: UInt64
    private let handle: FileHandle

    init(_ url: URL) throws(MP4Error) {
        self.url = url
        do {
            handle = try FileHandle(forReadingFrom: url)
            size = try handle.seekToEnd()
        } catch {
            throw .malformed("cannot open \(url.lastPathComponent): \(error.localizedDescription)")
        }
    }

    deinit { try? handle.close() }

    func read(at offset: UInt64, count: Int) throws(MP4Error) -> [UInt8] {
        [UInt8](try readData(at: offset, count: count))
    }

    func readData(at offset: UInt64, count: Int) throws(MP4Error) -> Data {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw .malformed("a read of \(count) bytes at \(offset) passes the end of the file (\(size) bytes)")
        }
        if count == 0 { return Data() }
        let data: Data?
        do {
            try handle.seek(toOffset: offset)
            data = try handle.read(upToCount: count)
        } catch {
            throw .malformed("cannot read \(url.lastPathComponent): \(error.localizedDescription)")
        }
        guard let data, data.count == count else { throw .malformed("the file ended early at \(offset)") }
        return data
    }
}

/// Bytes in memory (tests, fuzzing).
struct MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    var size: UInt64 { UInt64(bytes.count) }

    func read(at offset: UInt64, count: Int) throws(MP4Error) -> [UInt8] {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw .malformed("a read of \(count) bytes at \(offset) passes the end of the data (\(size) bytes)")
        }
        let start = Int(offset)
        return Array(bytes[start..<(start + count)])
    }
}

/// A four-character code such as `moov`.
typealias FourCC = UInt32

extension FourCC {
    init(code text: StaticString) {
        var value: UInt32 = 0
        text.withUTF8Buffer { buffer in
            for byte in buffer.prefix(4) { value = value << 8 | UInt32(byte) }
        }
        self = value
    }

    /// `avc1`, or the bytes in hex when they are not printable.
    var text: String {
        let bytes = [UInt8(self >> 24), UInt8(self >> 16 & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self & 0xFF)]
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return String(format: "0x%08X", self) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A box inside bytes held in memory: its type and where its payload lies.
struct Box {
    var type: FourCC
    /// Where the whole box starts, in the buffer.
    var start: Int
    /// The payload, after the header.
    var payload: Range<Int>
}

/// A bounds-checked reader of big-endian numbers over bytes in memory.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let range = range ?? 0..<bytes.count
        position = max(0, min(range.lowerBound, bytes.count))
        end = max(position, min(range.upperBound, bytes.count))
    }

    var remaining: Int { end - position }

    mutating func skip(_ count: Int) throws(MP4Error) {
        guard count >= 0, count <= remaining else { throw .malformed("a box ends early") }
        position += count
    }

    mutating func u8() throws(MP4Error) -> UInt8 {
        guard remaining >= 1 else { throw .malformed("a box ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(MP4Error) -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

    mutating func u32() throws(MP4Error) -> UInt32 {
        guard remaining >= 4 else { throw .malformed("a box ends early") }
        var value: UInt32 = 0
        for index in position..<(position + 4) { value = value << 8 | UInt32(bytes[index]) }
        position += 4
        return value
    }

    mutating func u64() throws(MP4Error) -> UInt64 { UInt64(try u32()) << 32 | UInt64(try u32()) }

    mutating func take(_ count: Int) throws(MP4Error) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .malformed("a box ends early") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// A full box's version and flags.
    mutating func versionAndFlags() throws(MP4Error) -> (version: UInt8, flags: UInt32) {
        let word = try u32()
        return (UInt8(word >> 24), word & 0xFF_FFFF)
    }

    /// An entry count whose entries of `entrySize` bytes must fit in what is left: a count
    /// larger than the box can hold is a broken file, not an allocation.
    mutating func count(entrySize: Int, _ box: String) throws(MP4Error) -> Int {
        let count = Int(try u32())
        guard entrySize > 0, count <= remaining / entrySize else {
            throw .malformed("\(box) claims \(count) entries, more than its \(remaining) bytes hold")
        }
        return count
    }
}

extension ByteCursor {
    /// An MPEG-4 descriptor's tag, its length (one to four bytes of seven bits) skipped.
    mutating func descriptorTag() throws(MP4Error) -> UInt8 {
        let tag = try u8()
        for _ in 0..<4 {
            if try u8() & 0x80 == 0 { break }
        }
        return tag
    }

    /// The boxes one after another in `range`. Size 1 reads a 64-bit size; size 0 runs to the
    /// end of `range`. A box past the end of `range` is malformed.
    static func boxes(in bytes: [UInt8], range: Range<Int>) throws(MP4Error) -> [Box] {
        var cursor = ByteCursor(bytes, range: range)
        var boxes: [Box] = []
        while cursor.remaining >= 8 {
            let start = cursor.position
            let size32 = try cursor.u32()
            let type = try cursor.u32()
            var size = UInt64(size32)
            if size32 == 1 {
                size = try cursor.u64()
            } else if size32 == 0 {
                size = UInt64(cursor.end - start)
            }
            let header = cursor.position - start
            guard size >= UInt64(header), size <= UInt64(cursor.end - start) else {
                throw .malformed("box '\(type.text)' of \(size) bytes at \(start) runs past its parent's end")
            }
            let end = start + Int(size)
            boxes.append(Box(type: type, start: start, payload: cursor.position..<end))
            try cursor.skip(end - cursor.position)
        }
        return boxes
    }

    static func first(_ type: FourCC, in boxes: [Box]) -> Box? { boxes.first { $0.type == type } }

    /// The box `path` names (`["mdia", "minf", "stbl"]`) below `range`, when each level has it.
    static func find(_ path: [FourCC], in bytes: [UInt8], range: Range<Int>) throws(MP4Error) -> Box? {
        var current: Box?
        var within = range
        for type in path {
            guard let box = first(type, in: try boxes(in: bytes, range: within)) else { return nil }
            current = box
            within = box.payload
        }
        return current
    }
}

/// The top-level boxes of a file, read from their headers only: `mdat` is never loaded.
struct TopLevelBox {
    var type: FourCC
    var offset: UInt64
    var headerSize: UInt64
    var size: UInt64
}

extension TopLevelBox {
    static func scan(_ source: any ByteSource) throws(MP4Error) -> [TopLevelBox] {
        var boxes: [TopLevelBox] = []
        var offset: UInt64 = 0
        while source.size - offset >= 8 {
            var cursor = ByteCursor(try source.read(at: offset, count: 8))
            let size32 = try cursor.u32()
            let type = try cursor.u32()
            var size = UInt64(size32)
            var header: UInt64 = 8
            if size32 == 1 {
                var large = ByteCursor(try source.read(at: offset + 8, count: 8))
                size = try large.u64()
                header = 16
            } else if size32 == 0 {
                size = source.size - offset
            }
            guard size >= header, size <= source.size - offset else {
                throw .malformed("box '\(type.text)' of \(size) bytes at \(offset) runs past the end of the file")
            }
            boxes.append(TopLevelBox(type: type, offset: offset, headerSize: header, size: size))
            if boxes.count > 100_000 { throw .malformed("more than 100 000 top-level boxes") }
            offset += size
        }
        return boxes
    }
}
