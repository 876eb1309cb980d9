import Crypto
import EDICore
import EDISchema

/// The segment tags the standard maps of the two generated files read (Maps/X12/004010/856.map,
/// Maps/EDIFACT/D96A/DESADV.map), and HL, whose numbers link the 856's levels, packed as the reader packs them.
private let mappedTags: Set<UInt32> = Set(
    [
        "BSN", "DTM", "HL", "LIN", "MAN", "N1", "N3", "N4", "PID", "PRF", "REF", "SN1", "TD1", "TD5",
        "BGM", "GIN", "NAD", "PAC", "PIA", "QTY", "RFF", "TDT",
    ].map { SegmentTag($0).rawValue }
)

/// (floor) What (h) does less the mapping, plus the least any mapping must add, to frame (h) and the target: the
/// read, validation and grammar lookup of (h); then per transaction the SHA-256 of its bytes, as the idempotency key
/// hashes them, and each value of the mapped segments (up to five elements each) copied out with a provenance entry
/// (segment, element, byte span). No tree, no hierarchy, no rules: a map that reads values does at least this.
/// `hash` and `copy` switch the two parts on, so each is measured.
func mappingFloor(_ bytes: [UInt8], catalog: GrammarCatalog, hash: Bool, copy: Bool) throws -> Int {
    var catalog = catalog
    var validation = InterchangeValidation(catalog: catalog)
    var text: [UInt8] = []
    var provenance: [(segment: Int32, element: Int32, start: Int, end: Int)] = []
    var message: [UInt8] = []
    var written = 0
    var copied = 0
    try read(bytes) { event in
        _ = try validation.add(event)
        guard case .transaction(let transaction) = event,
            try catalog.grammar(for: transaction, groupVersion: "004010", syntaxVersion: nil) != nil
        else { return }
        transaction.withTables { tables in
            text.removeAll(keepingCapacity: true)
            provenance.removeAll(keepingCapacity: true)
            message.removeAll(keepingCapacity: true)
            for position in 1...tables.segmentCount {
                let segment = tables.segment(position)
                if hash {
                    let (start, end) = segment.span
                    message.append(
                        contentsOf: UnsafeRawBufferPointer(rebasing: tables.bytes[start..<end]).assumingMemoryBound(
                            to: UInt8.self
                        )
                    )
                    message.append(0)
                }
                guard copy, segment.elementCount > 0, mappedTags.contains(segment.tag.rawValue) else { continue }
                for element in 1...min(segment.elementCount, 5) {
                    let (start, end) = segment.bounds(element)
                    if start == end { continue }
                    text.append(
                        contentsOf: UnsafeRawBufferPointer(rebasing: tables.bytes[start..<end]).assumingMemoryBound(
                            to: UInt8.self
                        )
                    )
                    provenance.append((Int32(position), Int32(element), start, end))
                }
            }
            if hash {
                var sha = SHA256()
                message.withUnsafeBytes { sha.update(bufferPointer: $0) }
                written += sha.finalize().withUnsafeBytes { Int($0[0]) }
            }
            copied += provenance.count
            written += text.count + provenance.count + 1
        }
    }
    precondition(written > 0)
    precondition(!copy || copied > 0, "no value of the mapped segments was copied")
    return written
}
