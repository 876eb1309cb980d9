import GatewayEvents

extension JSONValue {
    /// Sets the value at `path`, creating objects and arrays on the way; `.append` adds an element.
    ///
    /// Each level's storage is taken out of `self` before it changes (`self` holds `.null` meanwhile), so it is
    /// uniquely referenced and changes in place: setting the n-th element of an array costs O(depth), not O(n).
    mutating func set(_ path: ArraySlice<FieldPath.Step>, to value: JSONValue) {
        guard let step = path.first else {
            self = value
            return
        }
        let rest = path.dropFirst()
        switch step {
        case .key(let name):
            var members: [(String, JSONValue)] = []
            if case .object(let existing) = self {
                members = existing
                self = .null
            }
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1.set(rest, to: value)
            } else {
                var child = JSONValue.null
                child.set(rest, to: value)
                members.append((name, child))
            }
            self = .object(members)
        case .index(let index):
            var elements: [JSONValue] = []
            if case .array(let existing) = self {
                elements = existing
                self = .null
            }
            while elements.count <= index { elements.append(.null) }
            elements[index].set(rest, to: value)
            self = .array(elements)
        case .append:
            var elements: [JSONValue] = []
            if case .array(let existing) = self {
                elements = existing
                self = .null
            }
            var child = JSONValue.null
            child.set(rest, to: value)
            elements.append(child)
            self = .array(elements)
        }
    }

    /// The value at `path` (indices resolved), or `nil`.
    func value(at path: ArraySlice<FieldPath.Step>) -> JSONValue? {
        guard let step = path.first else { return self }
        switch step {
        case .key(let name): return self[name]?.value(at: path.dropFirst())
        case .index(let index):
            guard case .array(let elements) = self, index < elements.count else { return nil }
            return elements[index].value(at: path.dropFirst())
        case .append: return nil
        }
    }

}
