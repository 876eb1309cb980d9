/// The maps under a folder (`Maps/`), found by standard, version and document: `X12/004010/856.map`,
/// `EDIFACT/D96A/DESADV.map`. Each file is loaded and checked once.
public struct MapCatalog: Sendable {
    /// The event types maps may produce.
    public static let events = ["ShipNotice", "ShipmentStatus", "Invoice", "AcknowledgmentReceived"]

    public let directory: String
    private var loaded: [String: MapDefinition] = [:]

    /// A catalog over `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Where the map for a document would be.
    public func path(standard: String, version: String, document: String) -> String {
        "\(self.directory)/\(standard)/\(version)/\(document).map"
    }

    /// The map for the document, loaded on first use; `nil` when there is none.
    public mutating func map(standard: String, version: String, document: String) throws(MappingError) -> MapDefinition?
    {
        let path = self.path(standard: standard, version: version, document: document)
        if let map = self.loaded[path] { return map }
        guard FileBytes.read(path, limit: MapLoader.maximumFileSize) != nil else { return nil }
        let map = try MapLoader.load(path: path)
        self.loaded[path] = map
        return map
    }
}
