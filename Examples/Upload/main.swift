// Uploads a local file to fal's storage the way MediaGenKit sends large inputs: read from disk as
// it is sent (in 10 MiB parts above 100 MiB), with progress — and reports the process's peak
// memory, which stays flat whatever the file's size.
//
//     FAL_KEY=… swift run Upload take.mov
//     FAL_KEY=… swift run Upload --quiet take.mov    # no progress lines
//     FAL_KEY=… swift run Upload --single take.mov   # one request, however large
//     FAL_KEY=… swift run Upload --rest-url http://127.0.0.1:8080/fal/rest take.mov
import Foundation
import MediaGenCore
import MediaGenFal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
let quiet = arguments.contains("--quiet")
let single = arguments.contains("--single")
arguments.removeAll { $0 == "--quiet" || $0 == "--single" }
var restURL: URL?
if let flag = arguments.firstIndex(of: "--rest-url"), flag + 1 < arguments.count {
    restURL = URL(string: arguments[flag + 1])
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count == 1, let path = arguments.first else {
    print("usage: FAL_KEY=… Upload [--quiet] [--single] [--rest-url <url>] <file>")
    exit(2)
}

/// The most memory this process has held resident, in bytes (as the `Download` example reads it).
func peakResidentBytes() -> Int64 {
    #if os(Linux)
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return (line?.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0) * 1024
    #else
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Int64(usage.ru_maxrss)
    #endif
}

// Progress arrives for every piece sent; keep only the newest and print each new tenth.
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
    let fal = FalClient(restURL: restURL)
    var onProgress: (@Sendable (TransferProgress) -> Void)?
    if !quiet { onProgress = { update in report.yield(update) } }
    let file = URL(fileURLWithPath: path)
    let options = single ? FalUploadOptions(multipartThreshold: .max) : FalUploadOptions()
    let url = try await fal.upload(.file(file), options: options, progress: onProgress)
    report.finish()
    await printer.value
    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
    print("uploaded \(url.absoluteString): \(size) bytes, peak memory \(peakResidentBytes() >> 20) MiB")
} catch {
    report.finish()
    print(error)
    exit(1)
}
