import GatewayPartners
import Testing

/// Control numbers are gapless per partner and level, start where the profile says and wrap after the width.
@Suite("Control numbers")
struct ControlNumberSourceTests {
    @Test
    func eachPartnerAndLevelCountsOnItsOwnWithoutGaps() async throws {
        let source: any ControlNumberSource = InMemoryControlNumberSource(
            settings: ["a": ControlNumberSettings(group: ControlNumberFormat(start: 500, width: 9))]
        )
        var issued: [String] = []
        for (partner, level) in [
            ("a", ControlNumberLevel.interchange), ("a", .interchange), ("a", .group), ("b", .interchange),
            ("a", .interchange), ("a", .group), ("b", .transaction), ("b", .interchange),
        ] {
            issued.append("\(partner) \(level) \(try await source.next(for: partner, level: level))")
        }
        #expect(
            issued == [
                "a interchange 1", "a interchange 2", "a group 500", "b interchange 1", "a interchange 3",
                "a group 501", "b transaction 1", "b interchange 2",
            ]
        )
    }

    @Test
    func concurrentCallersGetEveryNumberOnce() async {
        let source = InMemoryControlNumberSource()
        let numbers = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<500 {
                group.addTask { source.next(for: "acme-parcel", level: .transaction) }
            }
            var numbers: [Int] = []
            for await number in group { numbers.append(number) }
            return numbers
        }
        #expect(numbers.sorted() == Array(1...500))
    }

    @Test
    func numbersWrapToOneAfterTheWidthAllows() {
        let source = InMemoryControlNumberSource(
            settings: ["p": ControlNumberSettings(transaction: ControlNumberFormat(start: 98, width: 2))]
        )
        #expect((0..<4).map { _ in source.next(for: "p", level: .transaction) } == [98, 99, 1, 2])
    }

    @Test
    func profilesGiveTheStartsAndNumbersArePaddedToTheWidth() throws {
        let loaded = PartnerProfileLoader.load(directory: ProfileFiles.examplesPath)
        let source = InMemoryControlNumberSource(profiles: loaded.profiles)
        #expect(source.next(for: "northwind-retail", level: .interchange) == 1001)
        #expect(source.next(for: "northwind-retail", level: .interchange) == 1002)
        let format = try #require(loaded["northwind-retail"]).controlNumbers.interchange
        #expect(format.text(1002) == "000001002")
        #expect(format.maximum == 999_999_999)
    }
}
