import EDICore

/// Factories for ``MappingError``, one per situation, so messages stay uniform; they name fields, references and
/// map lines, never an element's value.
enum MappingErrors {
    @inline(never)
    static func unreadable(_ path: String, limit: Int) -> MappingError {
        MappingError(code: .invalidMap, map: path, message: "expected a readable map file of at most \(limit) bytes")
    }

    @inline(never)
    static func invalid(_ source: String, _ line: Int, _ message: String) -> MappingError {
        MappingError(code: .invalidMap, map: source, line: line, message: message)
    }

    @inline(never)
    static func missingValue(map: String, line: Int?, field: String, reference: String, at location: Location?)
        -> MappingError
    {
        MappingError(
            code: .missingValue,
            map: map,
            line: line,
            field: field,
            reference: reference,
            location: location,
            message: "expected a value for the mandatory field, found none"
        )
    }

    @inline(never)
    static func invalidValue(
        map: String,
        line: Int?,
        field: String,
        reference: String,
        expected: String,
        length: Int,
        at location: Location?
    ) -> MappingError {
        MappingError(
            code: .invalidValue,
            map: map,
            line: line,
            field: field,
            reference: reference,
            location: location,
            message: "expected \(expected), found a value of \(length) bytes that is not"
        )
    }

    @inline(never)
    static func eventShape(map: String, event: String, detail: String) -> MappingError {
        MappingError(code: .missingValue, map: map, message: "expected a complete \(event), found \(detail)")
    }

    @inline(never)
    static func unreadLevel(map: String, loop: String, position: Int, at location: Location?) -> MappingError {
        MappingError(
            code: .unreadLevel,
            map: map,
            location: location,
            message: "expected every occurrence of hierarchy loop \(loop) read by a rule of the map, found one at "
                + "transaction segment \(position) that none reads (its values would be lost)"
        )
    }
}
