/// Every place a map's rules can write in an event, numbered once per map: the fields and containers below each
/// kind of instance (the root, or the elements of one array), as a tree of sites. A rule's path is resolved to its
/// site when the map is compiled, so an event's tape (``EventTape``) names each value's site and the tape's writer
/// (``TapeWriter``) places it with no path walked.
///
/// A site is one thing: a value, an object, an array by fixed indices, or an array elements are appended to (whose
/// elements are instances of a kind of their own, numbered in ``elementKind``). A map whose paths make one site
/// two things (`carrier` a value in one rule and `carrier.name` in another, an array both indexed and appended to,
/// a path through two appended arrays) is ``isConflicted``: its events are written from the tree the tape
/// replays, which resolves such paths as they are met.
struct EventSites: Sendable {
    enum Role: UInt8, Sendable {
        /// Nothing written at it yet (an element a segment fills, until one of its values names it).
        case unset
        case value
        case object
        case indexed
        case appended
    }

    struct Site: Sendable {
        var role: Role
        /// The kind of instance the site belongs to.
        var kind: Int32
        /// The enclosing site within the kind, -1 for the kind's own site (the instance itself).
        var parent: Int32
        /// The member key number (a site in an object), or -1.
        var key: Int32
        /// The fixed index (a site in an indexed array), or -1.
        var index: Int32
        /// For an appended array, the kind of its elements; -1 otherwise.
        var elementKind: Int32
    }

    private(set) var sites: [Site] = []
    /// Per kind: its own site and the array site (of its parent kind) its instances are elements of (-1 for the
    /// root).
    private(set) var kindSites: [Int32] = []
    private(set) var kindArrays: [Int32] = []
    /// Whether some site was made two things (see above).
    private(set) var isConflicted = false
    private var children: [ChildKey: Int32] = [:]

    private struct ChildKey: Hashable {
        var parent: Int32
        var key: Int32
        var index: Int32
    }

    /// The root kind, 0.
    init() {
        self.kindSites.append(self.makeSite(kind: 0, parent: -1, key: -1, index: -1))
        self.kindArrays.append(-1)
        self.sites[0].role = .object
    }

    /// Kind 0's own site: the event's root object.
    static let root: Int32 = 0

    private mutating func makeSite(kind: Int32, parent: Int32, key: Int32, index: Int32) -> Int32 {
        self.sites.append(Site(role: .unset, kind: kind, parent: parent, key: key, index: index, elementKind: -1))
        return Int32(self.sites.count - 1)
    }

    /// Gives `site` the role `role`, noting a conflict when it already has another.
    private mutating func give(_ site: Int32, _ role: Role) {
        let current = self.sites[Int(site)].role
        if current == .unset {
            self.sites[Int(site)].role = role
        } else if current != role {
            self.isConflicted = true
        }
    }

    /// The kind of the elements of appended array `site`, made when new.
    private mutating func elementKind(of site: Int32) -> Int32 {
        let existing = self.sites[Int(site)].elementKind
        if existing >= 0 { return existing }
        let kind = Int32(self.kindSites.count)
        self.kindSites.append(self.makeSite(kind: kind, parent: -1, key: -1, index: -1))
        self.kindArrays.append(site)
        self.sites[Int(site)].elementKind = kind
        return kind
    }

    /// The site `steps` name from kind `kind`'s own site, made where new; the kind's own site of an appended
    /// array's elements for an `.append` step (one per path: a second marks the map conflicted).
    private mutating func site(_ steps: some Collection<PathStep>, from kind: Int32) -> Int32 {
        var site = self.kindSites[Int(kind)]
        var appended = false
        for step in steps {
            switch step {
            case .key(let key):
                self.give(site, .object)
                site = self.child(of: site, key: key, index: -1)
            case .index(let index):
                self.give(site, .indexed)
                site = self.child(of: site, key: -1, index: index)
            case .append:
                if appended { self.isConflicted = true }
                appended = true
                self.give(site, .appended)
                site = self.kindSites[Int(self.elementKind(of: site))]
            }
        }
        return site
    }

    private mutating func child(of parent: Int32, key: Int32, index: Int32) -> Int32 {
        let childKey = ChildKey(parent: parent, key: key, index: index)
        if let existing = self.children[childKey] { return existing }
        let made = self.makeSite(kind: self.sites[Int(parent)].kind, parent: parent, key: key, index: index)
        self.children[childKey] = made
        return made
    }

    /// The site of a value written at `steps` from an instance of `kind`.
    mutating func value(_ steps: some Collection<PathStep>, from kind: Int32) -> Int32 {
        let site = self.site(steps, from: kind)
        self.give(site, .value)
        return site
    }

    /// The appended array at `steps` from an instance of `kind` whose elements an `each` rule makes (objects for a
    /// loop's, `object` true), and the elements' kind.
    mutating func array(_ steps: some Collection<PathStep>, from kind: Int32, object: Bool) -> (
        site: Int32, kind: Int32
    ) {
        let site = self.site(steps, from: kind)
        self.give(site, .appended)
        let elements = self.elementKind(of: site)
        if object { self.give(self.kindSites[Int(elements)], .object) }
        return (site, elements)
    }

    /// Whether the last value written at `steps` from the root is the field's value once everything is written:
    /// the map has no conflicting site, and the path runs through objects and indexed arrays only (not an appended
    /// array, whose elements a later rule may add or drop, nor a value a later rule may replace) to a value or to
    /// nothing written at all.
    func isPlainValue(_ steps: [PathStep]) -> Bool {
        guard !self.isConflicted else { return false }
        var site = EventSites.root
        for step in steps {
            let role = self.sites[Int(site)].role
            let next: Int32?
            switch step {
            case .key(let key) where role == .object: next = self.children[ChildKey(parent: site, key: key, index: -1)]
            case .index(let index) where role == .indexed:
                next = self.children[ChildKey(parent: site, key: -1, index: index)]
            default: return false
            }
            guard let next else { return true }
            site = next
        }
        return self.sites[Int(site)].role == .value
    }

    /// The member of object site `site` with key `key`, or -1.
    func member(of site: Int32, key: Int32) -> Int32 {
        self.children[ChildKey(parent: site, key: key, index: -1)] ?? -1
    }

    /// The sites of indexed array `site`'s elements, in index order.
    func indexedElements(of site: Int32) -> [Int32] {
        self.sites.indices.filter { self.sites[$0].parent == site && self.sites[$0].index >= 0 }
            .sorted { self.sites[$0].index < self.sites[$1].index }
            .map { Int32($0) }
    }
}
