#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole (small) file: maps and vocabularies (and, within the package, fuzz seeds).
package enum FileBytes {
    /// The file's bytes, or `nil` when it cannot be read or is larger than `limit`.
    package static func read(_ path: String, limit: Int) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > limit { return nil }
        }
        return ferror(file) == 0 ? bytes : nil
    }

    /// The names of the entries of `directory`, sorted; empty when it cannot be read.
    package static func entries(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The regular files under `directory` and its folders whose names end in `suffix`, folder by folder in name
    /// order; names starting with `.` are skipped, and so are devices, sockets and pipes (opening a pipe would wait).
    package static func files(under directory: String, suffix: String) -> [String] {
        var result: [String] = []
        let folder = directory.hasSuffix("/") ? directory : directory + "/"
        for name in self.entries(directory) where !name.hasPrefix(".") {
            let path = folder + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                result += self.files(under: path, suffix: suffix)
            } else if (info.st_mode & S_IFMT) == S_IFREG && name.hasSuffix(suffix) {
                result.append(path)
            }
        }
        return result
    }

    /// Whether `path` is a folder.
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
