/// Values by key for the indices a translation keeps per transaction (hierarchy link indices, explorations done):
/// a transaction holds a few, which a scan finds sooner than a hash, and a large one holds many, which a scan would
/// find in time growing with their square. The first `scanLimit` entries are scanned; past that, every entry is
/// hashed too.
struct SmallIndex<Key: Hashable, Value> {
    private var keys: [Key] = []
    private var values: [Value] = []
    private var hashed: [Key: Value] = [:]
    let scanLimit: Int

    init(scanLimit: Int = 16) {
        self.scanLimit = scanLimit
    }

    var count: Int { self.keys.count }

    /// The value for `key`, if one was added.
    subscript(key: Key) -> Value? {
        if self.keys.count <= self.scanLimit {
            guard let index = self.keys.firstIndex(of: key) else { return nil }
            return self.values[index]
        }
        return self.hashed[key]
    }

    /// Adds `value` for `key`, which has none yet.
    mutating func add(_ key: Key, _ value: Value) {
        self.keys.append(key)
        self.values.append(value)
        guard self.keys.count > self.scanLimit else { return }
        if self.hashed.isEmpty {
            for (key, value) in zip(self.keys, self.values) { self.hashed[key] = value }
        } else {
            self.hashed[key] = value
        }
    }

    /// Empties the index, keeping its storage.
    mutating func removeAll() {
        self.keys.removeAll(keepingCapacity: true)
        self.values.removeAll(keepingCapacity: true)
        self.hashed.removeAll(keepingCapacity: true)
    }
}
