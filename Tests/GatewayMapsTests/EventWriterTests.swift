import EDICore
import EDISchema
import Foundation
import GatewayEvents
import Testing

@testable import GatewayMaps

/// The event JSON written straight from what a map read (`Translator.translateJSON`, by the event type's
/// `EventShape`) is byte for byte what `EventJSON.encode` writes for the typed event `translate` gives, on every
/// sample and on random documents of each mapped kind; an event the shape cannot vouch for goes through the typed
/// event, with its error.
struct EventWriterTests {
    static func context() -> TranslationContext {
        TranslationContext(
            partner: "cpfs",
            interchangeControlNumber: "000000905",
            groupControlNumber: "17",
            eventID: { "event-1" },
            vocabulary: MilestoneVocabulary(path: TranslatorTests.maps + "/Vocabulary/milestones.tsv")
        )
    }

    /// Checks that every transaction of `bytes` is written by the shape (no fallback) as `EventJSON.encode` writes
    /// its typed event; returns the number of events.
    @discardableResult
    static func check(_ bytes: [UInt8], map: MapDefinition, grammar: Grammar, _ label: String) throws -> Int {
        let translator = Translator(map: map, grammar: grammar)
        var count = 0
        for interchange in try EDIParser.parse(bytes) {
            for transaction in interchange.transactions {
                let typed = try EventJSON.encode(try translator.translate(transaction, context: Self.context()))
                var written: [UInt8] = []
                try translator.translateJSON(transaction, context: Self.context(), into: &written)
                #expect(
                    written == typed,
                    "\(label)\n\(String(decoding: typed, as: UTF8.self))\n\(String(decoding: written, as: UTF8.self))"
                )
                let read = try translator.read(transaction, context: Self.context())
                var direct: [UInt8] = []
                let shape = try #require(EventShape.event(map.event))
                #expect(
                    EventWriter(
                        record: read.record,
                        plan: WritePlan(shape, keys: map.keys),
                        names: map.keyBytes,
                        references: translator.program.referenceJSON,
                        metadata: read.metadata,
                        schema: read.schema
                    )
                    .write(into: &direct),
                    "\(label): written through the typed event"
                )
                #expect(direct == typed, "\(label)")
                // And from the tape, with no tree: the way `translateJSON` takes for the maps edigate ships.
                #expect(translator.core.tapeLayout != nil, "\(label): the map's sites conflict")
                var fromTape: [UInt8] = []
                let onTape = try translator.map(transaction, context: Self.context()) {
                    $0.writeFromTape(into: &fromTape)
                }
                #expect(onTape && fromTape == typed, "\(label): written from the tape")
                Self.checkProvenancePaths(try JSONReader.read(typed), label)
                count += 1
            }
        }
        return count
    }

    /// Every provenance path names a value the event holds (`productIdentifiers[1]` is the second identifier the
    /// event has, even when the document left a pair of LIN elements empty before it).
    static func checkProvenancePaths(_ event: JSONValue, _ label: String) {
        guard case .object(let entries)? = event["metadata"]?["provenance"] else {
            Issue.record("\(label): no provenance")
            return
        }
        for (path, _) in entries {
            var value: JSONValue? = event
            for part in path.split(separator: ".") {
                var name = Substring(part)
                var indices: [Int] = []
                while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                    indices.insert(Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) ?? -1, at: 0)
                    name = name[..<open]
                }
                value = value?[String(name)]
                for index in indices {
                    guard case .array(let elements)? = value, elements.indices.contains(index) else {
                        value = nil
                        break
                    }
                    value = elements[index]
                }
            }
            #expect(value != nil && value != .null, "\(label): provenance path \(path) names no value")
        }
    }

    /// An 856 item whose LIN leaves the second identifier pair empty has two identifiers, and the provenance of the
    /// third pair read names the second.
    @Test func provenanceNamesTheElementTheEventHolds() throws {
        let sample = String(decoding: try TranslatorTests.sample("x12/004010/856-ship-notice.edi"), as: UTF8.self)
        let line = try #require(
            sample.split(separator: "~").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .first { $0.hasPrefix("LIN*") }
        )
        let elements = line.split(separator: "*", omittingEmptySubsequences: false)
        try #require(elements.count >= 4)
        let changed = "LIN*\(elements[1])*\(elements[2])*\(elements[3])***BP*PART-7"
        let bytes = Array(sample.replacingOccurrences(of: String(line), with: changed).utf8)
        let event = try TranslatorTests.translate(bytes, map: "X12/004010/856.map", grammar: "X12/004010/856.grammar")
        guard case .shipNotice(let notice) = event else {
            Issue.record("expected a ShipNotice")
            return
        }
        let item = try #require(notice.orders.first.flatMap { $0.packs.first?.items.first ?? $0.items.first })
        #expect(item.productIdentifiers.map(\.qualifier) == [String(elements[2]), "BP"])
        // The changed LIN is the first: the first item of the first pack (or order).
        let paths = Set(event.metadata.provenance.map(\.path))
        let prefix = notice.orders[0].packs.isEmpty ? "orders[0].items[0]." : "orders[0].packs[0].items[0]."
        #expect(paths.contains(prefix + "productIdentifiers[1].value"))
        #expect(!paths.contains(prefix + "productIdentifiers[2].value"))
        Self.checkProvenancePaths(try JSONReader.read(try EventJSON.encode(event)), "LIN without its second pair")
    }

    @Test(arguments: 0..<RoundTripTests.documents.count)
    func samplesAreWrittenAsTheTypedEvent(_ index: Int) throws {
        let document = RoundTripTests.documents[index]
        let count = try Self.check(
            try TranslatorTests.sample(document.sample),
            map: try MapLoader.load(path: TranslatorTests.maps + "/" + document.map),
            grammar: try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + document.grammar),
            document.sample
        )
        #expect(count > 0)
    }

    @Test(arguments: 0..<EventJSONAgreementTests.cases.count)
    func randomDocumentsAreWrittenAsTheTypedEvent(_ index: Int) throws {
        let (mapPath, grammarPath, make) = EventJSONAgreementTests.cases[index]
        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + mapPath)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + grammarPath)
        for seed in UInt64(1)...60 {
            let (bytes, _) = try RoundTripTests.render(make(seed), map: map, grammar: grammar)
            try Self.check(bytes, map: map, grammar: grammar, "\(mapPath) seed \(seed)")
        }
    }

    /// A map that binds a field as the wrong kind (text into a decimal), or leaves a required field unread, gets
    /// the typed event's error from both.
    @Test func whatTheShapeCannotVouchForGoesThroughTheTypedEvent() throws {
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let text = try String(contentsOfFile: TranslatorTests.maps + "/X12/004010/856.map", encoding: .utf8)
        let sample = try TranslatorTests.sample("x12/004010/856-ship-notice.edi")
        let (transaction, _) = try TranslatorTests.transaction(sample)
        for (old, new) in [
            ("02 shipment.packageCount decimal", "02 shipment.packageCount"),
            ("02 quantity.value decimal required", "02 quantity.amount decimal"),
        ] {
            #expect(text.contains(old))
            let map = try MapLoader.parse(text.replacingOccurrences(of: old, with: new), source: "856.map")
            let translator = Translator(map: map, grammar: grammar)
            var typedError = ""
            do { _ = try translator.translate(transaction, context: Self.context()) } catch { typedError = "\(error)" }
            var writtenError = ""
            var output: [UInt8] = [1, 2, 3]
            do { try translator.translateJSON(transaction, context: Self.context(), into: &output) } catch {
                writtenError = "\(error)"
            }
            #expect(typedError.contains("expected a complete ShipNotice"), "\(typedError)")
            #expect(writtenError == typedError)
        }
    }

    /// A map that writes a field both as a value and as an object (`shipment.carrier` and `shipment.carrier.scac`)
    /// has conflicting sites: its events are written from the tree the tape replays, which gives the typed event's
    /// result (here its error, the carrier being text where the shape has an object). A second rule filling the
    /// same array as another conflicts with nothing.
    @Test func aMapWhoseSitesConflictIsWrittenFromTheTree() throws {
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let text = try String(contentsOfFile: TranslatorTests.maps + "/X12/004010/856.map", encoding: .utf8)
        let (transaction, _) = try TranslatorTests.transaction(
            try TranslatorTests.sample("x12/004010/856-ship-notice.edi")
        )
        let rule = "  segment REF where 01 CN\n    02 shipment.proNumber\n  end\n"
        #expect(text.contains(rule))
        for (added, completes) in [
            ("  segment REF where 01 BM\n    02 shipment.carrier\n  end\n", false),
            ("  segment REF where 01 BM\n    02 shipment.billOfLading.number\n  end\n", false),
            ("  segment REF where 01 ZZ each shipment.trackingNumbers[]\n    02 .\n  end\n", true),
        ] {
            let map = try MapLoader.parse(text.replacingOccurrences(of: rule, with: rule + added), source: "856.map")
            let translator = Translator(map: map, grammar: grammar)
            if completes {
                #expect(translator.core.tapeLayout != nil, "\(added)")
            } else {
                #expect(translator.core.tapeLayout == nil, "\(added)")
            }
            var typed: [UInt8] = []
            var typedError = ""
            do { typed = try EventJSON.encode(try translator.translate(transaction, context: Self.context())) } catch {
                typedError = "\(error)"
            }
            var written: [UInt8] = []
            var writtenError = ""
            do { try translator.translateJSON(transaction, context: Self.context(), into: &written) } catch {
                writtenError = "\(error)"
            }
            #expect(written == typed && writtenError == typedError, "\(added)")
            #expect(completes == typedError.isEmpty, "\(added): \(typedError)")
        }
    }

    /// A business key under an array the map fills (`shipment.trackingNumbers[0]`) is read from the event's tree,
    /// since a later element could change what the path names; it is the first tracking number read.
    @Test func aBusinessKeyUnderAnArrayIsReadFromTheTree() throws {
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let text = try String(contentsOfFile: TranslatorTests.maps + "/X12/004010/856.map", encoding: .utf8)
        let sample = String(decoding: try TranslatorTests.sample("x12/004010/856-ship-notice.edi"), as: UTF8.self)
        let bytes = Array(sample.replacingOccurrences(of: "REF*CN*", with: "REF*2I*1Z001~REF*2I*1Z002~REF*CN*").utf8)
        let (transaction, _) = try TranslatorTests.transaction(bytes)
        let map = try MapLoader.parse(
            text.replacingOccurrences(
                of: "business-key shipment.identifier",
                with: "business-key shipment.trackingNumbers[0]"
            ),
            source: "856.map"
        )
        let translator = Translator(map: map, grammar: grammar)
        #expect(!translator.program.businessKeyIsPlain)
        let event = try translator.translate(transaction, context: Self.context())
        #expect(event.metadata.businessKey == "1Z001")
        var written: [UInt8] = []
        try translator.translateJSON(transaction, context: Self.context(), into: &written)
        #expect(written == (try EventJSON.encode(event)))
        let plain = Translator(
            map: try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/856.map"),
            grammar: grammar
        )
        #expect(plain.program.businessKeyIsPlain)
    }

    /// Decimals as `Decimal.description` writes them, from the plain forms maps make; other forms are refused.
    @Test func decimalsAreWrittenAsTheTypedEventWritesThem() {
        for text in [
            "0", "7", "-7", "12.50", "12.0", "100", "100.00", "0.050", "-0.00", "0.0", "1000.10", "-12.345000",
            "12345678901234567890123456789012345678", "99999999999999999999999999999999999999.000",
        ] {
            var output = ByteOutput()
            #expect(EventWriter.writeDecimal(text, into: &output), "\(text)")
            #expect(String(decoding: output.bytes, as: UTF8.self) == Decimal(string: text)?.description, "\(text)")
        }
        for text in ["", "-", ".5", "5.", "012", "1e5", "1.2.3", "123456789012345678901234567890123456789", "+1"] {
            var output = ByteOutput()
            #expect(!EventWriter.writeDecimal(text, into: &output), "\(text)")
        }
    }

    /// Decimals read from the element's bytes (and as text, which reads the same way) come out as the number
    /// spelled step by step (`spelledDecimal`), and are refused alike: every text of up to five characters of
    /// digits, signs, marks and a letter, with no implied decimal point and with one to three implied places.
    @Test func decimalsFromBytesAgreeWithDecimalsFromText() {
        let alphabet: [UInt8] = Array("0015-.,x".utf8)
        var texts: [[UInt8]] = [[]]
        var layer: [[UInt8]] = [[]]
        for _ in 0..<5 {
            layer = layer.flatMap { text in alphabet.map { text + [$0] } }
            texts += layer
        }
        var checked = 0
        for text in texts {
            let string = String(decoding: text, as: UTF8.self)
            for implied in 0...3 {
                var output = ByteOutput(capacity: 4)
                output.append(0x7E)
                let read = text.withUnsafeBytes { ValueText.decimal($0, implied: implied, into: &output) }
                let expected = Self.spelledDecimal(string, implied: implied)
                #expect(read == (expected != nil), "\(string) \(implied)")
                #expect(output.bytes == [0x7E] + Array((expected ?? "").utf8), "\(string) \(implied)")
                #expect(ValueText.decimal(string, implied: implied) == expected, "\(string) \(implied)")
                checked += 1
            }
        }
        #expect(checked > 100_000)
    }

    /// A decimal's JSON number text spelled out: an optional minus, digits with at most one mark (`.` or `,`), the
    /// last `implied` digits the fraction when there is no mark, leading zeros of the integer dropped (one kept).
    static func spelledDecimal(_ text: String, implied: Int) -> String? {
        var bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes.removeFirst() }
        var integer: [UInt8] = []
        var fraction: [UInt8] = []
        var sawMark = false
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                if sawMark { fraction.append(byte) } else { integer.append(byte) }
            } else if !sawMark && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")) {
                sawMark = true
            } else {
                return nil
            }
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        if implied > 0 && !sawMark {
            while integer.count <= implied { integer.insert(UInt8(ascii: "0"), at: 0) }
            fraction = Array(integer.suffix(implied))
            integer = Array(integer.dropLast(implied))
        }
        while integer.count > 1 && integer.first == UInt8(ascii: "0") { integer.removeFirst() }
        if integer.isEmpty { integer = [UInt8(ascii: "0")] }
        var result = (negative ? "-" : "") + String(decoding: integer, as: UTF8.self)
        if !fraction.isEmpty { result += "." + String(decoding: fraction, as: UTF8.self) }
        return result
    }

    /// Dates and times are accepted exactly when the Gregorian calendar and the clock have them: every month and
    /// day number around the edges, leap years included, in both date forms, and every hour, minute and second.
    @Test func datesAndTimesAreReadAsTheCalendarHasThem() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        for year in [1900, 1999, 2000, 2023, 2024, 2100, 2400] {
            for month in 0...13 {
                for day in 0...32 {
                    let text = "\(year)\(two(month))\(two(day))"
                    let valid = DateComponents(calendar: calendar, year: year, month: month, day: day).isValidDate
                    #expect(ValueText.date(text) == (valid ? text : nil), "\(text)")
                    if year >= 2000 && year < 2100 {
                        let short = String(text.dropFirst(2))
                        #expect(ValueText.date(short) == (valid ? text : nil), "\(short)")
                    }
                }
            }
        }
        for text in ["2024022", "202402290", "2024O229", "", "-0240229", "20240229 "] {
            #expect(ValueText.date(text) == nil, "\(text)")
        }
        for hour in 0...24 {
            for minute in [0, 1, 30, 59, 60] {
                for second in [nil, 0, 59, 60] {
                    let text = two(hour) + two(minute) + (second.map(two) ?? "")
                    let valid = hour <= 23 && minute <= 59 && (second ?? 0) <= 59
                    #expect(ValueText.time(text) == (valid ? text : nil), "\(text)")
                    // Two more digits: seconds after HHMM, a cut fraction after HHMMSS.
                    #expect(ValueText.time(text + "12") == (valid ? text + "12" : nil), "\(text)")
                }
            }
        }
        for text in ["", "1", "120", "12000", "12a0", "1200x0"] {
            #expect(ValueText.time(text) == nil, "\(text)")
        }
    }

    /// The event buffer writes strings and numbers as JSONValue and String write them, and grows past its first
    /// capacity without losing a byte.
    @Test func byteOutputWritesAsJSONValueDoes() {
        var texts = ["", "plain", "quote \" and \\ slash", "tab\tline\nreturn\r", "é and 🚚", "\u{7F}"]
        texts.append(String(decoding: (0..<32).map { UInt8($0) }, as: UTF8.self))
        texts.append(String(repeating: "long \"value\" ", count: 400))
        var output = ByteOutput(capacity: 8)
        var expected: [UInt8] = []
        for text in texts {
            output.appendString(text)
            JSONValue.write(string: text, into: &expected)
        }
        // Every count of digits, at both ends of it.
        var powers: [Int] = [1]
        while let next = Optional(powers[powers.count - 1].multipliedReportingOverflow(by: 10)), !next.overflow {
            powers.append(next.partialValue)
        }
        let edges = powers.flatMap { [$0 - 1, $0, $0 + 1, -$0, 1 - $0] }
        for number in [0, 7, -7, 10, 99, 100, -100, 123_456_789, Int.max, Int.min] + edges {
            output.appendInteger(number)
            expected += Array(String(number).utf8)
        }
        output.append("static")
        expected += Array("static".utf8)
        #expect(output.bytes == expected)
        #expect(output.count == expected.count)
    }

    /// Appended runs of every length from 0 to 70 (the overlapping loads and stores up to 32, `memmove` beyond), from
    /// every offset of a 16-byte stretch, land exactly: the bytes before them kept, none lost or added.
    @Test func byteOutputCopiesRunsOfEveryLength() {
        let source = (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        source.withUnsafeBufferPointer { bytes in
            for offset in 0..<16 {
                for count in 0...70 {
                    var output = ByteOutput(capacity: 4)
                    output.append(0xAA)
                    output.append(UnsafeBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                    output.append(0xBB)
                    let expected = [0xAA] + Array(source[offset..<(offset + count)]) + [0xBB]
                    #expect(output.bytes == expected, "offset \(offset), count \(count)")
                }
            }
        }
    }

    /// A translator keeps the workspace a translation gave back for the next one, but lets go of one grown large,
    /// so a huge transaction does not hold its memory for the rest of the process.
    @Test func largeWorkspacesAreLetGo() {
        let pool = WorkspacePool()
        let ordinary = pool.take()
        pool.give(ordinary)
        #expect(pool.take() === ordinary)
        let large = TranslationWorkspace()
        large.output = ByteOutput(capacity: 8 << 20)
        #expect(large.isLarge)
        pool.give(large)
        #expect(pool.take() !== large)
    }
}
