import EDICore

/// Writes the events of one file as one JSON document, as they arrive, so memory stays bounded by a transaction.
///
/// Shape (documented in README.md):
/// `{"file":…,"interchanges":[{"standard":…,…,"items":[{"segment":…}|{"group":{…,"transactions":[…]}}],
///   "trailer":…,"findings":[…]}],"error":null|{…}}`
struct JSONEventWriter {
    let path: String
    private var started = false
    private var interchangeCount = 0
    private var itemCount = 0
    private var transactionCount = 0
    private var groupOpen = false
    private var implicitGroupOpen = false
    private var interchangeOpen = false
    private var findings: [Finding] = []
    private var looseFindings: [Finding] = []

    init(path: String) {
        self.path = path
    }

    mutating func write(_ event: ReadEvent, into output: inout Output) {
        if !self.started {
            output.write("{\"file\":\(JSON.string(self.path)),\"interchanges\":[")
            self.started = true
        }
        switch event {
        case .interchangeStart(let header):
            self.closeInterchange(trailer: nil, into: &output)
            if self.interchangeCount > 0 { output.write(",") }
            self.interchangeCount += 1
            self.itemCount = 0
            self.interchangeOpen = true
            output.write(JSON.header(header))
            output.write(",\"items\":[")
        case .segment(let segment):
            self.closeImplicitGroup(into: &output)
            self.item(into: &output)
            output.write("{\"segment\":\(JSON.segment(segment))}")
        case .groupStart(let header):
            self.closeImplicitGroup(into: &output)
            self.item(into: &output)
            output.write("{\"group\":{\"header\":\(JSON.segment(header)),\"transactions\":[")
            self.groupOpen = true
            self.transactionCount = 0
        case .transaction(let transaction):
            if !self.groupOpen && !self.implicitGroupOpen {
                self.item(into: &output)
                output.write("{\"group\":{\"header\":null,\"transactions\":[")
                self.implicitGroupOpen = true
                self.transactionCount = 0
            }
            if self.transactionCount > 0 { output.write(",") }
            self.transactionCount += 1
            output.write(JSON.transaction(transaction))
        case .groupEnd(let trailer):
            output.write("],\"trailer\":\(trailer.map(JSON.segment) ?? "null")}}")
            self.groupOpen = false
        case .interchangeEnd(let trailer):
            self.closeInterchange(trailer: trailer, into: &output)
        case .finding(let finding):
            if self.interchangeOpen { self.findings.append(finding) } else { self.looseFindings.append(finding) }
        }
    }

    private mutating func item(into output: inout Output) {
        if self.itemCount > 0 { output.write(",") }
        self.itemCount += 1
    }

    private mutating func closeImplicitGroup(into output: inout Output) {
        guard self.implicitGroupOpen else { return }
        output.write("],\"trailer\":null}}")
        self.implicitGroupOpen = false
    }

    private mutating func closeInterchange(trailer: Segment?, into output: inout Output) {
        guard self.interchangeOpen else { return }
        self.closeImplicitGroup(into: &output)
        if self.groupOpen {
            output.write("],\"trailer\":null}}")
            self.groupOpen = false
        }
        output.write("],\"trailer\":\(trailer.map(JSON.segment) ?? "null"),\"findings\":[")
        output.write(self.findings.map(JSON.finding).joined(separator: ","))
        output.write("]}")
        self.findings.removeAll()
        self.interchangeOpen = false
    }

    mutating func finish(error: EDISyntaxError?, into output: inout Output) {
        if !self.started {
            output.write("{\"file\":\(JSON.string(self.path)),\"interchanges\":[")
            self.started = true
        }
        if self.interchangeOpen {
            self.closeImplicitGroup(into: &output)
            if self.groupOpen {
                output.write("],\"trailer\":null}}")
                self.groupOpen = false
            }
            output.write("],\"trailer\":null,\"findings\":[")
            output.write(self.findings.map(JSON.finding).joined(separator: ","))
            output.write("]}")
            self.interchangeOpen = false
        }
        output.write("],\"findings\":[")
        output.write(self.looseFindings.map(JSON.finding).joined(separator: ","))
        output.write("],\"error\":")
        if let error {
            output.write(
                "{\"code\":\(JSON.string(error.code.description)),\"message\":\(JSON.string(error.description)),"
                    + "\"location\":\(JSON.location(error.location))}"
            )
        } else {
            output.write("null")
        }
        output.write("}\n")
    }
}

/// JSON rendering of edigate's values; a namespace.
enum JSON {
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func optional(_ text: String?) -> String { text.map(self.string) ?? "null" }

    static func byte(_ byte: UInt8?) -> String {
        guard let byte else { return "null" }
        return self.string(String(UnicodeScalar(byte)))
    }

    static func header(_ header: InterchangeHeader) -> String {
        let delimiters = header.delimiters
        let terminator = String(decoding: delimiters.segmentTerminator, as: UTF8.self)
        var text = "{\"standard\":\(self.string(header.standard.rawValue))"
        text += ",\"version\":\(self.optional(header.version))"
        text += ",\"controlNumber\":\(self.optional(header.controlNumber))"
        text +=
            ",\"sender\":{\"qualifier\":\(self.optional(header.senderQualifier)),\"id\":\(self.optional(header.sender))}"
        text +=
            ",\"receiver\":{\"qualifier\":\(self.optional(header.receiverQualifier)),\"id\":\(self.optional(header.receiver))}"
        text += ",\"characterSet\":\(self.string(header.characterSet.name))"
        text +=
            ",\"delimiters\":{\"element\":\(self.byte(delimiters.element)),\"component\":\(self.byte(delimiters.component))"
        text += ",\"repetition\":\(self.byte(delimiters.repetition)),\"segmentTerminator\":\(self.string(terminator))"
        text += ",\"release\":\(self.byte(delimiters.release)),\"decimalMark\":\(self.byte(delimiters.decimalMark))}"
        text += ",\"serviceStringAdvice\":\(header.serviceStringAdvice.map(self.segment) ?? "null")"
        text += ",\"header\":\(header.segment.map(self.segment) ?? "null")"
        return text
    }

    static func transaction(_ transaction: Transaction) -> String {
        var text =
            "{\"type\":\(self.string(transaction.type)),\"controlNumber\":\(self.string(transaction.controlNumber))"
        text +=
            ",\"version\":\(self.optional(transaction.version)),\"complete\":\(transaction.hasTrailer),\"segments\":["
        text += transaction.segments.map(self.segment).joined(separator: ",")
        return text + "]}"
    }

    /// `{"tag":"BEG","number":4,"offset":123,"elements":["00",["A","B"],{"repetitions":["X","Y"]}]}`
    static func segment(_ segment: Segment) -> String {
        var text = "{\"tag\":\(self.string(segment.tag)),\"number\":\(segment.number),\"offset\":\(segment.byteOffset)"
        text += ",\"elements\":["
        text += segment.elements.map(self.element).joined(separator: ",")
        return text + "]}"
    }

    static func element(_ element: Element) -> String {
        let repetitions = element.repetitions
        if repetitions.count > 1 {
            return "{\"repetitions\":[" + repetitions.map(self.repetition).joined(separator: ",") + "]}"
        }
        return self.repetition(element)
    }

    private static func repetition(_ element: Element) -> String {
        let components = element.components
        if components.count == 1 { return self.string(components[0].text) }
        return "[" + components.map { self.string($0.text) }.joined(separator: ",") + "]"
    }

    static func finding(_ finding: Finding) -> String {
        "{\"code\":\(self.string(finding.code.rawValue)),\"severity\":\(self.string(finding.severity.rawValue))"
            + ",\"message\":\(self.string(finding.description)),\"location\":\(self.location(finding.location))}"
    }

    static func location(_ location: Location) -> String {
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        return "{\"byteOffset\":\(location.byteOffset),\"segment\":\(location.segmentNumber)"
            + ",\"tag\":\(self.optional(location.segmentTag)),\"element\":\(number(location.elementPosition))"
            + ",\"component\":\(number(location.componentPosition)),\"repetition\":\(number(location.repetitionIndex))"
            + ",\"transactionSegment\":\(number(location.transactionSegmentNumber))}"
    }
}
