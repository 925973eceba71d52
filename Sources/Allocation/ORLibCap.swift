#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An OR-Library capacitated warehouse location file (Beasley's `cap41` … `capc`) read into a
/// `FacilityLocationProblem` with exact integer units.
///
/// Format (whitespace-separated): `m n`; m lines `capacity fixed_cost`; then per customer j
/// `demand_j c_1j … c_mj`, where c_ij is the cost of serving all of j from warehouse i. In
/// `capa`/`capb`/`capc` every capacity is the word `capacity`, to be replaced by a value.
///
/// Units: the files write money with up to 5 decimals (`6739.72500`). Every number is parsed as
/// an exact decimal and scaled by `costScale` = 10^k, k the most decimals any fixed or assignment
/// cost needs after dropping trailing zeros, so the solver sees integers and
/// `objective / costScale` is the value in the file's units (demand and capacity likewise with
/// `demandScale`, 1 for every OR-Library file).
public struct ORLibCapInstance: Sendable {
    public let problem: FacilityLocationProblem
    public let costScale: Int64
    public let demandScale: Int64
    /// The file writes the word `capacity` instead of numbers (capa/capb/capc).
    public let usesCapacityWord: Bool

    /// A cost in the solver's integer units as a value in the file's units.
    public func fileUnits(_ cost: Double) -> Double { cost / Double(costScale) }
}

/// A problem with an OR-Library file, at a line and field when known.
public struct ORLibError: Error, Equatable, CustomStringConvertible {
    public var line: Int?
    public var field: String?
    public var reason: String

    public init(line: Int? = nil, field: String? = nil, _ reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        [line.map { "line \($0)" }, field, reason].compactMap { $0 }.joined(separator: ": ")
    }
}

public enum ORLibCapReader {
    /// Parses the text of a `cap` file.
    /// - Parameters:
    ///   - capacity: the value that replaces the word `capacity` (required for such files, refused
    ///     for files with numeric capacities so it is never silently ignored).
    ///   - sourcing: `.split` is OR-Library's convention (its optima assume it).
    public static func parse(
        _ text: String, capacity: String? = nil, sourcing: FacilityLocationProblem.Sourcing = .split
    ) throws(ORLibError) -> ORLibCapInstance {
        var tokens = Tokenizer(Array(text.utf8))
        guard let mTok = tokens.next() else { throw ORLibError("empty file") }
        let m = try count(mTok, field: "m (number of warehouses)")
        guard let nTok = tokens.next() else { throw ORLibError(line: mTok.line, "file ends after m; expected n") }
        let n = try count(nTok, field: "n (number of customers)")
        guard m <= 100_000, n <= 10_000_000, m * n <= 50_000_000 else {
            throw ORLibError(line: mTok.line, "\(m) × \(n) is too large")
        }

        let capacityValue: Decimal? = try capacity.map { s throws(ORLibError) in
            guard let d = Decimal(s), d.mantissa >= 0 else {
                throw ORLibError(field: "--capacity", "must be a non-negative number, got '\(s)'")
            }
            return d
        }
        var capacities: [Decimal] = []
        var fixed: [Decimal] = []
        var usesWord = false, usesNumber = false
        for i in 0..<m {
            guard let t = tokens.next() else { throw ORLibError(field: "warehouses[\(i)].capacity", "file ends early") }
            if t.text == "capacity" {
                usesWord = true
                guard let capacityValue else {
                    throw ORLibError(line: t.line, field: "warehouses[\(i)].capacity",
                                     "the file writes the word 'capacity'; give its value (--capacity N)")
                }
                capacities.append(capacityValue)
            } else {
                usesNumber = true
                capacities.append(try number(t, field: "warehouses[\(i)].capacity"))
            }
            guard let f = tokens.next() else { throw ORLibError(field: "warehouses[\(i)].fixed_cost", "file ends early") }
            fixed.append(try number(f, field: "warehouses[\(i)].fixed_cost"))
        }
        if capacityValue != nil && !usesWord {
            throw ORLibError(field: "--capacity", "the file gives numeric capacities; --capacity only replaces the word 'capacity'")
        }
        _ = usesNumber

        var demands: [Decimal] = []
        demands.reserveCapacity(n)
        var costs = [Decimal](repeating: Decimal(mantissa: 0, decimals: 0), count: m * n)
        for j in 0..<n {
            guard let d = tokens.next() else { throw ORLibError(field: "customers[\(j)].demand", "file ends early") }
            demands.append(try number(d, field: "customers[\(j)].demand"))
            for i in 0..<m {
                guard let c = tokens.next() else { throw ORLibError(field: "customers[\(j)].cost[\(i)]", "file ends early") }
                costs[i * n + j] = try number(c, field: "customers[\(j)].cost[\(i)]")
            }
        }
        if let extra = tokens.next() {
            throw ORLibError(line: extra.line, "unexpected data after the last customer: '\(extra.text)'")
        }

        let costDecimals = max(fixed.map(\.decimals).max() ?? 0, costs.lazy.map(\.decimals).max() ?? 0)
        let demandDecimals = max(capacities.map(\.decimals).max() ?? 0, demands.map(\.decimals).max() ?? 0)
        let costScale = pow10(costDecimals), demandScale = pow10(demandDecimals)
        let fixedInt = try fixed.enumerated().map { (i, v) throws(ORLibError) in try v.scaled(to: costDecimals, field: "warehouses[\(i)].fixed_cost") }
        let capInt = try capacities.enumerated().map { (i, v) throws(ORLibError) in try v.scaled(to: demandDecimals, field: "warehouses[\(i)].capacity") }
        let demandInt = try demands.enumerated().map { (j, v) throws(ORLibError) in try v.scaled(to: demandDecimals, field: "customers[\(j)].demand") }
        var flat = [Int64](repeating: 0, count: m * n)
        for k in 0..<(m * n) {
            flat[k] = try costs[k].scaled(to: costDecimals, field: "customers[\(k % max(n, 1))].cost[\(k / max(n, 1))]")
        }
        let facilities = (0..<m).map { FacilityLocationProblem.Facility(capacity: capInt[$0], fixedCost: fixedInt[$0]) }
        do {
            let problem = try FacilityLocationProblem(facilities: facilities, demands: demandInt, sourcing: sourcing, flatCosts: flat)
            return ORLibCapInstance(problem: problem, costScale: costScale, demandScale: demandScale, usesCapacityWord: usesWord)
        } catch {
            throw ORLibError(error.description)
        }
    }

    /// Reads and parses a file.
    public static func read(
        path: String, capacity: String? = nil, sourcing: FacilityLocationProblem.Sourcing = .split
    ) throws(ORLibError) -> ORLibCapInstance {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ORLibError("cannot read \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), capacity: capacity, sourcing: sourcing)
    }

    // MARK: - Lexing

    struct Token {
        var text: String
        var line: Int
    }

    struct Tokenizer {
        let bytes: [UInt8]
        var at = 0
        var line = 1
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func next() -> Token? {
            while at < bytes.count, isSpace(bytes[at]) {
                if bytes[at] == 10 { line += 1 }
                at += 1
            }
            guard at < bytes.count else { return nil }
            let start = at
            while at < bytes.count, !isSpace(bytes[at]) { at += 1 }
            return Token(text: String(decoding: bytes[start..<at], as: UTF8.self), line: line)
        }

        private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
    }

    /// An exact decimal: mantissa · 10^-decimals, trailing zeros of the fraction dropped.
    struct Decimal: Equatable {
        var mantissa: Int64
        var decimals: Int

        init(mantissa: Int64, decimals: Int) {
            self.mantissa = mantissa
            self.decimals = decimals
        }

        /// `123`, `-4.50`, `7500.`; no exponent, at most 18 significant digits.
        init?(_ s: String) {
            var digits: [UInt8] = []
            var negative = false
            var decimals = 0, seenPoint = false, any = false
            for (k, b) in s.utf8.enumerated() {
                switch b {
                case UInt8(ascii: "-") where k == 0: negative = true
                case UInt8(ascii: "+") where k == 0: break
                case UInt8(ascii: "."):
                    if seenPoint { return nil }
                    seenPoint = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    any = true
                    digits.append(b - UInt8(ascii: "0"))
                    if seenPoint { decimals += 1 }
                default: return nil
                }
            }
            guard any else { return nil }
            while decimals > 0, digits.last == 0 {
                digits.removeLast()
                decimals -= 1
            }
            while digits.count > 1, digits.first == 0 { digits.removeFirst() }
            guard digits.count <= 18 else { return nil }
            var v: Int64 = 0
            for d in digits { v = v * 10 + Int64(d) }
            self.init(mantissa: negative ? -v : v, decimals: decimals)
        }

        func scaled(to k: Int, field: String) throws(ORLibError) -> Int64 {
            let (v, overflow) = mantissa.multipliedReportingOverflow(by: pow10(k - decimals))
            guard !overflow else { throw ORLibError(field: field, "too large after scaling to integer units (10^\(k))") }
            return v
        }
    }

    private static func number(_ t: Token, field: String) throws(ORLibError) -> Decimal {
        guard let d = Decimal(t.text) else {
            throw ORLibError(line: t.line, field: field, "expected a number, got '\(t.text)'")
        }
        guard d.mantissa >= 0 else { throw ORLibError(line: t.line, field: field, "must not be negative, got \(t.text)") }
        guard d.decimals <= 9 else { throw ORLibError(line: t.line, field: field, "more than 9 decimals: \(t.text)") }
        return d
    }

    private static func count(_ t: Token, field: String) throws(ORLibError) -> Int {
        guard let d = Decimal(t.text), d.decimals == 0, d.mantissa >= 0, let v = Int(exactly: d.mantissa) else {
            throw ORLibError(line: t.line, field: field, "expected a non-negative integer, got '\(t.text)'")
        }
        return v
    }
}

@inline(__always) func pow10(_ k: Int) -> Int64 {
    var p: Int64 = 1
    for _ in 0..<k { p *= 10 }
    return p
}
