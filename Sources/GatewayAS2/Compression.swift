import CZlib

/// zlib streams, as AS2 compressed data carries them (RFC 5402) and as partners gzip files: compressed in one call
/// with ``Compression/compress(_:)``, decompressed in chunks with ``Decompressor``.
public enum Compression {
    /// The stream formats zlib reads and writes.
    public enum Format: Sendable {
        /// A zlib stream (RFC 1950), what CMS compressed data holds.
        case zlib
        /// A gzip file (RFC 1952).
        case gzip

        var windowBits: Int32 {
            switch self {
            case .zlib: 15
            case .gzip: 31
            }
        }
    }

    /// `bytes` compressed into one stream of `format`.
    public static func compress(_ bytes: [UInt8], format: Format = .zlib) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard edigate_deflate_init(stream, Z_DEFAULT_COMPRESSION, format.windowBits) == Z_OK else {
            preconditionFailure("zlib could not start a stream (out of memory)")
        }
        let bound = Int(deflateBound(stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = uInt(target.count)
                return deflate(stream, Z_FINISH)
            }
        }
        precondition(result == Z_STREAM_END, "deflateBound left too little room")
        output.removeLast(Int(stream.pointee.avail_out))
        return output
    }
}

/// Decompresses a zlib or gzip stream fed in chunks of any size; the output, and the code of any error, do not
/// depend on where chunks end (an error's offset is how far zlib had read, which may). Output past
/// ``ContentLimits/maximumDecompressedSize`` is never produced: decompressing stops there with a located error.
///
/// ```swift
/// let decompressor = Decompressor(format: .zlib)
/// var content: [UInt8] = []
/// for chunk in compressed { try decompressor.decompress(chunk, into: &content) }
/// try decompressor.finish()
/// ```
public final class Decompressor {
    /// zlib keeps a pointer back to its stream, so the stream stays at one address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let limit: Int
    /// Compressed bytes consumed so far.
    private var offset = 0
    private var ended = false
    private var failure: AS2Error?
    /// Bytes decompressed so far.
    public private(set) var decompressedCount = 0

    public init(format: Compression.Format = .zlib, limits: ContentLimits = ContentLimits()) {
        self.limit = limits.maximumDecompressedSize
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        guard edigate_inflate_init(self.stream, format.windowBits) == Z_OK else {
            preconditionFailure("zlib could not start a stream (out of memory)")
        }
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Decompresses `chunk`, appending what it yields to `output`.
    public func decompress(_ chunk: [UInt8], into output: inout [UInt8]) throws(AS2Error) {
        if let failure = self.failure { throw failure }
        if chunk.isEmpty { return }
        if self.ended {
            throw self.fail(.invalidCompressedData, "expected the end of the compressed data, found more bytes")
        }
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        var consumed = 0
        // Until the input is used up and zlib has nothing more to give (a full piece may leave output pending).
        var more = true
        while more && !self.ended {
            // One byte more than the limit leaves room for, so passing it is seen without producing much past it.
            let room = min(piece.count, self.limit - self.decompressedCount + 1)
            let (result, used, produced) = chunk.withUnsafeBufferPointer { source in
                piece.withUnsafeMutableBufferPointer { target in
                    // zlib reads the input and never writes it; its API is not const-qualified.
                    self.stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)
                    self.stream.pointee.avail_in = uInt(source.count - consumed)
                    self.stream.pointee.next_out = target.baseAddress
                    self.stream.pointee.avail_out = uInt(room)
                    let result = inflate(self.stream, Z_NO_FLUSH)
                    return (
                        result, source.count - consumed - Int(self.stream.pointee.avail_in),
                        room - Int(self.stream.pointee.avail_out)
                    )
                }
            }
            consumed += used
            self.offset += used
            if self.decompressedCount + produced > self.limit {
                throw self.fail(
                    .decompressedTooLarge,
                    "expected at most \(self.limit) bytes once decompressed, found more"
                )
            }
            output.append(contentsOf: piece[0..<produced])
            self.decompressedCount += produced
            switch result {
            case Z_STREAM_END:
                self.ended = true
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress this call, which is normal once the input is used up and nothing is
                // pending; with input left it cannot happen below the limit.
                if result == Z_BUF_ERROR && used == 0 && produced == 0 && consumed < chunk.count {
                    throw self.fail(.invalidCompressedData, "expected compressed data zlib can read, found none")
                }
                more = consumed < chunk.count || produced == room
            default:
                throw self.fail(
                    .invalidCompressedData,
                    "expected compressed data zlib can read, found a damaged stream"
                )
            }
        }
        if consumed < chunk.count {
            throw self.fail(.invalidCompressedData, "expected the end of the compressed data, found more bytes")
        }
    }

    /// Ends the input: the stream must have ended.
    public func finish() throws(AS2Error) {
        if let failure = self.failure { throw failure }
        if !self.ended {
            throw self.fail(.invalidCompressedData, "expected the rest of the compressed data, found its end")
        }
    }

    /// Decompresses a whole stream.
    public static func decompress(
        _ bytes: [UInt8],
        format: Compression.Format = .zlib,
        limits: ContentLimits = ContentLimits()
    ) throws(AS2Error) -> [UInt8] {
        let decompressor = Decompressor(format: format, limits: limits)
        var output: [UInt8] = []
        try decompressor.decompress(bytes, into: &output)
        try decompressor.finish()
        return output
    }

    /// Records the error, so every later call throws it again.
    private func fail(_ code: AS2Error.Code, _ detail: String) -> AS2Error {
        let error = AS2Error(code: code, byteOffset: self.offset, content: "compressed data", detail: detail)
        self.failure = error
        return error
    }
}
