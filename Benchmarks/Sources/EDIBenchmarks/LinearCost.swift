import EDICore
import EDISchema
import Foundation
import GatewayMaps

/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Cost must grow linearly with what an input repeats: reads X12 856 inputs of N and 10N repeated segments,
/// transactions, findings and hierarchy levels and prints the time ratio of 10N to N for each (at most 12 is
/// linear with room for cache effects); the scan of the same bytes is the baseline ratio. `--linear` runs it.
enum LinearCost {
    static let header =
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*U*00401*000000001*0*P*>~"
        + "GS*SH*SENDER*RECEIVER*20260101*1200*1*X*004010~"
    static let trailer = "IEA*1*000000001~"

    /// One transaction of `count` REF segments.
    static func segments(_ count: Int) -> [UInt8] {
        var body = ["BSN*00*SHIP1*20260101*1200", "HL*1**S*0"]
        for index in 0..<count { body.append("REF*BM*BOL\(index)") }
        return self.interchange([body])
    }

    /// `count` small transactions in one group.
    static func transactions(_ count: Int, broken: Bool = false) -> [UInt8] {
        // Broken: BSN01 99 is outside the code list, one finding per transaction.
        let body = ["BSN*\(broken ? "99" : "00")*SHIP1*20260101*1200", "HL*1**S*0"]
        return self.interchange(Array(repeating: body, count: count))
    }

    /// One transaction of `count` order levels, each with a pack and an item under it.
    static func hierarchy(_ count: Int) -> [UInt8] {
        var body = ["BSN*00*SHIP1*20260101*1200", "HL*1**S*1", "TD5*B*2*SCAC"]
        var number = 2
        for _ in 0..<count {
            let order = number
            body += ["HL*\(order)*1*O*1", "PRF*PO\(order)"]
            body += ["HL*\(order + 1)*\(order)*P*1", "MAN*GM*\(order)"]
            body += ["HL*\(order + 2)*\(order + 1)*I*0", "LIN**VP*SKU\(order)", "SN1**1*EA"]
            number += 3
        }
        body.append("CTT*\(number - 1)")
        return self.interchange([body])
    }

    /// One transaction of `count` order levels that all reuse the same HL numbers (a hostile or broken repeat):
    /// each order must not walk every other order's packs again.
    static func repeatedNumbers(_ count: Int) -> [UInt8] {
        var body = ["BSN*00*SHIP1*20260101*1200", "HL*1**S*1", "TD5*B*2*SCAC"]
        for _ in 0..<count {
            body += ["HL*2*1*O*1", "PRF*PO2", "HL*3*2*P*1", "MAN*GM*3", "HL*4*3*I*0", "LIN**VP*SKU4", "SN1**1*EA"]
        }
        body.append("CTT*\(3 * count + 1)")
        return self.interchange([body])
    }

    /// One INVOIC of `count` line items, each followed by a summary section with its own total (a message whose
    /// summary repeats, as a hostile or broken one may): every total is checked against the one sum of the lines.
    static func summaries(_ count: Int) -> [UInt8] {
        var text = "UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+260101:1200+1'UNH+1+INVOIC:D:96A:UN'BGM+380+INV1+9'"
        text += "DTM+137:20260101:102'"
        for index in 0..<count {
            text += "LIN+\(index + 1)++4000000000001:EN'QTY+47:1'MOA+203:1.00'UNS+S'MOA+79:1.00'"
        }
        text += "UNT+\(4 + 5 * count)+1'UNZ+1+1'"
        return Array(text.utf8)
    }

    static func interchange(_ transactions: [[String]]) -> [UInt8] {
        var text = self.header
        for (index, body) in transactions.enumerated() {
            let control = String(index + 1)
            text += "ST*856*\(control)~" + body.joined(separator: "~") + "~SE*\(body.count + 2)*\(control)~"
        }
        text += "GE*\(transactions.count)*1~" + self.trailer
        return Array(text.utf8)
    }

    /// Validation findings of every transaction, counted.
    static func findings(_ bytes: [UInt8], catalog: GrammarCatalog) throws -> Int {
        var validation = InterchangeValidation(catalog: catalog)
        var count = 0
        try read(bytes) { event in
            if let report = try validation.add(event) { count += report.allFindings.count }
        }
        if let report = validation.finish() { count += report.allFindings.count }
        return count
    }

    /// Memory written between runs, twice the last-level cache, so every run starts as a file arriving does: with
    /// nothing of its input or tables in the caches. Otherwise the small input's runs find their whole working set
    /// (input and tables, a few MB) still cached from the run before, and the large one's (tens of MB) never do.
    nonisolated(unsafe) static var evictionBuffer = [UInt8](repeating: 0, count: 64 << 20)

    /// The best of `repeats` runs of `body`, each after the caches are evicted.
    static func coldBest(_ repeats: Int, _ body: () throws -> Int) rethrows -> (seconds: Double, result: Int) {
        var fastest = Double.infinity
        var result = 0
        for round in 0..<repeats {
            Self.evictionBuffer.withUnsafeMutableBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    buffer[index] = UInt8(truncatingIfNeeded: round &+ index)
                    index &+= 64
                }
            }
            let start = now()
            result = try body()
            fastest = min(fastest, now() - start)
        }
        return (fastest, result)
    }

    static func run(catalog: GrammarCatalog, maps: MapCatalog, only: String? = nil) throws -> Bool {
        // Memory kept in the process (`keepFreedMemory()`, main.swift): otherwise every run of the large input maps
        // its tables (over glibc's 32 MB mmap ceiling) fresh from the kernel, and page faults were a third of its
        // time while the small input reused its blocks.
        print(
            "edigate linear cost (release build; best of 5, caches evicted before each run; ratio = time for 10N / time for N, at most 12)"
        )
        print("input                      N     scan ratio   measured ratio   result")
        // 90,000 segments: N and 10N both span several of the reader's 1 MB chunks, and 10N stays under the limit of
        // 1,000,000 segments in a transaction.
        let cases: [(String, Int, (Int) -> [UInt8], ([UInt8]) throws -> Int)] = [
            ("segments, read", 90_000, segments, { try parse($0) }),
            ("segments, validate", 90_000, segments, { try findings($0, catalog: catalog) }),
            ("transactions, read", 20_000, { transactions($0) }, { try parse($0) }),
            ("transactions, validate", 20_000, { transactions($0) }, { try findings($0, catalog: catalog) }),
            ("findings, validate", 20_000, { transactions($0, broken: true) }, { try findings($0, catalog: catalog) }),
            // 2,000 totals and 20,000, each against the sum of as many line amounts: once summed, not once per total.
            ("summary sections, validate", 2_000, summaries, { try findings($0, catalog: catalog) }),
            // 300 order levels (900 HLs) and 3,000: a term that grows faster than the levels shows (a quadratic one
            // as a ratio near 100), while both events stay within the last-level cache. Past some 5,000 levels one
            // event's tables, typed value and JSON outgrow it and each level costs a fifth more for that alone; the
            // sweep printed below shows where.
            ("HL levels, translate", 300, hierarchy, { try translate($0, catalog: catalog, maps: maps) }),
            (
                "repeated HL numbers, translate", 300, repeatedNumbers,
                { try translate($0, catalog: catalog, maps: maps) }
            ),
        ]
        var linear = true
        for (name, count, make, measure) in cases where only.map({ name.hasPrefix($0) }) ?? true {
            let small = make(count)
            let large = make(count * 10)
            let scanSmall = coldBest(5) { countTerminators(small, UInt8(ascii: "~")) }
            let scanLarge = coldBest(5) { countTerminators(large, UInt8(ascii: "~")) }
            let timeSmall = try coldBest(5) { try measure(small) }
            let timeLarge = try coldBest(5) { try measure(large) }
            let ratio = timeLarge.seconds / timeSmall.seconds
            let ok = ratio <= 12
            linear = linear && ok
            print(
                name.padding(toLength: 24, withPad: " ", startingAt: 0),
                String(count).padding(toLength: 8, withPad: " ", startingAt: 0),
                String(format: "%10.1f   %14.1f", scanLarge.seconds / scanSmall.seconds, ratio),
                ok ? "  linear" : "  OVER 12",
                String(format: "  (%.2f ms, %.2f ms)", timeSmall.seconds * 1e3, timeLarge.seconds * 1e3)
            )
        }
        if only.map({ "HL levels, translate".hasPrefix($0) }) ?? true {
            // Not a ratio: the cost of one level as one transaction's hierarchy grows, flat while it fits the cache.
            var line = "HL translate, microseconds per order level (one transaction):"
            for levels in [100, 1_000, 3_000, 10_000, 30_000] {
                let bytes = hierarchy(levels)
                let time = try coldBest(3) { try translate(bytes, catalog: catalog, maps: maps) }
                line += String(format: " %d: %.1f", levels, time.seconds * 1e6 / Double(levels))
            }
            print(line)
        }
        return linear
    }
}
