import Foundation
import Testing

@testable import MediaGenPipeline

/// The native muxer without ffmpeg: checked-in fixtures remuxed, read back with the muxer's own
/// reader, and compared sample by sample.
@Suite("Native MP4 muxer")
struct NativeMuxerTests {
    /// The demo's cassette media: H.264 with B-frames (ctts, an edit list) and MPEG-2 Layer III.
    static let demoMedia = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/Demo/Cassettes/media").standardizedFileURL

    func read(_ url: URL, _ kind: SourceTrack.Kind) throws -> SourceTrack {
        try MP4Reader.track(kind, in: try FileByteSource(url))
    }

    func audioTrack(_ url: URL) throws -> SourceTrack {
        let source = try FileByteSource(url)
        return try NativeMuxer.kind(of: source) == .mp3
            ? try MP3Reader.track(in: source) : try MP4Reader.track(.audio, in: source)
    }

    static let audioFixtures = ["music.mp3", "aac.m4a", "h264-aac.mp4"]

    @Test(arguments: audioFixtures)
    func aRemuxReadsBackWithTheSourcesSamplesCutToTheShorter(audioName: String) throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try MediaFactory.fixture("h264-aac.mp4")
        let audio = try MediaFactory.fixture(audioName)
        let output = folder.appendingPathComponent("out.mp4")
        let summary = try NativeMuxer.merge(video: video, audio: audio, to: output) { false }

        let sourceVideo = try read(video, .video)
        let sourceAudio = try audioTrack(audio)
        let outVideo = try read(output, .video)
        let outAudio = try read(output, .audio)
        let shorter = min(sourceVideo.presentationSeconds, sourceAudio.presentationSeconds)

        // The video: the first samples, same bytes, sizes, durations, offsets and sync flags.
        #expect(outVideo.codec == FourCC(code: "avc1"))
        #expect(outVideo.sampleEntry == sourceVideo.sampleEntry)
        #expect(outVideo.samples.count <= sourceVideo.samples.count)
        for (index, sample) in outVideo.samples.enumerated() {
            let original = sourceVideo.samples[index]
            #expect(sample.size == original.size && sample.duration == original.duration)
            #expect(sample.isSync == original.isSync && sample.compositionOffset == original.compositionOffset)
        }
        #expect(try bytes(output, outVideo.samples[1]) == bytes(video, sourceVideo.samples[1]))
        #expect(outVideo.mediaStart == sourceVideo.mediaStart)
        // The audio: whole frames, cut to the shorter stream within one frame.
        let frame = Double(sourceAudio.samples[0].duration) / Double(sourceAudio.timescale)
        #expect(abs(outAudio.presentationSeconds - shorter) <= frame)
        #expect(abs(outVideo.presentationSeconds - shorter) <= 1.0 / 24 + 0.001)
        #expect(outAudio.samples.map(\.size) == Array(sourceAudio.samples.prefix(outAudio.samples.count).map(\.size)))
        let last = try #require(outAudio.samples.last)
        let lastSource = sourceAudio.samples[outAudio.samples.count - 1]
        #expect(try bytes(output, last) == bytes(audio, lastSource))
        #expect(summary.streams.first == "h264 video")
        #expect(summary.streams.last == (audioName.hasSuffix(".mp3") ? "mp3 audio" : "aac audio"))
        #expect(try fastStart(output))
    }

    @Test func theDemoMediaRemuxWithTheirEditListAndCompositionOffsets() throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = Self.demoMedia.appendingPathComponent("video.mp4")
        let audio = Self.demoMedia.appendingPathComponent("audio.mp3")
        let output = folder.appendingPathComponent("demo.mp4")
        let summary = try NativeMuxer.merge(video: video, audio: audio, to: output) { false }
        let source = try read(video, .video)
        let out = try read(output, .video)
        #expect(source.hasCompositionOffsets && out.hasCompositionOffsets)
        #expect(source.mediaStart > 0 && out.mediaStart == source.mediaStart)
        let kept = Array(source.samples.prefix(out.samples.count))
        #expect(out.samples.map(\.size) == kept.map(\.size))
        #expect(out.samples.map(\.duration) == kept.map(\.duration))
        #expect(out.samples.map(\.compositionOffset) == kept.map(\.compositionOffset))
        #expect(out.samples.map(\.isSync) == kept.map(\.isSync))
        // A 10 s video and 30 s of MPEG-2 Layer III (576 samples a frame at 22 050 Hz).
        #expect(out.samples.count == 240)
        let music = try read(output, .audio)
        #expect(music.timescale == 22050 && music.samples[0].duration == 576)
        #expect(abs(music.presentationSeconds - 10) <= 576.0 / 22050)
        #expect(summary.streams == ["h264 video", "mp3 audio"])
        #expect(abs(Double(summary.duration.components.seconds) - 10) <= 1)
    }

    @Test func anMP3sID3TagAndInfoFrameAreSkipped() throws {
        let url = try MediaFactory.fixture("music.mp3")
        let prefix = try FileByteSource(url).read(at: 0, count: 3)
        #expect(prefix == Array("ID3".utf8))
        let track = try MP3Reader.track(in: try FileByteSource(url))
        // 4 s at 44 100 Hz, 1152 samples a frame: about 153 frames, none of them the Info frame.
        #expect(abs(track.presentationSeconds - 4) < 0.1)
        #expect(track.samples.allSatisfy { $0.duration == 1152 && $0.size > 100 })
        #expect(SourceTrack.mpeg4AudioObjectType(track.sampleEntry) == 0x6B)
    }

    @Test func pastFourGiBTheChunkOffsetsAre64Bit() throws {
        func track(_ kind: SourceTrack.Kind, size: UInt32, count: Int, timescale: UInt32) -> SourceTrack {
            let samples = (0..<count).map {
                MediaSample(
                    offset: UInt64($0) * UInt64(size), size: size, duration: 1000, compositionOffset: 0, isSync: true)
            }
            return SourceTrack(
                kind: kind, codec: FourCC(code: kind == .video ? "avc1" : "mp4a"), sampleEntry: [],
                timescale: timescale,
                presentationSeconds: Double(count * 1000) / Double(timescale), samples: samples)
        }
        // 600 video samples of 8 MiB (4.7 GiB) and 600 small audio ones, never written: only the header is.
        let large = try MuxPlan(
            video: track(.video, size: 8 << 20, count: 600, timescale: 24000),
            audio: track(.audio, size: 400, count: 600, timescale: 24000))
        let header = try MP4Writer(plan: large, sources: []).header()
        #expect(contains(header, "co64") && !contains(header, "stco"))
        let small = try MuxPlan(
            video: track(.video, size: 1 << 20, count: 600, timescale: 24000),
            audio: track(.audio, size: 400, count: 600, timescale: 24000))
        let smallHeader = try MP4Writer(plan: small, sources: []).header()
        #expect(contains(smallHeader, "stco") && !contains(smallHeader, "co64"))
        // The large one's mdat has a 64-bit size (size field 1, then the size after the type).
        #expect(Array(header.suffix(16).prefix(8)) == [0, 0, 0, 1] + Array("mdat".utf8))
        #expect(Array(smallHeader.suffix(4)) == Array("mdat".utf8))
    }

    func bytes(_ url: URL, _ sample: MediaSample) throws -> [UInt8] {
        try FileByteSource(url).read(at: sample.offset, count: Int(sample.size))
    }

    func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        return bytes.indices.dropLast(needle.count).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    /// `moov` comes before `mdat`.
    func fastStart(_ url: URL) throws -> Bool {
        let types = try TopLevelBox.scan(FileByteSource(url)).map(\.type.text)
        guard let moov = types.firstIndex(of: "moov"), let mdat = types.firstIndex(of: "mdat") else { return false }
        return moov < mdat
    }
}
