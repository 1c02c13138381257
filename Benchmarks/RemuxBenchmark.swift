import Foundation
import MediaGenPipeline

/// Figure 6: a large H.264 video and 30 minutes of AAC merged by the native muxer
/// (`MediaMerger`, `MergeOptions(merger: .native)`) against `ffmpeg -c copy -shortest` of the
/// same files: time and peak memory side by side.
///
/// The inputs are made with ffmpeg first (a 20 s high-bitrate clip looped with `-c copy` to
/// `bytes`, and a 30 min tone in AAC), so the figure needs ffmpeg. Each side runs in a process of
/// its own, twice, in the order ffmpeg, native, native, ffmpeg; the native child reports its own
/// `VmHWM`, and ffmpeg's is read from `/proc` by a small child that runs it, while it runs.
struct RemuxBenchmark {
    var bytes: Int64 = 1 << 30
    static let memoryTarget: Int64 = 64 << 20

    func run() async throws -> [Report] {
        guard let ffmpeg = Subprocess.find("ffmpeg") else {
            return [Report(figure: "6 native remux", measured: "ffmpeg is not installed", target: "", verdict: .miss)]
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-remux-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (video, audio) = try await makeInputs(ffmpeg, in: directory)
        let videoSize = (try FileManager.default.attributesOfItem(atPath: video.path)[.size] as? NSNumber)?.int64Value

        var bySide: [String: [ChildMeasurement]] = [:]
        for side in ["ffmpeg", "native", "native", "ffmpeg"] {
            let output = directory.appendingPathComponent("\(side).mp4")
            let command = side == "native" ? RemuxChild.command : RemuxChild.ffmpegCommand
            let outcome = try await Subprocess.run(
                Subprocess.currentExecutable, [command, video.path, audio.path, output.path, ffmpeg.path])
            guard outcome.status == 0, let result = ChildMeasurement(outcome.output) else {
                throw BenchmarkError("the \(side) remux failed (\(outcome.status)): \(outcome.output)")
            }
            bySide[side, default: []].append(result)
            try? FileManager.default.removeItem(at: output)
        }
        let native = bySide["native"] ?? []
        let copy = bySide["ffmpeg"] ?? []
        let times = { (runs: [ChildMeasurement]) in
            runs.map { Format.fixed($0.seconds) + " s" }.joined(separator: ", ")
        }
        let nativePeak = native.map(\.peakBytes).max() ?? 0
        let ffmpegPeak = copy.map(\.peakBytes).max() ?? 0
        let nativeTime = native.map(\.seconds).reduce(0, +)
        let ffmpegTime = copy.map(\.seconds).reduce(0, +)
        let size = Format.mebibytes(videoSize ?? bytes)
        return [
            Report(
                figure: "6a native remux time, \(size) video + 30 min AAC",
                measured:
                    "MediaMerger (native) \(times(native)) vs ffmpeg -c copy -shortest \(times(copy)); ratio \(Format.fixed(nativeTime / ffmpegTime, 2))",
                target: "",
                verdict: .info
            ),
            Report(
                figure: "6b native remux peak memory, \(size) video + 30 min AAC",
                measured:
                    "MediaMerger (native) VmHWM \(Format.mebibytes(nativePeak)) vs ffmpeg -c copy -shortest VmHWM \(Format.mebibytes(ffmpegPeak))",
                target: "< \(Self.memoryTarget >> 20) MiB",
                verdict: .init(nativePeak < Self.memoryTarget)
            ),
        ]
    }

    /// A video of about `bytes` (a clip looped without re-encoding) and 30 minutes of AAC.
    private func makeInputs(_ ffmpeg: URL, in directory: URL) async throws -> (video: URL, audio: URL) {
        let quiet = ["-y", "-hide_banner", "-loglevel", "error", "-nostdin"]
        let clip = directory.appendingPathComponent("clip.mp4")
        try await check(
            ffmpeg,
            quiet + [
                "-f", "lavfi", "-i", "testsrc2=duration=20:size=1280x720:rate=30", "-c:v", "libx264", "-preset",
                "ultrafast", "-b:v", "12M", "-pix_fmt", "yuv420p", clip.path,
            ])
        let clipSize =
            (try FileManager.default.attributesOfItem(atPath: clip.path)[.size] as? NSNumber)?.int64Value ?? 1
        let loops = max(0, Int((Double(bytes) / Double(max(clipSize, 1))).rounded()) - 1)
        let video = directory.appendingPathComponent("video.mp4")
        try await check(ffmpeg, quiet + ["-stream_loop", String(loops), "-i", clip.path, "-c", "copy", video.path])
        let audio = directory.appendingPathComponent("music.m4a")
        try await check(
            ffmpeg,
            quiet + [
                "-f", "lavfi", "-i", "sine=frequency=440:duration=1800", "-c:a", "aac", "-b:a", "128k", audio.path,
            ])
        try? FileManager.default.removeItem(at: clip)
        return (video, audio)
    }

    private func check(_ executable: URL, _ arguments: [String]) async throws {
        let outcome = try await Subprocess.run(executable, arguments)
        guard outcome.status == 0 else { throw BenchmarkError("ffmpeg failed making the inputs (\(outcome.status))") }
    }
}

/// One side of figure 6 in a process of its own: `Benchmarks _remux <video> <audio> <out> <ffmpeg>`
/// merges natively; `_remux-ffmpeg` runs `ffmpeg -c copy -shortest`. Both print
/// `<seconds> <peak bytes>`.
enum RemuxChild {
    static let command = "_remux"
    static let ffmpegCommand = "_remux-ffmpeg"

    static func main(_ arguments: [String], ffmpeg useFFmpeg: Bool) async throws {
        guard arguments.count == 4 else {
            throw BenchmarkError("usage: Benchmarks \(command)|\(ffmpegCommand) <video> <audio> <output> <ffmpeg>")
        }
        let (video, audio, output) = (
            URL(fileURLWithPath: arguments[0]), URL(fileURLWithPath: arguments[1]), URL(fileURLWithPath: arguments[2])
        )
        let clock = ContinuousClock()
        let start = clock.now
        if useFFmpeg {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[3])
            process.arguments = [
                "-y", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video.path, "-i", audio.path,
                "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-shortest", "-movflags", "+faststart", output.path,
            ]
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // ffmpeg's own high-water mark, read while it runs (it only grows): its rusage would
            // start from this process's, which Linux carries across exec.
            var peak: Int64 = 0
            while process.isRunning {
                peak = max(peak, highWaterMark(of: process.processIdentifier))
                try await Task.sleep(for: .milliseconds(20))
            }
            guard process.terminationStatus == 0 else {
                throw BenchmarkError("ffmpeg failed (\(process.terminationStatus))")
            }
            let seconds = start.duration(to: clock.now).seconds
            print(ChildMeasurement(seconds: seconds, peakBytes: peak).line)
        } else {
            let report = try await MediaMerger(ffmpeg: nil).merge(
                video: video, audio: audio, to: output, options: MergeOptions(merger: .native))
            guard report.merger == .native else { throw BenchmarkError("the native muxer did not run") }
            let seconds = start.duration(to: clock.now).seconds
            print(ChildMeasurement(seconds: seconds, peakBytes: ResidentMemory.peakBytes()).line)
        }
    }

    /// `VmHWM` of process `pid`, in bytes; 0 where `/proc` cannot tell.
    private static func highWaterMark(of pid: Int32) -> Int64 {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = line?.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
        return kilobytes * 1024
    }
}
