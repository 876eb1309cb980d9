// Decoding is lenient about empty collections: a map that has nothing to put in an array (no references, no
// packs) may leave it out, and the event still decodes with the array empty. Everything else is as synthesized:
// a missing required value fails. Encoding always writes every array.

extension KeyedDecodingContainer {
    /// The array at `key`, empty when absent.
    func array<Element: Decodable>(_ key: Key) throws -> [Element] {
        try self.decodeIfPresent([Element].self, forKey: key) ?? []
    }
}
