// Downloads a file the way MediaGenKit saves provider outputs: streamed to disk, size-checked,
// moved into place atomically, with progress — and reports the process's peak memory, which
// stays flat whatever the file's size.
//
//     swift run Download https://example.com/clip.mp4 outputs/
//     swift run Download --quiet https://example.com/clip.mp4 outputs/   # no progress lines
import Foundation
import MediaGenCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let quiet = CommandLine.arguments.contains("--quiet")
let arguments = CommandLine.arguments.dropFirst().filter { $0 != "--quiet" }
guard let address = arguments.first, let url = URL(string: address), url.scheme != nil else {
    print("usage: Download [--quiet] <url> [destination file or folder/]")
    exit(2)
}
let destination = URL(fileURLWithPath: arguments.dropFirst().first ?? "./")

/// The most memory this process has held resident, in bytes.
func peakResidentBytes() -> Int64 {
    #if os(Linux)
        // VmHWM belongs to this program's own address space. `getrusage`'s ru_maxrss would not do:
        // Linux carries it over from the process that spawned us, however large that one was.
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = line?.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
        return kilobytes * 1024
    #else
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Int64(usage.ru_maxrss)  // bytes on Apple platforms
    #endif
}

// Progress arrives for every chunk; keep only the newest and print each new tenth.
let (progress, report) = AsyncStream<TransferProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
let printer = Task {
    var printed = -1
    for await update in progress {
        guard let fraction = update.fraction, Int(fraction * 10) > printed else { continue }
        printed = Int(fraction * 10)
        print("\(printed * 10) %  \(update.bytesTransferred) bytes")
    }
}

do {
    // Without a progress handler the transport takes its leanest path.
    var onProgress: (@Sendable (TransferProgress) -> Void)?
    if !quiet { onProgress = { update in report.yield(update) } }
    let saved = try await RemoteFile(url: url).download(to: destination, progress: onProgress)
    report.finish()
    await printer.value
    let size = (try? FileManager.default.attributesOfItem(atPath: saved.path)[.size] as? NSNumber)?.int64Value ?? 0
    print("saved \(saved.path): \(size) bytes, peak memory \(peakResidentBytes() >> 20) MiB")
} catch {
    report.finish()
    print(error)
    exit(1)
}
