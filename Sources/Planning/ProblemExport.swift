import Foundation
import Routing

/// One warehouse's routing problem of the day as the planner hands it to the solver, with the
/// names the export needs: `lastmile plan --export-problems DIR` writes it for other solvers.
public struct WarehouseProblem: Sendable {
    public var warehouseId: String
    public var data: ProblemData
    /// Per client of `data`: its pickup point and the largest van class that reaches it.
    public var points: [(id: String, maxVehicle: VehicleClass)]
    /// Per vehicle type of `data`: its vans and their class.
    public var vans: [(ids: [String], vehicleClass: VehicleClass)]
}

/// Writers of `WarehouseProblem` in the formats peers read. Load is [crates, grams] delivered and,
/// with crate returns, [empties, grams] picked up; times are seconds after local midnight of the
/// delivery day, distances metres, money cents.
public enum ProblemExport {
    /// VROOM's JSON input (its docs/API.md), with what VROOM cannot say in a `lastmile` field it
    /// ignores: `{"max_trips", "reload_s", "per_hour_on": "route"}` (multi-trip vans, and the
    /// hourly cost on the whole route as the planner prices it, not on travel time only). Pickup points' van class limits are skills: a job
    /// needs the skill of its largest class, a van has the skills of every class at least its own.
    public static func vroomJSON(_ p: WarehouseProblem) throws -> Data {
        let d = p.data
        let jobs = d.clients.enumerated().map { k, c in
            VroomJob(id: k + 1, description: p.points[k].id, location_index: k + 1, delivery: c.demand, pickup: c.pickup,
                     service: c.serviceDuration, time_windows: [[c.earliest, c.latest]],
                     skills: c.allowedVehicleTypes == nil ? nil : [rank(p.points[k].maxVehicle)])
        }
        var vehicles: [VroomVehicle] = []
        let depot = d.depots[0]
        for (t, vt) in d.vehicleTypes.enumerated() {
            let skills = Array(rank(p.vans[t].vehicleClass)...rank(.large))
            for id in p.vans[t].ids {
                vehicles.append(VroomVehicle(
                    id: vehicles.count + 1, description: id, profile: "car", start_index: 0, end_index: 0, capacity: vt.capacity,
                    skills: skills, time_window: [max(vt.shiftStart, depot.earliest), min(vt.shiftEnd, depot.latest)],
                    costs: VroomCosts(fixed: vt.fixedCost / DailyPlanner.costScale, per_hour: vt.durationCost / 1000,
                                      per_km: vt.distanceCost / 3600),
                    lastmile: VroomExtension(max_trips: vt.maxTrips, reload_s: vt.reloadDuration, per_hour_on: "route")))
            }
        }
        let input = VroomInput(jobs: jobs, vehicles: vehicles,
                               matrices: ["car": VroomMatrices(durations: rows(d.duration), distances: rows(d.distance))])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(input) + Data("\n".utf8)
    }

    /// A VRPLIB file that `pyvrp.read` takes: one matrix (travel seconds, which the windows and
    /// shifts need), so the per-km cost and the separate distances are left out and the cost is
    /// the van's day cost plus its hourly cost on travel time, in 1/3,600 cent (divided by the
    /// costs' common divisor, said in the COMMENT line); one depot per van
    /// type at the warehouse, for the type's shift window; reloads at that depot without the
    /// reload time; the van class limits as allowed clients.
    public static func vrplib(_ p: WarehouseProblem) -> String {
        let d = p.data, n = d.clients.count, types = d.vehicleTypes
        let depots = types.count
        let g = max(1, types.reduce(0) { gcd(gcd($0, $1.fixedCost / 1000), $1.durationCost / 1000) })
        var out = ["NAME : \(p.warehouseId)",
                   "COMMENT : lastmile plan --export-problems; costs in \(g)/3600 cent (see docs/scenario-format.md)",
                   "TYPE : VRPTW", "DIMENSION : \(depots + n)", "VEHICLES : \(types.reduce(0) { $0 + $1.count })",
                   "EDGE_WEIGHT_TYPE : EXPLICIT", "EDGE_WEIGHT_FORMAT : FULL_MATRIX", "EDGE_WEIGHT_SECTION"]
        // Location of row r: depots are all the warehouse (0 of `d`), then the clients.
        func loc(_ r: Int) -> Int { r < depots ? 0 : r - depots + 1 }
        for i in 0..<(depots + n) { out.append((0..<(depots + n)).map { "\(d.duration[loc(i), loc($0)])" }.joined(separator: " ")) }
        out.append("DEPOT_SECTION")
        out += (1...depots).map { "\($0)" }
        out.append("-1")
        func section(_ name: String, _ rows: [String]) { out.append(name); out += rows.enumerated().map { "\($0 + 1) \($1)" } }
        let zeros = [String](repeating: "0 0", count: depots)
        section("DEMAND_SECTION", zeros + d.clients.map { "\($0.demand[0]) \($0.demand[1])" })
        if d.hasPickups { section("BACKHAUL_SECTION", zeros + d.clients.map { "\($0.pickup[0]) \($0.pickup[1])" }) }
        section("SERVICE_TIME_SECTION", [String](repeating: "0", count: depots) + d.clients.map { "\($0.serviceDuration)" })
        let depot = d.depots[0]
        section("TIME_WINDOW_SECTION", types.map { "\(max($0.shiftStart, depot.earliest)) \(min($0.shiftEnd, depot.latest))" }
            + d.clients.map { "\($0.earliest) \($0.latest)" })
        let vans = types.enumerated().flatMap { t, vt in [Int](repeating: t, count: vt.count) }
        section("CAPACITY_SECTION", vans.map { "\(types[$0].capacity[0]) \(types[$0].capacity[1])" })
        section("VEHICLES_DEPOT_SECTION", vans.map { "\($0 + 1)" })
        section("VEHICLES_RELOAD_DEPOT_SECTION", vans.map { "\($0 + 1)" })
        section("VEHICLES_MAX_RELOADS_SECTION", vans.map { "\(types[$0].maxTrips - 1)" })
        section("VEHICLES_MAX_DURATION_SECTION", vans.map { "\(types[$0].maxDuration)" })
        // Smaller numbers keep PyVRP's penalties in range: the costs divided by their common divisor.
        section("VEHICLES_FIXED_COST_SECTION", vans.map { "\(types[$0].fixedCost / 1000 / g)" })
        section("VEHICLES_UNIT_DISTANCE_COST_SECTION", vans.map { "\(types[$0].durationCost / 1000 / g)" })
        section("VEHICLES_ALLOWED_CLIENTS_SECTION", vans.map { t in
            d.clients.indices.filter { d.clients[$0].allowedVehicleTypes?.contains(t) ?? true }.map { "\(depots + $0 + 1)" }
                .joined(separator: " ")
        })
        out.append("EOF")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes `<warehouse>.vroom.json` and `<warehouse>.vrp` per problem into `dir` (created if
    /// need be; nothing else in it is touched); returns the file names written.
    @discardableResult
    public static func write(_ problems: [WarehouseProblem], to dir: String) throws -> [String] {
        var names: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for p in problems {
                let base = DocumentPath.segment(p.warehouseId)
                try vroomJSON(p).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(base + ".vroom.json")))
                try Data(vrplib(p).utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(base + ".vrp")))
                names += [base + ".vroom.json", base + ".vrp"]
            }
        } catch {
            throw GeneralError(.output, "writing \(dir): \(error.localizedDescription)")
        }
        return names
    }

    static func rank(_ c: VehicleClass) -> Int { VehicleClass.allCases.firstIndex(of: c)! }

    static func rows(_ m: Matrix) -> [[Int]] { (0..<m.size).map { i in (0..<m.size).map { m[i, $0] } } }
}

// VROOM's field names, as its API spells them.
private struct VroomInput: Encodable {
    var jobs: [VroomJob]
    var vehicles: [VroomVehicle]
    var matrices: [String: VroomMatrices]
}

private struct VroomJob: Encodable {
    var id: Int
    var description: String
    var location_index: Int
    var delivery: [Int]
    var pickup: [Int]
    var service: Int
    var time_windows: [[Int]]
    var skills: [Int]?
}

private struct VroomVehicle: Encodable {
    var id: Int
    var description: String
    var profile: String
    var start_index: Int
    var end_index: Int
    var capacity: [Int]
    var skills: [Int]
    var time_window: [Int]
    var costs: VroomCosts
    var lastmile: VroomExtension
}

private struct VroomCosts: Encodable {
    var fixed: Int
    var per_hour: Int
    var per_km: Int
}

private struct VroomExtension: Encodable {
    var max_trips: Int
    var reload_s: Int
    var per_hour_on: String
}

private struct VroomMatrices: Encodable {
    var durations: [[Int]]
    var distances: [[Int]]
}
