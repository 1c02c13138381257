import Foundation

/// Writes the output's `ftyp` and `moov` for a plan: the `moov` comes first (fast start), so its
/// chunk offsets are the bytes before `mdat`'s payload plus the chunks before.
enum MovieBoxWriter {
    static func fileType(_ plan: MuxPlan) -> [UInt8] {
        var writer = BoxWriter()
        writer.box(FourCC(code: "ftyp")) { ftyp in
            ftyp.fourCC(FourCC(code: "isom"))
            ftyp.u32(0x200)
            var brands = [FourCC(code: "isom"), FourCC(code: "iso2")]
            if plan.tracks.contains(where: { [FourCC(code: "avc1"), FourCC(code: "avc3")].contains($0.source.codec) }) {
                brands.append(FourCC(code: "avc1"))
            }
            brands.append(FourCC(code: "mp41"))
            for brand in brands { ftyp.fourCC(brand) }
        }
        return writer.bytes
    }

    /// `moov` with chunk offsets counted from `payloadStart`; `co64` when `wide`.
    static func movie(_ plan: MuxPlan, payloadStart: UInt64, wide: Bool) -> [UInt8] {
        // Each chunk's offset, in file order.
        var offsets = plan.tracks.map { _ in [UInt64]() }
        var position = payloadStart
        for (track, chunk) in plan.order {
            offsets[track].append(position)
            let source = plan.tracks[track].source
            for index in plan.tracks[track].chunks[chunk] { position += UInt64(source.samples[index].size) }
        }
        let duration = plan.duration
        var writer = BoxWriter()
        writer.box(FourCC(code: "moov")) { moov in
            let long = duration > UInt64(UInt32.max)
            moov.fullBox(FourCC(code: "mvhd"), version: long ? 1 : 0) { mvhd in
                times(&mvhd, long: long, timescale: MuxPlan.movieTimescale, duration: duration)
                mvhd.u32(0x0001_0000)  // rate
                mvhd.u16(0x0100)  // volume
                mvhd.zeros(10)
                mvhd.append(TrackHeader.identityMatrix)
                mvhd.zeros(24)
                mvhd.u32(UInt32(plan.tracks.count + 1))
            }
            for (index, track) in plan.tracks.enumerated() {
                trak(&moov, track, offsets: offsets[index], wide: wide)
            }
        }
        return writer.bytes
    }

    /// Creation and modification times (0, as ffmpeg without metadata), timescale, duration.
    private static func times(_ writer: inout BoxWriter, long: Bool, timescale: UInt32, duration: UInt64) {
        if long {
            writer.zeros(16)
            writer.u32(timescale)
            writer.u64(duration)
        } else {
            writer.zeros(8)
            writer.u32(timescale)
            writer.u32(UInt32(duration))
        }
    }

    private static func trak(_ moov: inout BoxWriter, _ track: MuxPlan.Track, offsets: [UInt64], wide: Bool) {
        let source = track.source
        let isVideo = source.kind == .video
        moov.box(FourCC(code: "trak")) { trak in
            let long = track.presentation > UInt64(UInt32.max)
            trak.fullBox(FourCC(code: "tkhd"), version: long ? 1 : 0, flags: 3) { tkhd in
                tkhd.zeros(long ? 16 : 8)
                tkhd.u32(track.trackID)
                tkhd.zeros(4)
                if long { tkhd.u64(track.presentation) } else { tkhd.u32(UInt32(track.presentation)) }
                tkhd.zeros(8)
                tkhd.u16(0)  // layer
                tkhd.u16(isVideo ? 0 : 1)  // alternate group
                tkhd.u16(isVideo ? 0 : 0x0100)  // volume
                tkhd.zeros(2)
                tkhd.append(source.matrix.count == 36 ? source.matrix : TrackHeader.identityMatrix)
                tkhd.u32(isVideo ? source.width : 0)
                tkhd.u32(isVideo ? source.height : 0)
            }
            trak.box(FourCC(code: "edts")) { edts in
                let wideEdit = long || source.mediaStart > Int64(Int32.max) || source.mediaStart < Int64(Int32.min)
                edts.fullBox(FourCC(code: "elst"), version: wideEdit ? 1 : 0) { elst in
                    elst.u32(1)
                    if wideEdit {
                        elst.u64(track.presentation)
                        elst.u64(UInt64(bitPattern: source.mediaStart))
                    } else {
                        elst.u32(UInt32(track.presentation))
                        elst.u32(UInt32(bitPattern: Int32(source.mediaStart)))
                    }
                    elst.u32(0x0001_0000)  // media rate 1.0
                }
            }
            trak.box(FourCC(code: "mdia")) { mdia in
                let mediaDuration = source.mediaDuration
                let longMedia = mediaDuration > UInt64(UInt32.max)
                mdia.fullBox(FourCC(code: "mdhd"), version: longMedia ? 1 : 0) { mdhd in
                    times(&mdhd, long: longMedia, timescale: source.timescale, duration: mediaDuration)
                    mdhd.u16(source.language)
                    mdhd.u16(0)
                }
                mdia.fullBox(FourCC(code: "hdlr")) { hdlr in
                    hdlr.u32(0)
                    hdlr.fourCC(isVideo ? FourCC(code: "vide") : FourCC(code: "soun"))
                    hdlr.zeros(12)
                    hdlr.append(Array((isVideo ? "VideoHandler" : "SoundHandler").utf8) + [0])
                }
                mdia.box(FourCC(code: "minf")) { minf in
                    if isVideo {
                        minf.fullBox(FourCC(code: "vmhd"), flags: 1) { $0.zeros(8) }
                    } else {
                        minf.fullBox(FourCC(code: "smhd")) { $0.zeros(4) }
                    }
                    minf.box(FourCC(code: "dinf")) { dinf in
                        dinf.fullBox(FourCC(code: "dref")) { dref in
                            dref.u32(1)
                            dref.fullBox(FourCC(code: "url "), flags: 1) { _ in }
                        }
                    }
                    minf.box(FourCC(code: "stbl")) { stbl in
                        SampleTableWriter.write(&stbl, track, offsets: offsets, wide: wide)
                    }
                }
            }
        }
    }
}
