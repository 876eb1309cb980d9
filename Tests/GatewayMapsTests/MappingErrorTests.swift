import GatewayMaps
import Testing

@Suite("Mapping errors")
struct MappingErrorTests {
    @Test func codesAreDistinct() {
        #expect(MappingError.Code.missingValue != MappingError.Code.invalidValue)
        #expect(MappingError.Code.invalidMap.description == "invalidMap")
    }
}
