import Foundation
import Synchronization
import Testing

@testable import Planning

/// `lastmile plan --export-problems`: each warehouse's routing problem, as the solver got it,
/// in VROOM's JSON and in a VRPLIB file PyVRP reads.
@Suite struct ProblemExportTests {
    func exported() throws -> (plan: Plan, problems: [WarehouseProblem]) {
        var s = try Fixture.scenario()
        s.crateReturns = CrateReturns(ratePercent: 50, emptyCrateGrams: 1_000)
        let got = Mutex<[WarehouseProblem]>([])
        var options = PlanOptions.greedy()
        options.exportProblems = { ps in got.withLock { $0 = ps } }
        let plan = try DailyPlanner.plan(scenario: s, orders: try Fixture.orders(Fixture.ordersText, scenario: s),
                                         travel: try TravelTimes.choose(for: s, scenarioFile: nil), options: options)
        return (plan, got.withLock { $0 })
    }

    @Test func vroomJSONCarriesTheWholeProblem() throws {
        let (plan, problems) = try exported()
        #expect(problems.map(\.warehouseId).sorted() == Set(plan.routes.map(\.warehouseId)).sorted())
        for p in problems {
            let json = try #require(try JSONSerialization.jsonObject(with: try ProblemExport.vroomJSON(p)) as? [String: Any])
            let jobs = try #require(json["jobs"] as? [[String: Any]])
            let vehicles = try #require(json["vehicles"] as? [[String: Any]])
            let car = try #require((json["matrices"] as? [String: Any])?["car"] as? [String: [[Int]]])
            #expect(jobs.count == p.data.clients.count)
            #expect(vehicles.count == p.data.vehicleTypes.reduce(0) { $0 + $1.count })
            #expect(car["durations"]?.count == p.data.clients.count + 1 && car["distances"]?[0].count == p.data.clients.count + 1)
            #expect(car["distances"]?[0][1] == p.data.distance[0, 1])
            // Every job of the plan's stops of this warehouse, with its crates and empties.
            let stops = plan.routes.filter { $0.warehouseId == p.warehouseId }.flatMap(\.stops)
            #expect(jobs.reduce(0) { $0 + (($1["delivery"] as? [Int])?[0] ?? 0) } == stops.reduce(0) { $0 + $1.load.crates })
            #expect(jobs.reduce(0) { $0 + (($1["pickup"] as? [Int])?[0] ?? 0) } == stops.reduce(0) { $0 + ($1.returnedCrates ?? 0) })
            // Money in cents: the van's day, hour and km costs as the scenario gives them.
            let van = try #require(vehicles.first)
            let type = try #require(Fixture.scenario().warehouses.flatMap(\.vehicleTypes).first { $0.id + "-1" == van["description"] as? String })
            let costs = try #require(van["costs"] as? [String: Int])
            #expect(costs == ["fixed": type.costPerDayCents, "per_hour": type.costPerHourCents, "per_km": type.costPerKmCents])
            let ext = try #require(van["lastmile"] as? [String: Any])
            #expect(ext["max_trips"] as? Int == type.maxTrips && ext["reload_s"] as? Int == type.reloadMinutes * 60)
            #expect(ext["per_hour_on"] as? String == "route")
        }
    }

    /// Van classes become skills: a job needs its point's largest class, a van has every class
    /// from its own upwards, so exactly the vans the planner allows may serve it.
    @Test func skillsAllowTheSameVansAsThePlanner() throws {
        let (_, problems) = try exported()
        for p in problems {
            let json = try #require(try JSONSerialization.jsonObject(with: try ProblemExport.vroomJSON(p)) as? [String: Any])
            let jobs = try #require(json["jobs"] as? [[String: Any]]), vehicles = try #require(json["vehicles"] as? [[String: Any]])
            let vanType = p.data.vehicleTypes.enumerated().flatMap { t, vt in [Int](repeating: t, count: vt.count) }
            for (k, job) in jobs.enumerated() {
                let need = Set(job["skills"] as? [Int] ?? [])
                let byVROOM = Set(vehicles.indices.filter { need.isSubset(of: Set(vehicles[$0]["skills"] as? [Int] ?? [])) }.map { vanType[$0] })
                let byPlanner = Set(p.data.clients[k].allowedVehicleTypes ?? Array(p.data.vehicleTypes.indices))
                #expect(byVROOM == byPlanner, "\(p.warehouseId) job \(k + 1)")
            }
        }
    }

    @Test func vrplibHasTheSectionsPyVRPReads() throws {
        let (_, problems) = try exported()
        let p = try #require(problems.first)
        let text = ProblemExport.vrplib(p)
        let depots = p.data.vehicleTypes.count
        #expect(text.contains("DIMENSION : \(depots + p.data.clients.count)\n"))
        for section in ["EDGE_WEIGHT_SECTION", "DEPOT_SECTION", "DEMAND_SECTION", "BACKHAUL_SECTION", "SERVICE_TIME_SECTION",
                        "TIME_WINDOW_SECTION", "CAPACITY_SECTION", "VEHICLES_DEPOT_SECTION", "VEHICLES_RELOAD_DEPOT_SECTION",
                        "VEHICLES_MAX_RELOADS_SECTION", "VEHICLES_ALLOWED_CLIENTS_SECTION"] {
            #expect(text.contains("\n\(section)\n"), "\(section)")
        }
        #expect(text.hasSuffix("EOF\n"))
        let rows = text.components(separatedBy: "\n")
        let start = try #require(rows.firstIndex(of: "EDGE_WEIGHT_SECTION"))
        #expect(rows[start + 1].split(separator: " ").count == depots + p.data.clients.count)
    }

    @Test func filesAreNamedSafelyInsideTheDirectory() throws {
        let (_, problems) = try exported()
        var p = try #require(problems.first)
        p.warehouseId = "../evil/WH"
        let dir = try temporaryDirectory("export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = try ProblemExport.write([p], to: dir)
        #expect(names.count == 2 && names.allSatisfy { !$0.contains("/") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == names.sorted())
    }
}
