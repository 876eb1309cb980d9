import Testing

@testable import GatewayMaps

/// The per-transaction index finds what was added, and only that, before and after it starts hashing, and after
/// being emptied.
struct SmallIndexTests {
    @Test(arguments: [0, 1, 16])
    func findsWhatWasAddedOnEitherSideOfItsScanLimit(_ limit: Int) {
        var index = SmallIndex<Int, String>(scanLimit: limit)
        for round in 0..<2 {
            for key in 0..<40 {
                #expect(index[key * 3] == nil)
                index.add(key * 3, "\(key)-\(round)")
                #expect(index.count == key + 1)
                // Everything added so far is found; the keys between are not.
                for earlier in 0...key {
                    #expect(index[earlier * 3] == "\(earlier)-\(round)")
                    #expect(index[earlier * 3 + 1] == nil)
                }
            }
            index.removeAll()
            #expect(index.count == 0)
            #expect(index[0] == nil)
        }
    }
}
