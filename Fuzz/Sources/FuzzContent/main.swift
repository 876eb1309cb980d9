import FuzzChecks
import FuzzSupport

// FuzzChecks.content states the invariants this target checks.
nonisolated(unsafe) var checks = FuzzChecks(root: Fuzz.root)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Fuzz.trap(on: checks.run(.content, Fuzz.bytes(data, size)))
    return 0
}
