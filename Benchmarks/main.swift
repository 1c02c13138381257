// MediaGenKit's performance and reliability figures, each measured side by side with what an
// app would do without the SDK, against the provider emulator on loopback.
//
//     swift run -c release Benchmarks            # every figure, a few minutes (figures 6 and 8 make 1 GiB)
//     swift run -c release Benchmarks 1 3        # only figures 1 and 3
//     swift run -c release Benchmarks 7          # fal's status stream against polling, about 45 s
//     swift run -c release Benchmarks 7 --fal-jobs 64  # figure 7 with 64 requests at once (default 12)
//     swift run -c release Benchmarks 8          # a 1 GiB fal upload in parts, about 75 s
//     swift run -c release Benchmarks 9          # each upload path against URLSession and curl
//     swift run -c release Benchmarks 10         # the whole pipeline against its limit
//     swift run -c release Benchmarks 4          # 10,000 Skytells tasks followed at once, two ways, about 4.5 min
//     swift run -c release Benchmarks 4 --scale-tasks 1000  # figure 4 with 1,000 tasks (default 10,000)
//     swift run -c release Benchmarks _breakdown # figure 1's call, layer by layer
//     swift run -c release Benchmarks 6 --remux-mib 64  # figure 6 with a 64 MiB video (default 1024)
//
// One line per figure: [PASS], [MISS] or [INFO], what was measured, and the target. The exit
// status is 1 when a target was missed. See Documentation/Performance.md for what each figure
// means and the numbers of a reference run.
import EmulatorSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())

do {
    // Hidden subcommands: the benchmark re-runs itself for figures measured in a process of their
    // own; `_breakdown` is a diagnostic for figure 1 (see CallBreakdown.swift).
    switch arguments.first {
    case DownloadChild.command:
        try await DownloadChild.main(Array(arguments.dropFirst()))
        exit(0)
    case RawDownloadChild.command:
        try await RawDownloadChild.main(Array(arguments.dropFirst()))
        exit(0)
    case CallBreakdown.command:
        try await CallBreakdown.main(Array(arguments.dropFirst()))
        exit(0)
    case UploadChild.command, UploadChild.rawCommand:
        try await UploadChild.main(Array(arguments.dropFirst()), raw: arguments.first == UploadChild.rawCommand)
        exit(0)
    case FalUploadChild.command:
        try await FalUploadChild.main(Array(arguments.dropFirst()))
        exit(0)
    case ScaleChild.command:
        try await ScaleChild.main(Array(arguments.dropFirst()))
        exit(0)
    case RemuxChild.command, RemuxChild.ffmpegCommand:
        try await RemuxChild.main(Array(arguments.dropFirst()), ffmpeg: arguments.first == RemuxChild.ffmpegCommand)
        exit(0)
    default:
        break
    }

    let usage = "usage: Benchmarks [figure number 1–10 …] [--remux-mib N] [--fal-jobs N] [--scale-tasks N]"
    var figureArguments = arguments
    /// The positive number after `name`, taken out of the arguments with it; `nil` when absent.
    func option(_ name: String) -> Int? {
        guard let index = figureArguments.firstIndex(of: name) else { return nil }
        guard figureArguments.indices.contains(index + 1), let value = Int(figureArguments[index + 1]), value > 0
        else {
            print(usage)
            exit(2)
        }
        figureArguments.removeSubrange(index...(index + 1))
        return value
    }
    // `--remux-mib N`: figure 6's video size in MiB (1024 by default).
    var remux = RemuxBenchmark()
    if let mebibytes = option("--remux-mib") { remux.bytes = Int64(mebibytes) << 20 }
    // `--fal-jobs N`: how many fal requests figure 7 follows at once in each mode (12 by default).
    var statusStream = StatusStreamBenchmark()
    if let jobs = option("--fal-jobs") { statusStream.jobs = jobs }
    // `--scale-tasks N`: how many Skytells tasks figure 4 follows at once (10,000 by default).
    var scale = PollingAtScaleBenchmark()
    if let tasks = option("--scale-tasks") { scale.tasks = tasks }
    let figures = Set(figureArguments.compactMap(Int.init))
    guard figures.isSubset(of: 1...10), figures.count == figureArguments.count else {
        print(usage)
        exit(2)
    }
    func wanted(_ figure: Int) -> Bool { figures.isEmpty || figures.contains(figure) }

    let clock = ContinuousClock()
    let started = clock.now
    var reports: [Report] = []
    // Figure 6 needs ffmpeg, not the emulator.
    if wanted(6) {
        let figure = try await remux.run()
        for report in figure { report.print() }
        reports += figure
    }
    if figures.isEmpty || !figures.subtracting([6]).isEmpty {
        guard Emulator.isAvailable else { throw BenchmarkError(Emulator.skipReason) }
        reports += try await Emulator.run { emulator in
            var reports: [Report] = []
            func record(_ figure: [Report]) {
                for report in figure { report.print() }
                reports += figure
            }
            if wanted(1) { record(try await CallOverheadBenchmark().run(emulator)) }
            if wanted(2) { record(try await DownloadBenchmark().run(emulator)) }
            if wanted(3) { record(try await PollingCostBenchmark().run(emulator)) }
            if wanted(4) { record(try await scale.run(emulator)) }
            if wanted(5) { record(try await DecodingBenchmark().run()) }
            if wanted(7) { record(try await statusStream.run(emulator)) }
            if wanted(8) { record(try await FalUploadBenchmark().run(emulator)) }
            if wanted(9) { record(try await UploadBenchmark().run(emulator)) }
            if wanted(10) { record(try await PipelineBenchmark().run(emulator)) }
            return reports
        }
    }
    let missed = reports.filter { $0.verdict == .miss }.count
    print("\(reports.count) figures, \(missed) missed, in \(Format.duration(started.duration(to: clock.now)))")
    exit(missed == 0 ? 0 : 1)
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
