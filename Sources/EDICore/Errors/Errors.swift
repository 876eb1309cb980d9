// Every EDISyntaxError is built here, by one factory per code, so each message is written once (swift-asn1
// `Errors.swift`). Factories are `@inline(never)` to keep the reader's hot path small.

extension EDISyntaxError {
    @inline(never)
    static func truncatedInput(expected: String, at location: Location) -> EDISyntaxError {
        EDISyntaxError(code: .truncatedInput, location: location, message: "expected \(expected), found end of input")
    }

    @inline(never)
    static func noInterchange(found: some Collection<UInt8>, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .noInterchange,
            location: location,
            message: "expected interchange header 'ISA', 'UNA', 'UNB' or 'UNH', found \(Quote.bytes(found))"
        )
    }

    @inline(never)
    static func unexpectedByte(_ byte: UInt8, expected: String, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .unexpectedByte,
            location: location,
            message: "expected \(expected), found \(Quote.byte(byte))"
        )
    }

    @inline(never)
    static func invalidDelimiters(_ delimiters: Delimiters, at location: Location) -> EDISyntaxError {
        let shown = delimiters.separators.map(Quote.byte).joined(separator: " ")
        return EDISyntaxError(
            code: .invalidDelimiters,
            location: location,
            message: "expected distinct delimiters that are not letters or digits, found \(shown)"
        )
    }

    @inline(never)
    static func segmentTooLong(limit: Int, at location: Location) -> EDISyntaxError {
        // The length found depends on where the input was cut into chunks, so the message names only the limit.
        EDISyntaxError(
            code: .segmentTooLong,
            location: location,
            message: "expected a segment of at most \(limit) bytes, found a longer one"
        )
    }

    @inline(never)
    static func tooManyElements(count: Int, limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .tooManyElements,
            location: location,
            message: "expected at most \(limit) elements in the segment, found \(count)"
        )
    }

    @inline(never)
    static func tooManyComponents(count: Int, limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .tooManyComponents,
            location: location,
            message: "expected at most \(limit) components in the element, found \(count)"
        )
    }

    @inline(never)
    static func tooManyRepetitions(count: Int, limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .tooManyRepetitions,
            location: location,
            message: "expected at most \(limit) repetitions of the element, found \(count)"
        )
    }

    @inline(never)
    static func invalidBinaryLength(length: Int, limit: Int, at location: Location) -> EDISyntaxError {
        let found = length < 0 ? "a value that is not a number" : "\(length)"
        return EDISyntaxError(
            code: .invalidBinaryLength,
            location: location,
            message: "expected a binary length from 0 to \(limit), found \(found)"
        )
    }

    @inline(never)
    static func inputTooLarge(limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .inputTooLarge,
            location: location,
            message: "expected at most \(limit) bytes of input, found more"
        )
    }

    static func tooManyTransactions(limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .tooManyTransactions,
            location: location,
            message: "expected at most \(limit) transactions in the interchange, found more"
        )
    }

    static func tooManySegments(limit: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .tooManySegments,
            location: location,
            message: "expected at most \(limit) segments in the transaction, found more"
        )
    }
}

extension EDISyntaxError {
    @inline(never)
    static func unencodableCharacter(characterSet: String, length: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .unencodableCharacter,
            location: location,
            message: "expected characters of \(characterSet), found one outside it in a value of \(length) bytes"
        )
    }

    static func binaryLengthMismatch(data: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .invalidBinaryLength,
            location: location,
            message: "expected the binary length element to give the data's \(data) bytes, found another number"
        )
    }

    @inline(never)
    static func unwritableValue(_ byte: UInt8, length: Int, at location: Location) -> EDISyntaxError {
        EDISyntaxError(
            code: .unwritableValue,
            location: location,
            message: "expected a value without delimiters, found \(Quote.byte(byte)) in a value of \(length) bytes"
        )
    }
}
