import EDICore
public import EDISchema

/// The translators of a run, one per document and version, each made once (its map loaded and laid out, its
/// grammar's layout made) and kept. Consecutive transactions are mostly of one document: the last translator found
/// is tried first, so finding it spells and hashes no key.
public struct Translators {
    private var kept: [String: Translator?] = [:]
    private var last: (standard: Standard, version: String, document: String, translator: Translator?)?

    public init() {}

    /// The translator for transactions of `grammar`, made by `make` the first time it is asked for; `nil` when
    /// `make` finds no map (which is kept too, so the map is looked for once).
    public mutating func translator<Failure: Error>(
        for grammar: Grammar,
        make: (Grammar) throws(Failure) -> Translator?
    ) throws(Failure) -> Translator? {
        if let last = self.last, last.standard == grammar.standard, last.version == grammar.version,
            last.document == grammar.document
        {
            return last.translator
        }
        let key = "\(grammar.standard.rawValue) \(grammar.version) \(grammar.document)"
        let translator: Translator?
        if let kept = self.kept[key] {
            translator = kept
        } else {
            translator = try make(grammar)
            self.kept[key] = .some(translator)
        }
        self.last = (grammar.standard, grammar.version, grammar.document, translator)
        return translator
    }
}
