/// How large an AS2 message's content may grow while it is decoded: base64 bodies of MIME parts, and compressed
/// data (RFC 5402, zlib). Past either limit decoding stops with a located ``AS2Error``, so neither a huge body nor a
/// decompression bomb (a few kilobytes that inflate to gigabytes) can exhaust memory.
public struct ContentLimits: Sendable, Hashable {
    /// The most bytes a base64 body decodes to (default 256 MiB).
    public var maximumDecodedSize: Int
    /// The most bytes compressed data inflates to (default 256 MiB).
    public var maximumDecompressedSize: Int

    public init(maximumDecodedSize: Int = 256 << 20, maximumDecompressedSize: Int = 256 << 20) {
        self.maximumDecodedSize = maximumDecodedSize
        self.maximumDecompressedSize = maximumDecompressedSize
    }
}
