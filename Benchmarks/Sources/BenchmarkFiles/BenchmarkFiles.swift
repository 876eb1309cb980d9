import EDICore

/// Deterministic X12 856 and EDIFACT DESADV files of a given size, written by edigate's own writer.
public enum BenchmarkFiles {
    /// An X12 004010 856 file of about `size` bytes: many interchanges of 20 ship notices each.
    public static func x12ShipNotices(size: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 65_536)
        var controlNumbers = ControlNumbers()
        var shipment = 0
        while bytes.count < size {
            var writer = EnvelopeWriter(
                standard: .x12,
                delimiters: .x12,
                lineBreak: .lf,
                controlNumbers: controlNumbers
            )
            try writer.beginInterchange(
                InterchangeEnvelope(
                    sender: "ACMEPARCEL",
                    senderQualifier: "ZZ",
                    receiver: "EDIGATE",
                    receiverQualifier: "ZZ",
                    date: "20261123",
                    time: "1200",
                    version: "00401"
                )
            )
            try writer.beginGroup(
                GroupEnvelope(
                    functionalIdentifier: "SH",
                    applicationSender: "ACMEPARCEL",
                    applicationReceiver: "EDIGATE",
                    version: "004010"
                )
            )
            for _ in 0..<20 {
                shipment += 1
                try writer.writeTransaction(type: "856", body: self.shipNotice(shipment))
            }
            try writer.endGroup()
            try writer.endInterchange()
            controlNumbers = writer.controlNumbers
            bytes.append(contentsOf: writer.bytes)
        }
        return bytes
    }

    static func shipNotice(_ number: Int) -> [SegmentValue] {
        var segments: [SegmentValue] = [
            SegmentValue("BSN", "00", "SHP\(number)", "20261123", "1200", "0001"),
            SegmentValue("HL", "1", "", "S"),
            SegmentValue("TD1", "CTN25", "4", "", "", "", "G", "48.5", "LB"),
            SegmentValue("TD5", "B", "2", "ACME", "M", "ACME GROUND"),
            SegmentValue("REF", "BM", "BOL\(number)"),
            SegmentValue("REF", "CN", "PRO\(number)"),
            SegmentValue("DTM", "011", "20261123"),
            SegmentValue("N1", "SF", "ACME DISTRIBUTION", "92", "DC01"),
            SegmentValue("N3", "100 WAREHOUSE WAY"),
            SegmentValue("N4", "MEMPHIS", "TN", "38118", "US"),
            SegmentValue("N1", "ST", "RETAIL STORE 42", "92", "ST42"),
            SegmentValue("N3", "42 MAIN STREET"),
            SegmentValue("N4", "COLUMBUS", "OH", "43215", "US"),
            SegmentValue("HL", "2", "1", "O"),
            SegmentValue("PRF", "PO\(number)", "", "", "20261120"),
        ]
        var hl = 2
        for pack in 0..<4 {
            hl += 1
            let packHL = hl
            segments.append(SegmentValue("HL", String(packHL), "2", "P"))
            segments.append(SegmentValue("MAN", "GM", "00012345600000\(1000 + pack)"))
            for item in 0..<2 {
                hl += 1
                segments.append(SegmentValue("HL", String(hl), String(packHL), "I"))
                segments.append(SegmentValue("LIN", "", "UP", "01234567890\(item)", "VP", "SKU-\(pack)-\(item)"))
                segments.append(SegmentValue("SN1", "", "6", "EA"))
            }
        }
        segments.append(SegmentValue("CTT", String(hl)))
        return segments
    }

    /// An EDIFACT D96A DESADV file of about `size` bytes: interchanges of 20 messages each.
    public static func edifactDespatchAdvices(size: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 65_536)
        var controlNumbers = ControlNumbers()
        var message = 0
        while bytes.count < size {
            var writer = EnvelopeWriter(
                standard: .edifact,
                delimiters: .edifactLevelA,
                lineBreak: .lf,
                controlNumbers: controlNumbers
            )
            try writer.beginInterchange(
                InterchangeEnvelope(
                    sender: "4012345000009",
                    senderQualifier: "14",
                    receiver: "4098765000003",
                    receiverQualifier: "14",
                    date: "20261123",
                    time: "1200",
                    version: "3",
                    syntaxIdentifier: "UNOC"
                )
            )
            for _ in 0..<20 {
                message += 1
                try writer.writeTransaction(type: "DESADV:D:96A:UN:EAN005", body: self.despatchAdvice(message))
            }
            try writer.endInterchange()
            controlNumbers = writer.controlNumbers
            bytes.append(contentsOf: writer.bytes)
        }
        return bytes
    }

    static func despatchAdvice(_ number: Int) -> [SegmentValue] {
        func c(_ parts: String...) -> ElementValue { ElementValue(components: parts) }
        var segments: [SegmentValue] = [
            SegmentValue(tag: "BGM", elements: ["351", ElementValue(stringLiteral: "DES\(number)"), "9"]),
            SegmentValue(tag: "DTM", elements: [c("137", "20261123", "102")]),
            SegmentValue(tag: "DTM", elements: [c("11", "20261123", "102")]),
            SegmentValue(tag: "RFF", elements: [c("ON", "PO\(number)")]),
            SegmentValue(tag: "NAD", elements: ["SU", c("4012345000009", "", "9")]),
            SegmentValue(tag: "NAD", elements: ["BY", c("4098765000003", "", "9")]),
            SegmentValue(
                tag: "NAD",
                elements: [
                    "DP", c("4098765000010", "", "9"), "", "Lager Nord", "Hafenstrasse 5", "Hamburg", "", "20457", "DE",
                ]
            ),
            SegmentValue(tag: "TDT", elements: ["20", "", "30", "", c("NORDFRACHT", "", "", "")]),
            SegmentValue(tag: "CPS", elements: ["1"]),
        ]
        for pack in 0..<4 {
            segments.append(SegmentValue(tag: "CPS", elements: [ElementValue(stringLiteral: String(pack + 2)), "1"]))
            segments.append(SegmentValue(tag: "PAC", elements: ["1", "", "201"]))
            segments.append(SegmentValue(tag: "PCI", elements: ["33E"]))
            segments.append(
                SegmentValue(tag: "GIN", elements: ["BJ", ElementValue(stringLiteral: "34012345000000\(1000 + pack)")])
            )
            for item in 0..<2 {
                segments.append(
                    SegmentValue(
                        tag: "LIN",
                        elements: [
                            ElementValue(stringLiteral: String(pack * 2 + item + 1)), "",
                            c("401234500\(1000 + item)", "EN"),
                        ]
                    )
                )
                segments.append(SegmentValue(tag: "QTY", elements: [c("12", "6")]))
            }
        }
        segments.append(SegmentValue(tag: "CNT", elements: [c("2", "8")]))
        return segments
    }
}
