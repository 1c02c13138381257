import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Processor time (user + system) read from the kernel's `getrusage`.
enum ProcessorTime {
    /// Every thread of this process, so far: the SDK's work and FoundationNetworking's alike.
    static func ofThisProcess() -> Duration {
        #if os(Linux)
            read(__rusage_who_t(RUSAGE_SELF.rawValue))
        #else
            read(RUSAGE_SELF)
        #endif
    }

    /// Every child this process has waited for (`RUSAGE_CHILDREN`). `Process` has waited for a
    /// child by the time `waitUntilExit()` returns.
    static func ofReapedChildren() -> Duration {
        #if os(Linux)
            read(__rusage_who_t(RUSAGE_CHILDREN.rawValue))
        #else
            read(RUSAGE_CHILDREN)
        #endif
    }

    #if os(Linux)
        private static func read(_ who: __rusage_who_t) -> Duration {
            var usage = rusage()
            getrusage(who, &usage)
            return duration(usage)
        }
    #else
        private static func read(_ who: Int32) -> Duration {
            var usage = rusage()
            getrusage(who, &usage)
            return duration(usage)
        }
    #endif

    private static func duration(_ usage: rusage) -> Duration {
        let microseconds =
            (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return .microseconds(microseconds)
    }
}
