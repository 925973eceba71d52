import Foundation
import GRDB
@testable import Planning
import Testing

@testable import Store

/// A store in a fresh temporary file.
func temporaryStore(_ name: String = "store") throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return try Store(path: dir + "/lastmile.db")
}

func order(_ id: String, group: String = "G-1", point: String = "P1", date: String = "2025-09-16",
           lines: [(String, Int)] = [("VEG", 2)]) -> Order {
    Order(orderId: id, groupId: group, pickupPointId: point, customerId: "C-\(id)", deliveryDate: CalendarDate.parse(date)!,
          completedAt: Timestamp.parse("2025-09-15T20:00:00+08:00")!, lines: lines.map { OrderLine(sku: $0.0, qty: $0.1) })
}

/// Body text used as the idempotency key; the store compares it byte for byte.
func incoming(_ o: Order, index: Int = 0, cutoffAt: Int? = 1_000, body: String? = nil) -> IncomingOrder {
    IncomingOrder(order: o, body: body ?? "{\"id\":\"\(o.orderId)\",\"lines\":\(o.lines.map { "\($0.sku)x\($0.qty)" })}",
                  cutoffAt: cutoffAt, closedReason: cutoffAt == nil ? "closed" : nil, index: index)
}

@Suite struct SchemaTests {
    @Test func migratesAnEmptyDatabaseInWALWithFullSync() throws {
        let store = try temporaryStore()
        #expect(try store.journalMode() == "wal")
        #expect(try store.synchronousSetting() == 2)  // FULL
        let (tables, applied) = try store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"),
             try Schema.migrator.appliedIdentifiers(db))
        }
        #expect(tables == ["lists", "order_lines", "orders", "plan_jobs", "plan_versions", "routes", "stops", "vehicle_outages"])
        #expect(applied == Set(Schema.migrator.migrations))
    }

    @Test func reopeningKeepsDataAndRunsNoMigrationTwice() async throws {
        let store = try temporaryStore()
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        let again = try Store(path: store.path)
        #expect(try await again.orderCount() == 1)
        #expect(try await again.pool.read { try Schema.migrator.hasCompletedMigrations($0) })
    }
}

@Suite struct OrderStoreTests {
    @Test func roundTripsOrdersWithTheirLinesInOrder() async throws {
        let store = try temporaryStore()
        let a = order("O-2", lines: [("VEG", 2), ("MILK", 1), ("EGG", 12)])
        let b = order("O-1", point: "P2")
        let r = try await store.ingest([incoming(a), incoming(b, index: 1)], source: "http", now: 10)
        #expect(r == IngestResult(created: 2, unchanged: 0, linesCreated: 4, issues: []))
        let back = try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: nil, alsoIds: [])
        #expect(back == [b, a])  // order-id order, lines as sent
        let rec = try #require(try await store.order(id: "O-2"))
        #expect(rec.status == "active" && rec.cutoffAt == 1_000 && rec.receivedAt == 10 && rec.source == "http")
        #expect(try await store.pool.read { try OrderLineRecord.filter(Column("order_id") == "O-2").order(Column("line_no")).fetchAll($0) }
            == [OrderLineRecord(orderId: "O-2", lineNo: 0, sku: "VEG", qty: 2), OrderLineRecord(orderId: "O-2", lineNo: 1, sku: "MILK", qty: 1),
                OrderLineRecord(orderId: "O-2", lineNo: 2, sku: "EGG", qty: 12)])
    }

    @Test func theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict() async throws {
        let store = try temporaryStore()
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        let same = try await store.ingest([incoming(order("O-1"))], source: "http", now: 20)
        #expect(same == IngestResult(created: 0, unchanged: 1, linesCreated: 0, issues: []))
        let changed = order("O-1", lines: [("VEG", 3)])
        let r = try await store.ingest([incoming(order("O-9")), incoming(changed, index: 1)], source: "http", now: 30)
        #expect(r.created == 0 && r.issues.map(\.kind) == [.conflict] && r.issues[0].index == 1 && r.issues[0].orderId == "O-1")
        // All or nothing: the good order of the rejected batch was not stored.
        #expect(try await store.order(id: "O-9") == nil)
        #expect(try await store.order(id: "O-1")?.receivedAt == 10)
    }

    @Test func aClosedDayRejectsNewOrdersButNotRepeats() async throws {
        let store = try temporaryStore()
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        let r = try await store.ingest([incoming(order("O-1"), cutoffAt: nil), incoming(order("O-2"), index: 1, cutoffAt: nil)],
                                       source: "http", now: 2_000)
        #expect(r.issues == [IngestIssue(kind: .closed, index: 1, orderId: "O-2", detail: "closed")])
        #expect(try await store.orderCount() == 1)
    }

    @Test func pagesADayInArrivalOrderWithTotals() async throws {
        let store = try temporaryStore()
        let ids = (1...7).map { "O-\(10 - $0)" }
        _ = try await store.ingest(ids.enumerated().map { incoming(order($1), index: $0) }, source: "http", now: 10)
        _ = try await store.ingest([incoming(order("X-1", date: "2025-09-17"))], source: "http", now: 11)
        let p1 = try await store.orders(deliveryDate: "2025-09-16", status: nil, offset: 0, limit: 3)
        let p3 = try await store.orders(deliveryDate: "2025-09-16", status: nil, offset: 6, limit: 3)
        #expect(p1.total == 7 && p1.page.map(\.orderId) == Array(ids[0..<3]))
        #expect(p3.total == 7 && p3.page.map(\.orderId) == [ids[6]])
        _ = try await store.cancel(orderId: ids[0], reason: nil, now: 12)
        #expect(try await store.orders(deliveryDate: "2025-09-16", status: "active", offset: 0, limit: 10).total == 6)
    }

    @Test func cancelsBeforeTheCutoffOnly() async throws {
        let store = try temporaryStore()
        _ = try await store.ingest([incoming(order("O-1")), incoming(order("O-2"), index: 1)], source: "http", now: 10)
        guard case .cancelled(let r) = try await store.cancel(orderId: "O-1", reason: "customer", now: 999) else { Issue.record(); return }
        #expect(r.status == "cancelled" && r.cancelledAt == 999 && r.cancelReason == "customer")
        #expect(try await store.cancel(orderId: "O-1", reason: nil, now: 5_000) == .alreadyCancelled(r))
        guard case .frozen = try await store.cancel(orderId: "O-2", reason: nil, now: 1_000) else { Issue.record(); return }
        #expect(try await store.cancel(orderId: "nope", reason: nil, now: 1) == .notFound)
        // Frozen-by-cut-off scope: cancelled orders are out, unless kept on a dispatched route.
        #expect(try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: 1_000, alsoIds: []).map(\.orderId) == ["O-2"])
        #expect(try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: 999, alsoIds: ["O-1"]).map(\.orderId) == ["O-1"])
    }
}

@Suite struct PlanStoreTests {
    func route(_ id: String, vehicle: String = "V-1", departureAt: Int = 5_000) -> RouteRecord {
        RouteRecord(planId: 0, routeId: id, warehouseId: "W1", vehicleId: vehicle, trip: 1, departure: "d", departureAt: departureAt,
                    returnTime: "r", stops: 1, crates: 3, grams: 100, distanceM: 1_000, cost: 50, routeJson: "{}", keptFromPlan: nil,
                    dispatchedAt: nil)
    }

    func write(_ routes: [RouteRecord], orders: [[String]]) -> PlanWrite {
        let totals = Totals(orders: 2, ordersPlanned: 2, ordersUnassigned: 0, pickupPoints: 1, vehicles: 1, trips: routes.count, stops: 1,
                            onTimeStops: 1, crates: 3, kg: 0.1, distanceM: 1_000, durationS: 60, cost: 50, fixedCost: 0, costPerOrder: 25)
        let stops = zip(routes, orders).map { r, ids in
            StopRecord(planId: 0, routeId: r.routeId, sequence: 1, pickupPointId: "P1", arrival: "a", orders: ids.count, crates: 3, grams: 100,
                       orderIds: "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
        return PlanWrite(totals: totals, routes: routes, stops: stops,
                         lists: [ListRecord(planId: 0, path: "plan.json", contentType: "application/json", body: Data("{}".utf8))])
    }

    @Test func jobsRunOnceAndAnInterruptedJobIsQueuedAgain() async throws {
        let store = try temporaryStore()
        let first = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "cutoff", cutoffKey: "k", createdAt: 1))
        let again = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "cutoff", cutoffKey: "k", createdAt: 2))
        #expect(first.created && !again.created && again.job.id == first.job.id)
        let manual = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 3))
        #expect(try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "replan", createdAt: 4)).job.id == manual.job.id)
        let claimed = try #require(try await store.claimNextJob(now: 5))
        #expect(claimed.id == first.job.id && claimed.state == "running" && claimed.attempts == 1)
        #expect(try await store.requeueInterrupted() == 1)
        let reclaimed = try #require(try await store.claimNextJob(now: 6))
        #expect(reclaimed.id == first.job.id && reclaimed.attempts == 2)
    }

    @Test func publishingIsAllOrNothing() async throws {
        let store = try temporaryStore()
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        _ = try await store.claimNextJob(now: 2)
        // Two routes with one id violate the primary key: nothing of the version may remain.
        await #expect(throws: (any Error).self) {
            try await store.publish(jobId: job.id!, deliveryDate: "2025-09-16", plan: write([route("R1"), route("R1")], orders: [["O-1"], ["O-2"]]), now: 3)
        }
        #expect(try await store.planVersions(deliveryDate: "2025-09-16").isEmpty)
        #expect(try await store.pool.read { try RouteRecord.fetchCount($0) + StopRecord.fetchCount($0) + ListRecord.fetchCount($0) } == 0)
        #expect(try await store.job(id: job.id!)?.state == "running")

        let v1 = try await store.publish(jobId: job.id!, deliveryDate: "2025-09-16", plan: write([route("R1"), route("R2")], orders: [["O-1"], ["O-2"]]), now: 4)
        #expect(v1.version == 1 && v1.ordersPlanned == 2)
        let done = try await store.job(id: job.id!)
        #expect(done?.state == "done" && done?.planId == v1.id)
        #expect(try await store.routes(planId: v1.id!).map(\.routeId) == ["R1", "R2"])
        #expect(try await store.list(planId: v1.id!, path: "plan.json")?.body == Data("{}".utf8))
    }

    @Test func dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes() async throws {
        let store = try temporaryStore()
        var versions: [PlanVersionRecord] = []
        for k in 1...2 {
            let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: k)).job
            _ = try await store.claimNextJob(now: k)
            versions.append(try await store.publish(jobId: job.id!, deliveryDate: "2025-09-16",
                                                    plan: write([route("R1", departureAt: 5_000), route("R2", vehicle: "V-2", departureAt: 9_000)],
                                                                orders: [["O-1"], ["O-2"]]), now: k))
        }
        let old = versions[0].id!, cur = versions[1].id!
        #expect(try await store.dispatch(planId: old, routeId: "R1", now: 100) == .superseded(currentPlanId: cur))
        #expect(try await store.dispatch(planId: cur, routeId: "R9", now: 100) == .notFound)
        guard case .dispatched(let r) = try await store.dispatch(planId: cur, routeId: "R2", now: 100) else { Issue.record(); return }
        #expect(r.dispatchedAt == 100)
        #expect(try await store.dispatch(planId: cur, routeId: "R2", now: 200) == .alreadyDispatched(r))
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 4_999, departedCountsAsDispatched: true).map(\.routeId) == ["R2"])
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 5_000, departedCountsAsDispatched: true).map(\.routeId) == ["R1", "R2"])
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 5_000, departedCountsAsDispatched: false).map(\.routeId) == ["R2"])
        // A group with an order on a dispatched route cannot be cancelled.
        _ = try await store.ingest([incoming(order("O-2", group: "G-7"))], source: "http", now: 1)
        #expect(try await store.cancelGroup(groupId: "G-7", deliveryDate: "2025-09-16", reason: nil, now: 300, departedCountsAsDispatched: true)
            == .dispatched(["O-2": "R2"]))
        #expect(try await store.cancelGroup(groupId: "G-8", deliveryDate: "2025-09-16", reason: nil, now: 300, departedCountsAsDispatched: true)
            == .notFound)
    }

    @Test func outagesAreIdempotent() async throws {
        let store = try temporaryStore()
        #expect(try await store.setOutage(deliveryDate: "2025-09-16", vehicleId: "V-1", reason: "flat tyre", now: 1))
        let again = try await store.setOutage(deliveryDate: "2025-09-16", vehicleId: "V-1", reason: nil, now: 2)
        #expect(!again)
        #expect(try await store.outages(deliveryDate: "2025-09-16").map(\.vehicleId) == ["V-1"])
        #expect(try await store.clearOutage(deliveryDate: "2025-09-16", vehicleId: "V-1"))
        #expect(try await store.outages(deliveryDate: "2025-09-16").isEmpty)
    }
}
