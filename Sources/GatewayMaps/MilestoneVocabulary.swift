/// Status codes to canonical milestones, from `Maps/Vocabulary/milestones.tsv` (`code_list`, `code`, `milestone`,
/// `meaning`; `#` lines are comments). A code the table does not list maps to `other`, and the code is kept.
public struct MilestoneVocabulary: Sendable {
    private var milestones: [String: String] = [:]

    /// An empty vocabulary: every code is `other`.
    public init() {}

    /// The vocabulary in the file at `path`; empty when the file cannot be read.
    public init(path: String) {
        guard let bytes = FileBytes.read(path, limit: 1 << 20) else { return }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, columns[0] != "code_list" else { continue }
            self.milestones[columns[0] + "\t" + columns[1]] = columns[2]
        }
    }

    /// The milestone for `code` in `codeList` (`X12 1650`), or `other`.
    public func milestone(for code: String, in codeList: String) -> String {
        self.milestones[codeList + "\t" + code] ?? "other"
    }

}
