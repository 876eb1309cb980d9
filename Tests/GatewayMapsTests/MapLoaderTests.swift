import GatewayMaps
import Testing

/// One map text per loader error: each names the file and line and says what was expected.
struct MapLoadCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var line: Int
    var testDescription: String { self.name }
}

@Suite("Loading map files")
struct MapLoaderTests {
    static let header = "map X12 004010 214 ShipmentStatus \"Test\"\n"

    static let cases: [MapLoadCase] = [
        .init(name: "no map line", text: "segment B10\nend\n", line: 1),
        .init(name: "unknown standard", text: "map X13 004010 214 ShipmentStatus\n", line: 1),
        .init(name: "unknown event", text: "map X12 004010 214 Parcel\n", line: 1),
        .init(name: "segment inside a segment", text: header + "segment B10\nsegment L11\nend\nend\n", line: 3),
        .init(name: "bad element reference", text: header + "segment B10\n  2 shipment.identifier\nend\n", line: 3),
        .init(name: "bad field path", text: header + "segment B10\n  02 shipment..identifier\nend\n", line: 3),
        .init(name: "unknown type", text: header + "segment B10\n  02 shipment.identifier float\nend\n", line: 3),
        .init(name: "array path without []", text: header + "loop 0100 each shipment.parties\nend\n", line: 2),
        .init(name: "each and all together", text: header + "loop 0100 each parties[] all\nend\n", line: 2),
        .init(name: "block left open", text: header + "segment B10\n  02 shipment.identifier\n", line: 2),
        .init(name: "end with nothing open", text: header + "end\n", line: 2),
        .init(name: "unknown statement", text: header + "shipment B10\n", line: 2),
        .init(
            name: "codes without entries",
            text: header + "segment B10\n  02 shipment.identifier codes\nend\n",
            line: 3
        ),
        .init(name: "a code twice", text: header + "segment B10\n  02 kind codes A=x A=y\nend\n", line: 3),
        .init(name: "a code without a name", text: header + "segment B10\n  02 kind codes A=\nend\n", line: 3),
    ]

    @Test(arguments: cases)
    func error(_ testCase: MapLoadCase) {
        #expect {
            _ = try MapLoader.parse(testCase.text, source: "test.map")
        } throws: { error in
            guard let error = error as? MappingError else { return false }
            return error.code == .invalidMap && error.map == "test.map" && error.line == testCase.line
                && error.description.hasPrefix("test.map:\(testCase.line): expected")
        }
    }

    @Test func publishedMapsLoad() throws {
        for path in [
            "X12/004010/214.map", "X12/005010/214.map", "EDIFACT/D96A/IFTSTA.map", "EDIFACT/D01B/IFTSTA.map",
        ] {
            let map = try MapLoader.load(path: TranslatorTests.maps + "/" + path)
            #expect(map.event == "ShipmentStatus")
            #expect(map.businessKey == "shipment.identifier")
        }
    }
}
