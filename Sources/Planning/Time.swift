import Foundation

/// A value written in JSON as one string: its `description`, read back by `parse`.
public protocol StringCodable: Codable, CustomStringConvertible {
    static func parse(_ s: String) -> Self?
    /// What the string should look like, for decoding errors.
    static var expected: String { get }
}

extension StringCodable {
    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let v = Self.parse(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected \(Self.expected), got \(s)"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A local time of day, "HH:MM" (00:00 … 24:00), stored as minutes after midnight.
public struct LocalTime: Sendable, Hashable, Comparable, StringCodable {
    public var minutes: Int
    public init(minutes: Int) { self.minutes = minutes }
    public init(_ h: Int, _ m: Int) { minutes = h * 60 + m }

    public var seconds: Int { minutes * 60 }
    public var description: String { Self.format(seconds: seconds) }

    /// "HH:MM" of a number of seconds after midnight (past 24:00 keeps counting hours).
    public static func format(seconds: Int) -> String {
        let m = seconds / 60
        return pad2(m / 60) + ":" + pad2(m % 60)
    }

    public static func parse(_ s: String) -> LocalTime? {
        let u = Array(s.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":"), let h = digits(u[0..<2]), let m = digits(u[3..<5]),
              m < 60, h < 24 || (h == 24 && m == 0) else { return nil }
        return LocalTime(h, m)
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutes < b.minutes }
    public static let expected = "a local time HH:MM"
}

/// `from ... to`, both local times of the same day.
public struct TimeWindow: Codable, Sendable, Hashable, CustomStringConvertible {
    public var from: LocalTime
    public var to: LocalTime
    public init(from: LocalTime, to: LocalTime) {
        self.from = from
        self.to = to
    }
    public var description: String { "\(from)–\(to)" }
}

/// A calendar date, "YYYY-MM-DD" (proleptic Gregorian).
public struct CalendarDate: Sendable, Hashable, Comparable, StringCodable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(year, month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func parse(_ s: String) -> CalendarDate? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(u[0..<4]), let m = digits(u[5..<7]), let d = digits(u[8..<10]) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Hinnant's `days_from_civil`).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01 (Hinnant's `civil_from_days`).
    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year) + "-" + pad2(month) + "-" + pad2(day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
    public static let expected = "a date YYYY-MM-DD"
}

/// An ISO 8601 instant with an explicit offset ("2025-09-15T21:04:05+08:00" or "…Z"), kept as
/// written and as whole seconds since the epoch (fractions are dropped).
public struct Timestamp: Sendable, Hashable, Comparable, StringCodable {
    public var text: String
    public var epochSeconds: Int

    public static func parse(_ s: String) -> Timestamp? {
        let u = Array(s.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
              let date = CalendarDate.parse(String(decoding: u[0..<10], as: UTF8.self)),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let h = digits(u[11..<13]), let m = digits(u[14..<16]), let sec = digits(u[17..<19]),
              h < 24, m < 60, sec < 60 else { return nil }
        var i = 19
        if u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") { i += 1 }
            if i == start { return nil }
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == UInt8(ascii: "Z") {
            guard i + 1 == u.count else { return nil }
        } else {
            guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"),
                  let oh = digits(u[(i + 1)..<(i + 3)]), let om = digits(u[(i + 4)..<(i + 6)]), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        let local = date.daysSinceEpoch * 86_400 + h * 3600 + m * 60 + sec
        return Timestamp(text: s, epochSeconds: local - offset)
    }

    public var description: String { text }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.epochSeconds < b.epochSeconds }

    public init(text: String, epochSeconds: Int) {
        self.text = text
        self.epochSeconds = epochSeconds
    }
    public static let expected = "an ISO 8601 time with offset"
}

/// Local wall-clock times of one delivery day in the scenario's time zone: the routing core
/// counts integer seconds after local midnight; outputs show ISO 8601 with the zone's offset.
public struct DayClock: Sendable {
    public let date: CalendarDate
    public let timeZone: TimeZone

    public init(date: CalendarDate, timeZone: TimeZone) {
        self.date = date
        self.timeZone = timeZone
    }

    /// Offset (seconds east of UTC) in force at `s` seconds after local midnight.
    public func offset(at s: Int) -> Int {
        let guess = date.daysSinceEpoch * 86_400 + s
        let first = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess)))
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess - first)))
    }

    /// Seconds since the epoch of `s` seconds after local midnight (may be negative: the day before).
    public func epochSeconds(at s: Int) -> Int { date.daysSinceEpoch * 86_400 + s - offset(at: s) }

    /// "2025-09-16T06:41:00+08:00".
    public func iso(_ s: Int) -> String {
        let dayShift = Int((Double(s) / 86_400).rounded(.down))
        let d = date.adding(days: dayShift)
        let r = s - dayShift * 86_400
        let off = offset(at: s)
        let sign = off < 0 ? "-" : "+"
        let a = abs(off) / 60
        return "\(d)T\(pad2(r / 3600)):\(pad2(r / 60 % 60)):\(pad2(r % 60))\(sign)\(pad2(a / 60)):\(pad2(a % 60))"
    }
}

@inline(__always) func pad2(_ n: Int) -> String { n < 10 && n >= 0 ? "0\(n)" : "\(n)" }

func digits(_ s: ArraySlice<UInt8>) -> Int? {
    var v = 0
    for b in s {
        guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
        v = v * 10 + Int(b - UInt8(ascii: "0"))
    }
    return s.isEmpty ? nil : v
}
