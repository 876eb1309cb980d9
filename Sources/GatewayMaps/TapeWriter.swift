import GatewayEvents

/// A map's sites (``EventSites``) laid out beside the event type's ``WritePlan``, made once per ``Translator``: per
/// site its role, kind, parent and step as plain numbers, each kind's sites numbered from 0 (an instance's slots),
/// and for each object site the event type writes, the site each of the plan object's members is (-1 where the map
/// writes nothing). `nil` for a map whose sites conflict, whose events are written from the replayed tree.
final class TapeLayout: Sendable {
    let roles: [EventSites.Role]
    let kinds: [Int32]
    let parents: [Int32]
    let keys: [Int32]
    let indices: [Int32]
    let elementKinds: [Int32]
    /// Per site, its number within its kind: its slot in an instance of the kind.
    let locals: [Int32]
    /// Per kind, its own site, the appended array its instances are elements of, and how many sites it has.
    let kindSites: [Int32]
    let kindArrays: [Int32]
    let kindSizes: [Int32]
    /// Per indexed array site, its element sites in index order: `indexed[indexedStart[site]..<indexedEnd[site]]`.
    let indexedStart: [Int32]
    let indexedEnd: [Int32]
    let indexed: [Int32]
    /// Per object site the plan writes: `memberSites[memberStart[site]...]`, one per member of its plan object in
    /// the plan's order; `memberStart` -1 for a site the plan does not write as an object.
    let memberStart: [Int32]
    let memberSites: [Int32]

    init?(_ sites: EventSites, plan: WritePlan) {
        guard !sites.isConflicted else { return nil }
        let all = sites.sites
        self.roles = all.map(\.role)
        self.kinds = all.map(\.kind)
        self.parents = all.map(\.parent)
        self.keys = all.map(\.key)
        self.indices = all.map(\.index)
        self.elementKinds = all.map(\.elementKind)
        self.kindSites = sites.kindSites
        self.kindArrays = sites.kindArrays
        var sizes = [Int32](repeating: 0, count: sites.kindSites.count)
        var locals = [Int32](repeating: 0, count: all.count)
        for (site, entry) in all.enumerated() {
            locals[site] = sizes[Int(entry.kind)]
            sizes[Int(entry.kind)] += 1
        }
        self.locals = locals
        self.kindSizes = sizes
        var indexedStart = [Int32](repeating: 0, count: all.count)
        var indexedEnd = [Int32](repeating: 0, count: all.count)
        var indexed: [Int32] = []
        for site in all.indices where all[site].role == .indexed {
            indexedStart[site] = Int32(indexed.count)
            indexed += sites.indexedElements(of: Int32(site))
            indexedEnd[site] = Int32(indexed.count)
        }
        self.indexedStart = indexedStart
        self.indexedEnd = indexedEnd
        self.indexed = indexed
        var zipper = Zipper(sites: sites, plan: plan, memberStart: [Int32](repeating: -1, count: all.count))
        zipper.object(EventSites.root, 0)
        self.memberStart = zipper.memberStart
        self.memberSites = zipper.memberSites
    }

    /// Walks the plan and the sites together from the root.
    private struct Zipper {
        let sites: EventSites
        let plan: WritePlan
        var memberStart: [Int32]
        var memberSites: [Int32] = []

        mutating func object(_ site: Int32, _ object: Int32) {
            guard self.memberStart[Int(site)] < 0 else { return }
            let layout = self.plan.objects[Int(object)]
            let start = Int(layout.membersStart)
            let count = Int(layout.membersEnd) - start
            let base = self.memberSites.count
            self.memberStart[Int(site)] = Int32(base)
            self.memberSites += [Int32](repeating: -1, count: count)
            for key in 0..<self.plan.keyCount {
                let member = self.plan.slots[Int(object) * self.plan.keyCount + key]
                guard member >= 0 else { continue }
                self.memberSites[base + Int(member)] = self.sites.member(of: site, key: Int32(key))
            }
            for index in 0..<count where self.memberSites[base + index] >= 0 {
                self.kind(self.memberSites[base + index], self.plan.members[start + index].kind)
            }
        }

        mutating func kind(_ site: Int32, _ kind: WritePlan.Kind) {
            let entry = self.sites.sites[Int(site)]
            switch kind.tag {
            case .object where entry.role == .object: self.object(site, kind.argument)
            case .array:
                let element = self.plan.kinds[Int(kind.argument)]
                if entry.role == .appended, entry.elementKind >= 0 {
                    self.kind(self.sites.kindSites[Int(entry.elementKind)], element)
                } else if entry.role == .indexed {
                    for child in self.sites.indexedElements(of: site) { self.kind(child, element) }
                }
            default: break
            }
        }
    }
}

/// What writing an event from its tape fills, reused by the next event: the instances, their slots and the
/// provenance in order.
struct TapeScratch: ~Copyable {
    struct Instance {
        var kind: Int32
        /// The instance's first slot in `slots`.
        var slots: Int32
        /// The instance it is an element of and the array site there (-1 for the root), its position among the
        /// array's elements, and the next element.
        var parent: Int32
        var array: Int32
        var ordinal: Int32
        var next: Int32
    }

    struct Slot {
        /// A value site: the tape entry of its value. An appended array: its first element instance. -1 for none.
        var value: Int32
        /// An appended array's last element instance.
        var last: Int32
        /// The entry of `provenance` the site's value has, or -1.
        var provenance: Int32
        /// Whether a container site was made (something was written through it).
        var present: Bool
    }

    struct Provenance {
        /// The tape entry whose provenance is written.
        var entry: Int32
        /// The field, -1 while a timestamp's place is held with no field.
        var instance: Int32
        var site: Int32
    }

    var instances = GrowingTable<Instance>()
    var slots = GrowingTable<Slot>()
    var provenance = GrowingTable<Provenance>()
    /// Per tape instance, its instance here (-1 for a dropped element).
    var tapeInstances = GrowingTable<Int32>()
    /// Per pending entry of the tape, its place in `provenance`.
    var pendings = GrowingTable<Int32>()
    /// Per slot, the range of the output holding its field's path once written (start -1 before).
    var pathStarts = GrowingTable<Int32>()
    var pathEnds = GrowingTable<Int32>()

    var isLarge: Bool { self.slots.capacity > 1 << 18 || self.instances.capacity > 1 << 16 }
}

/// Writes an event's JSON from its tape (``EventTape``) by the event type's ``WritePlan`` and the map's
/// ``TapeLayout``: the tape's values are placed into per-instance slots in one pass, then each object is written
/// in the plan's order. The bytes are those ``EventWriter`` writes from the replayed tree (members in the shape's
/// order, `.empty` members written empty, decimals as the typed event writes them, provenance in the order fields
/// were first read); ``write(into:buffer:scratch:)`` answers `false` where that writer would (a value of another
/// kind than the shape's, a required member missing), and the caller goes the typed event's way.
struct TapeWriter {
    let entries: TableView<EventTape.Entry>
    let text: UnsafeBufferPointer<UInt8>
    let layout: TapeLayout
    let plan: WritePlan
    let names: KeyNames
    let references: KeyNames
    let metadata: EventMetadata
    let schema: String

    /// Appends the event's JSON to `output`; `false` (with `output` partly written) when the typed event must
    /// write it.
    func write(into output: inout [UInt8], buffer: inout ByteOutput, scratch: inout TapeScratch) -> Bool {
        guard self.place(&scratch) else { return false }
        buffer.removeAll()
        let written = self.plan.members.withUnsafeBufferPointer { members in
            self.plan.bytes.withUnsafeBufferPointer { bytes in
                let tables = Tables(members: members, bytes: bytes)
                return self.object(0, EventSites.root, 0, tables, &scratch, into: &buffer)
            }
        }
        guard written else { return false }
        buffer.copy(into: &output)
        return true
    }

    private struct Tables {
        let members: UnsafeBufferPointer<WritePlan.Member>
        let bytes: UnsafeBufferPointer<UInt8>
    }

    // MARK: Placing the tape

    /// Places every entry of the tape into the scratch's instances and slots; `false` when an entry does not fit
    /// the layout (a value whose instance is not the kind its site belongs to).
    private func place(_ scratch: inout TapeScratch) -> Bool {
        scratch.instances.removeAll()
        scratch.slots.removeAll()
        scratch.provenance.removeAll()
        scratch.tapeInstances.removeAll()
        scratch.pendings.removeAll()
        self.makeInstance(kind: 0, parent: -1, array: -1, &scratch)
        scratch.tapeInstances.append(0)
        for index in 0..<self.entries.count {
            let entry = self.entries[index]
            switch entry.operation {
            case .element, .container:
                // An element made in an array of its base instance's kind; a dropped one only makes the array.
                let parent = scratch.tapeInstances[Int(entry.base)]
                guard parent >= 0, entry.site >= 0,
                    self.layout.kinds[Int(entry.site)] == scratch.instances[Int(parent)].kind
                else {
                    return false
                }
                if entry.operation == .element {
                    let kind = self.layout.elementKinds[Int(entry.site)]
                    let element = self.makeInstance(kind: kind, parent: parent, array: entry.site, &scratch)
                    scratch.tapeInstances.append(element)
                } else {
                    self.markPresent(parent, entry.site, &scratch)
                    scratch.tapeInstances.append(-1)
                }
            case .pending:
                scratch.pendings.append(Int32(scratch.provenance.count))
                scratch.provenance.append(TapeScratch.Provenance(entry: Int32(index), instance: -1, site: -1))
            case .value:
                var instance = scratch.tapeInstances[Int(entry.base)]
                guard instance >= 0, entry.site >= 0 else { return false }
                let kind = self.layout.kinds[Int(entry.site)]
                if kind != scratch.instances[Int(instance)].kind {
                    // A path through an appended array: the value is a new element's.
                    let array = self.layout.kindArrays[Int(kind)]
                    guard array >= 0, self.layout.kinds[Int(array)] == scratch.instances[Int(instance)].kind else {
                        return false
                    }
                    instance = self.makeInstance(kind: kind, parent: instance, array: array, &scratch)
                }
                let slot = Int(scratch.instances[Int(instance)].slots + self.layout.locals[Int(entry.site)])
                scratch.slots[slot].value = Int32(index)
                let parent = self.layout.parents[Int(entry.site)]
                if parent >= 0 { self.markPresent(instance, parent, &scratch) }
                if entry.hasProvenance {
                    let existing = scratch.slots[slot].provenance
                    if existing >= 0 {
                        scratch.provenance[Int(existing)].entry = Int32(index)
                    } else {
                        scratch.slots[slot].provenance = Int32(scratch.provenance.count)
                        scratch.provenance.append(
                            TapeScratch.Provenance(entry: Int32(index), instance: instance, site: entry.site)
                        )
                    }
                } else if entry.pending >= 0, scratch.slots[slot].provenance < 0 {
                    // A timestamp takes the place its first part held, unless the field has one already.
                    let place = scratch.pendings[Int(entry.pending)]
                    scratch.slots[slot].provenance = place
                    scratch.provenance[Int(place)].instance = instance
                    scratch.provenance[Int(place)].site = entry.site
                }
            }
        }
        return true
    }

    /// A new instance of `kind`, appended to array site `array` of instance `parent` (none for the root).
    @discardableResult
    private func makeInstance(kind: Int32, parent: Int32, array: Int32, _ scratch: inout TapeScratch) -> Int32 {
        let instance = Int32(scratch.instances.count)
        scratch.instances.append(
            TapeScratch.Instance(
                kind: kind,
                slots: Int32(scratch.slots.count),
                parent: parent,
                array: array,
                ordinal: 0,
                next: -1
            )
        )
        scratch.slots.append(
            repeating: TapeScratch.Slot(value: -1, last: -1, provenance: -1, present: false),
            count: Int(self.layout.kindSizes[Int(kind)])
        )
        if parent >= 0 {
            self.markPresent(parent, array, &scratch)
            let slot = Int(scratch.instances[Int(parent)].slots + self.layout.locals[Int(array)])
            let last = scratch.slots[slot].last
            if last >= 0 {
                scratch.instances[Int(last)].next = instance
                scratch.instances[Int(instance)].ordinal = scratch.instances[Int(last)].ordinal + 1
            } else {
                scratch.slots[slot].value = instance
            }
            scratch.slots[slot].last = instance
        }
        return instance
    }

    /// Marks container site `site` of `instance` and the sites enclosing it as made.
    private func markPresent(_ instance: Int32, _ site: Int32, _ scratch: inout TapeScratch) {
        let base = Int(scratch.instances[Int(instance)].slots)
        var site = site
        while site >= 0 {
            let slot = base + Int(self.layout.locals[Int(site)])
            if scratch.slots[slot].present { return }
            scratch.slots[slot].present = true
            site = self.layout.parents[Int(site)]
        }
    }

    /// Whether `site` of `instance` holds something: a value, or a container something was written through.
    private func holds(_ instance: Int32, _ site: Int32, _ scratch: borrowing TapeScratch) -> Bool {
        let slot = scratch.slots[Int(scratch.instances[Int(instance)].slots + self.layout.locals[Int(site)])]
        return self.layout.roles[Int(site)] == .value ? slot.value >= 0 : slot.present
    }

    // MARK: Writing

    /// Object site `site` of `instance` (or an absent object, instance -1, written as its empty form) by the plan's
    /// object `object`.
    private func object(
        _ instance: Int32,
        _ site: Int32,
        _ object: Int32,
        _ tables: Tables,
        _ scratch: inout TapeScratch,
        into output: inout ByteOutput
    ) -> Bool {
        let layout = self.plan.objects[Int(object)]
        let start = Int(layout.membersStart)
        let count = Int(layout.membersEnd) - start
        let memberStart = instance >= 0 ? Int(self.layout.memberStart[Int(site)]) : -1
        output.append(UInt8(ascii: "{"))
        var first = true
        for index in 0..<count {
            let member = tables.members[start + index]
            let child = memberStart >= 0 ? self.layout.memberSites[memberStart + index] : -1
            let held = child >= 0 && self.holds(instance, child, scratch)
            let tag = member.kind.tag
            if !held && tag != .metadata && tag != .schema {
                switch member.presence {
                case .required: return false
                case .optional: continue
                case .empty: break
                }
            }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.append(UnsafeBufferPointer(rebasing: tables.bytes[Int(member.prefixStart)..<Int(member.prefixEnd)]))
            switch tag {
            case .metadata: self.writeMetadata(&scratch, into: &output)
            case .schema: output.appendString(self.schema)
            case .array where !held: output.append("[]")
            case .object where !held:
                guard self.object(-1, -1, member.kind.argument, tables, &scratch, into: &output) else { return false }
            default:
                guard self.value(instance, child, member.kind, tables, &scratch, into: &output) else { return false }
            }
        }
        output.append(UInt8(ascii: "}"))
        return true
    }

    /// Site `site` of `instance` (which holds something) as `kind`.
    private func value(
        _ instance: Int32,
        _ site: Int32,
        _ kind: WritePlan.Kind,
        _ tables: Tables,
        _ scratch: inout TapeScratch,
        into output: inout ByteOutput
    ) -> Bool {
        let role = self.layout.roles[Int(site)]
        let slot = scratch.slots[Int(scratch.instances[Int(instance)].slots + self.layout.locals[Int(site)])]
        switch kind.tag {
        case .string, .timestamp, .choice, .decimal, .integer:
            guard role == .value, slot.value >= 0 else { return false }
            let entry = self.entries[Int(slot.value)]
            let text = UnsafeBufferPointer(rebasing: self.text[Int(entry.textStart)..<Int(entry.textEnd)])
            switch kind.tag {
            case .decimal:
                guard entry.kind == .number,
                    EventWriter.writeDecimal(String(decoding: text, as: UTF8.self), into: &output)
                else { return false }
            case .integer:
                guard entry.kind == .number, let number = Int(String(decoding: text, as: UTF8.self)) else {
                    return false
                }
                output.appendInteger(number)
            default:
                guard entry.kind == .string else { return false }
                if kind.tag != .string {
                    let value = String(decoding: text, as: UTF8.self)
                    if kind.tag == .timestamp, Timestamp(value) == nil { return false }
                    if kind.tag == .choice, !self.plan.choices[Int(kind.argument)].contains(value) { return false }
                }
                output.appendString(utf8: text)
            }
        case .object:
            guard role == .object else { return false }
            return self.object(instance, site, kind.argument, tables, &scratch, into: &output)
        case .array:
            let element = self.plan.kinds[Int(kind.argument)]
            output.append(UInt8(ascii: "["))
            var first = true
            if role == .appended {
                var member = slot.value
                while member >= 0 {
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    let own = self.layout.kindSites[Int(scratch.instances[Int(member)].kind)]
                    guard self.value(member, own, element, tables, &scratch, into: &output) else { return false }
                    member = scratch.instances[Int(member)].next
                }
            } else if role == .indexed {
                for index in Int(self.layout.indexedStart[Int(site)])..<Int(self.layout.indexedEnd[Int(site)]) {
                    let child = self.layout.indexed[index]
                    guard self.holds(instance, child, scratch) else { continue }
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    guard self.value(instance, child, element, tables, &scratch, into: &output) else { return false }
                }
            } else {
                return false
            }
            output.append(UInt8(ascii: "]"))
        case .metadata, .schema: return false
        }
        return true
    }

    // MARK: Metadata and provenance

    /// The metadata's members in byte order, the provenance entries in the order their fields were first read.
    private func writeMetadata(_ scratch: inout TapeScratch, into output: inout ByteOutput) {
        scratch.pathStarts.reset(to: -1, count: scratch.slots.count)
        scratch.pathEnds.reset(to: -1, count: scratch.slots.count)
        EventWriter.writeMetadata(
            self.metadata,
            provenance: scratch.provenance.count,
            names: self.names,
            references: self.references,
            into: &output,
            entry: { index in
                let place = scratch.provenance[index]
                guard place.instance >= 0 else { return nil }
                let entry = self.entries[Int(place.entry)]
                return EventRecord.Provenance(
                    node: place.instance,
                    segment: entry.segment,
                    reference: entry.reference,
                    byteStart: entry.byteStart,
                    byteEnd: entry.byteEnd
                )
            },
            path: { index, names, output in
                let place = scratch.provenance[index]
                self.writePath(place.instance, place.site, names, &scratch, into: &output)
            }
        )
    }

    /// The path of site `site` of `instance` (`orders[0].packs[1].items[0].quantity.value`): `.name` (no dot
    /// directly under the root), `[index]` for an element, counting only the elements present before it. Each
    /// path written is noted, so a field's containers are written once per event and copied after that.
    private func writePath(
        _ instance: Int32,
        _ site: Int32,
        _ names: EventWriter.NameRuns,
        _ scratch: inout TapeScratch,
        into output: inout ByteOutput
    ) {
        let parent = self.layout.parents[Int(site)]
        if parent < 0 && instance == 0 { return }
        let slot = Int(scratch.instances[Int(instance)].slots + self.layout.locals[Int(site)])
        let start = scratch.pathStarts[slot]
        if start >= 0 {
            output.appendWritten(Int(start)..<Int(scratch.pathEnds[slot]))
            return
        }
        let begin = output.count
        if parent < 0 {
            // The instance itself: an element of its parent's array.
            let entry = scratch.instances[Int(instance)]
            self.writePath(entry.parent, entry.array, names, &scratch, into: &output)
            output.append(UInt8(ascii: "["))
            output.appendInteger(Int(entry.ordinal))
            output.append(UInt8(ascii: "]"))
        } else {
            self.writePath(instance, parent, names, &scratch, into: &output)
            let key = Int(self.layout.keys[Int(site)])
            if key >= 0 {
                if instance > 0 || self.layout.parents[Int(parent)] >= 0 { output.append(UInt8(ascii: ".")) }
                let nameStart = key == 0 ? 0 : Int(names.ends[key - 1])
                output.append(UnsafeBufferPointer(rebasing: names.bytes[nameStart..<Int(names.ends[key])]))
            } else {
                var index = 0
                for place in Int(self.layout.indexedStart[Int(parent)])..<Int(self.layout.indexedEnd[Int(parent)]) {
                    let sibling = self.layout.indexed[place]
                    if sibling == site { break }
                    if self.holds(instance, sibling, scratch) { index += 1 }
                }
                output.append(UInt8(ascii: "["))
                output.appendInteger(index)
                output.append(UInt8(ascii: "]"))
            }
        }
        scratch.pathStarts[slot] = Int32(begin)
        scratch.pathEnds[slot] = Int32(output.count)
    }
}
