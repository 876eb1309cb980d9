import EDICore
import EDISchema
import Foundation
import Testing

@testable import GatewayMaps

/// The layout's index of each loop's children by tag finds what a scan of the loop's children finds.
@Suite("Placing layout")
struct LayoutTests {
    /// For every grammar under Maps/Grammars, every loop, every tag among its children (and one that is not), and
    /// every starting offset from the trigger to past the end: the indexed child is the first child at or after the
    /// start with the tag, as a scan finds it.
    @Test func indexedChildrenAreTheScannedOnes() throws {
        let root = URL(fileURLWithPath: TranslatorTests.maps).appendingPathComponent("Grammars")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var grammars = 0
        var repeated = 0
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "grammar" else { continue }
            grammars += 1
            let layout = TransactionTree.Layout(try GrammarLoader.load(path: url.path).structure)
            for (loop, range) in layout.loops.enumerated() {
                let tags = layout.children[range].map(\.tag)
                if Set(tags).count < tags.count { repeated += 1 }
                for tag in Set(tags).union([SegmentTag("ZZZ").rawValue]) {
                    for minimum in 0...(range.count + 1) {
                        let scanned = (minimum..<max(minimum, range.count)).first { tags[$0] == tag }
                        #expect(
                            layout.child(of: loop, tag: tag, from: minimum) == scanned,
                            "\(url.lastPathComponent) loop \(layout.identifiers[loop]) from \(minimum)"
                        )
                    }
                }
            }
        }
        #expect(grammars >= 20)
        // Some loop holds a tag twice (at two positions), so the index's lists of more than one are tried.
        #expect(repeated > 0)
    }
}
