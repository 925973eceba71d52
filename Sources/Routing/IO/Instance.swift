import Foundation

/// Benchmark file formats the readers understand.
public enum InstanceFormat: String, Sendable, CaseIterable {
    /// CVRPLIB / TSPLIB text (EUC_2D, distances rounded to the nearest integer).
    case vrplib
    /// Solomon VRPTW text, distance-only convention: Euclidean truncated to one decimal, travel
    /// time = distance; everything is kept in integer tenths (scale 10).
    case solomon
    /// Cordeau MDVRP text: unrounded Euclidean distances, kept as integers at scale 10 000
    /// (each arc rounded to the nearest 1/10 000).
    case cordeau
}

/// A benchmark instance read from a file, with what is needed to print its solutions the way
/// the literature does.
public struct BenchmarkInstance: Sendable {
    public var name: String
    public var format: InstanceFormat
    public var data: ProblemData
    /// Integer units per printed unit of cost (1, 10 or 10 000).
    public var scale: Int
    /// The number printed for each client index in `.sol` files.
    public var customerIDs: [Int]

    /// A cost in printed units, with as many decimals as the scale has.
    public func format(cost: Int) -> String {
        switch scale {
        case 1: return String(cost)
        default:
            let decimals = Int(log10(Double(scale)).rounded())
            return String(format: "%.\(decimals)f", Double(cost) / Double(scale))
        }
    }

    public func printed(cost: Int) -> Double { Double(cost) / Double(scale) }
}

public struct InstanceError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var reason: String
    public init(file: String, line: Int?, reason: String) {
        self.file = file; self.line = line; self.reason = reason
    }
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}

extension BenchmarkInstance {
    /// Reads an instance file.
    public static func read(path: String, format: InstanceFormat) throws(InstanceError) -> BenchmarkInstance {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InstanceError(file: path, line: nil, reason: "cannot read the file")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, name: name, file: path, format: format)
    }

    public static func parse(_ text: String, name: String, file: String = "<input>", format: InstanceFormat) throws(InstanceError) -> BenchmarkInstance {
        switch format {
        case .vrplib: return try parseVRPLIB(text, name: name, file: file)
        case .solomon: return try parseSolomon(text, name: name, file: file)
        case .cordeau: return try parseCordeau(text, name: name, file: file)
        }
    }

    /// The solution in CVRPLIB `.sol` form: one `Route #k:` line per trip, then `Cost N`.
    public func solFile(_ s: Solution) -> String {
        var out = ""
        var k = 0
        for r in s.routes {
            for trip in r.trips where !trip.isEmpty {
                k += 1
                out += "Route #\(k): " + trip.map { String(customerIDs[$0]) }.joined(separator: " ") + "\n"
            }
        }
        out += "Cost \(format(cost: data.evaluate(s).cost))\n"
        return out
    }

    /// Reads the routes of a `.sol` file back (each line one route of vehicle type 0, or of the
    /// cheapest type whose depot is nearest when there are several).
    public func readSol(_ text: String, file: String = "<solution>") throws(InstanceError) -> Solution {
        var byID: [Int: Int] = [:]
        for (c, id) in customerIDs.enumerated() { byID[id] = c }
        var routes: [Route] = []
        for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            guard line.lowercased().hasPrefix("route"), let colon = line.firstIndex(of: ":") else { continue }
            var clients: [Int] = []
            for tok in line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                guard let id = Int(tok), let c = byID[id] else {
                    throw InstanceError(file: file, line: n + 1, reason: "unknown customer \(tok)")
                }
                clients.append(c)
            }
            routes.append(Route(vehicleType: nearestType(clients), clients: clients))
        }
        return Solution(routes: routes)
    }

    private func nearestType(_ clients: [Int]) -> Int {
        guard data.vehicleTypes.count > 1, let first = clients.first, let last = clients.last else { return 0 }
        return data.vehicleTypes.indices.min { a, b in
            let da = data.distance[data.vehicleTypes[a].depot, data.location(ofClient: first)] + data.distance[data.location(ofClient: last), data.vehicleTypes[a].depot]
            let db = data.distance[data.vehicleTypes[b].depot, data.location(ofClient: first)] + data.distance[data.location(ofClient: last), data.vehicleTypes[b].depot]
            return da < db
        } ?? 0
    }
}

func euclid(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
    ((ax - bx) * (ax - bx) + (ay - by) * (ay - by)).squareRoot()
}

/// Whitespace-separated numbers of a line.
/// Documented ranges of the benchmark readers (docs/scenario-format.md, "Benchmark files"):
/// every whole number and coordinate is checked at read, so distances (at most 1.5 × 10^7 × the
/// scale 10^4) and route sums over `nodes` stops stay far inside Int.
public enum InstanceLimits {
    public static let nodes = 1...10_000
    public static let vehicles = 1...10_000
    public static let capacity = 1...1_000_000_000
    public static let demand = 0...1_000_000_000
    public static let nodeId = 0...1_000_000_000
    /// Times (Solomon ready, due, service; Cordeau duration limit and service), file units.
    public static let time = 0...10_000_000
    public static let depots = 1...100
    /// |x|, |y|.
    public static let coordinate = 10_000_000.0
}

/// `v` as an integer in `range`, or an error naming the file, line and field.
func whole(_ v: Double, _ field: String, _ range: ClosedRange<Int>, file: String, line: Int?) throws(InstanceError) -> Int {
    let text = v.isFinite && abs(v) < 1e18 && v == v.rounded() ? "\(Int(v))" : "\(v)"
    guard v.isFinite, v == v.rounded() else { throw InstanceError(file: file, line: line, reason: "\(field): must be an integer, got \(text)") }
    guard v >= Double(range.lowerBound) else {
        throw InstanceError(file: file, line: line, reason: "\(field): must be at least \(range.lowerBound), got \(text)")
    }
    guard v <= Double(range.upperBound) else {
        throw InstanceError(file: file, line: line, reason: "\(field): must be at most \(range.upperBound), got \(text)")
    }
    return Int(v)
}

/// A coordinate, finite and within ±`InstanceLimits.coordinate`.
func coordinate(_ v: Double, _ field: String, file: String, line: Int?) throws(InstanceError) -> Double {
    guard v.isFinite, abs(v) <= InstanceLimits.coordinate else {
        throw InstanceError(file: file, line: line, reason: "\(field): must be between -\(Int(InstanceLimits.coordinate)) and \(Int(InstanceLimits.coordinate)), got \(v)")
    }
    return v
}

/// A non-negative time in file units (at most `InstanceLimits.time`), fractions allowed.
func time(_ v: Double, _ field: String, file: String, line: Int?) throws(InstanceError) -> Double {
    guard v.isFinite, v >= 0, v <= Double(InstanceLimits.time.upperBound) else {
        throw InstanceError(file: file, line: line, reason: "\(field): must be between 0 and \(InstanceLimits.time.upperBound), got \(v)")
    }
    return v
}

func numbers(_ line: Substring) -> [Double] {
    line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).compactMap { Double($0) }
}
