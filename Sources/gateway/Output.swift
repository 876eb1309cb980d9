import GatewayMaps

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: standard output through a large buffer, or memory in tests.
struct Output {
    enum Destination {
        case standardOutput
        case memory
    }

    let destination: Destination
    private(set) var buffer: [UInt8] = []
    /// Everything written to memory, for tests.
    private(set) var captured: [UInt8] = []

    init(_ destination: Destination) {
        self.destination = destination
        self.buffer.reserveCapacity(1 << 16)
    }

    static var standardOutput: Output { Output(.standardOutput) }

    mutating func write(_ text: String) {
        self.buffer.append(contentsOf: text.utf8)
        if self.buffer.count >= 1 << 16 { self.flush() }
    }

    mutating func line(_ text: String) {
        self.write(text)
        self.write("\n")
    }

    mutating func flush() {
        switch self.destination {
        case .standardOutput:
            Self.writeAll(self.buffer, to: 1)
        case .memory:
            self.captured.append(contentsOf: self.buffer)
        }
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte to a file descriptor, retrying short writes.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// What was written to memory, as text.
    var text: String { String(decoding: self.captured + self.buffer, as: UTF8.self) }

    /// Error lines written to memory, for tests.
    private(set) var errorText = ""

    /// Writes `text` as one line to standard error (or to ``errorText`` in memory), prefixed `edigate: ` unless
    /// it is a usage message that names the command itself.
    mutating func errorLine(_ text: String, prefixed: Bool = true) {
        let line = (prefixed ? "edigate: " : "") + text + "\n"
        switch self.destination {
        case .standardOutput:
            self.flush()
            Self.writeAll(Array(line.utf8), to: 2)
        case .memory:
            self.errorText += line
        }
    }
}

/// Reads a file (or standard input for `-`) in chunks.
struct InputFile {
    let path: String
    private let descriptor: Int32

    struct OpenError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(self.path): \(self.reason)" }
    }

    init(path: String) throws(OpenError) {
        self.path = path
        if path == "-" {
            self.descriptor = 0
            return
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            _ = Glibc.close(descriptor)
            throw OpenError(path: path, reason: "is a directory")
        }
        self.descriptor = descriptor
    }

    /// The next chunk of at most `size` bytes; empty at end of file.
    func read(upTo size: Int = 1 << 20) throws(OpenError) -> [UInt8] {
        var failure: Int32 = 0
        let descriptor = self.descriptor
        let chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 { break }
                initialized += count
            }
        }
        if failure != 0 { throw OpenError(path: self.path, reason: String(cString: strerror(failure))) }
        return chunk
    }

    func close() {
        if self.descriptor > 0 { _ = Glibc.close(self.descriptor) }
    }
}

/// Expands directories into the regular files below them, sorted, skipping hidden entries and the notes (`.md`) and
/// JSON beside the samples.
enum InputPaths {
    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path in
            guard path != "-", FileBytes.isDirectory(path) else { return [path] }
            return FileBytes.files(under: path, suffix: "").filter { !$0.hasSuffix(".md") && !$0.hasSuffix(".json") }
        }
    }
}
