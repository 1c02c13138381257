import Foundation

/// Writes a planned MP4: `ftyp`, `moov`, then `mdat` with the samples copied from the sources a
/// bounded piece at a time (adjacent samples read together, at most `copyBlock` bytes per read).
struct MP4Writer {
    static let copyBlock = 1 << 20

    let plan: MuxPlan
    /// The sources of the plan's tracks, in the same order.
    let sources: [any ByteSource]

    /// The bytes before `mdat`'s payload, with the chunk offsets that follow from them: `stco`
    /// while the whole file stays under 4 GiB, `co64` past it.
    func header() throws(MP4Error) -> [UInt8] {
        let fileType = MovieBoxWriter.fileType(plan)
        let narrow = MovieBoxWriter.movie(plan, payloadStart: 0, wide: false)
        let largeData = plan.payloadSize > UInt64(UInt32.max) - 8
        let mdatHeader: UInt64 = largeData ? 16 : 8
        let end = try Checked.add(UInt64(fileType.count + narrow.count) + mdatHeader, plan.payloadSize, "the output")
        let wide = end > UInt64(UInt32.max)
        var movieSize = UInt64(narrow.count)
        if wide {
            movieSize = UInt64(MovieBoxWriter.movie(plan, payloadStart: 0, wide: true).count)
            _ = try Checked.add(UInt64(fileType.count) + movieSize + mdatHeader, plan.payloadSize, "the output")
        }
        let payloadStart = UInt64(fileType.count) + movieSize + mdatHeader
        var writer = BoxWriter()
        writer.append(fileType)
        writer.append(MovieBoxWriter.movie(plan, payloadStart: payloadStart, wide: wide))
        if largeData {
            writer.u32(1)
            writer.fourCC(FourCC(code: "mdat"))
            writer.u64(plan.payloadSize + 16)
        } else {
            writer.u32(UInt32(plan.payloadSize + 8))
            writer.fourCC(FourCC(code: "mdat"))
        }
        return writer.bytes
    }

    /// Writes the file to `url` (created or truncated); returns its size. `isCancelled` is asked
    /// between chunks.
    func write(to url: URL, isCancelled: () -> Bool = { false }) throws -> UInt64 {
        let header = try header()
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let output = try FileHandle(forWritingTo: url)
        defer { try? output.close() }
        var pending = Data(header)
        var written: UInt64 = 0
        func flush(_ force: Bool) throws {
            guard force || pending.count >= Self.copyBlock else { return }
            try output.write(contentsOf: pending)
            written += UInt64(pending.count)
            pending.removeAll(keepingCapacity: true)
        }
        for (trackIndex, chunkIndex) in plan.order {
            if isCancelled() { throw CancellationError() }
            let track = plan.tracks[trackIndex]
            let source = sources[trackIndex]
            // Adjacent samples make one read; a large sample is read in pieces.
            var run: (offset: UInt64, count: UInt64)?
            func copy(_ range: (offset: UInt64, count: UInt64)) throws {
                var offset = range.offset
                var left = range.count
                while left > 0 {
                    let piece = Int(min(left, UInt64(Self.copyBlock)))
                    pending.append(try source.readData(at: offset, count: piece))
                    offset += UInt64(piece)
                    left -= UInt64(piece)
                    try flush(false)
                }
            }
            for index in track.chunks[chunkIndex] {
                let sample = track.source.samples[index]
                if let current = run, current.offset + current.count == sample.offset,
                    current.count + UInt64(sample.size) <= UInt64(Self.copyBlock)
                {
                    run = (current.offset, current.count + UInt64(sample.size))
                } else {
                    if let current = run { try copy(current) }
                    run = (sample.offset, UInt64(sample.size))
                }
            }
            if let current = run { try copy(current) }
        }
        try flush(true)
        let expected = UInt64(header.count) + plan.payloadSize
        guard written == expected else {
            throw MP4Error.malformed("wrote \(written) bytes where \(expected) were planned")
        }
        return written
    }
}
