import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

@testable import MediaGenPipeline

/// Choosing the merger, and what happens with inputs the native muxer cannot or should not take.
@Suite("Choosing the merger")
struct MediaMergerTests {
    let withoutFFmpeg = MediaMerger(ffmpeg: nil, searched: ["/nonexistent"])

    /// A second of 16-bit mono PCM in a WAV file.
    func wav(in folder: URL) throws -> URL {
        var bytes = Array("RIFF".utf8) + [0x24, 0x7D, 0, 0] + Array("WAVEfmt ".utf8)
        bytes += [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0]
        bytes += Array("data".utf8) + [0, 0x7D, 0, 0] + [UInt8](repeating: 0, count: 32000)
        let url = folder.appendingPathComponent("music.wav")
        try Data(bytes).write(to: url)
        return url
    }

    func leftovers(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") || $0 == "out.mp4" }
    }

    @Test func withoutFFmpegAnMP3IsRemuxedNativelyAndTheReportSaysSo() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.mp4")
        let report = try await withoutFFmpeg.merge(
            video: try MediaFactory.fixture("h264-aac.mp4"), audio: try MediaFactory.fixture("music.mp3"), to: output)
        #expect(report.merger == .native)
        #expect(report.reason == "h264 video and mp3 audio copied as they are")
        #expect(report.description.hasPrefix("merged natively"))
        #expect(FileManager.default.fileExists(atPath: output.path))
        #expect(try leftovers(folder) == ["out.mp4"])
    }

    @Test func withoutFFmpegAWAVSaysWhatIsNeededAndHowToMerge() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let music = try wav(in: folder)
        let error = await #expect(throws: MediaGenError.self) {
            try await withoutFFmpeg.merge(
                video: try MediaFactory.fixture("h264-aac.mp4"), audio: music,
                to: folder.appendingPathComponent("out.mp4"))
        }
        guard case .needsFFmpeg = error?.kind, let reason = error?.kind.reason, let searched = error?.kind.searchedPaths
        else {
            Issue.record("expected needsFFmpeg, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("WAV (PCM) audio"))
        #expect(reason.contains("ffmpeg -i ") && reason.contains("-c:a aac -shortest"))
        #expect(searched == ["/nonexistent"])
        #expect(String(describing: error).contains("apt-get install -y ffmpeg"))
        #expect(try leftovers(folder).isEmpty)
    }

    @Test func forcingNativeOnAWAVOrWithAFadeFailsWithCannotRemux() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let video = try MediaFactory.fixture("h264-aac.mp4")
        let output = folder.appendingPathComponent("out.mp4")
        let merger = MediaMerger.located()
        let music = try wav(in: folder)
        await #expect {
            try await merger.merge(video: video, audio: music, to: output, options: MergeOptions(merger: .native))
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .cannotRemux = kind else { return false }
            return kind.reason?.contains("WAV") == true
        }
        await #expect {
            try await merger.merge(
                video: video, audio: try MediaFactory.fixture("music.mp3"), to: output,
                options: MergeOptions(fadeOut: .seconds(1), merger: .native))
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .cannotRemux = kind else { return false }
            return kind.reason?.contains("fade") == true
        }
        #expect(try leftovers(folder).isEmpty)
    }

    @Test func forcingFFmpegWithoutItSaysHowToInstallIt() async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(withoutFFmpeg.ffmpegRequirement(for: MergeOptions(merger: .ffmpeg)) != nil)
        #expect(withoutFFmpeg.ffmpegRequirement(for: MergeOptions(loopAudio: true)) != nil)
        #expect(withoutFFmpeg.ffmpegRequirement(for: MergeOptions()) == nil)
        await #expect {
            try await withoutFFmpeg.merge(
                video: try MediaFactory.fixture("h264-aac.mp4"), audio: try MediaFactory.fixture("music.mp3"),
                to: folder.appendingPathComponent("out.mp4"), options: MergeOptions(merger: .ffmpeg))
        } throws: { error in
            guard case .needsFFmpeg = (error as? MediaGenError)?.kind else { return false }
            return String(describing: error).contains("apt-get install -y ffmpeg")
        }
    }

    @Test func aCancelledRemuxStopsAndLeavesNoFile() throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CancellationError.self) {
            try NativeMuxer.merge(
                video: try MediaFactory.fixture("h264-aac.mp4"), audio: try MediaFactory.fixture("music.mp3"),
                to: folder.appendingPathComponent("out.mp4")
            ) { true }
        }
        #expect(try leftovers(folder).isEmpty)
    }

    /// Broken copies of a good file: each fails with a typed error and leaves nothing behind.
    @Test(arguments: ["truncated", "box past the end", "no samples", "absurd sample count"])
    func aBrokenVideoFailsWithATypedErrorAndLeavesNoFile(damage: String) async throws {
        let folder = try MediaFactory.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = [UInt8](try Data(contentsOf: try MediaFactory.fixture("h264-aac.mp4")))
        let moov = try #require(TopLevelBox.scan(MemoryByteSource(bytes: bytes)).first { $0.type.text == "moov" })
        func patch(_ box: String, at delta: Int, _ value: UInt32) throws {
            let name = Array(box.utf8)
            let start = try #require(
                (Int(moov.offset)..<bytes.count - 4).first { Array(bytes[$0..<($0 + 4)]) == name })
            let at = start + delta
            bytes.replaceSubrange(
                at..<(at + 4),
                with: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
        }
        switch damage {
        case "truncated": bytes = Array(bytes.prefix(bytes.count - 5000))
        case "box past the end": try patch("trak", at: -4, 0x7FFF_FFF0)
        case "no samples": try patch("stsz", at: 12, 0)  // sample count 0 (sizes are per sample)
        default: try patch("stsz", at: 12, 0xFFFF_FFF0)
        }
        let video = folder.appendingPathComponent("broken.mp4")
        try Data(bytes).write(to: video)
        let output = folder.appendingPathComponent("out.mp4")
        await #expect {
            try await withoutFFmpeg.merge(video: video, audio: try MediaFactory.fixture("music.mp3"), to: output)
        } throws: { error in
            guard let kind = (error as? MediaGenError)?.kind, case .unreadableMedia = kind else { return false }
            return kind.mediaFile == video && kind.reason?.isEmpty == false
        }
        #expect(try leftovers(folder).isEmpty)
    }
}

/// Mutated MP4s and MP3s: the reader returns or throws its typed error, never traps.
@Suite("Fuzzing the MP4 reader")
struct MP4ReaderFuzzTests {
    /// Offsets of every box header in `bytes` (where four printable letters follow a size).
    static func boxOffsets(_ bytes: [UInt8]) -> [Int] {
        (0..<max(0, bytes.count - 8)).filter { index in
            bytes[(index + 4)..<(index + 8)].allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x20 || ($0 >= 0x30 && $0 <= 0x39)
            }
                && bytes[index] == 0
        }
    }

    func mutate(_ original: [UInt8], boxes: [Int], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = original
        switch random.next() % 4 {
        case 0:  // flip a few bytes, mostly in the metadata
            for _ in 0..<(1 + random.next() % 8) {
                let limit = random.next() % 2 == 0 ? min(bytes.count, 4096) : bytes.count
                let index = Int(random.next() % UInt64(limit))
                bytes[index] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
        case 1:  // truncate
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
        case 2:  // grow or shrink a box's size
            if let box = boxes.randomElement(using: &random), box + 4 <= bytes.count {
                let grown =
                    UInt32(bytes[box]) << 24 | UInt32(bytes[box + 1]) << 16 | UInt32(bytes[box + 2]) << 8
                    | UInt32(bytes[box + 3])
                let size =
                    random.next() % 3 == 0
                    ? UInt32(truncatingIfNeeded: random.next()) : grown &+ UInt32(random.next() % 64) &- 32
                bytes.replaceSubrange(
                    box..<(box + 4),
                    with: [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)])
            }
        default:  // a large count or value in a table
            if let box = boxes.randomElement(using: &random), box + 16 <= bytes.count {
                let at = box + 8 + Int(random.next() % 8)
                bytes.replaceSubrange(
                    at..<(at + 4), with: [0xFF, 0xFF, UInt8(truncatingIfNeeded: random.next()), 0xFF])
            }
        }
        return bytes
    }

    /// 1,000 mutations a file (5,000 in all); `MEDIAGEN_FUZZ_ITERATIONS` asks for more (a longer run by hand).
    static let iterations = ProcessInfo.processInfo.environment["MEDIAGEN_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1000

    @Test(arguments: ["h264-aac.mp4", "aac.m4a", "music.mp3", "demo video.mp4", "demo audio.mp3"])
    func mutatedFilesOnlyReturnOrThrowTheTypedError(name: String) throws {
        let url =
            name.hasPrefix("demo ")
            ? NativeMuxerTests.demoMedia.appendingPathComponent(String(name.dropFirst(5)))
            : try MediaFactory.fixture(name)
        let original = [UInt8](try Data(contentsOf: url))
        let boxes = Self.boxOffsets(Array(original.prefix(8192)))
        var random = SplitMix64(seed: 0x5EED_0000 &+ UInt64(name.utf8.count))
        var outcomes = (read: 0, threw: 0)
        for _ in 0..<Self.iterations {
            let source = MemoryByteSource(bytes: mutate(original, boxes: boxes, &random))
            do throws(MP4Error) {
                let video: SourceTrack? = name.hasSuffix(".mp4") ? try MP4Reader.track(.video, in: source) : nil
                // The demo's video has no audio: its own track stands in, to exercise the writer.
                let audio =
                    name == "demo video.mp4"
                    ? try MP4Reader.track(.video, in: source)
                    : try NativeMuxer.kind(of: source) == .mp3
                        ? try MP3Reader.track(in: source) : try MP4Reader.track(.audio, in: source)
                let plan = try MuxPlan(video: video ?? audio, audio: audio)
                _ = try MP4Writer(plan: plan, sources: [source, source]).header()
                outcomes.read += 1
            } catch {
                #expect(!error.message.isEmpty)
                outcomes.threw += 1
            }
        }
        #expect(outcomes.read + outcomes.threw == Self.iterations)
        #expect(outcomes.threw > 0)
    }
}
