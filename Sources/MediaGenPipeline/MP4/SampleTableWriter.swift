import Foundation

/// Writes a track's sample table (`stbl`'s children) from its kept samples and chunk offsets.
enum SampleTableWriter {
    static func write(_ stbl: inout BoxWriter, _ track: MuxPlan.Track, offsets: [UInt64], wide: Bool) {
        let samples = track.source.samples
        stbl.fullBox(FourCC(code: "stsd")) { stsd in
            stsd.u32(1)
            stsd.append(track.source.sampleEntry)
        }
        let durations = runs(samples.map(\.duration))
        stbl.fullBox(FourCC(code: "stts")) { stts in
            stts.u32(UInt32(durations.count))
            for run in durations {
                stts.u32(run.count)
                stts.u32(run.value)
            }
        }
        if track.source.hasCompositionOffsets {
            let offsets = runs(samples.map(\.compositionOffset))
            let signed = offsets.contains { $0.value < 0 }
            stbl.fullBox(FourCC(code: "ctts"), version: signed ? 1 : 0) { ctts in
                ctts.u32(UInt32(offsets.count))
                for run in offsets {
                    ctts.u32(run.count)
                    ctts.u32(UInt32(bitPattern: run.value))
                }
            }
        }
        if track.source.hasSyncTable || samples.contains(where: { !$0.isSync }) {
            let sync = samples.indices.filter { samples[$0].isSync }
            stbl.fullBox(FourCC(code: "stss")) { stss in
                stss.u32(UInt32(sync.count))
                for index in sync { stss.u32(UInt32(index + 1)) }
            }
        }
        let perChunk = runs(track.chunks.map { UInt32($0.count) })
        stbl.fullBox(FourCC(code: "stsc")) { stsc in
            stsc.u32(UInt32(perChunk.count))
            var chunk: UInt32 = 1
            for run in perChunk {
                stsc.u32(chunk)
                stsc.u32(run.value)
                stsc.u32(1)  // sample description index
                chunk += run.count
            }
        }
        stbl.fullBox(FourCC(code: "stsz")) { stsz in
            let first = samples.first?.size ?? 0
            if samples.allSatisfy({ $0.size == first }) {
                stsz.u32(first)
                stsz.u32(UInt32(samples.count))
            } else {
                stsz.u32(0)
                stsz.u32(UInt32(samples.count))
                for sample in samples { stsz.u32(sample.size) }
            }
        }
        stbl.fullBox(wide ? FourCC(code: "co64") : FourCC(code: "stco")) { table in
            table.u32(UInt32(offsets.count))
            for offset in offsets {
                if wide { table.u64(offset) } else { table.u32(UInt32(truncatingIfNeeded: offset)) }
            }
        }
    }

    /// Runs of equal values, as `stts`, `ctts` and `stsc` store them.
    static func runs<Value: Equatable>(_ values: [Value]) -> [(count: UInt32, value: Value)] {
        var runs: [(count: UInt32, value: Value)] = []
        for value in values {
            if let last = runs.last, last.value == value, last.count < UInt32.max {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((1, value))
            }
        }
        return runs
    }
}
