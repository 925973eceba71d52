import Foundation

/// A parsed JSON document, kept as a tree so that every field is read with its JSON pointer
/// and unknown fields can be refused by name.
indirect enum JSONValue: Sendable, Decodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ data: Data) throws(VroomError) -> JSONValue { try JSONReader.parse(data) }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON node with its pointer (RFC 6901), for typed reads that name the field on error.
struct Node {
    let value: JSONValue
    let pointer: String

    func child(_ key: String, _ v: JSONValue) -> Node {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return Node(value: v, pointer: pointer + "/" + key)
        }
        let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        return Node(value: v, pointer: pointer + "/" + escaped)
    }

    func fail(_ reason: String) -> VroomError { VroomError(pointer: pointer, reason) }

    /// The members of an object; any key outside `known` is refused.
    func object(known: Set<String>) throws(VroomError) -> Fields {
        guard case .object(let members) = value else { throw fail("expected an object, found \(value.kind)") }
        for key in members.keys.sorted() where !known.contains(key) {
            throw child(key, .null).fail("unknown field")
        }
        return Fields(node: self, members: members)
    }

    func array() throws(VroomError) -> [Node] {
        guard case .array(let items) = value else { throw fail("expected an array, found \(value.kind)") }
        return items.enumerated().map { child(String($0.offset), $0.element) }
    }

    func integer(in range: ClosedRange<Int>) throws(VroomError) -> Int {
        let n: Int
        switch value {
        case .integer(let i): n = i
        case .number(let d) where d.rounded() == d && abs(d) < 9e15: n = Int(d)
        default: throw fail("expected an integer, found \(value.kind)")
        }
        guard range.contains(n) else { throw fail("\(n) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return n
    }

    func number() throws(VroomError) -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: throw fail("expected a number, found \(value.kind)")
        }
    }

    func string() throws(VroomError) -> String {
        guard case .string(let s) = value else { throw fail("expected a string, found \(value.kind)") }
        return s
    }

    /// Matrix rows are long: the pointer of an entry is built only when it is at fault.
    func integers(in range: ClosedRange<Int>) throws(VroomError) -> [Int] {
        guard case .array(let items) = value else { throw fail("expected an array, found \(value.kind)") }
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            if case .integer(let n) = item, range.contains(n) { out.append(n); continue }
            out.append(try child(String(k), item).integer(in: range))
        }
        return out
    }
}

/// The members of one JSON object; absent and null members read as nil.
struct Fields {
    let node: Node
    let members: [String: JSONValue]

    subscript(_ key: String) -> Node? {
        guard let v = members[key] else { return nil }
        if case .null = v { return nil }
        return node.child(key, v)
    }

    func required(_ key: String) throws(VroomError) -> Node {
        guard let n = self[key] else { throw node.child(key, .null).fail("missing") }
        return n
    }
}
