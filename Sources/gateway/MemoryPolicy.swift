/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// How the process keeps memory: a transaction of many segments needs tables of tens of MB, which glibc would map
/// fresh from the kernel for every file above its 32 MB mmap ceiling and unmap when done, so each large file paid
/// for its page faults again (a third of its read time, measured by `EDIBenchmarks --linear`). Freed blocks stay in
/// the process and serve the next file instead; the process's size is bounded by its largest file in flight.
enum MemoryPolicy {
    static func apply() {
        #if os(Linux)
        _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD: never give the top of the heap back
        _ = mallopt(-4, 0)  // M_MMAP_MAX: large blocks from the heap too
        #endif
    }
}
