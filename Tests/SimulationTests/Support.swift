import Foundation
import Planning
import Routing

@testable import Simulation

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let tiny = packageRoot + "/Tests/SimulationTests/Fixtures/tiny/scenario.json"
    static let shanghai = packageRoot + "/scenarios/shanghai-center/scenario.json"
}

enum Fixture {
    static var tinyText: String { String(decoding: FileManager.default.contents(atPath: Paths.tiny)!, as: UTF8.self) }

    static func setup() throws -> SimulationSetup {
        try SimulationLoader.parse(Array(tinyText.utf8), file: "scenario.json")
    }

    /// The tiny scenario with `n` pickup points (copies of its first), for demand statistics.
    static func manyPoints(_ n: Int) throws -> Scenario {
        var s = try setup().scenario
        let p = s.pickupPoints[0]
        s.pickupPoints = (1...n).map { k in
            var q = p
            q.id = "Q\(k)"
            return q
        }
        return s
    }

    /// Runs the tiny scenario in the simulator with the greedy solver, no time limit.
    static func simulate(days: Int, seed: UInt64 = 7, variants names: [String]? = nil) async throws -> SimulationResult {
        let setup = try setup()
        let options = SimulationOptions(days: days, seed: seed, plan: .greedy(seed: seed), parallelism: 2)
        return try await Simulator.run(setup: setup, variants: try setup.select(names), options: options,
                                       travel: { try TravelTimes.choose(for: $0, scenarioFile: nil) })
    }

    /// The base world of the tiny scenario, its demand (seed 5) and the first `days` order books.
    static func books(days: Int = 1, variant: Variant = .base) throws -> (world: VariantWorld, demand: DemandGenerator, days: [DayOrders]) {
        let setup = try setup()
        let world = try variant.apply(to: setup.scenario)
        var rng = RNG(seed: 5)
        let demand = try DemandGenerator(model: setup.demand, scenario: setup.scenario, start: setup.startDate, rng: &rng)
        return (world, demand, try Simulator.orderBooks(world, demand: demand, days: days))
    }

    /// The scenario text with `section` replaced: the tiny file's `variants` (or another top-level key).
    static func withVariants(_ json: String) -> [UInt8] {
        var root = try! JSONSerialization.jsonObject(with: Data(tinyText.utf8)) as! [String: Any]
        root["variants"] = try! JSONSerialization.jsonObject(with: Data(json.utf8))
        return Array(try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]))
    }
}

/// Splits one CSV line (the simulation's tables: quotes only around fields with commas or quotes).
func csvFields(_ line: Substring) -> [String] {
    var out: [String] = [], cur = "", quoted = false
    var it = line.makeIterator()
    while let ch = it.next() {
        if quoted {
            if ch == "\"" {
                if let n = it.next() {
                    if n == "\"" { cur.append("\"") } else { quoted = false; if n == "," { out.append(cur); cur = "" } else { cur.append(n) } }
                } else { quoted = false }
            } else { cur.append(ch) }
        } else if ch == "\"" { quoted = true } else if ch == "," { out.append(cur); cur = "" } else { cur.append(ch) }
    }
    out.append(cur)
    return out
}

/// The rows of a CSV file as dictionaries keyed by the header.
func csvRows(_ data: Data) -> [[String: String]] {
    var text = String(decoding: data, as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    let lines = text.split(separator: "\r\n")
    let header = csvFields(lines[0])
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, csvFields($0))) }
}

/// "123.45" → 12345 (exact, for decimals written by the tables).
func scaled(_ s: String, decimals: Int) -> Int {
    let neg = s.hasPrefix("-")
    let parts = s.drop(while: { $0 == "-" }).split(separator: ".", omittingEmptySubsequences: false)
    var frac = parts.count > 1 ? String(parts[1]) : ""
    precondition(frac.count <= decimals, "\(s) has more than \(decimals) decimals")
    frac += String(repeating: "0", count: decimals - frac.count)
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let v = Int(parts[0])! * scale + (Int(frac) ?? 0)
    return neg ? -v : v
}
