// Every Finding that EDICore reports is built here, one factory per code.

extension Finding {
    @inline(never)
    static func controlNumberMismatch(
        trailer: String,
        header: String,
        headerValue: some Collection<UInt8>,
        found: some Collection<UInt8>,
        at location: Location
    ) -> Finding {
        Finding(
            code: .controlNumberMismatch,
            location: location,
            message: "expected \(trailer) equal to \(header), found another control number"
        )
    }

    @inline(never)
    static func countMismatch(reference: String, counted: Int, what: String, found: Int, at location: Location)
        -> Finding
    {
        Finding(
            code: .countMismatch,
            location: location,
            message: "expected \(reference) \(counted) (\(what)), found \(found)"
        )
    }

    @inline(never)
    static func invalidControlValue(reference: String, expected: String, length: Int, at location: Location)
        -> Finding
    {
        let found = length == 0 ? "nothing" : "a value of \(length) bytes that is not one"
        return Finding(
            code: .invalidControlValue,
            location: location,
            message: "expected \(reference) \(expected), found \(found)"
        )
    }

    @inline(never)
    static func missingTrailer(_ trailer: String, found: String, at location: Location) -> Finding {
        Finding(code: .missingTrailer, location: location, message: "expected \(trailer), found \(found)")
    }

    @inline(never)
    static func unexpectedTrailer(_ trailer: String, expected: String, at location: Location) -> Finding {
        Finding(code: .unexpectedTrailer, location: location, message: "expected \(expected), found \(trailer)")
    }

    @inline(never)
    static func unexpectedSegment(_ tag: String, expected: String, at location: Location) -> Finding {
        Finding(code: .unexpectedSegment, location: location, message: "expected \(expected), found \(Quote.name(tag))")
    }

    @inline(never)
    static func invalidSegmentTag(_ tag: some Collection<UInt8>, at location: Location) -> Finding {
        Finding(
            code: .invalidSegmentTag,
            location: location,
            message: "expected a segment tag of 2 or 3 letters and digits, found \(tag.count) bytes"
        )
    }

    @inline(never)
    static func emptySegment(terminator: [UInt8], at location: Location) -> Finding {
        Finding(
            code: .emptySegment,
            location: location,
            message: "expected a segment tag, found segment terminator \(Quote.bytes(terminator))"
        )
    }

    @inline(never)
    static func interchangeHeaderNotFixedWidth(length: Int, at location: Location) -> Finding {
        Finding(
            code: .interchangeHeaderNotFixedWidth,
            location: location,
            message: "expected an ISA of 106 bytes with fixed-width elements, found \(length) bytes"
        )
    }

    @inline(never)
    static func unknownSyntaxIdentifier(_ identifier: some Collection<UInt8>, at location: Location) -> Finding {
        Finding(
            code: .unknownSyntaxIdentifier,
            location: location,
            message: "expected a syntax identifier UNOA through UNOY, IATA or IATB, found "
                + (identifier.isEmpty
                    ? "nothing" : Quote.name(String(decoding: identifier, as: UTF8.self), maximumLength: 4))
        )
    }

    @inline(never)
    static func characterOutsideRepertoire(_ byte: UInt8, repertoire: String, strict: Bool, at location: Location)
        -> Finding
    {
        Finding(
            code: .characterOutsideRepertoire,
            severity: strict ? .error : .warning,
            location: location,
            message: "expected a character of the \(repertoire) repertoire, found byte 0x\(Quote.hex(byte))"
        )
    }
}
