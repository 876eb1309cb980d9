import Yams

/// A profile as plain data, keys in the format's order, for YAML and JSON text.
enum ProfileTree {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([ProfileTree])
    case mapping([(String, ProfileTree)])

    var node: Node {
        switch self {
        case .string(let text): Node(text, Tag(.str), Self.needsQuotes(text) ? .doubleQuoted : .any)
        case .integer(let value): Node(String(value), Tag(.int))
        case .boolean(let value): Node(value ? "true" : "false", Tag(.bool))
        case .list(let items): Node(items.map(\.node))
        case .mapping(let pairs): Node(pairs.map { (Node($0.0, Tag(.str)), $0.1.node) })
        }
    }

    /// Text that YAML would read as another type (`'214'`, `off`), or that holds YAML indicators (`*`, `~`).
    static func needsQuotes(_ text: String) -> Bool {
        let plain = Node(text)
        return Tag.Name(rawValue: plain.tag.rawValue) != .str || text.count == 1
    }

    func writeJSON(into text: inout String, indent: String) {
        switch self {
        case .string(let value): Self.writeJSONString(value, into: &text)
        case .integer(let value): text += String(value)
        case .boolean(let value): text += value ? "true" : "false"
        case .list(let items):
            if items.isEmpty {
                text += "[]"
                return
            }
            text += "[\n"
            for (index, item) in items.enumerated() {
                text += indent + "  "
                item.writeJSON(into: &text, indent: indent + "  ")
                text += index == items.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .mapping(let pairs):
            if pairs.isEmpty {
                text += "{}"
                return
            }
            text += "{\n"
            for (index, (key, value)) in pairs.enumerated() {
                text += indent + "  "
                Self.writeJSONString(key, into: &text)
                text += ": "
                value.writeJSON(into: &text, indent: indent + "  ")
                text += index == pairs.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        }
    }

    static func writeJSONString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
