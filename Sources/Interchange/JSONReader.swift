import Foundation

/// A byte-level RFC 8259 reader into `JSONValue`. Foundation's decoders spend most of their time
/// on failed type guesses; VROOM inputs are mostly matrices of integers, read here directly.
struct JSONReader {
    private let bytes: [UInt8]
    private var i = 0

    static func parse(_ data: Data) throws(VroomError) -> JSONValue {
        var r = JSONReader(bytes: [UInt8](data))
        r.skipSpace()
        let v = try r.value(depth: 0)
        r.skipSpace()
        guard r.i == r.bytes.count else { throw r.fail("unexpected text after the document") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ reason: String) -> VroomError {
        VroomError(pointer: "", "malformed JSON at offset \(i): \(reason)")
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func expect(_ word: String, _ v: JSONValue) throws(VroomError) -> JSONValue {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("expected \(word)") }
            i += 1
        }
        return v
    }

    private mutating func value(depth: Int) throws(VroomError) -> JSONValue {
        guard depth < 64 else { throw fail("nested deeper than 64 levels") }
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                guard members[key] == nil else { throw fail("duplicate member \"\(key)\"") }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                members[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                i += 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try number()
        }
    }

    private mutating func number() throws(VroomError) -> JSONValue {
        let start = i
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digits = i
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 { i += 1; continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: "-") { integral = false; i += 1; continue }
            break
        }
        guard i > digits, bytes[digits] >= 0x30, bytes[digits] <= 0x39 else { throw fail("expected a value") }
        if integral, i - digits <= 18 {
            var n = 0
            for k in digits..<i { n = n * 10 + Int(bytes[k] - 0x30) }
            return .integer(digits > start ? -n : n)
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let n = Int(text) { return .integer(n) }
        guard let d = Double(text), d.isFinite else { throw fail("bad number \(text)") }
        return .number(d)
    }

    private mutating func string() throws(VroomError) -> String {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b >= 0x20 else { throw fail("control character in a string") }
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            if let plain = Self.escapes[e] { out.append(plain); continue }
            switch e {
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }

    /// The one-character escapes and the bytes they stand for.
    private static let escapes: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: zip(Array(#""\/bfnrt"#.utf8),
                                                                                      [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09]))

    private mutating func hex4() throws(VroomError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        i += 4
        return v
    }
}
