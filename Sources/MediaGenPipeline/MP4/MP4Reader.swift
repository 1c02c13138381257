import Foundation

/// Reads the tracks of an MP4 or MOV file: its `moov` in memory (metadata only, bounded), the
/// sample data left on disk.
enum MP4Reader {
    /// The largest `moov` read: ten hours of 240 fps video need less than a tenth of it.
    static let maximumMovieBoxSize: UInt64 = 256 << 20

    /// The first track of `kind` in `source`.
    static func track(_ kind: SourceTrack.Kind, in source: any ByteSource) throws(MP4Error) -> SourceTrack {
        let topLevel = try TopLevelBox.scan(source)
        guard let moov = topLevel.first(where: { $0.type == FourCC(code: "moov") }) else {
            throw .malformed("no 'moov' box: not an MP4, or cut short")
        }
        if topLevel.contains(where: { $0.type == FourCC(code: "moof") }) {
            throw .unsupported("a fragmented MP4")
        }
        let payloadSize = moov.size - moov.headerSize
        guard payloadSize <= maximumMovieBoxSize else { throw .unsupported("a 'moov' of \(payloadSize) bytes") }
        let bytes = try source.read(at: moov.offset + moov.headerSize, count: Int(payloadSize))
        let children = try ByteCursor.boxes(in: bytes, range: 0..<bytes.count)
        if ByteCursor.first(FourCC(code: "mvex"), in: children) != nil { throw .unsupported("a fragmented MP4") }
        guard let mvhd = ByteCursor.first(FourCC(code: "mvhd"), in: children) else { throw .malformed("no 'mvhd'") }
        let movieTimescale = try movieTimescale(bytes, mvhd)
        var foundKinds: [String] = []
        for trak in children where trak.type == FourCC(code: "trak") {
            guard
                let hdlr = try ByteCursor.find(
                    [FourCC(code: "mdia"), FourCC(code: "hdlr")], in: bytes, range: trak.payload)
            else { throw .malformed("a track without 'hdlr'") }
            var cursor = ByteCursor(bytes, range: hdlr.payload)
            try cursor.skip(8)
            let handler = try cursor.u32()
            foundKinds.append(handler.text)
            let wanted = kind == .video ? FourCC(code: "vide") : FourCC(code: "soun")
            guard handler == wanted else { continue }
            return try track(kind, bytes, trak, movieTimescale: movieTimescale, fileSize: source.size)
        }
        throw .unsupported(
            "no \(kind == .video ? "video" : "audio") track (tracks: \(foundKinds.joined(separator: ", ")))")
    }

    private static func movieTimescale(_ bytes: [UInt8], _ mvhd: Box) throws(MP4Error) -> UInt32 {
        var cursor = ByteCursor(bytes, range: mvhd.payload)
        let (version, _) = try cursor.versionAndFlags()
        try cursor.skip(version == 1 ? 16 : 8)
        let timescale = try cursor.u32()
        guard timescale > 0 else { throw .malformed("a movie timescale of 0") }
        return timescale
    }

    private static func track(
        _ kind: SourceTrack.Kind, _ bytes: [UInt8], _ trak: Box, movieTimescale: UInt32, fileSize: UInt64
    ) throws(MP4Error) -> SourceTrack {
        let children = try ByteCursor.boxes(in: bytes, range: trak.payload)
        guard let mdia = ByteCursor.first(FourCC(code: "mdia"), in: children),
            let mdhd = try ByteCursor.find([FourCC(code: "mdhd")], in: bytes, range: mdia.payload),
            let stbl = try ByteCursor.find(
                [FourCC(code: "minf"), FourCC(code: "stbl")], in: bytes, range: mdia.payload)
        else { throw .malformed("a track without 'mdhd' or 'stbl'") }

        var header = ByteCursor(bytes, range: mdhd.payload)
        let (version, _) = try header.versionAndFlags()
        try header.skip(version == 1 ? 16 : 8)
        let timescale = try header.u32()
        try header.skip(version == 1 ? 8 : 4)
        let language = try header.u16()
        guard timescale > 0 else { throw .malformed("a track timescale of 0") }

        let tables = try SampleTables(bytes, stbl)
        let entry = try tables.sampleEntry()
        let wanted = kind == .video ? RemuxableCodec.video : RemuxableCodec.audio
        guard wanted.contains(entry.type) else {
            throw .unsupported("\(kind == .video ? "video" : "audio") in '\(entry.type.text)'")
        }
        let samples = try tables.samples(fileSize: fileSize)
        var track = SourceTrack(
            kind: kind, codec: entry.type, sampleEntry: entry.bytes, timescale: timescale, language: language,
            presentationSeconds: 0, samples: samples)
        track.hasSyncTable = tables.stss != nil
        track.hasCompositionOffsets = tables.ctts != nil
        if kind == .video, let tkhd = ByteCursor.first(FourCC(code: "tkhd"), in: children) {
            var cursor = ByteCursor(bytes, range: tkhd.payload)
            let (version, _) = try cursor.versionAndFlags()
            try cursor.skip(version == 1 ? 32 : 20)
            try cursor.skip(16)
            track.matrix = try cursor.take(36)
            track.width = try cursor.u32()
            track.height = try cursor.u32()
        }
        let end = track.presentationEnd
        track.presentationSeconds = Double(end) / Double(timescale)
        if let elst = try ByteCursor.find([FourCC(code: "edts"), FourCC(code: "elst")], in: bytes, range: trak.payload)
        {
            let edits = try editList(bytes, elst)
            // Empty edits (media time -1) delay the start; they are not kept. The first real
            // edit says where the media starts; its duration, how long it plays.
            if let edit = edits.first(where: { $0.mediaTime >= 0 }) {
                track.mediaStart = edit.mediaTime
                let playable = Double(max(0, end - edit.mediaTime)) / Double(timescale)
                if edit.duration > 0 {
                    track.presentationSeconds = min(playable, Double(edit.duration) / Double(movieTimescale))
                } else {
                    track.presentationSeconds = playable
                }
            }
        }
        return track
    }

    private static func editList(_ bytes: [UInt8], _ elst: Box) throws(MP4Error) -> [(
        duration: UInt64, mediaTime: Int64
    )] {
        var cursor = ByteCursor(bytes, range: elst.payload)
        let (version, _) = try cursor.versionAndFlags()
        let count = try cursor.count(entrySize: version == 1 ? 20 : 12, "elst")
        var edits: [(duration: UInt64, mediaTime: Int64)] = []
        for _ in 0..<count {
            if version == 1 {
                let duration = try cursor.u64()
                edits.append((duration, Int64(bitPattern: try cursor.u64())))
            } else {
                let duration = UInt64(try cursor.u32())
                edits.append((duration, Int64(Int32(bitPattern: try cursor.u32()))))
            }
            try cursor.skip(4)
        }
        return edits
    }
}
