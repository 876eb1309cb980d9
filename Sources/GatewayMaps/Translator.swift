import Crypto
public import EDICore
public import EDISchema
import FoundationEssentials
public import GatewayEvents
import Synchronization

/// What a translation needs besides the transaction: who sent it, its envelopes, and how to name events.
public struct TranslationContext: Sendable {
    /// The partner profile's identifier, or the sender's identification.
    public var partner: String
    public var interchangeControlNumber: String
    public var groupControlNumber: String?
    /// Makes a fresh event identifier per emission (a UUID in the gateway; a counter in tests).
    public var eventID: @Sendable () -> String
    public var vocabulary: MilestoneVocabulary

    public init(
        partner: String,
        interchangeControlNumber: String,
        groupControlNumber: String? = nil,
        eventID: @escaping @Sendable () -> String,
        vocabulary: MilestoneVocabulary = MilestoneVocabulary()
    ) {
        self.partner = partner
        self.interchangeControlNumber = interchangeControlNumber
        self.groupControlNumber = groupControlNumber
        self.eventID = eventID
        self.vocabulary = vocabulary
    }
}

/// Reads a transaction into its canonical event by a map: every bound value with its provenance (segment
/// position, element reference, bytes), mandatory values checked, the result decoded into the event type.
public struct Translator: Sendable {
    /// What the translator holds, in one shared object: copying a translator (into a job for another core, out of
    /// a dictionary of translators) counts one reference rather than one per table.
    final class Core: Sendable {
        let map: MapDefinition
        let grammar: Grammar
        /// The grammar's structure laid out for placing segments, made once.
        let layout: TransactionTree.Layout
        /// The event type's shape laid out for the map's keys, made once; `nil` for an event type without one.
        let writePlan: WritePlan?
        /// Per loop of `layout`: its number among the map's loop identifiers (``MapDefinition/loopNames``), or -1
        /// for the transaction itself and loops no rule names.
        let loopNumbers: [Int32]
        /// The map's rules laid out for reading, made once.
        let program: ReadProgram
        /// The map's sites beside the write plan, for writing events from their tapes; `nil` without a plan or
        /// for a map whose sites conflict.
        let tapeLayout: TapeLayout?
        /// Storage translations reuse, one workspace per translation running at a time.
        let workspaces = WorkspacePool()
        /// The events' schema name with its version (`edigate.ShipNotice.v1`).
        let schema: String

        init(map: MapDefinition, grammar: Grammar, laysOutHierarchy: Bool) {
            self.map = map
            self.grammar = grammar
            let layout = TransactionTree.Layout(grammar.structure)
            self.layout = layout
            self.writePlan = EventShape.event(map.event).map { WritePlan($0, keys: map.keys) }
            let program = ReadProgram(map, laysOutHierarchy: laysOutHierarchy)
            self.program = program
            self.tapeLayout = self.writePlan.flatMap { TapeLayout(program.sites, plan: $0) }
            self.schema = "edigate.\(map.event).v1"
            self.loopNumbers = layout.loops.indices.map { index in
                index == 0 ? -1 : map.loopNames.firstIndex(of: layout.identifiers[index]).map { Int32($0) } ?? -1
            }
        }
    }

    let core: Core

    public var map: MapDefinition { self.core.map }
    public var grammar: Grammar { self.core.grammar }
    var program: ReadProgram { self.core.program }

    /// A translator by `map` of transactions of `grammar`; make one per map and grammar and keep it.
    public init(map: MapDefinition, grammar: Grammar) {
        self.core = Core(map: map, grammar: grammar, laysOutHierarchy: true)
    }

    /// A translator whose linked rules always explore the hierarchy, never reading it from its layout: for tests
    /// holding the two to the same events.
    init(map: MapDefinition, grammar: Grammar, laysOutHierarchy: Bool) {
        self.core = Core(map: map, grammar: grammar, laysOutHierarchy: laysOutHierarchy)
    }

    /// The event for `transaction`.
    public func translate(_ transaction: Transaction, context: TranslationContext) throws(MappingError)
        -> CanonicalEvent
    {
        let read = try self.read(transaction, context: context)
        return try self.event(read)
    }

    /// The JSON of the event for `transaction`, appended to `output`: ``map(_:context:_:)``, then
    /// ``MappedEvent/writeJSON(into:)``.
    public func translateJSON(
        _ transaction: Transaction,
        context: TranslationContext,
        into output: inout [UInt8]
    ) throws(MappingError) {
        try self.map(transaction, context: context) { event throws(MappingError) in try event.writeJSON(into: &output) }
    }

    /// Reads `transaction` by the map into its canonical event and hands the event to `body`: every field with its
    /// provenance and the metadata, held in storage the translator reuses, so the event lasts for the call only.
    /// What the gateway does with an event (write its JSON, store it, hand it on) happens inside `body`.
    public func map<Result>(
        _ transaction: Transaction,
        context: TranslationContext,
        _ body: (borrowing MappedEvent) throws(MappingError) -> Result
    ) throws(MappingError) -> Result {
        let workspace = self.core.workspaces.take()
        defer { self.core.workspaces.give(workspace) }
        try self.read(transaction, context: context, workspace: workspace)
        return try body(MappedEvent(translator: self, workspace: workspace))
    }

    /// A typed event that does not decode or encode, as the map's error: what was expected, never a value.
    func incomplete(_ error: any Error) -> MappingError {
        MappingErrors.eventShape(
            map: self.core.map.source,
            event: self.core.map.event,
            detail: EventJSON.describe(error)
        )
    }

    /// What reading `transaction` by the map gives: the event's fields, its metadata (provenance still in the
    /// record) and its schema name.
    struct Read {
        var record: EventRecord
        var metadata: EventMetadata
        var schema: String
    }

    func read(_ transaction: Transaction, context: TranslationContext) throws(MappingError) -> Read {
        let workspace = self.core.workspaces.take()
        defer { self.core.workspaces.give(workspace) }
        try self.read(transaction, context: context, workspace: workspace)
        // The workspace is refilled by the next translation: what outlives it is a record of its own.
        let record = EventRecord()
        _ = workspace.state.tape.replay(into: record, steps: self.core.program.steps)
        return Read(record: record, metadata: workspace.metadata, schema: self.core.schema)
    }

    /// ``read(_:context:)`` into `workspace`'s storage: the record in its state, the metadata beside it. Nothing is
    /// returned, so the metadata's strings are not copied out and back (a reference counted each, every time).
    private func read(
        _ transaction: Transaction,
        context: TranslationContext,
        workspace: TranslationWorkspace
    ) throws(MappingError) {
        workspace.tree.place(transaction, layout: self.core.layout)
        // The tables are valid inside the call only: the whole reading happens there.
        let failure = transaction.withTables { tables -> MappingError? in
            do throws(MappingError) {
                workspace.metadata = try self.read(
                    transaction,
                    tree: workspace.tree,
                    tables: tables,
                    context: context,
                    state: &workspace.state
                )
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private func read(
        _ transaction: Transaction,
        tree: TransactionTree,
        tables: TransactionTables,
        context: TranslationContext,
        state: inout Reading.State
    ) throws(MappingError) -> EventMetadata {
        let reading = Reading(
            program: self.core.program,
            transaction: transaction,
            tables: tables,
            tree: tree,
            loopNumbers: self.core.loopNumbers,
            vocabulary: context.vocabulary
        )
        reading.start(&state)
        try reading.readTransaction(state: &state)
        try reading.checkHierarchyRead(state)
        for (index, constant) in self.core.map.constants.enumerated() {
            let steps = self.core.program.constantSteps[index]
            let site = self.core.program.constantSites[index]
            state.tape.value(steps, site: site, from: 0, kind: .string, provenance: nil) {
                $0.appendUTF8(of: constant.value)
                return true
            }
        }
        let businessKey = reading.businessKey(state)
        return EventMetadata(
            eventId: context.eventID(),
            idempotencyKey: Self.idempotencyKey(tables, partner: context.partner, gathering: &state.hashed),
            correlationId: context.partner + "/" + context.interchangeControlNumber,
            businessKey: businessKey,
            partner: context.partner,
            standard: self.core.map.standard,
            version: self.core.map.version,
            document: self.core.map.document,
            interchangeControlNumber: context.interchangeControlNumber,
            groupControlNumber: context.groupControlNumber,
            transactionControlNumber: transaction.controlNumber
        )
    }

    /// The typed event of `read`: its fields as JSON decoded into the event type, its provenance as a table.
    func event(_ read: Read) throws(MappingError) -> CanonicalEvent {
        var metadata = read.metadata
        let indices = read.record.elementIndices()
        for entry in read.record.provenance where entry.node >= 0 {
            metadata.provenance[read.record.path(of: entry.node, names: self.core.map.keyBytes, indices: indices)] =
                FieldProvenance(
                    segment: Int(entry.segment),
                    reference: self.core.program.referenceTexts[Int(entry.reference)],
                    byteStart: entry.byteStart,
                    byteEnd: entry.byteEnd
                )
        }
        var event = read.record.jsonValue(names: self.core.map.keys)
        event.set([.key("schema")], to: .string(read.schema))
        // The document is decoded with a placeholder metadata object, then given the real one: the provenance
        // table is built as it is, not converted to JSON and back.
        event.set(
            [.key("metadata")],
            to: .object(
                [
                    "eventId", "idempotencyKey", "correlationId", "partner", "standard", "version", "document",
                    "interchangeControlNumber", "transactionControlNumber",
                ].map { ($0, JSONValue.string("")) }
            )
        )
        do {
            var decoded = try EventDecoder.decode(CanonicalEvent.self, from: event)
            decoded.metadata = metadata
            return decoded
        } catch {
            throw self.incomplete(error)
        }
    }

    /// SHA-256 over the partner, the standard's transaction type and the transaction's bytes (ST to SE): the same
    /// transaction resent in another interchange gets the same key.
    static func idempotencyKey(
        _ tables: TransactionTables,
        partner: String,
        gathering message: inout ByteOutput
    ) -> String {
        // The bytes hashed, gathered first: one update over a kilobyte costs a fraction of eighty small ones.
        message.removeAll()
        message.appendUTF8(of: partner)
        message.append(0)
        for position in stride(from: 1, through: tables.segmentCount, by: 1) {
            let (start, end) = tables.segment(position).span
            message.append(UnsafeRawBufferPointer(rebasing: tables.bytes[start..<end]))
            message.append(0)
        }
        var hash = SHA256()
        hash.update(bufferPointer: UnsafeRawBufferPointer(message.contents))
        let digest = hash.finalize()
        // Read in place: iterating the digest itself copies it into an array first.
        return digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 * bytes.count) { text in
                for (index, byte) in bytes.enumerated() {
                    text[2 * index] = Self.hexDigit(byte >> 4)
                    text[2 * index + 1] = Self.hexDigit(byte & 0xF)
                }
                return 2 * bytes.count
            }
        }
    }

    /// The lowercase hexadecimal digit of `value` (0 to 15).
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

/// A transaction's canonical event as the map read it (``Translator/map(_:context:_:)``): its fields and their
/// provenance in the translator's record, and its metadata. It is valid inside the call that hands it over.
public struct MappedEvent: ~Copyable {
    let translator: Translator
    /// Where the event was read: its record and metadata.
    let workspace: TranslationWorkspace

    /// The event's metadata; its provenance is still in the record and is written with the event.
    public var metadata: EventMetadata { self.workspace.metadata }

    /// How many values the map read from the transaction, each with its provenance (a field read again counts
    /// again).
    public var valuesRead: Int { self.workspace.state.tape.valuesRead }

    /// Appends the event's JSON to `output`: the bytes `EventJSON.encode` writes for
    /// ``Translator/translate(_:context:)``'s event, written straight from what the map read by the event type's
    /// ``EventShape`` without building the typed event. An event the shape cannot vouch for (a value of the wrong
    /// kind, a required field missing) goes through the typed event, which writes it or names the problem.
    public func writeJSON(into output: inout [UInt8]) throws(MappingError) {
        let core = self.translator.core
        let start = output.count
        if self.writeFromTape(into: &output) { return }
        output.removeSubrange(start...)
        _ = self.workspace.state.tape.replay(into: self.workspace.state.record, steps: core.program.steps)
        if let plan = core.writePlan,
            EventWriter(
                record: self.workspace.state.record,
                plan: plan,
                names: core.map.keyBytes,
                references: core.program.referenceJSON,
                metadata: self.workspace.metadata,
                schema: core.schema
            )
            .write(into: &output, buffer: &self.workspace.output)
        {
            return
        }
        output.removeSubrange(start...)
        let event = try self.translator.event(
            Translator.Read(record: self.workspace.state.record, metadata: self.metadata, schema: core.schema)
        )
        do {
            output += try EventJSON.encode(event)
        } catch {
            throw self.translator.incomplete(error)
        }
    }
}

extension MappedEvent {
    /// ``MappedEvent/writeJSON(into:)``'s way for the events of most maps: the JSON written from the event's tape
    /// by the event type's plan and the map's sites; `false` (with `output` partly written) for a map with no plan
    /// or whose sites conflict, and for an event the shape cannot vouch for.
    func writeFromTape(into output: inout [UInt8]) -> Bool {
        let core = self.translator.core
        guard let plan = core.writePlan, let layout = core.tapeLayout else { return false }
        return TapeWriter(
            entries: self.workspace.state.tape.entries.view,
            text: self.workspace.state.tape.text.contents,
            layout: layout,
            plan: plan,
            names: core.map.keyBytes,
            references: core.program.referenceJSON,
            metadata: self.workspace.metadata,
            schema: core.schema
        )
        .write(into: &output, buffer: &self.workspace.output, scratch: &self.workspace.scratch)
    }
}

/// What one translation fills, reused by the next: the transaction's tree, the reading's state and record, the
/// event's bytes. Keeping them saves allocating and freeing some forty arrays per transaction.
///
/// Used by one translation at a time, which ``WorkspacePool`` ensures.
final class TranslationWorkspace: @unchecked Sendable {
    let tree = TransactionTree()
    var state = Reading.State()
    var output = ByteOutput()
    /// What writing an event from its tape fills.
    var scratch = TapeScratch()
    /// The metadata of the event read last.
    var metadata = EventMetadata(
        eventId: "",
        idempotencyKey: "",
        correlationId: "",
        partner: "",
        standard: "",
        version: "",
        document: "",
        interchangeControlNumber: "",
        transactionControlNumber: ""
    )

    /// Whether the storage has grown past what ordinary transactions need (a transaction of a hundred thousand
    /// segments, an event of megabytes): such a workspace is let go rather than kept, so one huge transaction does
    /// not hold its memory for the rest of the process.
    var isLarge: Bool {
        self.output.capacity > 4 << 20 || self.tree.nodeCapacity > 1 << 16 || self.state.record.isLarge
            || self.state.tape.isLarge || self.scratch.isLarge
            || self.state.hashed.capacity > 4 << 20
    }
}

/// A translator's workspaces: a translation takes one (made when none is free) and gives it back, so each
/// translation running at once, on any core, has its own.
final class WorkspacePool: Sendable {
    private let free = Mutex<[TranslationWorkspace]>([])

    func take() -> TranslationWorkspace {
        self.free.withLock { $0.popLast() } ?? TranslationWorkspace()
    }

    /// Keeps `workspace` for the next translation; a few are kept, one per translation that ran at once, and none
    /// grown large.
    func give(_ workspace: TranslationWorkspace) {
        guard !workspace.isLarge else { return }
        self.free.withLock { free in
            if free.count < 16 { free.append(workspace) }
        }
    }
}

/// One translation: the map's program, the transaction and its tree, read into a ``State``. Its inputs never change
/// while it reads, and its methods are not mutating: what they change is the state passed to them, so reading the
/// program and the tree borrows them instead of copying (and counting references to) each table it touches.
struct Reading {
    /// The map's rules as flat tables (``ReadProgram``), made once per translator.
    let program: ReadProgram
    let transaction: Transaction
    /// The transaction's flat tables, valid while the reading lasts: values of plain segments are read from them.
    let tables: TransactionTables
    let tree: TransactionTree
    /// The map's number of each layout loop (``Translator/loopNumbers``).
    let loopNumbers: [Int32]
    let vocabulary: MilestoneVocabulary

    /// What reading gathers.
    ///
    /// Its tables are ``GrowingTable``s: reading writes them for every occurrence and link, and an array's
    /// uniqueness check per write is a call.
    struct State: ~Copyable {
        /// The event as it is read, with its provenance.
        var tape = EventTape()
        /// The event as a tree, replayed from the tape for what needs one (``EventTape/replay(into:steps:)``).
        let record = EventRecord()
        /// Per hierarchy loop and container occurrence: the loop's occurrences in it by their link number, a range
        /// of `linkNumbers` and `linkOccurrences` (``linked(_:in:state:)``).
        var linkIndex = SmallIndex<HierarchyKey, Range<Int>>()
        var linkNumbers = GrowingTable<Int>()
        var linkOccurrences = GrowingTable<Int32>()
        /// The occurrences loop rules being read have found (``occurrences(_:within:state:)``), innermost last.
        var found = GrowingTable<Int32>()
        /// The frames of a hierarchy exploration.
        var pending = GrowingTable<Frame>()
        /// The bytes the idempotency key hashes, gathered (``Translator/idempotencyKey(_:partner:gathering:)``).
        var hashed = ByteOutput(capacity: 2_048)
        /// Occurrences read by a rule or passed through as a level no rule selects, for ``checkHierarchyRead(_:)``.
        var visited = GrowingTable<Bool>()
        /// Per linked loop rule and occurrence, a bit (`rule * nodes + occurrence`) set once a parent has read it:
        /// with duplicate link values (two HLs numbered alike) each occurrence is still read once, so the event stays
        /// as large as the transaction. Sized when a linked rule first reads.
        var claimed = GrowingTable<UInt64>()
        /// Per linked loop rule, container and link number, explorations that read everything they can: another
        /// occurrence with the same number (a hierarchy whose numbers repeat) would find only claimed occurrences
        /// there, so it skips them instead of walking them again (a repeated range of 449 copies took a second).
        var exhausted = SmallIndex<ExhaustedKey, Bool>()
        /// Per occurrence, the exploration that entered it last (``occurrences(_:within:state:)`` counts them).
        var entered = GrowingTable<UInt32>()
        var explorations: UInt32 = 0
        /// Per occurrence: 0 not yet known, 1 a level no rule reads (passed through), 2 one some rule reads.
        var passable = GrowingTable<UInt8>()
        /// Hierarchy numbers that are not plain whole numbers, numbered as met (``HierarchyNumber``).
        var otherNumbers: [String: Int] = [:]
        /// A container's link numbers and occurrences being sorted (``linked(_:in:state:)``), kept for its storage.
        var sorting: [(number: Int, occurrence: Int32)] = []
        /// The timestamp fields of the segment being bound (``bind(_:at:base:state:)``), kept for its storage.
        var parts: [TimestampParts] = []
        /// The hierarchy laid out for the program's shared link (``prepareHierarchy(_:)``): 0 not yet, 1 laid out,
        /// -1 not one that can be (linked rules then explore it in full).
        var hierarchyLaidOut: Int8 = 0
        /// The occurrence holding every occurrence of the link's loop.
        var hierarchyContainer = -1
        /// Per occurrence, its own number (`parentOf`, HL01), -1 for one not of the link's loop.
        var ownNumbers = GrowingTable<Int32>()
        /// Per number, the first occurrence naming it as its parent (`childOf`, HL02), -1 for none; per occurrence,
        /// the next one naming the same parent, in document order.
        var firstLinked = GrowingTable<Int32>()
        var nextLinked = GrowingTable<Int32>()
        /// The levels read for the program's ``ReadProgram/levels`` (``readLevels(_:_:)``): 0 not yet, 1 read, -1 not
        /// ones that can be (rules then test their conditions).
        var levelsRead: Int8 = 0
        /// Per occurrence of the levels' loop, bit 63 set and a bit per rule of ``ReadProgram/Levels/rules`` that
        /// selects it; 0 for occurrences of other loops.
        var levelMasks = GrowingTable<UInt64>()
    }

    /// Empties `state` for reading this transaction, keeping its storage.
    func start(_ state: inout State) {
        let count = self.tree.nodes.count
        state.tape.reset(segments: self.tables.segmentCount)
        state.linkIndex.removeAll()
        state.linkNumbers.removeAll()
        state.linkOccurrences.removeAll()
        state.found.removeAll()
        state.visited.reset(to: false, count: count)
        state.claimed.removeAll()
        state.exhausted.removeAll()
        state.entered.reset(to: 0, count: count)
        state.explorations = 0
        state.passable.reset(to: 0, count: count)
        state.otherNumbers.removeAll(keepingCapacity: true)
        state.hierarchyLaidOut = 0
        state.levelsRead = 0
    }

    /// A run of a link index being explored: the next entry, the run's end, and the occurrence the run hangs
    /// below when it is a passed-through level (-1 otherwise).
    struct Frame {
        var next: Int
        var end: Int
        var through: Int
    }

    /// A linked loop rule (its index in the program), a container and a number.
    struct ExhaustedKey: Hashable {
        var rule: Int
        var container: Int
        var number: Int
    }

    /// A loop's occurrences in a container, indexed by the element (or component, -1 for none) naming the parent.
    struct HierarchyKey: Hashable {
        var loop: Int32
        var container: Int
        var element: Int32
        var component: Int32
    }

    init(
        program: ReadProgram,
        transaction: Transaction,
        tables: TransactionTables,
        tree: TransactionTree,
        loopNumbers: [Int32],
        vocabulary: MilestoneVocabulary
    ) {
        self.program = program
        self.transaction = transaction
        self.tables = tables
        self.tree = tree
        self.loopNumbers = loopNumbers
        self.vocabulary = vocabulary
    }

    /// The business key: the string at its path once everything is read (``ReadProgram/businessKey``).
    func businessKey(_ state: borrowing State) -> String? {
        guard let path = self.program.businessKey else { return nil }
        if self.program.businessKeyIsPlain { return state.tape.lastString(at: path, steps: self.program.steps) }
        _ = state.tape.replay(into: state.record, steps: self.program.steps)
        let steps = self.program.steps[Int(path.lowerBound)..<Int(path.upperBound)]
        return state.record.find(ArraySlice(steps), from: EventRecord.root).flatMap { state.record.string($0) }
    }

    /// Applies the transaction's own rules to the tree's root.
    func readTransaction(state: inout State) throws(MappingError) {
        try self.read(scope: 0, self.program.rootEnd, node: 0, base: 0, state: &state)
    }

    /// Applies the rules `entries[start..<end]` (one scope) to occurrence `node`, writing fields under the tape's
    /// instance `base`.
    func read(scope start: Int32, _ end: Int32, node: Int, base: Int32, state: inout State) throws(MappingError) {
        state.visited[node] = true
        let segmentStart = Int(self.tree.nodes[node].segmentStart)
        let segmentEnd = Int(self.tree.nodes[node].segmentEnd)
        for entry in self.program.entries[Int(start)..<Int(end)] {
            let index = Int(entry.index)
            if !entry.isLoop {
                let rule = self.program.segments[index]
                if rule.fill == .each {
                    for place in segmentStart..<segmentEnd {
                        let position = Int(self.tree.segments[place])
                        guard self.matches(position, index) else { continue }
                        let made = state.tape.count
                        let element = state.tape.element(
                            rule.arrayStart..<rule.arrayEnd,
                            site: rule.arraySite,
                            from: base,
                            kind: .null
                        )
                        try self.bind(index, at: position, base: element, state: &state)
                        // A segment that gave no value adds no element.
                        state.tape.dropIfEmpty(at: made)
                    }
                } else if let position = self.firstMatching(index, from: segmentStart, to: segmentEnd) {
                    try self.bind(index, at: position, base: base, state: &state)
                } else if rule.firstRequired >= 0 {
                    let required = self.program.segmentRules[index].bindings[Int(rule.firstRequired)]
                    throw MappingErrors.missingValue(
                        map: self.program.source,
                        line: required.line,
                        field: self.fieldName(required, base: base, state: state),
                        reference: required.referenceText,
                        at: self.transaction.header.location
                    )
                }
            } else {
                let rule = self.program.loops[index]
                // The occurrences are `state.found[occurrences]`; reading them adds and removes only above it.
                let occurrences = self.occurrences(index, within: node, state: &state)
                defer { state.found.removeLast(occurrences.count) }
                switch rule.fill {
                case .all, .each:
                    for place in occurrences {
                        // `all`: every occurrence into the same fields; `each`: an element per occurrence, made
                        // (an empty object) first, so an occurrence with no values still makes its element.
                        var target = base
                        if rule.fill == .each {
                            target = state.tape.element(
                                rule.arrayStart..<rule.arrayEnd,
                                site: rule.arraySite,
                                from: base,
                                kind: .object
                            )
                        }
                        try self.read(
                            scope: rule.scopeStart,
                            rule.scopeEnd,
                            node: Int(state.found[place]),
                            base: target,
                            state: &state
                        )
                    }
                case .first:
                    if let first = occurrences.first {
                        let occurrence = Int(state.found[first])
                        try self.read(
                            scope: rule.scopeStart,
                            rule.scopeEnd,
                            node: occurrence,
                            base: base,
                            state: &state
                        )
                    }
                }
            }
        }
    }

    /// The first of the segments `tree.segments[start..<end]` that segment rule `rule` reads.
    private func firstMatching(_ rule: Int, from start: Int, to end: Int) -> Int? {
        for place in start..<end {
            let position = Int(self.tree.segments[place])
            if self.matches(position, rule) { return position }
        }
        return nil
    }

    /// Whether the segment at `position` has segment rule `rule`'s tag and meets its conditions.
    private func matches(_ position: Int, _ rule: Int) -> Bool {
        let entry = self.program.segments[rule]
        let tagged =
            entry.packed && !self.tree.needsViews[position - 1]
            ? self.tree.tags[position - 1] == entry.tag
            : self.transaction.segment(at: position)?.hasTag(self.program.segmentRules[rule].tag) ?? false
        return tagged && self.meets(position, Int(entry.conditionStart)..<Int(entry.conditionEnd))
    }

    /// Whether the segment at `position` holds the value of every condition of `conditions` (indices into the
    /// program's conditions), read from the tables (``meets(_:_:)`` through the segment's views where the tables
    /// cannot say).
    private func meets(_ position: Int, _ conditions: Range<Int>) -> Bool {
        for index in conditions {
            let condition = self.program.conditions[index]
            let met: Bool
            switch self.plainRange(at: position, element: Int(condition.element), component: Int(condition.component))
            {
            case .views:
                guard let segment = self.transaction.segment(at: position) else { return false }
                met = Self.meets(segment, [self.program.conditionRules[index]])
            case .absent:
                // `*` and a code need a value; `!CODE` holds for an absent one.
                met = condition.test == .differs
            case .bytes(let start, let end):
                switch condition.test {
                case .present: met = true
                case .equals:
                    // As `Element.hasValue` compares: the bytes as read against the code's UTF-8.
                    met = self.equals(start, end, condition)
                case .differs:
                    // Decoded text against the code; for an ASCII code, the same as comparing bytes.
                    met =
                        condition.asciiCode
                        ? !self.equals(start, end, condition)
                        : self.tables.text(start, end) != String(self.program.conditionRules[index].value.dropFirst())
                }
            }
            if !met { return false }
        }
        return true
    }

    /// Whether `tables.bytes[start..<end]` are the bytes of `condition`'s code.
    private func equals(_ start: Int, _ end: Int, _ condition: ReadProgram.Condition) -> Bool {
        guard end - start == Int(condition.codeEnd - condition.codeStart) else { return false }
        var code = Int(condition.codeStart)
        for index in start..<end {
            guard self.tables.bytes[index] == self.program.codes[code] else { return false }
            code += 1
        }
        return true
    }
    /// The field `binding` names under `base`, as an error names it (`orders[0].packs[1].items[0].quantity.value`).
    private func fieldName(_ binding: Binding, base: Int32, state: borrowing State) -> String {
        // Rare (an error): the tree is replayed into a record of its own to name the instance's path.
        let record = EventRecord()
        let nodes = state.tape.replay(into: record, steps: self.program.steps)
        let prefix = record.path(of: nodes[Int(base)], names: self.program.keyBytes)
        let path = binding.path.description
        return prefix.isEmpty ? path : path.isEmpty ? prefix : prefix + "." + path
    }

    /// The occurrences of loop rule `rule`'s loop that it selects from occurrence `node`, added to the end of
    /// `state.found` (their range there is returned): its nested occurrences, or with `linked`, the occurrences
    /// (nested or sibling) whose link names this one, through the levels no loop rule of the map selects (and with
    /// `deep`, through the ones `rule` selects).
    private func occurrences(_ rule: Int, within node: Int, state: inout State) -> Range<Int> {
        let entry = self.program.loops[rule]
        let start = state.found.count
        guard entry.linked else {
            let nodeEntry = self.tree.nodes[node]
            for place in Int(nodeEntry.childStart)..<Int(nodeEntry.childEnd) {
                let child = self.tree.children[place]
                if self.selects(rule, Int(child), state: &state) { state.found.append(child) }
            }
            return start..<state.found.count
        }
        if !entry.deep, self.linkedDirectly(rule, node, state: &state) {
            return self.claim(rule, from: start, state: &state)
        }
        guard let parentID = self.number(of: node, entry, state: &state) else { return start..<start }
        // Siblings first, then nested occurrences, each in document order, a passed-through level's children in its
        // place; every container's occurrences are indexed by link once, so a flat hierarchy of n HLs costs O(n).
        // Occurrences entered by this exploration carry its stamp.
        state.explorations &+= 1
        let stamp = state.explorations
        state.entered[node] = stamp
        let parent = Int(self.tree.nodes[node].parent)
        // The enclosing occurrence (siblings), then this one (nested occurrences).
        for step in 0..<2 {
            let container = step == 0 ? parent : node
            // An occurrence with nothing nested in it (an 856's HL, whose levels are siblings) has nothing to find:
            // skipped before it costs an index and an exploration record.
            if container < 0 || self.tree.nodes[container].childStart == self.tree.nodes[container].childEnd {
                continue
            }
            let exhaustedKey = ExhaustedKey(rule: rule, container: container, number: parentID)
            if state.exhausted[exhaustedKey] != nil { continue }
            // Whether the exploration met the occurrence it is made for: then another occurrence's would differ.
            var metItself = false
            let index = self.linked(entry, in: container, state: &state)
            // Each frame is a run of the index, the occurrences linked to `through` (-1: to `node`); a passed-through
            // level counts as read once something below it is selected (an 856 with S-P-I has no order level: its P
            // and I are not passed off as read). Each number is expanded once and each frame marked once, so
            // duplicate numbers or a long chain of passed-through levels cost what the hierarchy holds, not its
            // square.
            var expanded: Set<Int> = []
            let first = self.run(of: parentID, in: index, state)
            state.pending.removeAll()
            state.pending.append(Frame(next: first.lowerBound, end: first.upperBound, through: -1))
            var marked = 0
            while let frame = state.pending.last {
                guard frame.next < frame.end else {
                    state.pending.removeLast(1)
                    marked = min(marked, state.pending.count)
                    continue
                }
                state.pending[state.pending.count - 1].next += 1
                let candidate = Int(state.linkOccurrences[frame.next])
                // A hierarchy whose numbers loop back on themselves is read once around.
                guard state.entered[candidate] != stamp else {
                    if candidate == node { metItself = true }
                    continue
                }
                state.entered[candidate] = stamp
                let selected = self.selects(rule, candidate, state: &state)
                if selected {
                    state.found.append(Int32(candidate))
                    while marked < state.pending.count {
                        let through = state.pending[marked].through
                        if through >= 0 { state.visited[through] = true }
                        marked += 1
                    }
                } else if !self.isPassable(candidate, state: &state) {
                    // Another rule reads its kind of level, in this scope or elsewhere in the map (an order or pack
                    // where this scope has none): not passed through, so never lost in silence.
                    continue
                }
                if !selected || entry.deep, let number = self.number(of: candidate, entry, state: &state),
                    number != parentID, expanded.insert(number).inserted
                {
                    let below = self.run(of: number, in: index, state)
                    if !below.isEmpty {
                        state.pending.append(
                            Frame(next: below.lowerBound, end: below.upperBound, through: selected ? -1 : candidate)
                        )
                    }
                }
            }
            if !metItself { state.exhausted.add(exhaustedKey, true) }
        }
        return self.claim(rule, from: start, state: &state)
    }

    /// Keeps the occurrences `state.found[start...]` that linked loop rule `rule` has not read yet, in order, and
    /// marks them read by it: each occurrence is read once per rule.
    private func claim(_ rule: Int, from start: Int, state: inout State) -> Range<Int> {
        let count = self.tree.nodes.count
        if state.claimed.count == 0 {
            state.claimed.append(repeating: 0, count: (self.program.loops.count * count + 63) / 64)
        }
        var kept = start
        for place in start..<state.found.count {
            let occurrence = Int(state.found[place])
            let bit = rule * count + occurrence
            let mask: UInt64 = 1 << UInt64(bit & 63)
            guard state.claimed[bit >> 6] & mask == 0 else { continue }
            state.claimed[bit >> 6] |= mask
            state.found[kept] = Int32(occurrence)
            kept += 1
        }
        state.found.removeLast(state.found.count - kept)
        return start..<kept
    }

    /// Finds linked loop rule `rule`'s occurrences under occurrence `node` from the hierarchy laid out once per
    /// transaction, adding them to `state.found`, where that finds what the exploration in
    /// ``occurrences(_:within:state:)`` would: the rule is not `deep`, the hierarchy is laid out
    /// (``prepareHierarchy(_:)``), `node` is one of its occurrences, and no occurrence naming `node` as its parent is
    /// a level to pass through. The exploration then reads the one run of occurrences naming `node`'s number, in
    /// document order, keeping those the rule selects. Returns false, having added nothing, where it cannot say.
    private func linkedDirectly(_ rule: Int, _ node: Int, state: inout State) -> Bool {
        if state.hierarchyLaidOut == 0 { self.prepareHierarchy(&state) }
        guard state.hierarchyLaidOut > 0, self.tree.nodes[node].parent == state.hierarchyContainer else { return false }
        let number = state.ownNumbers[node]
        guard number >= 0 else { return false }
        let start = state.found.count
        var candidate = state.firstLinked[Int(number)]
        while candidate >= 0 {
            let occurrence = Int(candidate)
            // The occurrence itself, should it name its own number, is not its own child.
            if occurrence != node {
                if self.selects(rule, occurrence, state: &state) {
                    state.found.append(candidate)
                } else if self.isPassable(occurrence, state: &state) {
                    state.found.removeLast(state.found.count - start)
                    return false
                }
            }
            candidate = state.nextLinked[occurrence]
        }
        return true
    }

    /// Lays out the hierarchy of the program's shared link (``ReadProgram/sharedLink``) once per transaction: each
    /// occurrence's own number, and per number the occurrences naming it as their parent, in document order. It can
    /// where every occurrence of the link's loop sits in one container (an 856's HLs, siblings in the transaction)
    /// and is numbered by a plain whole number (`1`, not `01`) read from the tables, below a bound the transaction's
    /// size sets. A parent reference that is no such number names no occurrence, as in the exploration, where it is
    /// numbered below zero.
    private func prepareHierarchy(_ state: inout State) {
        state.hierarchyLaidOut = -1
        guard let link = self.program.sharedLink else { return }
        let count = self.tree.nodes.count
        let bound = 2 * count + 64
        state.ownNumbers.reset(to: -1, count: count)
        state.nextLinked.reset(to: -1, count: count)
        state.firstLinked.reset(to: -1, count: bound)
        var container = -1
        for node in 0..<count where self.loopNumbers[Int(self.tree.nodes[node].loop)] == link.loopNumber {
            let parent = Int(self.tree.nodes[node].parent)
            if container < 0 { container = parent }
            guard parent >= 0, parent == container, let trigger = self.tree.trigger(of: node),
                case .bytes(let start, let end) = self.plainRange(
                    at: trigger,
                    element: Int(link.parentOfElement),
                    component: Int(link.parentOfComponent)
                ),
                let number = Self.wholeNumber(UnsafeRawBufferPointer(rebasing: self.tables.bytes[start..<end])),
                number < bound
            else { return }
            state.ownNumbers[node] = Int32(number)
        }
        guard container >= 0 else { return }
        // Linked from the last occurrence back, so each number's occurrences run in document order.
        for node in stride(from: count - 1, through: 0, by: -1) where state.ownNumbers[node] >= 0 {
            let trigger = self.tree.trigger(of: node) ?? 0
            switch self.plainRange(
                at: trigger,
                element: Int(link.childOfElement),
                component: Int(link.childOfComponent)
            ) {
            case .absent: continue
            case .views: return
            case .bytes(let start, let end):
                guard let number = Self.wholeNumber(UnsafeRawBufferPointer(rebasing: self.tables.bytes[start..<end])),
                    number < bound
                else { continue }
                state.nextLinked[node] = state.firstLinked[number]
                state.firstLinked[number] = Int32(node)
            }
        }
        state.hierarchyContainer = container
        state.hierarchyLaidOut = 1
    }

    /// The occurrences of linked loop rule `entry`'s loop directly in `container`, by the number their `childOf`
    /// element names: the range of `state.linkNumbers` and `state.linkOccurrences` holding them, sorted by number
    /// and then document order, so the occurrences linked to a number are one run.
    private func linked(_ entry: ReadProgram.LoopEntry, in container: Int, state: inout State) -> Range<Int> {
        let key = HierarchyKey(
            loop: entry.loopNumber,
            container: container,
            element: entry.childOfElement,
            component: entry.childOfComponent
        )
        if let index = state.linkIndex[key] { return index }
        let start = state.linkNumbers.count
        let containerEntry = self.tree.nodes[container]
        for place in Int(containerEntry.childStart)..<Int(containerEntry.childEnd) {
            let candidate = Int(self.tree.children[place])
            guard self.loopNumbers[Int(self.tree.nodes[candidate].loop)] == entry.loopNumber,
                let trigger = self.tree.trigger(of: candidate),
                let childOf = self.hierarchyNumber(
                    at: trigger,
                    Int(entry.childOfElement),
                    Int(entry.childOfComponent),
                    state: &state
                )
            else { continue }
            state.linkNumbers.append(childOf)
            state.linkOccurrences.append(Int32(candidate))
        }
        let end = state.linkNumbers.count
        // Occurrences are met in document order: unless the numbers are already in order (the usual hierarchy,
        // numbered as written), sort by number and then occurrence, which keeps that order in each run.
        var sorted = true
        for place in start..<max(start, end - 1) where state.linkNumbers[place] > state.linkNumbers[place + 1] {
            sorted = false
            break
        }
        if !sorted {
            state.sorting.removeAll(keepingCapacity: true)
            for place in start..<end {
                state.sorting.append((number: state.linkNumbers[place], occurrence: state.linkOccurrences[place]))
            }
            state.sorting.sort { $0.number < $1.number || ($0.number == $1.number && $0.occurrence < $1.occurrence) }
            for offset in state.sorting.indices {
                state.linkNumbers[start + offset] = state.sorting[offset].number
                state.linkOccurrences[start + offset] = state.sorting[offset].occurrence
            }
        }
        state.linkIndex.add(key, start..<end)
        return start..<end
    }

    /// The entries of `index` (a range of the state's link tables) whose number is `number`.
    private func run(of number: Int, in index: Range<Int>, _ state: borrowing State) -> Range<Int> {
        var low = index.lowerBound
        var high = index.upperBound
        while low < high {
            let middle = (low + high) / 2
            if state.linkNumbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < index.upperBound && state.linkNumbers[end] == number { end += 1 }
        return low..<end
    }

    /// The hierarchy number (`parentOf`, HL01) of occurrence `node`, as linked loop rule `entry` reads it.
    private func number(of node: Int, _ entry: ReadProgram.LoopEntry, state: inout State) -> Int? {
        guard let first = self.tree.trigger(of: node) else { return nil }
        return self.hierarchyNumber(
            at: first,
            Int(entry.parentOfElement),
            Int(entry.parentOfComponent),
            state: &state
        )
    }

    /// The value of an element (or component, -1 for none) naming a hierarchy level, as a number that is equal for
    /// equal texts: a plain whole number (digits, no leading zero, at most 18) is its own value, any other text is
    /// numbered below zero as first met. `nil` when absent or empty, as ``text(at:_:_:)`` reads it.
    private func hierarchyNumber(at position: Int, _ element: Int, _ component: Int, state: inout State) -> Int? {
        let text: String
        switch self.plainRange(at: position, element: element, component: component) {
        case .absent: return nil
        case .bytes(let start, let end):
            if let number = Self.wholeNumber(UnsafeRawBufferPointer(rebasing: self.tables.bytes[start..<end])) {
                return number
            }
            text = self.tables.text(start, end)
        case .views:
            guard let found = self.text(at: position, element, component) else { return nil }
            if let number = Self.wholeNumber(found.utf8) { return number }
            text = found
        }
        if let number = state.otherNumbers[text] { return number }
        let number = -1 - state.otherNumbers.count
        state.otherNumbers[text] = number
        return number
    }

    /// `digits` as a whole number when they are one to 18 ASCII digits without a leading zero (or `0` itself).
    private static func wholeNumber<Digits: Collection<UInt8>>(_ digits: Digits) -> Int? {
        guard !digits.isEmpty, digits.count <= 18, digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// Whether `occurrence` is a level no rule of the map reads anywhere (an 856's tare or subpack level), which a
    /// linked rule may pass through to the levels below it; found once per occurrence.
    private func isPassable(_ occurrence: Int, state: inout State) -> Bool {
        if state.passable[occurrence] == 0 {
            var passable = true
            for rule in self.program.loops.indices where self.selects(rule, occurrence, state: &state) {
                passable = false
                break
            }
            state.passable[occurrence] = passable ? 1 : 2
        }
        return state.passable[occurrence] == 1
    }

    /// Every occurrence of a hierarchy loop (one a `linked` rule reads) has been read or passed through; one that
    /// has not would lose its values (an 856 level the map does not know, a CPS without its parent).
    func checkHierarchyRead(_ state: borrowing State) throws(MappingError) {
        let loops = self.program.hierarchyLoops
        guard !loops.isEmpty else { return }
        for (node, occurrence) in self.tree.nodes.enumerated()
        where !state.visited[node] && loops.contains(self.loopNumbers[Int(occurrence.loop)]) {
            let trigger = self.tree.trigger(of: node)
            throw MappingErrors.unreadLevel(
                map: self.program.source,
                loop: self.program.loopNames[Int(self.loopNumbers[Int(occurrence.loop)])],
                position: trigger ?? 0,
                at: trigger.flatMap { self.transaction.segment(at: $0) }?.location
            )
        }
    }

    /// ``selects(_:_:)``, answered from the levels read once per transaction where they were (``readLevels(_:_:)``).
    @inline(__always)
    private func selects(_ rule: Int, _ occurrence: Int, state: inout State) -> Bool {
        if let levels = self.program.levels {
            if state.levelsRead == 0 { self.readLevels(levels, &state) }
            let bit = levels.bits[rule]
            let mask = state.levelsRead > 0 && bit >= 0 ? state.levelMasks[occurrence] : 0
            if mask != 0 { return mask & (1 << UInt64(bit)) != 0 }
        }
        return self.selects(rule, occurrence)
    }

    /// Reads the code each occurrence of `levels`' loop holds and marks the rules it selects, as ``selects(_:_:)``
    /// would find: the code in the one segment of the occurrence with the levels' tag, compared as bytes (every
    /// rule's code is ASCII). Where an occurrence has two such segments, a segment read through its views or a code
    /// that is not plain in the tables, nothing is marked and rules test their conditions.
    private func readLevels(_ levels: ReadProgram.Levels, _ state: inout State) {
        state.levelsRead = -1
        let count = self.tree.nodes.count
        state.levelMasks.reset(to: 0, count: count)
        for node in 0..<count where self.loopNumbers[Int(self.tree.nodes[node].loop)] == levels.loop {
            let entry = self.tree.nodes[node]
            var position = -1
            for place in Int(entry.segmentStart)..<Int(entry.segmentEnd) {
                let candidate = Int(self.tree.segments[place])
                if self.tree.needsViews[candidate - 1] { return }
                guard self.tree.tags[candidate - 1] == levels.tag else { continue }
                if position >= 0 { return }
                position = candidate
            }
            var mask: UInt64 = 1 << 63
            if position >= 0 {
                switch self.plainRange(at: position, element: Int(levels.element), component: Int(levels.component)) {
                case .views: return
                case .absent: break
                case .bytes(let start, let end):
                    for (bit, rule) in levels.rules.enumerated() {
                        let condition = self.program.conditions[Int(self.program.loops[Int(rule)].conditionStart)]
                        if self.equals(start, end, condition) { mask |= 1 << UInt64(bit) }
                    }
                }
            }
            state.levelMasks[node] = mask
        }
        state.levelsRead = 1
    }

    /// Whether `occurrence` is of loop rule `rule`'s loop and holds a segment meeting each of the rule's conditions.
    private func selects(_ rule: Int, _ occurrence: Int) -> Bool {
        let entry = self.program.loops[rule]
        guard self.loopNumbers[Int(self.tree.nodes[occurrence].loop)] == entry.loopNumber else { return false }
        let node = self.tree.nodes[occurrence]
        for index in Int(entry.conditionStart)..<Int(entry.conditionEnd) {
            let condition = self.program.conditions[index]
            var met = false
            for place in Int(node.segmentStart)..<Int(node.segmentEnd) {
                let position = Int(self.tree.segments[place])
                let tagged =
                    condition.packed && !self.tree.needsViews[position - 1]
                    ? self.tree.tags[position - 1] == condition.tag
                    : self.transaction.segment(at: position)?.hasTag(self.program.conditionTagNames[index]) ?? false
                if tagged && self.meets(position, index..<(index + 1)) {
                    met = true
                    break
                }
            }
            if !met { return false }
        }
        return true
    }

    /// Whether `segment` holds every condition's value (`!CODE`: anything but that code; `*`: any value).
    static func meets(_ segment: Segment, _ conditions: [ElementCondition]) -> Bool {
        conditions.allSatisfy { condition in
            if condition.value == "*" { return Self.text(segment, condition.reference) != nil }
            if condition.value.hasPrefix("!") {
                return Self.text(segment, condition.reference) != String(condition.value.dropFirst())
            }
            return Self.holds(segment, condition.reference, condition.value)
        }
    }

    /// Whether the element or component holds exactly `value` (not empty), compared as bytes.
    static func holds(_ segment: Segment, _ reference: ElementReference, _ value: String) -> Bool {
        guard !value.isEmpty, let element = segment[reference.element] else { return false }
        guard let component = reference.component else { return element.hasValue(value) }
        return element.component(component)?.hasValue(value) ?? false
    }

    /// The text of an element or component, `nil` when absent or empty.
    static func text(_ segment: Segment, _ reference: ElementReference) -> String? {
        guard let element = segment[reference.element] else { return nil }
        let text =
            reference.component.flatMap { element.component($0)?.text }
            ?? (reference.component == nil ? element.text : nil)
        return text?.isEmpty == false ? text : nil
    }

    /// ``text(_:_:)`` of the segment at `position`, from the tables where they can say.
    func text(at position: Int, _ reference: ElementReference) -> String? {
        self.text(at: position, reference.element, reference.component ?? -1)
    }

    /// ``text(at:_:)`` of element `element`, component `component` (-1 for the whole element).
    func text(at position: Int, _ element: Int, _ component: Int) -> String? {
        switch self.plainRange(at: position, element: element, component: component) {
        case .bytes(let start, let end): return self.tables.text(start, end)
        case .absent: return nil
        case .views:
            let reference = ElementReference(element: element, component: component < 0 ? nil : component)
            return self.transaction.segment(at: position).flatMap { Self.text($0, reference) }
        }
    }

    /// What ``plainRange(at:element:component:)`` finds.
    enum PlainRange {
        /// The value's bytes, `tables.bytes[start..<end]` (never empty).
        case bytes(Int, Int)
        /// No such element or component, or an empty one.
        case absent
        /// The segment must be read through its views (release characters, line breaks, fixed or binary
        /// elements), or the element is composite where the map names no component (an error the views describe).
        case views
    }

    /// Where the value of element `element` (component `component`, or -1 for the whole element) of the segment at
    /// `position` lies in the tables, found as ``value(of:_:)`` finds it through the views: a component is taken
    /// from the element's first repetition.
    func plainRange(at position: Int, element: Int, component: Int) -> PlainRange {
        let segment = self.tables.segment(position)
        if segment.needsViews { return .views }
        return Self.plainRange(in: segment, element: element, component: component, self.tables)
    }

    /// ``plainRange(at:element:component:)`` in `segment`, one that does not need views.
    @inline(__always)
    static func plainRange(
        in segment: TableSegment,
        element: Int,
        component: Int,
        _ tables: TransactionTables
    ) -> PlainRange {
        guard element >= 1 && element <= segment.elementCount else { return .absent }
        let (start, end) = segment.bounds(element)
        if segment.isPlain {
            // No separator inside: the element is its one value, its first component.
            return start == end || component > 1 ? .absent : .bytes(start, end)
        }
        let bytes = tables.bytes
        let separator = tables.delimiters.component
        let repetition = tables.delimiters.repetition
        if component < 0 {
            // The whole element: composite when its first repetition holds a component separator.
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte == separator { return .views }
                if byte == repetition { break }
                index += 1
            }
            return start == end ? .absent : .bytes(start, end)
        }
        var first = end
        if let repetition {
            var index = start
            while index < end && bytes[index] != repetition { index += 1 }
            first = index
        }
        // Component `component` of bytes[start..<first].
        var partStart = start
        var count = 1
        var index = start
        while count < component {
            while index < first && bytes[index] != separator { index += 1 }
            guard index < first else { return .absent }
            index += 1
            partStart = index
            count += 1
        }
        var partEnd = partStart
        while partEnd < first && bytes[partEnd] != separator { partEnd += 1 }
        return partEnd > partStart ? .bytes(partStart, partEnd) : .absent
    }

    /// The text of `element`, or of its component `component`, with its byte range in the input; `nil` when
    /// absent or empty, as ``text(_:_:)`` reads it.
    static func value(of element: Element, _ component: Int?) -> (text: String, start: Int, end: Int)? {
        if let component {
            guard let part = element.component(component) else { return nil }
            let text = part.text
            return text.isEmpty ? nil : (text, part.byteOffset, part.byteOffset + part.byteCount)
        }
        let text = element.text
        return text.isEmpty ? nil : (text, element.byteOffset, element.byteOffset + element.byteCount)
    }

    /// The element or component's location, for a message.
    static func location(_ segment: Segment, _ reference: ElementReference) -> Location? {
        guard let element = segment[reference.element] else { return nil }
        guard let component = reference.component else { return element.location }
        return element.component(component)?.location
    }

    /// Binds the segment at `position`'s elements under the tape's instance `base`; timestamp parts of one field are
    /// joined. Values come from the tables; the segment's views are made only for what the tables leave to them and
    /// for errors. A rule reading only text and decimals (``ReadProgram/SegmentEntry/plain``) from a segment the
    /// tables hold plainly runs over the segment's element bounds in one loop; anything else a binding needs (its
    /// element composite, a required value missing, a decimal that is not one) takes ``bind(_:_:at:base:state:)``.
    private func bind(_ rule: Int, at place: Int, base: Int32, state: inout State) throws(MappingError) {
        let entry = self.program.segments[rule]
        let segment = self.tables.segment(place)
        if entry.plain && !segment.needsViews {
            for index in Int(entry.bindingStart)..<Int(entry.bindingEnd) {
                let plan = self.program.bindings[index]
                guard plan.kind != .skip else { continue }
                guard
                    case .bytes(let start, let end) = Self.plainRange(
                        in: segment,
                        element: plan.element,
                        component: plan.component,
                        self.tables
                    )
                else {
                    try self.bind(rule, index, at: place, base: base, state: &state)
                    continue
                }
                if !self.bindBytes(
                    plan,
                    index,
                    at: place,
                    start,
                    end,
                    ascii: segment.isPlain,
                    base: base,
                    state: &state
                ) {
                    try self.bind(rule, index, at: place, base: base, state: &state)
                }
            }
            return
        }
        // Timestamp fields being joined (`state.parts`), by their binding's field number, with their pending
        // provenance entry.
        if !state.parts.isEmpty { state.parts.removeAll(keepingCapacity: true) }
        for index in Int(entry.bindingStart)..<Int(entry.bindingEnd) {
            try self.bind(rule, index, at: place, base: base, state: &state)
        }
        for index in state.parts.indices {
            let part = state.parts[index]
            // A timestamp read as one text, or joined from its date, time and zone straight into the tape, making no
            // string; nothing is recorded for an invalid one.
            state.tape.value(
                part.steps,
                site: part.site,
                from: base,
                kind: .string,
                provenance: nil,
                pending: part.provenance
            ) { output in
                if let text = part.text {
                    output.appendUTF8(of: text)
                    return true
                }
                guard let date = part.date else { return false }
                let zone = part.time == nil ? nil : part.zone
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 25) { text in
                    let count = Timestamp.write(date: date, time: part.time, utcOffsetMinutes: zone, into: text)
                    guard count > 0 else { return false }
                    output.append(UnsafeBufferPointer(rebasing: text[..<count]))
                    return true
                }
            }
        }
    }

    /// Writes text or decimal binding `index` (`plan`) from the bytes `tables.bytes[start..<end]` of the segment at
    /// `place` onto the tape: text as read, its bytes copied, and a decimal's number text written from its bytes, no
    /// string made for either. Returns false, writing nothing, for a decimal that is not a number and for text with a
    /// byte above 0x7F (`ascii`: the segment is known to have none), which the caller reads otherwise.
    @inline(__always)
    private func bindBytes(
        _ plan: ReadBinding,
        _ index: Int,
        at place: Int,
        _ start: Int,
        _ end: Int,
        ascii: Bool,
        base: Int32,
        state: inout State
    ) -> Bool {
        let bytes = UnsafeRawBufferPointer(rebasing: self.tables.bytes[start..<end])
        let offset = self.tables.baseOffset
        let provenance = EventRecord.Provenance(
            node: -1,
            segment: Int32(place),
            reference: Int32(index),
            byteStart: offset + start,
            byteEnd: offset + end
        )
        let steps = plan.stepsStart..<plan.stepsEnd
        if plan.kind == .decimal {
            return state.tape.value(steps, site: plan.site, from: base, kind: .number, provenance: provenance) {
                ValueText.decimal(bytes, implied: plan.implied, into: &$0)
            }
        }
        guard ascii || bytes.allSatisfy({ $0 < 0x80 }) else { return false }
        state.tape.value(steps, site: plan.site, from: base, kind: .string, provenance: provenance) {
            $0.append(bytes)
            return true
        }
        return true
    }

    /// Binds binding `index` (of the program's bindings) of segment rule `rule` to the segment at `place`: a timestamp's
    /// part into `state.parts`, anything else onto the tape; an error for a value that is missing or invalid.
    private func bind(_ rule: Int, _ index: Int, at place: Int, base: Int32, state: inout State) throws(MappingError) {
        let position = Int32(place)
        let plan = self.program.bindings[index]
        let steps = plan.stepsStart..<plan.stepsEnd
        switch plan.kind {
        case .skip: return
        case .fixed:
            if case .fixed(let value) = self.written(rule, index).type {
                state.tape.value(steps, site: plan.site, from: base, kind: .string, provenance: nil) {
                    $0.appendUTF8(of: value)
                    return true
                }
            }
            return
        default: break
        }
        let component = plan.component >= 0 ? plan.component : nil
        var fast: (text: String, start: Int, end: Int)?
        switch self.plainRange(at: place, element: plan.element, component: plan.component) {
        case .bytes(let start, let end):
            let offset = self.tables.baseOffset
            if plan.kind == .text || plan.kind == .decimal {
                if self.bindBytes(plan, index, at: place, start, end, ascii: false, base: base, state: &state) {
                    return
                }
                // Text that is not ASCII, decoded from the transaction's character set. A decimal that is not a
                // number is named below.
                if plan.kind == .text {
                    let text = self.tables.text(start, end)
                    let provenance = EventRecord.Provenance(
                        node: -1,
                        segment: position,
                        reference: Int32(index),
                        byteStart: offset + start,
                        byteEnd: offset + end
                    )
                    state.tape.value(steps, site: plan.site, from: base, kind: .string, provenance: provenance) {
                        $0.appendUTF8(of: text)
                        return true
                    }
                    return
                }
            }
            fast = (self.tables.text(start, end), offset + start, offset + end)
        case .absent:
            if plan.required { break }
            return
        case .views: break
        }
        let element = fast == nil ? self.transaction.segment(at: place)?[plan.element] : nil
        if fast == nil, component == nil, let element, element.isComposite {
            let binding = self.written(rule, index)
            throw MappingErrors.invalidValue(
                map: self.program.source,
                line: binding.line,
                field: self.fieldName(binding, base: base, state: state),
                reference: binding.referenceText,
                expected: "a single value (the map names no component)",
                length: element.byteCount,
                at: element.location
            )
        }
        guard let read = fast ?? element.flatMap({ Self.value(of: $0, component) }) else {
            if plan.required {
                let binding = self.written(rule, index)
                throw MappingErrors.missingValue(
                    map: self.program.source,
                    line: binding.line,
                    field: self.fieldName(binding, base: base, state: state),
                    reference: binding.referenceText,
                    at: self.transaction.segment(at: place)?.location
                )
            }
            return
        }
        let text = read.text
        func invalid(_ expected: String) -> MappingError {
            let binding = self.written(rule, index)
            return MappingErrors.invalidValue(
                map: self.program.source,
                line: binding.line,
                field: self.fieldName(binding, base: base, state: state),
                reference: binding.referenceText,
                expected: expected,
                length: text.utf8.count,
                at: self.transaction.segment(at: place).flatMap { Self.location($0, binding.reference) }
            )
        }
        let entry = EventRecord.Provenance(
            node: -1,
            segment: position,
            reference: Int32(index),
            byteStart: read.start,
            byteEnd: read.end
        )
        var value: (EventRecord.Kind, String)?
        switch plan.kind {
        case .text: value = (.string, text)
        case .decimal:
            guard let number = ValueText.decimal(text, implied: plan.implied) else {
                throw invalid("a decimal number")
            }
            value = (.number, number)
        case .integer:
            guard let number = ValueText.integer(text) else { throw invalid("a whole number") }
            value = (.number, number)
        case .milestone:
            if case .milestone(let codeList) = self.written(rule, index).type {
                value = (.string, self.vocabulary.milestone(for: text, in: codeList))
            }
        case .codes:
            if case .codes(let table) = self.written(rule, index).type {
                // The map's own codes may be named in the message; the value read is not.
                guard
                    let entry = table.first(where: { $0.code == text }) ?? table.first(where: { $0.code == "*" })
                else { throw invalid("one of the codes " + table.map(\.code).joined(separator: ", ")) }
                value = (.string, entry.name)
            }
        case .date, .time, .timeZone, .dateTime:
            var part = state.parts.firstIndex { $0.field == plan.field } ?? -1
            if part < 0 {
                part = state.parts.count
                state.parts.append(TimestampParts(field: plan.field, steps: steps, site: plan.site))
            }
            // The first part read holds the field's place in the provenance (the date, usually).
            if state.parts[part].provenance < 0 {
                state.parts[part].provenance = state.tape.pending(entry)
            }
            switch plan.kind {
            case .date:
                guard let date = ValueText.date(text) else { throw invalid("a date (CCYYMMDD or YYMMDD)") }
                state.parts[part].date = date
            case .time:
                guard ValueText.time(text) != nil else { throw invalid("a time (HHMM or HHMMSS)") }
                state.parts[part].time = text
            case .timeZone:
                state.parts[part].zone = ValueText.utcOffset(
                    x12Code: text,
                    date: state.parts[part].date,
                    time: state.parts[part].time
                )
            case .dateTime:
                guard case .dateTime(let format) = self.written(rule, index).type else { break }
                let code = self.text(at: place, format) ?? "102"
                guard let timestamp = ValueText.edifactTimestamp(text, format: code) else {
                    // The format code is named only when it is one of those read; anything else is payload.
                    let known = ["102", "203", "204", "303", "304"].contains(code)
                    throw invalid(
                        known ? "a date/time in format \(code)" : "a date/time in format 102, 203, 204, 303 or 304"
                    )
                }
                state.parts[part].text = timestamp
            default: break
            }
        case .skip, .fixed: break
        }
        if let (kind, text) = value {
            state.tape.value(steps, site: plan.site, from: base, kind: kind, provenance: entry) {
                $0.appendUTF8(of: text)
                return true
            }
        }
    }

    /// Binding `index` of segment rule `rule` as written, for what is rare: an error's wording, a code table, a fixed
    /// value.
    private func written(_ rule: Int, _ index: Int) -> Binding {
        self.program.segmentRules[rule].bindings[index - Int(self.program.segments[rule].bindingStart)]
    }

    /// A timestamp field's parts read so far from one segment, and its pending provenance entry (-1: none yet).
    struct TimestampParts {
        /// The field's number (``ReadBinding/field``) and its path in the program's pool.
        var field: Int32
        var steps: Range<Int32>
        var site: Int32
        var date: String?
        var time: String?
        var zone: Int?
        var text: String?
        var provenance: Int32 = -1
    }
}
