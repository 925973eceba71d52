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
func numbers(_ line: Substring) -> [Double] {
    line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).compactMap { Double($0) }
}
