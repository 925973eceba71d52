import Foundation
import PlanCheck
import Testing

@testable import Planning

@Suite struct PipelineTests {
    func smallCity() throws -> (Scenario, OrderBook) {
        let s = try Fixture.scenario()
        return (s, try Fixture.orders(Fixture.ordersText, scenario: s))
    }

    @Test func smallCityPlanIsCompleteAndPassesTheChecker() throws {
        let (s, book) = try smallCity()
        let (plan, dir, report) = try planAndCheck(s, book, name: "small")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(report.orders == 48 && report.stops == plan.totals.stops)
        #expect(plan.totals.ordersPlanned == 48 && plan.unassigned.isEmpty)
        #expect(plan.totals.onTimeStops == plan.totals.stops)
        // Every document is there.
        let fm = FileManager.default
        for f in ["plan.json", "routes.csv", "routes.geojson", "unassigned.csv", "warehouses/WA/pick-list.csv", "warehouses/WA/pick-list.json",
                  "warehouses/WB/sort-sheet.csv"] {
            #expect(fm.fileExists(atPath: "\(dir)/\(f)"), "\(f)")
        }
        #expect(try fm.contentsOfDirectory(atPath: dir + "/handover").filter { $0.hasSuffix(".csv") }.count == 8)
        let sheet = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/handover/P1.txt")), as: UTF8.self)
        #expect(sheet.hasPrefix("提货单 Handover sheet — 自提点 1 (P1), 2025-09-16\n团长 Leader: 团长1\n"))
        #expect(plan.allocation.status == "optimal")
        #expect(plan.allocation.pointsNew == 2)
        #expect(try fm.contentsOfDirectory(atPath: dir + "/vehicles").sorted() == Set(plan.routes.map(\.vehicleId)).sorted())
        // GeoJSON: a Point per stop and warehouse, a LineString per leg.
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/routes.geojson"))) as? [String: Any])
        let kinds = (geo["features"] as? [[String: Any]] ?? []).map { (($0["properties"] as? [String: Any])?["kind"] as? String) ?? "" }
        #expect(kinds.filter { $0 == "stop" }.count == plan.totals.stops)
        #expect(kinds.filter { $0 == "leg" }.count == plan.totals.stops + plan.totals.trips)
        #expect(kinds.filter { $0 == "warehouse" }.count == 2)
        // The narrow lane (P3, small vans only) is served by the microvan.
        let p3 = plan.routes.filter { $0.stops.contains { $0.pickupPointId == "P3" } }
        #expect(!p3.isEmpty && p3.allSatisfy { $0.vehicleTypeId == "WA-MINI" })
    }

    /// Same inputs, same plan; and a golden value for this solver and seed.
    @Test func planIsDeterministic() throws {
        let (s, book) = try smallCity()
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        let a = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        let b = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        #expect(a == b)
        #expect(a.totals.cost == 44_762)
        #expect(a.totals.distanceM == 27_451)
    }

    /// The default router (MetaheuristicSolver, a fixed iteration budget): reproducible for a
    /// seed, checker-clean, and never dearer than the greedy construction it starts from.
    @Test func defaultRouterPlanIsReproducibleAndNoDearerThanGreedy() throws {
        let (s, book) = try smallCity()
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        let options = PlanOptions.routing(seed: 3, iterations: 300)
        let (a, dir, report) = try planAndCheck(s, book, options: options, name: "metaheuristic")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        let b = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: options)
        #expect(a == b)
        let greedy = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy(seed: 3))
        #expect(a.totals.ordersPlanned == greedy.totals.ordersPlanned)
        #expect(a.totals.cost <= greedy.totals.cost)
        #expect(a.totals.cost == 44_762)   // the greedy plan is already the best this search finds here
    }

    @Test func pointNoVanCanReachInItsWindowIsUnassignedWithItsReason() throws {
        var (s, book) = try smallCity()
        s.pickupPoints[3].receivingWindow = TimeWindow(from: LocalTime(4, 40), to: LocalTime(5, 0))
        let (plan, dir, report) = try planAndCheck(s, book, name: "unreachable")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        let out = plan.unassigned
        #expect(out.map(\.orderId) == book.orders.filter { $0.pickupPointId == "P4" }.map(\.orderId))
        #expect(out.allSatisfy { $0.pickupPointId == "P4" })
        #expect(out.first?.reason == "no warehouse can serve it; from the nearest, WB: cannot be reached in its receiving window 04:40–05:00: the earliest a van from WB can be there is 05:41")
        #expect(plan.totals.ordersPlanned == 48 - out.count)
        #expect(plan.assignments.first { $0.pickupPointId == "P4" }?.warehouseId == nil)
        #expect(PlanSummary.table(plan).hasSuffix("\nunassigned:\n  P4 (6 orders): \(out[0].reason)"))
    }

    /// Yesterday's warehouse is kept while moving costs more than the stability penalty.
    @Test func stabilityPenaltyKeepsYesterdaysWarehouse() throws {
        var (s, book) = try smallCity()
        s.pickupPoints[0].previousWarehouseId = "WB"   // P1 lies next to WA
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        s.stabilityPenaltyCents = 1_000_000
        let kept = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        #expect(kept.assignments.first { $0.pickupPointId == "P1" }?.warehouseId == "WB")
        #expect(kept.allocation.pointsMoved == 0)
        s.stabilityPenaltyCents = 0
        let moved = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        #expect(moved.assignments.first { $0.pickupPointId == "P1" }?.warehouseId == "WA")
        #expect(moved.allocation.pointsMoved >= 1)
    }

    @Test func ordersAfterTheCutoffWaitForTheNextDay() throws {
        let (s, _) = try smallCity()
        let text = Fixture.ordersText + Fixture.order("LATE", point: "P2", completed: "2025-09-15T23:00:01+08:00") + "\n"
            + Fixture.order("ONTIME", point: "P2", completed: "2025-09-15T15:00:00Z") + "\n"
        let book = try Fixture.orders(text, scenario: s)
        let (plan, dir, report) = try planAndCheck(s, book, name: "cutoff")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(plan.unassigned == [UnassignedOrder(
            orderId: "LATE", pickupPointId: "P2",
            reason: "completed at 2025-09-15T23:00:01+08:00, after the 23:00 cut-off of 2025-09-15; it belongs to the next delivery day")])
        #expect(plan.routes.contains { $0.stops.contains { $0.orderIds.contains("ONTIME") } })
    }

    @Test func sortingCapacityLeavesPointsOutWithAReason() throws {
        var (s, book) = try smallCity()
        s.warehouses[0].sortingCapacityCrates = 5
        s.warehouses[1].sortingCapacityCrates = 8
        let (plan, dir, report) = try planAndCheck(s, book, name: "sorting")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(plan.totals.ordersUnassigned > 0)
        for w in plan.warehouses { #expect(w.crates <= w.sortingCapacityCrates) }
        #expect(plan.unassigned.allSatisfy { $0.reason.hasPrefix("no warehouse that can serve it had sorting or fleet capacity left for its ") })
    }

    /// Narrow windows and one van per warehouse: routing, not allocation, runs out of time.
    @Test func fleetRunsOutOfTimeInRouting() throws {
        var (s, book) = try smallCity()
        for k in s.pickupPoints.indices { s.pickupPoints[k].receivingWindow = TimeWindow(from: LocalTime(6, 30), to: LocalTime(6, 45)) }
        s.warehouses[0].vehicleTypes[0].count = 1
        s.warehouses[1].vehicleTypes[0].count = 1
        let (plan, dir, report) = try planAndCheck(s, book, name: "fleet")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(plan.totals.ordersUnassigned > 0)
        #expect(plan.unassigned.contains { $0.reason.hasSuffix("had room or time left for it; add a van or widen the receiving window") })
    }

    /// A narrow lane whose demand outgrows the microvan is delivered in several drops.
    @Test func largeDemandIsSplitIntoDrops() throws {
        var (s, book) = try smallCity()
        s.warehouses[0].vehicleTypes[1].capacityCrates = 3
        s.warehouses[0].vehicleTypes[1].maxTrips = 3
        s.warehouses[0].vehicleTypes[1].count = 2
        let (plan, dir, report) = try planAndCheck(s, book, name: "split")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        let drops = plan.routes.flatMap(\.stops).filter { $0.pickupPointId == "P3" }
        #expect(drops.count >= 2)
        #expect(drops.allSatisfy { $0.load.crates <= 3 })
        #expect(plan.unassigned.isEmpty)
    }

    /// The Shanghai demo, end to end, as the README's first command runs it.
    @Test func shanghaiDemoPlansEveryOrderAndPassesTheChecker() throws {
        let (s, file) = try ScenarioLoader.load(path: Paths.shanghai)
        let book = try OrderLoader.load(path: Paths.shanghai + "/orders.jsonl", scenario: s)
        #expect(s.warehouses.count == 3 && s.pickupPoints.count == 150 && book.orders.count == 8000)
        let travel = try TravelTimes.choose(for: s, scenarioFile: file)
        // The real router on the real multi-trip day, on a budget small enough for a debug build.
        let plan = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .routing(iterations: 100))
        let dir = try temporaryDirectory("shanghai")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PlanDocuments.write(try PlanDocuments.render(plan: plan, scenario: s, orders: book, paths: travel.provider.path), to: dir)
        let report = PlanChecker.check(outputDirectory: dir, scenarioFile: file, ordersFile: Paths.shanghai + "/orders.jsonl")
        #expect(report.violations == [])
        #expect(plan.totals.ordersUnassigned == 0)
        #expect(plan.routes.contains { $0.trip > 1 })
        #expect(plan.routes.contains { $0.vehicleTypeId.hasSuffix("-MINI") })
    }
}

/// The checker must fail plans that break a rule: tamper with a good output, one rule at a time.
@Suite struct CheckerTests {
    func goodOutput() throws -> (dir: String, plan: Plan) {
        let s = try Fixture.scenario()
        let (plan, dir, report) = try planAndCheck(s, try Fixture.orders(Fixture.ordersText, scenario: s), name: "tamper")
        #expect(report.isValid)
        return (dir, plan)
    }

    func recheck(_ dir: String) -> [String] {
        PlanChecker.check(outputDirectory: dir, scenarioFile: dir + "/scenario.input.json", ordersFile: dir + "/orders.input.jsonl").violations
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let changed = change(text)
        #expect(changed != text, "the edit changed nothing")
        try Data(changed.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func loadingListInStopOrder() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let route = try #require(plan.routes.first { $0.stops.count >= 2 })
        try edit("\(dir)/vehicles/\(route.vehicleId)/loading-list.csv") { text in
            var lines = text.components(separatedBy: "\r\n")
            let rows = lines.indices.filter { lines[$0].hasPrefix("\(route.vehicleId),\(route.vehicleTypeId),\(route.trip),") }
            lines.swapAt(rows[0], rows[1])
            return lines.joined(separator: "\r\n")
        }
        #expect(recheck(dir).contains("\(route.vehicleId) trip \(route.trip): loading list is not the reverse of the stop order"))
    }

    @Test func orderMissingFromHandover() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stop = plan.routes[0].stops[0]
        let id = stop.orderIds[0]
        try edit("\(dir)/handover/\(stop.pickupPointId).csv") { text in
            text.components(separatedBy: "\r\n").filter { !$0.contains(",\(id),") }.joined(separator: "\r\n")
        }
        let v = recheck(dir)
        #expect(v.contains("order \(id) is neither in a handover sheet nor unassigned"))
    }

    @Test func overloadedStop() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let crates = plan.routes[0].stops[0].load.crates
        try edit(dir + "/plan.json") { $0.replacingOccurrences(of: "\"crates\" : \(crates),", with: "\"crates\" : \(crates + 40),") }
        #expect(recheck(dir).contains { $0.contains(": load \(crates + 40) crates") })
    }

    @Test func lateArrival() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = plan.routes[0].stops[0]
        try edit(dir + "/plan.json") { $0.replacingOccurrences(of: "\"service_start\" : \"\(s.serviceStart)\"", with: "\"service_start\" : \"2025-09-16T10:30:00+08:00\"") }
        #expect(recheck(dir).contains { $0.contains("service starts at 2025-09-16T10:30:00+08:00, outside the window") })
    }

    @Test func pickListTotals() throws {
        let (dir, _) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try edit(dir + "/warehouses/WA/pick-list.csv") { text in
            var lines = text.components(separatedBy: "\r\n")
            var f = lines[1].components(separatedBy: ",")
            f[3] = String(Int(f[3])! + 1)
            lines[1] = f.joined(separator: ",")
            return lines.joined(separator: "\r\n")
        }
        let v = recheck(dir)
        #expect(v.contains("pick list WA: totals differ from the orders on its routes"))
        #expect(v.contains("pick lists: totals over all warehouses differ from the ordered totals of planned orders"))
    }

    @Test func pickListClassTotalsAndCrates() throws {
        let (dir, _) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try edit(dir + "/warehouses/WA/pick-list.csv") { text in
            var lines = text.components(separatedBy: "\r\n")
            let k = lines.firstIndex { $0.hasPrefix("chilled,,") }!
            var f = lines[k].components(separatedBy: ",")
            f[5] = String(Int(f[5])! + 1)                 // full crates of the class total
            f[8] = String(Int(f[8])! + 2)                 // crates to sort
            lines[k] = f.joined(separator: ",")
            return lines.joined(separator: "\r\n")
        }
        let v = recheck(dir)
        #expect(v.contains("pick list WA: total full_crates of chilled is not the sum of its rows"))
        #expect(v.contains { $0.hasPrefix("pick list WA: sort_crates of chilled is not ") })
        #expect(!v.contains("pick list WA: totals differ from the orders on its routes"))
    }

    @Test func loadingListNamesItsVanAndDeparture() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let route = plan.routes[0]
        try edit("\(dir)/vehicles/\(route.vehicleId)/loading-list.csv") { $0.replacingOccurrences(of: route.departure, with: "2025-09-16T05:00:00+08:00") }
        #expect(recheck(dir).contains { $0.hasPrefix("\(route.vehicleId) trip \(route.trip): loading list names vehicle \(route.vehicleId) departing 2025-09-16T05:00:00+08:00") })
    }

    @Test func unassignedWithoutReason() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let id = plan.routes[0].stops[0].orderIds[0]
        try edit(dir + "/plan.json") { text in
            text.replacingOccurrences(of: "\"unassigned\" : [\n\n  ]", with: "\"unassigned\" : [{\"order_id\": \"\(id)\", \"pickup_point_id\": \"\(plan.routes[0].stops[0].pickupPointId)\", \"reason\": \" \"}]")
        }
        let v = recheck(dir)
        #expect(v.contains("unassigned: order \(id) has no reason"))
        #expect(v.contains("order \(id) is both in a handover sheet and unassigned"))
    }

    @Test func shiftTooLong() throws {
        let (dir, plan) = try goodOutput()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try #require(plan.routes.last)  // the last trip of its vehicle
        try edit(dir + "/plan.json") { $0.replacingOccurrences(of: "\"return\" : \"\(r.returnTime)\"", with: "\"return\" : \"2025-09-16T14:30:00+08:00\"") }
        let v = recheck(dir)
        #expect(v.contains("\(r.routeId): returns after the dock closes"))
        #expect(v.contains("\(r.vehicleId): back after its shift ends"))
    }
}

extension PipelineTests {
    /// One order too big for any van that reaches its point is left out alone; the point's other
    /// orders are still delivered.
    @Test func anOrderNoVanCanCarryIsLeftOutAlone() throws {
        let (s, _) = try smallCity()
        let text = Fixture.ordersText + Fixture.order("HUGE", point: "P1", lines: #"[{"sku":"RICE","qty":300}]"#) + "\n"
        let book = try Fixture.orders(text, scenario: s)
        let (plan, dir, report) = try planAndCheck(s, book, name: "huge")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(plan.unassigned == [UnassignedOrder(
            orderId: "HUGE", pickupPointId: "P1",
            reason: "an order needs 75 crates, more than the 30 crates of the largest van that can reach it")])
        #expect(plan.totals.ordersPlanned == 48)
    }
}
