import Foundation
import HummingbirdTesting
import PlanCheck
import Planning
import Testing

@testable import Server

/// Downloads every document of a plan into a directory laid out like `lastmile plan` output, and
/// runs the independent checker over it against the scenario and the given orders.
func checkPublished(_ c: any TestClientProtocol, plan: Int, orders: [String], name: String) async throws -> PlanCheckReport {
    let dir = try temporaryDirectory(name)
    let planJSON = try await c.send(.get, "/v1/plans/\(plan)")
    try Data(planJSON.text.utf8).write(to: URL(fileURLWithPath: dir + "/plan.json"))
    let p = try JSONDecoder().decode(Plan.self, from: Data(planJSON.text.utf8))
    var paths = ["routes.csv", "routes.geojson", "unassigned.csv"]
    for w in ["WA", "WB"] { paths += ["warehouses/\(w)/pick-list.csv", "warehouses/\(w)/sort-sheet.csv"] }
    for v in Set(p.routes.map(\.vehicleId)) { paths.append("vehicles/\(v)/loading-list.csv") }
    for pt in Set(p.routes.flatMap { $0.stops.map(\.pickupPointId) }) { paths.append("handover/\(pt).csv") }
    for path in paths {
        let r = try await c.send(.get, "/v1/plans/\(plan)/\(path)")
        #expect(r.status == .ok, "\(path)")
        try FileManager.default.createDirectory(atPath: (dir + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(buffer: r.body).write(to: URL(fileURLWithPath: dir + "/" + path))
    }
    try Data(orders.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir + "/orders.input.jsonl"))
    return PlanChecker.check(outputDirectory: dir, scenarioFile: Paths.smallCity + "/scenario.json", ordersFile: dir + "/orders.input.jsonl")
}

/// Polls a plan job until it is done or failed.
func awaitJob(_ c: any TestClientProtocol, _ id: Int) async throws -> [String: Any] {
    for _ in 0..<600 {
        let j = try await c.send(.get, "/v1/plan-jobs/\(id)").json
        if j["state"] as? String == "done" || j["state"] as? String == "failed" { return j }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("plan job \(id) did not finish")
    return [:]
}

@Suite struct PlanLifecycleTests {
    @Test(arguments: Backend.available) func plansAtTheCutoffAndPublishesDocumentsThatPassTheChecker(_ backend: Backend) async throws {
        let h = try await Harness.make("lifecycle", backend)
        try await h.test { c async throws in
            _ = try await c.send(.post, "/v1/orders", Orders.text)
            try await h.daemon.scheduler.tick()
            #expect(try await h.daemon.store.jobCounts().isEmpty)  // before the cut-off: nothing to plan
            h.clock.set("2025-09-15T23:00:00+08:00")
            try await h.daemon.scheduler.tick()
            try await h.daemon.scheduler.tick()  // looking twice queues one job
            #expect(try await h.daemon.store.jobCounts().values.reduce(0, +) == 1)
            let job = try await awaitJob(c, 1)
            #expect(job["state"] as? String == "done" && job["trigger"] as? String == "cutoff" && job["plan_id"] as? Int == 1)
            #expect(job["note"] as? String == "cut-off 2025-09-15T23:00:00+08:00")

            let list = try await c.send(.get, "/v1/plans?date=2025-09-16")
            let plans = try #require(list.json["plans"] as? [[String: Any]])
            #expect(plans.count == 1 && plans[0]["version"] as? Int == 1 && plans[0]["current"] as? Bool == true)
            #expect(plans[0]["orders"] as? Int == 48)
            #expect(try await c.send(.get, "/v1/plans").problem?.field == "date")

            let report = try await checkPublished(c, plan: 1, orders: Orders.lines, name: "lifecycle-check")
            #expect(report.isValid, "\(report.violations)")
            #expect(report.orders == 48 && report.trips > 0)

            let geo = try await c.send(.get, "/v1/plans/1/routes.geojson")
            #expect(geo.headers[.contentType] == "application/geo+json" && geo.json["type"] as? String == "FeatureCollection")
            let pick = try await c.send(.get, "/v1/plans/1/warehouses/WA/pick-list.json")
            #expect(pick.json["warehouse_id"] as? String == "WA")
            let plan = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/1").text.utf8))
            let route = try #require(plan.routes.first)
            let sort = try await c.send(.get, "/v1/plans/1/warehouses/\(route.warehouseId)/sort-sheet.json")
            #expect((sort.json["trips"] as? [[String: Any]])?.contains { $0["route_id"] as? String == route.routeId } == true)
            let load = try await c.send(.get, "/v1/plans/1/vehicles/\(route.vehicleId)/loading-list.json")
            let firstTrip = try #require((load.json["trips"] as? [[String: Any]])?.first)
            // Loaded last stop first.
            #expect((firstTrip["load"] as? [[String: Any]])?.compactMap { $0["pickup_point_id"] as? String }
                == plan.routes.first { $0.vehicleId == route.vehicleId }!.stops.reversed().map(\.pickupPointId))
            let point = route.stops[0].pickupPointId
            let handover = try await c.send(.get, "/v1/plans/1/handover/\(point).json")
            let customers = try #require(handover.json["customers"] as? [[String: Any]])
            let orderIds = customers.flatMap { ($0["orders"] as? [[String: Any]] ?? []).compactMap { $0["order_id"] as? String } }
            #expect(Set(orderIds) == Set(plan.routes.flatMap(\.stops).filter { $0.pickupPointId == point }.flatMap(\.orderIds)))
            #expect(try await c.send(.get, "/v1/plans/1/handover/\(point).csv").headers[.contentType] == "text/csv; charset=utf-8")
            let printed = try await c.send(.get, "/v1/plans/1/print/handover/\(point).html")
            #expect(printed.headers[.contentType] == "text/html; charset=utf-8" && printed.text.contains("团长签收 Leader's signature"))
            #expect(try await c.send(.get, "/v1/plans/1/print/index.html").text.contains("href=\"vehicles/\(route.vehicleId)/loading-list.html\""))
            #expect(try await c.send(.get, "/v1/plans/1/handover/NOPE.csv").problem?.detail == "plan 1 has no document \"handover/NOPE.csv\"")
        }
    }

    @Test(arguments: Backend.available) func aLateChangeKeepsDispatchedRoutesAndReplansTheRest(_ backend: Backend) async throws {
        let h = try await Harness.make("replan", backend, now: "2025-09-15T12:00:00+08:00")
        try await h.test { c async throws in
            _ = try await c.send(.post, "/v1/orders", Orders.text)
            let now = try await c.send(.post, "/v1/plans?wait=120", #"{"delivery_date": "2025-09-16"}"#)
            #expect(now.status == .ok && now.json["state"] as? String == "done" && now.headers[.location] == "/v1/plan-jobs/1")
            let v1 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/1").text.utf8))
            h.clock.set("2025-09-16T05:00:00+08:00")  // morning of delivery, before any departure
            // Dispatch the first route; cancel a group none of whose orders are on it.
            let kept = v1.routes[0]
            let d = try await c.send(.post, "/v1/plans/1/routes/\(kept.routeId)/dispatch")
            #expect(d.status == .ok && d.json["dispatched_at"] as? String == "2025-09-16T05:00:00+08:00")
            let keptOrders = Set(kept.stops.flatMap(\.orderIds))
            let groups = Dictionary(grouping: Orders.lines.map { l in (l.components(separatedBy: "\"")[3], l.components(separatedBy: "\"")[7]) },
                                    by: \.1)
            let blocked = try #require(groups.first { $0.value.contains { keptOrders.contains($0.0) } }?.key)
            let free = try #require(groups.keys.sorted().first { g in !groups[g]!.contains { keptOrders.contains($0.0) } })
            let refused = try await c.send(.post, "/v1/groups/\(blocked)/cancel", #"{"delivery_date": "2025-09-16"}"#)
            #expect(refused.status == .conflict && refused.problem?.detail.contains("on dispatched routes") == true)
            let cancel = try await c.send(.post, "/v1/groups/\(free)/cancel", #"{"delivery_date": "2025-09-16", "reason": "leader ill"}"#)
            #expect(cancel.status == .ok)
            let job = try #require(cancel.json["replan_job"] as? Int)
            #expect(try await awaitJob(c, job)["state"] as? String == "done")
            let v2 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/2").text.utf8))
            #expect(v2.routes.contains(kept))  // exactly as it was
            let cancelled = Set(groups[free]!.map(\.0))
            #expect(!v2.routes.flatMap(\.stops).flatMap(\.orderIds).contains { cancelled.contains($0) })
            let active = Orders.lines.filter { !cancelled.contains($0.components(separatedBy: "\"")[3]) }
            let report = try await checkPublished(c, plan: 2, orders: active, name: "replan-check")
            #expect(report.isValid, "\(report.violations)")
            let routes = try await c.send(.get, "/v1/plans/2/routes").array
            #expect(routes.first { $0["route_id"] as? String == kept.routeId }?["kept_from_plan"] as? Int == 1)
            // Dispatching from the superseded version is refused.
            #expect(try await c.send(.post, "/v1/plans/1/routes/\(kept.routeId)/dispatch").status == .conflict)

            // A van out of service: re-planned without it; the dispatched route stays.
            let other = try #require(v2.routes.first { $0.vehicleId != kept.vehicleId })
            let out = try await c.send(.post, "/v1/vehicles/\(other.vehicleId)/out-of-service", #"{"delivery_date": "2025-09-16", "reason": "broken clutch"}"#)
            #expect(out.status == .ok && out.json["out_of_service"] as? Bool == true)
            #expect(try await awaitJob(c, try #require(out.json["replan_job"] as? Int))["state"] as? String == "done")
            let v3 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/3").text.utf8))
            #expect(!v3.routes.contains { $0.vehicleId == other.vehicleId } && v3.routes.contains(kept))
            #expect(try await checkPublished(c, plan: 3, orders: active, name: "outage-check").isValid)
        }
    }

    @Test(arguments: Backend.available) func aJobInterruptedByAStopRunsAgainAtTheNextStart(_ backend: Backend) async throws {
        let h = try await Harness.make("interrupted", backend)
        _ = try await h.daemon.ingest.ingest(Array(Orders.text.utf8), source: "http", maxItems: 100, what: "batch")
        _ = try await h.daemon.store.enqueue(.init(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1))
        let now = h.clock.now()
        _ = try await h.daemon.store.claimNextJob(worker: "w", now: now, leaseSeconds: 3_600)  // "running" when the process died
        // The same worker restarted on the same database (the services start with the test):
        // it takes its job back at once, without waiting for the lease.
        let again = try await Harness.make("interrupted-2", backend) { $0.database = h.daemon.config.database; $0.workerId = "w" }
        try await again.test { c async throws in
            let j = try await awaitJob(c, 1)
            #expect(j["state"] as? String == "done" && j["attempts"] as? Int == 2)
        }
    }

    @Test(arguments: Backend.available) func aDayWithoutOrdersFailsItsJobWithAReason(_ backend: Backend) async throws {
        let h = try await Harness.make("empty", backend)
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/plans?wait=30", #"{"delivery_date": "2025-09-20"}"#)
            #expect(r.json["state"] as? String == "failed" && r.json["reason"] as? String == "no orders to plan for 2025-09-20")
        }
    }
}

@Suite struct LiveSocketTests {
    @Test func servesOverARealSocket() async throws {
        let h = try Harness("live")
        try await h.test(.live) { c async throws in
            #expect(c.port != nil)
            let r = try await c.send(.post, "/v1/orders", Orders.text)
            #expect(r.status == .created && r.json["created"] as? Int == 48)
            #expect(try await c.send(.get, "/v1/health").json["orders"] as? Int == 48)
            #expect(try await c.send(.get, "/v1/orders/O-001").json["status"] as? String == "active")
        }
    }
}
