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

    static func run(catalog: GrammarCatalog, maps: MapCatalog) throws -> Bool {
        // Keep freed memory in the process, as a long-running gateway does: otherwise every run of the large input
        // maps fresh pages from the kernel (page faults were a third of its time) and the small one does not.
        _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
        _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
        print("edigate linear cost (release build; best of 3; ratio = time for 10N / time for N, at most 12)")
        print("input                      N     scan ratio   measured ratio   result")
        let cases: [(String, Int, (Int) -> [UInt8], ([UInt8]) throws -> Int)] = [
            ("segments, read", 50_000, segments, { try parse($0) }),
            ("segments, validate", 50_000, segments, { try findings($0, catalog: catalog) }),
            ("transactions, read", 20_000, { transactions($0) }, { try parse($0) }),
            ("transactions, validate", 20_000, { transactions($0) }, { try findings($0, catalog: catalog) }),
            ("findings, validate", 20_000, { transactions($0, broken: true) }, { try findings($0, catalog: catalog) }),
            ("HL levels, translate", 1_000, hierarchy, { try translate($0, catalog: catalog, maps: maps) }),
        ]
        var linear = true
        for (name, count, make, measure) in cases {
            let small = make(count)
            let large = make(count * 10)
            let scanSmall = best(3) { countTerminators(small, UInt8(ascii: "~")) }
            let scanLarge = best(3) { countTerminators(large, UInt8(ascii: "~")) }
            let timeSmall = try best(3) { try measure(small) }
            let timeLarge = try best(3) { try measure(large) }
            let ratio = timeLarge.seconds / timeSmall.seconds
            let ok = ratio <= 12
            linear = linear && ok
            print(
                name.padding(toLength: 24, withPad: " ", startingAt: 0),
                String(count).padding(toLength: 8, withPad: " ", startingAt: 0),
                String(format: "%10.1f   %14.1f", scanLarge.seconds / scanSmall.seconds, ratio),
                ok ? "  linear" : "  OVER 12"
            )
        }
        return linear
    }
}
