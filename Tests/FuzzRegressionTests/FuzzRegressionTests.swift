import FuzzChecks
import Testing

/// Every input a fuzz target once failed on (Fuzz/Regressions/TARGET/), and every seed the targets start from, run
/// through the same checks as the fuzz targets, so a fixed crash stays fixed without a fuzzing build.
struct FuzzRegressionTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    @Test(arguments: FuzzChecks.Target.allCases)
    func savedInputsPass(_ target: FuzzChecks.Target) throws {
        var checks = FuzzChecks(root: Self.root)
        for (path, bytes) in FuzzChecks.regressions(for: target, root: Self.root) {
            let bytes = try #require(bytes, "\(path) does not read")
            #expect(checks.run(target, bytes) == nil, "\(path)")
        }
    }

    @Test(arguments: FuzzChecks.Target.allCases)
    func seedsPass(_ target: FuzzChecks.Target) {
        var checks = FuzzChecks(root: Self.root)
        let seeds = FuzzChecks.seeds(for: target, root: Self.root)
        #expect(seeds.count >= 20, "few seeds for \(target): \(seeds.count)")
        for (name, bytes) in seeds {
            #expect(checks.run(target, bytes) == nil, "\(name)")
        }
    }
}
