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
        read(RUSAGE_SELF)
    }

    /// Every child this process has waited for (`RUSAGE_CHILDREN`). `Process` has waited for a
    /// child by the time `waitUntilExit()` returns.
    static func ofReapedChildren() -> Duration {
        read(RUSAGE_CHILDREN)
    }

    #if os(Linux)
        private typealias Who = __rusage_who
        private static func code(_ who: Who) -> __rusage_who_t { __rusage_who_t(who.rawValue) }
    #else
        private typealias Who = Int32
        private static func code(_ who: Who) -> Int32 { who }
    #endif

    private static func read(_ who: Who) -> Duration {
        var usage = rusage()
        getrusage(code(who), &usage)
        let microseconds =
            (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return .microseconds(microseconds)
    }
}
