import RoadNetwork

/// Reads typed fields out of a positioned JSON object, turning every problem into an
/// `InputError` that names the file, the line of the value and the field's path. Public so
/// that sections read by other modules (the simulation's) report errors the same way.
public struct Fields {
    public let file: String
    public let path: String
    public let node: JSONNode
    private let members: [(key: String, node: JSONNode)]

    /// The object's keys in file order (for maps such as `{"PP-001": 1.4}`).
    public var keys: [String] { members.map(\.key) }

    public init(_ node: JSONNode, path: String, file: String) throws(InputError) {
        guard case .object(let m) = node.value else {
            throw InputError(file: file, line: node.line, field: path.isEmpty ? nil : path,
                             "must be an object, got \(node.shortDescription)")
        }
        self.file = file
        self.path = path
        self.node = node
        members = m
    }

    public func sub(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func fail(_ key: String, _ node: JSONNode?, _ reason: String) -> InputError {
        InputError(file: file, line: (node ?? self.node).line, field: sub(key), reason)
    }

    /// Every key must be one of `known` (catches typos such as `qyt`).
    public func rejectUnknown(_ known: [String]) throws(InputError) {
        for (k, n) in members where !known.contains(k) {
            throw fail(k, n, "unknown field (expected one of: \(known.joined(separator: ", ")))")
        }
    }

    /// The value, or nil when absent or null.
    public func optional(_ key: String) -> JSONNode? {
        guard let n = members.first(where: { $0.key == key })?.node else { return nil }
        if case .null = n.value { return nil }
        return n
    }

    public func required(_ key: String) throws(InputError) -> JSONNode {
        guard let n = optional(key) else { throw fail(key, nil, "required field is missing") }
        return n
    }

    /// A non-empty string of at most `InputLimits.textBytes` bytes.
    public func string(_ key: String) throws(InputError) -> String {
        try stringValue(key, try required(key))
    }

    public func optionalString(_ key: String) throws(InputError) -> String? {
        guard let n = optional(key) else { return nil }
        return try stringValue(key, n)
    }

    /// An id: a non-empty string of at most `bytes` bytes of UTF-8 without control characters
    /// (ids become file names and URL path segments, see `DocumentPath`).
    public func id(_ key: String, bytes: Int = InputLimits.idBytes) throws(InputError) -> String {
        let n = try required(key)
        let s = try stringValue(key, n)
        if let problem = InputLimits.idProblem(s, bytes: bytes) { throw fail(key, n, problem) }
        return s
    }

    public func optionalId(_ key: String) throws(InputError) -> String? {
        guard optional(key) != nil else { return nil }
        return try id(key)
    }

    private func stringValue(_ key: String, _ n: JSONNode) throws(InputError) -> String {
        guard case .string(let s) = n.value else { throw fail(key, n, "must be a string, got \(n.shortDescription)") }
        guard !s.isBlank else { throw fail(key, n, "must not be empty") }
        guard s.utf8.count <= InputLimits.textBytes else {
            throw fail(key, n, "must be at most \(InputLimits.textBytes) bytes of UTF-8, got \(s.utf8.count)")
        }
        return s
    }

    /// An integer in `range` (its documented range, `InputLimits`); a lower bound of 1 reads as
    /// "a positive integer", 0 as "an integer ≥ 0"; above the range: "must be at most N".
    public func int(_ key: String, in range: ClosedRange<Int>) throws(InputError) -> Int {
        let n = try required(key)
        let min = range.lowerBound
        let what = min == 1 ? "a positive integer" : "an integer ≥ \(min)"
        guard case .number(let text) = n.value else { throw fail(key, n, "must be \(what), got \(n.shortDescription)") }
        let isWhole = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        guard isWhole else { throw fail(key, n, "must be \(what), got \(text)") }
        guard let v = Int(text) else {
            throw fail(key, n, text.hasPrefix("-") ? "must be \(what), got \(text)" : "must be at most \(range.upperBound), got \(text)")
        }
        guard v >= min else { throw fail(key, n, "must be \(what), got \(text)") }
        guard v <= range.upperBound else { throw fail(key, n, "must be at most \(range.upperBound), got \(text)") }
        return v
    }

    /// `int(_:in:)` when present; nil when absent or null.
    public func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(InputError) -> Int? {
        guard optional(key) != nil else { return nil }
        return try int(key, in: range)
    }

    public func double(_ key: String, in range: ClosedRange<Double>) throws(InputError) -> Double {
        let n = try required(key)
        guard case .number(let text) = n.value, let v = Double(text) else {
            throw fail(key, n, "must be a number, got \(n.shortDescription)")
        }
        guard range.contains(v) else { throw fail(key, n, "must be between \(range.lowerBound) and \(range.upperBound), got \(text)") }
        return v
    }

    public func time(_ key: String) throws(InputError) -> LocalTime {
        let n = try required(key)
        guard case .string(let s) = n.value, let t = LocalTime.parse(s) else {
            throw fail(key, n, "must be a local time \"HH:MM\", got \(n.shortDescription)")
        }
        return t
    }

    public func date(_ key: String) throws(InputError) -> CalendarDate {
        let n = try required(key)
        guard case .string(let s) = n.value, let d = CalendarDate.parse(s) else {
            throw fail(key, n, "must be a date \"YYYY-MM-DD\", got \(n.shortDescription)")
        }
        return d
    }

    public func timestamp(_ key: String) throws(InputError) -> Timestamp {
        let n = try required(key)
        guard case .string(let s) = n.value, let t = Timestamp.parse(s) else {
            throw fail(key, n, "must be an ISO 8601 time with offset, e.g. \"2025-09-15T21:04:05+08:00\", got \(n.shortDescription)")
        }
        return t
    }

    public func oneOf<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(InputError) -> E where E.RawValue == String {
        let n = try required(key)
        guard case .string(let s) = n.value, let e = E(rawValue: s) else {
            let names = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw fail(key, n, "must be one of \(names), got \(n.shortDescription)")
        }
        return e
    }

    public func object(_ key: String) throws(InputError) -> Fields {
        try Fields(try required(key), path: sub(key), file: file)
    }

    public func optionalObject(_ key: String) throws(InputError) -> Fields? {
        guard let n = optional(key) else { return nil }
        return try Fields(n, path: sub(key), file: file)
    }

    /// The items with their paths (`lines[0]`, `lines[1]`, …).
    public func array(_ key: String, nonEmpty: Bool = true, max: Int) throws(InputError) -> [(path: String, node: JSONNode)] {
        let n = try required(key)
        guard case .array(let items) = n.value else { throw fail(key, n, "must be an array, got \(n.shortDescription)") }
        if nonEmpty && items.isEmpty { throw fail(key, n, "must not be empty") }
        if items.count > max { throw fail(key, n, "must have at most \(max) items, got \(items.count)") }
        return items.enumerated().map { ("\(sub(key))[\($0.offset)]", $0.element) }
    }

    public func coordinate(_ key: String) throws(InputError) -> Coordinate {
        let o = try object(key)
        try o.rejectUnknown(["lon", "lat"])
        return Coordinate(lon: try o.double("lon", in: -180...180), lat: try o.double("lat", in: -90...90))
    }

    public func window(_ key: String) throws(InputError) -> TimeWindow {
        let o = try object(key)
        try o.rejectUnknown(["from", "to"])
        let w = TimeWindow(from: try o.time("from"), to: try o.time("to"))
        guard w.from < w.to else {
            throw InputError(file: file, line: o.node.line, field: o.path, "window \(w) ends before it starts")
        }
        return w
    }
}

extension String {
    /// Empty or white space only. A first byte of printable ASCII decides at once (almost
    /// every id); anything else takes the full Unicode test.
    var isBlank: Bool {
        if let b = utf8.first, b > 0x20, b < 0x7F { return false }
        return trimmingSpaces.isEmpty
    }

    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
