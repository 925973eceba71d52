/// A JSON value that remembers the line it starts on, so that input errors can name the line of
/// the field at fault (`scenario.json:42: pickup_points[3].location.lat: …`). Foundation's
/// decoders do not report positions; this small RFC 8259 parser does.
public struct JSONNode: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        /// Members in file order (duplicate keys are rejected by the parser).
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// The number's text as written, so integers are never routed through Double.
        case number(String)
        case bool(Bool)
        case null

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case let (.object(x), .object(y)):
                x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.node == $1.node }
            case let (.array(x), .array(y)): x == y
            case let (.string(x), .string(y)): x == y
            case let (.number(x), .number(y)): x == y
            case let (.bool(x), .bool(y)): x == y
            case (.null, .null): true
            default: false
            }
        }
    }

    public var value: Value
    public var line: Int

    /// A short rendering of the value for error messages (`"abc"`, `-3`, `an object`).
    public var shortDescription: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }
}

public struct JSONSyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// Recursive-descent parser over UTF-8 bytes. `firstLine` numbers the first line of `bytes`.
public struct JSONParser {
    private let bytes: [UInt8]
    /// The value's bytes are `bytes[i..<end]` (a line of a JSON Lines body is parsed in place).
    private let end: Int
    private var i: Int
    private var line: Int
    private var lineStart: Int
    private var depth = 0

    public static func parse(_ bytes: [UInt8], firstLine: Int = 1) throws(JSONSyntaxError) -> JSONNode {
        try parse(bytes, range: 0..<bytes.count, firstLine: firstLine)
    }

    /// The value in `bytes[range]`; columns count from `range.lowerBound`.
    public static func parse(_ bytes: [UInt8], range: Range<Int>, firstLine: Int = 1) throws(JSONSyntaxError) -> JSONNode {
        var p = JSONParser(bytes: bytes, range: range, line: firstLine)
        p.skipSpace()
        let node = try p.parseValue()
        p.skipSpace()
        if p.i < p.end { throw p.error("unexpected \(p.describeHere()) after the JSON value") }
        return node
    }

    public static func parse(_ text: String, firstLine: Int = 1) throws(JSONSyntaxError) -> JSONNode {
        try parse(Array(text.utf8), firstLine: firstLine)
    }

    private init(bytes: [UInt8], range: Range<Int>, line: Int) {
        self.bytes = bytes
        end = range.upperBound
        i = range.lowerBound
        lineStart = range.lowerBound
        self.line = line
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: i - lineStart + 1, message: message)
    }

    private func describeHere() -> String {
        guard i < end else { return "end of input" }
        let b = bytes[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private mutating func skipSpace() {
        while i < end {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A:
                i += 1
                line += 1
                lineStart = i
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard i < end else { throw error("unexpected end of input, expected a value") }
        let startLine = line
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString()), line: startLine)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), line: startLine)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), line: startLine)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, line: startLine)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), line: startLine)
        default:
            throw error("unexpected \(describeHere()), expected a value")
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        guard i + w.count <= end, Array(bytes[i..<i + w.count]) == w else {
            throw error("unexpected \(describeHere()), expected a value")
        }
        i += w.count
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > 256 { throw error("nested too deeply") }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        let startLine = line
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [(key: String, node: JSONNode)] = []
        // Duplicate keys: a scan of the few members an order or scenario object has, a set
        // for the large maps (hashing every key cost more than the scan).
        var seen: Set<String>? = nil
        skipSpace()
        if i < end, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return JSONNode(value: .object(members), line: startLine)
        }
        while true {
            skipSpace()
            guard i < end, bytes[i] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeHere()), expected a field name in quotes")
            }
            let keyStart = i
            let key = try parseString()
            let repeated: Bool
            if seen == nil && members.count < 16 {
                repeated = members.contains { $0.key == key }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                repeated = !seen!.insert(key).inserted
            }
            if repeated {
                throw JSONSyntaxError(line: line, column: keyStart - lineStart + 1, message: "field \"\(key)\" appears twice")
            }
            skipSpace()
            guard i < end, bytes[i] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeHere()), expected ':' after \"\(key)\"")
            }
            i += 1
            skipSpace()
            members.append((key, try parseValue()))
            skipSpace()
            guard i < end else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw error("unexpected \(describeHere()), expected ',' or '}'")
        }
        return JSONNode(value: .object(members), line: startLine)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        let startLine = line
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < end, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return JSONNode(value: .array(items), line: startLine)
        }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard i < end else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw error("unexpected \(describeHere()), expected ',' or ']'")
        }
        return JSONNode(value: .array(items), line: startLine)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        i += 1
        // Most strings (ids, SKUs, dates) hold no escape: taken whole from the input.
        var stop = i, ascii = true
        while stop < end {
            let b = bytes[stop]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b >= 0x80 { ascii = false }
            stop += 1
        }
        if stop < end, bytes[stop] == UInt8(ascii: "\"") {
            let text = bytes[i..<stop]
            i = stop
            let s: String? = ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
            guard let s else { throw error("string is not valid UTF-8") }
            i += 1
            return s
        }
        var out: [UInt8] = Array(bytes[i..<stop])
        i = stop
        while true {
            guard i < end else { throw error("unterminated string") }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < end else { throw error("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard i + 1 < end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(UnicodeScalar(code)!)).utf8))
                default:
                    i -= 1
                    throw error("invalid escape \\\(describeHere())")
                }
            case 0x00..<0x20:
                throw error(b == 0x0A ? "unterminated string (line break inside a string)" : "control character in string")
            default:
                out.append(b)
                i += 1
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= end else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = i
        func digits() -> Int {
            let s = i
            while i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else {
            throw error("invalid number")
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                throw error("invalid number: leading zero")
            }
        } else {
            _ = digits()
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { throw error("invalid number: no digits after '.'") }
        }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { throw error("invalid number: no digits in exponent") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }
}
