import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The memory this process holds resident, read from the kernel.
enum ResidentMemory {
    /// The most it has held, in bytes: `VmHWM` on Linux. Not `getrusage`'s `ru_maxrss`: Linux
    /// carries it across `exec` from the parent, so a child re-executed by the benchmark would
    /// report the parent's peak.
    static func peakBytes() -> Int64 {
        #if os(Linux)
            statusField("VmHWM")
        #else
            var usage = rusage()
            getrusage(RUSAGE_SELF, &usage)
            return Int64(usage.ru_maxrss)  // bytes on Apple platforms
        #endif
    }

    /// In bytes: what this process holds resident now (`VmRSS`); 0 where `/proc` does not exist.
    static func currentBytes() -> Int64 {
        statusField("VmRSS")
    }

    /// A `kB` field of `/proc/self/status`, in bytes.
    private static func statusField(_ name: String) -> Int64 {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
        let kilobytes = line?.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
        return kilobytes * 1024
    }
}
