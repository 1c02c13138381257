import Foundation

/// A track's sample table (`stbl`): the boxes that say where each sample is and when it plays,
/// turned into one list of samples with every count checked against the others and every byte
/// range against the file.
struct SampleTables {
    let bytes: [UInt8]
    let stsd: Box
    let stts: Box
    let ctts: Box?
    let stss: Box?
    let stsc: Box
    let stsz: Box
    let chunkOffsets: Box

    init(_ bytes: [UInt8], _ stbl: Box) throws(MP4Error) {
        self.bytes = bytes
        let children = try ByteCursor.boxes(in: bytes, range: stbl.payload)
        func required(_ type: FourCC) throws(MP4Error) -> Box {
            guard let box = ByteCursor.first(type, in: children) else {
                throw .malformed("a sample table without '\(type.text)'")
            }
            return box
        }
        stsd = try required(FourCC(code: "stsd"))
        stts = try required(FourCC(code: "stts"))
        stsc = try required(FourCC(code: "stsc"))
        if ByteCursor.first(FourCC(code: "stz2"), in: children) != nil {
            throw .unsupported("compact sample sizes ('stz2')")
        }
        stsz = try required(FourCC(code: "stsz"))
        ctts = ByteCursor.first(FourCC(code: "ctts"), in: children)
        stss = ByteCursor.first(FourCC(code: "stss"), in: children)
        guard
            let offsets = ByteCursor.first(FourCC(code: "co64"), in: children)
                ?? ByteCursor.first(FourCC(code: "stco"), in: children)
        else { throw .malformed("a sample table without 'stco' or 'co64'") }
        chunkOffsets = offsets
    }

    /// The only sample entry (several are not remuxed).
    func sampleEntry() throws(MP4Error) -> (type: FourCC, bytes: [UInt8]) {
        var cursor = ByteCursor(bytes, range: stsd.payload)
        _ = try cursor.versionAndFlags()
        let count = try cursor.u32()
        guard count >= 1 else { throw .malformed("'stsd' has no sample entry") }
        guard count == 1 else { throw .unsupported("\(count) sample descriptions in one track") }
        let entries = try ByteCursor.boxes(in: bytes, range: cursor.position..<cursor.end)
        guard let entry = entries.first else { throw .malformed("'stsd' has no sample entry") }
        return (entry.type, Array(bytes[entry.start..<entry.payload.upperBound]))
    }

    /// Every sample in decoding order.
    func samples(fileSize: UInt64) throws(MP4Error) -> [MediaSample] {
        let sizes = try sampleSizes()
        let count = sizes.count
        guard count > 0 else { throw .malformed("a track with no samples") }
        var samples: [MediaSample] = []
        samples.reserveCapacity(count)

        // Where: chunks (stco/co64) holding runs of samples (stsc).
        let offsets = try chunkOffsetList()
        var cursor = ByteCursor(bytes, range: stsc.payload)
        _ = try cursor.versionAndFlags()
        let runCount = try cursor.count(entrySize: 12, "stsc")
        var runs: [(firstChunk: Int, samplesPerChunk: Int)] = []
        for _ in 0..<runCount {
            let first = Int(try cursor.u32())
            let perChunk = Int(try cursor.u32())
            let description = try cursor.u32()
            guard first >= 1, first > (runs.last?.firstChunk ?? 0), description == 1 else {
                throw .malformed("'stsc' entries out of order")
            }
            runs.append((first, perChunk))
        }
        chunks: for (index, run) in runs.enumerated() {
            let lastChunk = index + 1 < runs.count ? runs[index + 1].firstChunk - 1 : offsets.count
            guard run.firstChunk <= lastChunk, lastChunk <= offsets.count else {
                throw .malformed("'stsc' names chunk \(lastChunk) of \(offsets.count)")
            }
            for chunk in run.firstChunk...lastChunk {
                var offset = offsets[chunk - 1]
                for _ in 0..<run.samplesPerChunk {
                    if samples.count == count { break chunks }
                    let size = sizes[samples.count]
                    let end = try Checked.add(offset, UInt64(size), "a sample's end")
                    guard end <= fileSize else {
                        throw .malformed("sample \(samples.count + 1) ends at \(end), past the end of the file")
                    }
                    samples.append(
                        MediaSample(offset: offset, size: size, duration: 0, compositionOffset: 0, isSync: stss == nil))
                    offset = end
                }
            }
        }
        guard samples.count == count else {
            throw .malformed("the chunks hold \(samples.count) of the \(count) samples 'stsz' lists")
        }

        // When: durations (stts), composition offsets (ctts), sync samples (stss).
        try fill(stts, entrySize: 8, count: count, "stts") { index, value in samples[index].duration = value }
        if let ctts {
            try fill(ctts, entrySize: 8, count: count, "ctts") { index, value in
                samples[index].compositionOffset = Int32(bitPattern: value)
            }
        }
        if let stss {
            var cursor = ByteCursor(bytes, range: stss.payload)
            _ = try cursor.versionAndFlags()
            let syncCount = try cursor.count(entrySize: 4, "stss")
            for _ in 0..<syncCount {
                let number = Int(try cursor.u32())
                guard number >= 1, number <= count else {
                    throw .malformed("'stss' names sample \(number) of \(count)")
                }
                samples[number - 1].isSync = true
            }
        }
        return samples
    }

    /// Runs of (count, value) expanded over the samples: `stts` and `ctts`.
    private func fill(
        _ box: Box, entrySize: Int, count: Int, _ name: String, _ set: (Int, UInt32) -> Void
    ) throws(MP4Error) {
        var cursor = ByteCursor(bytes, range: box.payload)
        _ = try cursor.versionAndFlags()
        let entries = try cursor.count(entrySize: entrySize, name)
        var index = 0
        for _ in 0..<entries {
            let runLength = Int(try cursor.u32())
            let value = try cursor.u32()
            guard runLength <= count - index else { throw .malformed("'\(name)' lists more samples than 'stsz'") }
            for sample in index..<(index + runLength) { set(sample, value) }
            index += runLength
        }
        guard index == count else { throw .malformed("'\(name)' lists \(index) of the \(count) samples") }
    }

    private func sampleSizes() throws(MP4Error) -> [UInt32] {
        var cursor = ByteCursor(bytes, range: stsz.payload)
        _ = try cursor.versionAndFlags()
        let fixed = try cursor.u32()
        if fixed != 0 {
            let count = Int(try cursor.u32())
            guard count <= maximumSampleCount else { throw .malformed("'stsz' claims \(count) samples") }
            return Array(repeating: fixed, count: count)
        }
        let count = try cursor.count(entrySize: 4, "stsz")
        guard count <= maximumSampleCount else { throw .malformed("'stsz' claims \(count) samples") }
        var sizes: [UInt32] = []
        sizes.reserveCapacity(count)
        for _ in 0..<count { sizes.append(try cursor.u32()) }
        return sizes
    }

    private func chunkOffsetList() throws(MP4Error) -> [UInt64] {
        var cursor = ByteCursor(bytes, range: chunkOffsets.payload)
        _ = try cursor.versionAndFlags()
        let wide = chunkOffsets.type == FourCC(code: "co64")
        let count = try cursor.count(entrySize: wide ? 8 : 4, wide ? "co64" : "stco")
        var offsets: [UInt64] = []
        offsets.reserveCapacity(count)
        for _ in 0..<count { offsets.append(wide ? try cursor.u64() : UInt64(try cursor.u32())) }
        return offsets
    }
}
