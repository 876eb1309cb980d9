/// Field paths with where each value was read, in the order they were first set: the order a map read them,
/// so an event's JSON follows the document and writing it needs no sort (a ship notice has a hundred entries,
/// a large one tens of thousands). Looked up by path like a dictionary; JSON as an object in that order.
///
/// Its `Codable` conformance works with any coder, but order is kept only by edigate's own (`EventJSON`): a decoder
/// that hands object members back in hash order (Foundation's) gives a table equal in content, not in order.
public struct ProvenanceTable: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One field's path and where its value was read.
    public typealias Entry = (path: String, provenance: FieldProvenance)

    private var paths: [String] = []
    private var values: [FieldProvenance] = []
    private var positions: [String: Int] = [:]

    /// An empty table.
    public init() {}

    /// A table of `elements` in their order; a path given twice keeps its first place and its last value.
    public init(dictionaryLiteral elements: (String, FieldProvenance)...) {
        for (path, provenance) in elements { self[path] = provenance }
    }

    /// The number of fields.
    public var count: Int { self.paths.count }
    /// Whether no field has a provenance.
    public var isEmpty: Bool { self.paths.isEmpty }

    /// The provenance of `path`; setting a path already present replaces its value where it stands.
    public subscript(path: String) -> FieldProvenance? {
        get { self.positions[path].map { self.values[$0] } }
        set {
            if let position = self.positions[path] {
                if let newValue {
                    self.values[position] = newValue
                } else {
                    self.paths.remove(at: position)
                    self.values.remove(at: position)
                    self.positions[path] = nil
                    for later in position..<self.paths.count { self.positions[self.paths[later]] = later }
                }
            } else if let newValue {
                self.positions[path] = self.paths.count
                self.paths.append(path)
                self.values.append(newValue)
            }
        }
    }

    /// The entries in the order their paths were first set.
    public func makeIterator() -> some IteratorProtocol<Entry> {
        zip(self.paths, self.values).lazy.map { (path: $0, provenance: $1) }.makeIterator()
    }

    /// Equal when the same paths have the same provenance in the same order.
    public static func == (lhs: ProvenanceTable, rhs: ProvenanceTable) -> Bool {
        lhs.paths == rhs.paths && lhs.values == rhs.values
    }

    /// Hashes the paths and their provenance in order, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.paths)
        hasher.combine(self.values)
    }
}

extension ProvenanceTable: Codable {
    /// Reads an object of field paths, in the order the decoder lists its members.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: NameKey.self)
        self.init()
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(FieldProvenance.self, forKey: key)
        }
    }

    /// Writes an object of field paths in the table's order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        for (path, provenance) in zip(self.paths, self.values) {
            try container.encode(provenance, forKey: NameKey(path))
        }
    }
}
