import Foundation
import GRDB
@testable import Planning
import Testing

@testable import Store

@Suite struct SchemaTests {
    @Test func migratesAnEmptyDatabaseInWALWithFullSync() throws {
        let store = try temporaryStore()
        #expect(try store.journalMode() == "wal")
        #expect(try store.synchronousSetting() == 2)  // FULL
        let (tables, applied) = try store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"),
             try SQLiteSchema.migrator.appliedIdentifiers(db))
        }
        #expect(tables == ["lists", "orders", "plan_jobs", "plan_versions", "routes", "stops", "vehicle_outages"])
        #expect(applied == Set(SQLiteSchema.migrator.migrations))
    }

    /// A database as v3 left it: lines in `order_lines`. Opening it moves them into the rows.
    @Test func migrationV4KeepsEveryOrdersLinesInTheirOrder() async throws {
        let path = try temporaryStore("v3").path + ".v3"
        let old = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(old, upTo: Migrations.v3)
        try await old.write { db in
            for (id, lines) in MigrationFixture.orders {
                try db.execute(sql: """
                    INSERT INTO orders (order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, body, status,
                                        cutoff_at, received_at, source) VALUES (?, 'G-1', 'P1', ?, '2025-09-16', '2025-09-15T20:00:00+08:00', ?, 'active', 1000, 10, 'http')
                    """, arguments: [id, "C-\(id)", incoming(order(id, lines: lines)).body])
                for (k, l) in lines.enumerated() {
                    try db.execute(sql: "INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (?, ?, ?, ?)", arguments: [id, k, l.0, l.1])
                }
            }
        }
        try old.close()
        let store = try SQLiteStore(path: path)
        #expect(try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: nil, alsoIds: []) == MigrationFixture.expected)
    }

    @Test func reopeningKeepsDataAndRunsNoMigrationTwice() async throws {
        let store = try temporaryStore()
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        let again = try SQLiteStore(path: store.path)
        #expect(try await again.orderCount() == 1)
        #expect(try await again.pool.read { try SQLiteSchema.migrator.hasCompletedMigrations($0) })
    }
}

@Suite(.enabled(if: PGTest.url != nil, PGTest.howToStart))
struct PostgresSchemaTests {
    @Test func migratesAnEmptyDatabaseAndReopeningRunsNoMigrationTwice() async throws {
        let url = try await PGTest.freshDatabase()
        let store = try await PostgresStore.open(url: url)
        #expect(try await store.appliedMigrations() == Migrations.all)
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        // Two workers starting at once: one migrates, the other finds it done.
        async let a = PostgresStore.open(url: url)
        async let b = PostgresStore.open(url: url)
        let (x, y) = try await (a, b)
        #expect(try await x.appliedMigrations() == Migrations.all)
        #expect(try await y.orderCount() == 1)
        await x.close(); await y.close(); await store.close()
    }

    @Test func migrationV4KeepsEveryOrdersLinesInTheirOrder() async throws {
        let url = try await PGTest.freshDatabase()
        let old = try await PostgresStore.open(url: url, schema: nil, maxConnections: 1, migratingThrough: Migrations.v3)
        #expect(try await old.appliedMigrations() == [Migrations.v1, Migrations.v2, Migrations.v3])
        try await old.client.withConnection { conn in
            for (id, lines) in MigrationFixture.orders {
                let body = incoming(order(id, lines: lines)).body
                try await conn.query("""
                    INSERT INTO orders (order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, body, status,
                                        cutoff_at, received_at, source) VALUES (\(id), 'G-1', 'P1', \("C-" + id), '2025-09-16', '2025-09-15T20:00:00+08:00', \(body), 'active', 1000, 10, 'http')
                    """, logger: old.logger)
                for (k, l) in lines.enumerated() {
                    try await conn.query("INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (\(id), \(k), \(l.0), \(l.1))", logger: old.logger)
                }
            }
        }
        await old.close()
        let store = try await PostgresStore.open(url: url)
        #expect(try await store.appliedMigrations() == Migrations.all)
        #expect(try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: nil, alsoIds: []) == MigrationFixture.expected)
        await store.close()
    }

    @Test func aBadURLSaysWhatIsWrong() async throws {
        #expect(throws: InputError(field: "db", "the URL names no database (expected postgres://user[:password]@host[:port]/database)")) {
            _ = try PostgresStore.configuration(url: "postgres://me@localhost:5432/", maxConnections: 1)
        }
        #expect(throws: InputError(field: "db", "sslmode must be disable, prefer or require (expected postgres://user[:password]@host[:port]/database)")) {
            _ = try PostgresStore.configuration(url: "postgres://me@localhost/db?sslmode=maybe", maxConnections: 1)
        }
        let (_, shown) = try PostgresStore.configuration(url: "postgres://me:secret@db.local:6543/lm", maxConnections: 1)
        #expect(shown == "postgres://me@db.local:6543/lm")  // no password in logs
    }
}

/// Orders with lines that are not in SKU order, an SKU that needs JSON escaping, and an order
/// with no line rows at all (a damaged v3 row still migrates, with no lines).
enum MigrationFixture {
    static let orders: [(String, [(String, Int)])] = [
        ("O-1", [("VEG", 2), ("MILK", 1), ("EGG", 12)]),
        ("O-2", [("青菜 \"特\"\\1", 3)]),
        ("O-3", []),
    ]
    static var expected: [Order] { orders.map { order($0.0, lines: $0.1) } }
}

/// What every store promises (`Store`), checked on each backend by the two suites below.
enum StoreContract {
    static func roundTripsOrdersWithTheirLinesInOrder(_ store: any Store) async throws {
        let a = order("O-2", lines: [("VEG", 2), ("MILK", 1), ("EGG", 12)])
        let b = order("O-1", point: "P2")
        let r = try await store.ingest([incoming(a), incoming(b, index: 1)], source: "http", now: 10)
        #expect(r == IngestResult(created: 2, unchanged: 0, linesCreated: 4, issues: []))
        let back = try await store.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: nil, alsoIds: [])
        #expect(back == [b, a])  // order-id order, lines as sent
        let rec = try #require(try await store.order(id: "O-2"))
        #expect(rec.status == "active" && rec.cutoffAt == 1_000 && rec.receivedAt == 10 && rec.source == "http")
        #expect(rec.body == incoming(a).body && rec.completedAt == "2025-09-15T20:00:00+08:00")
    }

    static func theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict(_ store: any Store) async throws {
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

    static func aBatchOfNewAndStoredOrdersStoresOnlyTheNew(_ store: any Store) async throws {
        _ = try await store.ingest([incoming(order("O-2"))], source: "http", now: 10)
        let r = try await store.ingest(["O-1", "O-2", "O-3"].enumerated().map { incoming(order($1), index: $0) }, source: "http", now: 20)
        #expect(r == IngestResult(created: 2, unchanged: 1, linesCreated: 2, issues: []))
        #expect(try await store.orderCount() == 3)
        #expect(try await store.order(id: "O-2")?.receivedAt == 10)
        #expect(try await store.order(id: "O-3")?.receivedAt == 20)
    }

    static func aClosedDayRejectsNewOrdersButNotRepeats(_ store: any Store) async throws {
        _ = try await store.ingest([incoming(order("O-1"))], source: "http", now: 10)
        let r = try await store.ingest([incoming(order("O-1"), cutoffAt: nil), incoming(order("O-2"), index: 1, cutoffAt: nil)],
                                       source: "http", now: 2_000)
        #expect(r.issues == [IngestIssue(kind: .closed, index: 1, orderId: "O-2", detail: "closed")])
        #expect(try await store.orderCount() == 1)
    }

    static func pagesADayInArrivalOrderWithTotals(_ store: any Store) async throws {
        let ids = (1...7).map { "O-\(10 - $0)" }
        _ = try await store.ingest(ids.enumerated().map { incoming(order($1), index: $0) }, source: "http", now: 10)
        _ = try await store.ingest([incoming(order("X-1", date: "2025-09-17"))], source: "http", now: 11)
        let p1 = try await store.orders(deliveryDate: "2025-09-16", status: nil, offset: 0, limit: 3)
        let p3 = try await store.orders(deliveryDate: "2025-09-16", status: nil, offset: 6, limit: 3)
        #expect(p1.total == 7 && p1.page.map(\.orderId) == Array(ids[0..<3]))
        #expect(p3.total == 7 && p3.page.map(\.orderId) == [ids[6]])
        _ = try await store.cancel(orderId: ids[0], reason: nil, now: 12)
        #expect(try await store.orders(deliveryDate: "2025-09-16", status: "active", offset: 0, limit: 10).total == 6)
        #expect(try await store.openCutoffs(fromDate: "2025-09-16").map(\.deliveryDate) == ["2025-09-16", "2025-09-17"])
        #expect(try await store.hasOrders(deliveryDate: "2025-09-17", cutoffAt: 1_000))
        #expect(!(try await store.hasOrders(deliveryDate: "2025-09-17", cutoffAt: 999)))
    }

    static func cancelsBeforeTheCutoffOnly(_ store: any Store) async throws {
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

    static func cutoffJobsAreUniqueAndManualJobsJoinTheQueuedOne(_ store: any Store) async throws {
        let first = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "cutoff", cutoffKey: "k", createdAt: 1))
        let again = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "cutoff", cutoffKey: "k", createdAt: 2))
        #expect(first.created && !again.created && again.job.id == first.job.id)
        let manual = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 3))
        #expect(try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "replan", createdAt: 4)).job.id == manual.job.id)
        // A re-optimisation that keeps named routes never joins.
        #expect(try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "reoptimise", createdAt: 5, keepRouteIds: "[]")).created)
        #expect(try await store.jobCounts() == ["queued": 3])
    }

    static func aClaimIsALeaseThatOnlyItsHolderRenewsPublishesOrFails(_ store: any Store) async throws {
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        let claimed = try #require(try await store.claimNextJob(worker: "w1", now: 100, leaseSeconds: 30))
        #expect(claimed.id == job.id && claimed.state == "running" && claimed.attempts == 1 && claimed.workerId == "w1" && claimed.leaseUntil == 130)
        // Held: nobody else gets it before the lease ends.
        #expect(try await store.claimNextJob(worker: "w2", now: 129, leaseSeconds: 30) == nil)
        #expect(try await store.renewLease(jobId: job.id!, worker: "w1", until: 160))
        #expect(!(try await store.renewLease(jobId: job.id!, worker: "w2", until: 999)))
        #expect(try await store.claimNextJob(worker: "w2", now: 159, leaseSeconds: 30) == nil)
        // w1 stalls past its lease: w2 claims the job (attempt 2); w1 can no longer publish or fail it.
        let taken = try #require(try await store.claimNextJob(worker: "w2", now: 161, leaseSeconds: 30))
        #expect(taken.id == job.id && taken.attempts == 2 && taken.workerId == "w2")
        #expect(!(try await store.renewLease(jobId: job.id!, worker: "w1", until: 200)))
        await #expect(throws: LeaseLost(jobId: job.id!, worker: "w1")) {
            try await store.publish(jobId: job.id!, worker: "w1", deliveryDate: "2025-09-16", plan: write([route("R1")], orders: [["O-1"]]), now: 170)
        }
        #expect(!(try await store.failJob(id: job.id!, worker: "w1", reason: "x", now: 170)))
        let v = try await store.publish(jobId: job.id!, worker: "w2", deliveryDate: "2025-09-16", plan: write([route("R1")], orders: [["O-1"]]), now: 171)
        #expect(v.version == 1)
        let done = try #require(try await store.job(id: job.id!))
        #expect(done.state == "done" && done.planId == v.id && done.workerId == "w2" && done.leaseUntil == nil)
        #expect(try await store.planVersions(deliveryDate: "2025-09-16").count == 1)
        // Done is done: a second publication of the job is refused.
        await #expect(throws: LeaseLost(jobId: job.id!, worker: "w2")) {
            try await store.publish(jobId: job.id!, worker: "w2", deliveryDate: "2025-09-16", plan: write([route("R1")], orders: [["O-1"]]), now: 172)
        }
    }

    static func aJobWhoseLeasePassedMaxAttemptsTimesIsFailedWithTheReason(_ store: any Store) async throws {
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        for attempt in 1...PlanJobPolicy.maxAttempts {
            let c = try #require(try await store.claimNextJob(worker: "w\(attempt)", now: attempt * 100, leaseSeconds: 30))
            #expect(c.attempts == attempt)   // each worker dies while planning
        }
        #expect(try await store.claimNextJob(worker: "w9", now: 1_000, leaseSeconds: 30) == nil)
        let failed = try #require(try await store.job(id: job.id!))
        #expect(failed.state == "failed" && failed.reason == PlanJobPolicy.interruptedReason(attempts: 3))
        #expect(failed.reason == "planning was interrupted 3 times (the process stopped or crashed each time); not retried")
    }

    static func aFailedJobKeepsItsReason(_ store: any Store) async throws {
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        _ = try await store.claimNextJob(worker: "w1", now: 2, leaseSeconds: 30)
        #expect(try await store.failJob(id: job.id!, worker: "w1", reason: "no orders to plan", now: 3))
        let j = try #require(try await store.job(id: job.id!))
        #expect(j.state == "failed" && j.reason == "no orders to plan" && j.finishedAt == 3)
        #expect(try await store.claimNextJob(worker: "w1", now: 1_000, leaseSeconds: 30) == nil)
    }

    static func publishingIsAllOrNothing(_ store: any Store) async throws {
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        _ = try await store.claimNextJob(worker: "w", now: 2, leaseSeconds: 30)
        // Two routes with one id violate the primary key: nothing of the version may remain.
        await #expect(throws: (any Error).self) {
            try await store.publish(jobId: job.id!, worker: "w", deliveryDate: "2025-09-16",
                                    plan: write([route("R1"), route("R1")], orders: [["O-1"], ["O-2"]]), now: 3)
        }
        #expect(try await store.planVersions(deliveryDate: "2025-09-16").isEmpty)
        #expect(try await store.job(id: job.id!)?.state == "running")

        let v1 = try await store.publish(jobId: job.id!, worker: "w", deliveryDate: "2025-09-16",
                                         plan: write([route("R1"), route("R2")], orders: [["O-1"], ["O-2"]]), now: 4)
        #expect(v1.version == 1 && v1.ordersPlanned == 2)
        let done = try await store.job(id: job.id!)
        #expect(done?.state == "done" && done?.planId == v1.id)
        #expect(try await store.routes(planId: v1.id!).map(\.routeId) == ["R1", "R2"])
        #expect(try await store.stops(planId: v1.id!).map(\.orderIds) == [#"["O-1"]"#, #"["O-2"]"#])
        #expect(try await store.list(planId: v1.id!, path: "plan.json")?.body == Data("{}".utf8))
        #expect(try await store.listPaths(planId: v1.id!) == ["plan.json"])
        #expect(try await store.currentPlan(deliveryDate: "2025-09-16") == v1)
        #expect(try await store.planVersion(id: v1.id!) == v1)
    }

    static func dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes(_ store: any Store) async throws {
        var versions: [PlanVersionRecord] = []
        for k in 1...2 {
            let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: k)).job
            _ = try await store.claimNextJob(worker: "w", now: k, leaseSeconds: 30)
            versions.append(try await store.publish(jobId: job.id!, worker: "w", deliveryDate: "2025-09-16",
                                                    plan: write([route("R1", departureAt: 5_000), route("R2", vehicle: "V-2", departureAt: 9_000)],
                                                                orders: [["O-1"], ["O-2"]]), now: k))
        }
        let old = versions[0].id!, cur = versions[1].id!
        #expect(versions.map(\.version) == [1, 2])
        #expect(try await store.dispatch(planId: old, routeId: "R1", now: 100) == .superseded(currentPlanId: cur))
        #expect(try await store.dispatch(planId: cur, routeId: "R9", now: 100) == .notFound)
        guard case .dispatched(let r) = try await store.dispatch(planId: cur, routeId: "R2", now: 100) else { Issue.record(); return }
        #expect(r.dispatchedAt == 100)
        #expect(try await store.dispatch(planId: cur, routeId: "R2", now: 200) == .alreadyDispatched(r))
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 4_999, departedCountsAsDispatched: true).map(\.routeId) == ["R2"])
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 5_000, departedCountsAsDispatched: true).map(\.routeId) == ["R1", "R2"])
        #expect(try await store.lockedRoutes(deliveryDate: "2025-09-16", now: 5_000, departedCountsAsDispatched: false).map(\.routeId) == ["R2"])
        #expect(try await store.currentRoutes(deliveryDate: "2025-09-16", ids: ["R1", "R7"]).map(\.routeId) == ["R1"])
        // A group with an order on a dispatched route cannot be cancelled.
        _ = try await store.ingest([incoming(order("O-2", group: "G-7")), incoming(order("O-3", group: "G-8"), index: 1)], source: "http", now: 1)
        #expect(try await store.cancelGroup(groupId: "G-7", deliveryDate: "2025-09-16", reason: nil, now: 300, departedCountsAsDispatched: true)
            == .dispatched(["O-2": "R2"]))
        #expect(try await store.cancelGroup(groupId: "G-8", deliveryDate: "2025-09-16", reason: "late", now: 300, departedCountsAsDispatched: true)
            == .cancelled(orderIds: ["O-3"]))
        #expect(try await store.cancelGroup(groupId: "G-8", deliveryDate: "2025-09-16", reason: nil, now: 301, departedCountsAsDispatched: true)
            == .notFound)
    }

    static func anEditIsPublishedOnlyFromTheCurrentVersion(_ store: any Store) async throws {
        let (job, _) = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1))
        _ = try await store.claimNextJob(worker: "w", now: 1, leaseSeconds: 30)
        let w = write([route("R1")], orders: [["O-1"]])
        let v1 = try await store.publish(jobId: job.id!, worker: "w", deliveryDate: "2025-09-16", plan: w, now: 2)
        guard case .published(let v2) = try await store.publishEdit(basePlanId: v1.id!, plan: w, note: "edited by Wang", now: 3) else {
            Issue.record("edit not published")
            return
        }
        #expect(v2.version == 2 && v2.trigger == "edit" && v2.note == "edited by Wang")
        #expect(try await store.job(id: v2.jobId)?.state == "done")
        #expect(try await store.publishEdit(basePlanId: v1.id!, plan: w, note: "late", now: 4) == .superseded(currentPlanId: v2.id!))
        #expect(try await store.publishEdit(basePlanId: 99, plan: w, note: "x", now: 4) == .notFound)
    }

    static func outagesAreIdempotent(_ store: any Store) async throws {
        #expect(try await store.setOutage(deliveryDate: "2025-09-16", vehicleId: "V-1", reason: "flat tyre", now: 1))
        let again = try await store.setOutage(deliveryDate: "2025-09-16", vehicleId: "V-1", reason: nil, now: 2)
        #expect(!again)
        let outages = try await store.outages(deliveryDate: "2025-09-16")
        #expect(outages.map(\.vehicleId) == ["V-1"] && outages[0].reason == "flat tyre" && outages[0].since == 1)
        #expect(try await store.clearOutage(deliveryDate: "2025-09-16", vehicleId: "V-1"))
        #expect(!(try await store.clearOutage(deliveryDate: "2025-09-16", vehicleId: "V-1")))
        #expect(try await store.outages(deliveryDate: "2025-09-16").isEmpty)
    }
}

/// The contract on each backend. The bodies are `StoreContract`'s; only the store differs.
@Suite struct SQLiteStoreTests {
    func on(_ body: (any Store) async throws -> Void) async throws { try await body(try temporaryStore()) }
    @Test func roundTripsOrdersWithTheirLinesInOrder() async throws { try await on(StoreContract.roundTripsOrdersWithTheirLinesInOrder) }
    @Test func theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict() async throws { try await on(StoreContract.theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict) }
    @Test func aBatchOfNewAndStoredOrdersStoresOnlyTheNew() async throws { try await on(StoreContract.aBatchOfNewAndStoredOrdersStoresOnlyTheNew) }
    @Test func aClosedDayRejectsNewOrdersButNotRepeats() async throws { try await on(StoreContract.aClosedDayRejectsNewOrdersButNotRepeats) }
    @Test func pagesADayInArrivalOrderWithTotals() async throws { try await on(StoreContract.pagesADayInArrivalOrderWithTotals) }
    @Test func cancelsBeforeTheCutoffOnly() async throws { try await on(StoreContract.cancelsBeforeTheCutoffOnly) }
    @Test func cutoffJobsAreUniqueAndManualJobsJoinTheQueuedOne() async throws { try await on(StoreContract.cutoffJobsAreUniqueAndManualJobsJoinTheQueuedOne) }
    @Test func aClaimIsALeaseThatOnlyItsHolderRenewsPublishesOrFails() async throws { try await on(StoreContract.aClaimIsALeaseThatOnlyItsHolderRenewsPublishesOrFails) }
    @Test func aJobWhoseLeasePassedMaxAttemptsTimesIsFailedWithTheReason() async throws { try await on(StoreContract.aJobWhoseLeasePassedMaxAttemptsTimesIsFailedWithTheReason) }
    @Test func aFailedJobKeepsItsReason() async throws { try await on(StoreContract.aFailedJobKeepsItsReason) }
    @Test func publishingIsAllOrNothing() async throws { try await on(StoreContract.publishingIsAllOrNothing) }
    @Test func dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes() async throws { try await on(StoreContract.dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes) }
    @Test func anEditIsPublishedOnlyFromTheCurrentVersion() async throws { try await on(StoreContract.anEditIsPublishedOnlyFromTheCurrentVersion) }
    @Test func outagesAreIdempotent() async throws { try await on(StoreContract.outagesAreIdempotent) }

    /// One daemon per file: at its restart every job left running is claimable at once.
    @Test func aRestartRequeuesEveryRunningJobAtOnce() async throws {
        let store = try temporaryStore()
        let job = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1)).job
        _ = try await store.claimNextJob(worker: "host-1", now: 5, leaseSeconds: 30)
        #expect(try await store.requeueInterrupted(worker: "host-2", now: 6) == 1)
        let again = try #require(try await store.claimNextJob(worker: "host-2", now: 6, leaseSeconds: 30))
        #expect(again.id == job.id && again.attempts == 2 && again.workerId == "host-2")
    }

    @Test func aFailedPublicationLeavesNoRows() async throws {
        let store = try temporaryStore()
        try await StoreContract.publishingIsAllOrNothing(store)
        // Only the second, successful version's rows: 2 routes, 2 stops, 1 list.
        #expect(try await store.pool.read { try RouteRecord.fetchCount($0) + StopRecord.fetchCount($0) + ListRecord.fetchCount($0) } == 5)
    }
}

@Suite(.enabled(if: PGTest.url != nil, PGTest.howToStart))
struct PostgresStoreTests {
    func on(_ body: (any Store) async throws -> Void) async throws {
        let store = try await PGTest.freshStore()
        try await body(store)
        await store.close()
    }
    @Test func roundTripsOrdersWithTheirLinesInOrder() async throws { try await on(StoreContract.roundTripsOrdersWithTheirLinesInOrder) }
    @Test func theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict() async throws { try await on(StoreContract.theSameOrderAgainIsANoOpAndADifferentBodyIsAConflict) }
    @Test func aBatchOfNewAndStoredOrdersStoresOnlyTheNew() async throws { try await on(StoreContract.aBatchOfNewAndStoredOrdersStoresOnlyTheNew) }
    @Test func aClosedDayRejectsNewOrdersButNotRepeats() async throws { try await on(StoreContract.aClosedDayRejectsNewOrdersButNotRepeats) }
    @Test func pagesADayInArrivalOrderWithTotals() async throws { try await on(StoreContract.pagesADayInArrivalOrderWithTotals) }
    @Test func cancelsBeforeTheCutoffOnly() async throws { try await on(StoreContract.cancelsBeforeTheCutoffOnly) }
    @Test func cutoffJobsAreUniqueAndManualJobsJoinTheQueuedOne() async throws { try await on(StoreContract.cutoffJobsAreUniqueAndManualJobsJoinTheQueuedOne) }
    @Test func aClaimIsALeaseThatOnlyItsHolderRenewsPublishesOrFails() async throws { try await on(StoreContract.aClaimIsALeaseThatOnlyItsHolderRenewsPublishesOrFails) }
    @Test func aJobWhoseLeasePassedMaxAttemptsTimesIsFailedWithTheReason() async throws { try await on(StoreContract.aJobWhoseLeasePassedMaxAttemptsTimesIsFailedWithTheReason) }
    @Test func aFailedJobKeepsItsReason() async throws { try await on(StoreContract.aFailedJobKeepsItsReason) }
    @Test func publishingIsAllOrNothing() async throws { try await on(StoreContract.publishingIsAllOrNothing) }
    @Test func dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes() async throws { try await on(StoreContract.dispatchesFromTheCurrentVersionOnlyAndLocksDispatchedOrDepartedRoutes) }
    @Test func anEditIsPublishedOnlyFromTheCurrentVersion() async throws { try await on(StoreContract.anEditIsPublishedOnlyFromTheCurrentVersion) }
    @Test func outagesAreIdempotent() async throws { try await on(StoreContract.outagesAreIdempotent) }

    /// Several workers: a restarted worker takes back its own jobs at once, not another's.
    @Test func aRestartRequeuesOnlyTheWorkersOwnJobs() async throws {
        let store = try await PGTest.freshStore()
        for k in 1...2 { _ = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-1\(k)", trigger: "manual", createdAt: k)) }
        _ = try await store.claimNextJob(worker: "w1", now: 5, leaseSeconds: 30)
        _ = try await store.claimNextJob(worker: "w2", now: 5, leaseSeconds: 30)
        #expect(try await store.requeueInterrupted(worker: "w1", now: 6) == 1)
        let back = try #require(try await store.claimNextJob(worker: "w1", now: 6, leaseSeconds: 30))
        #expect(back.id == 1 && back.attempts == 2)
        #expect(try await store.claimNextJob(worker: "w1", now: 6, leaseSeconds: 30) == nil)  // w2's job is still w2's
        await store.close()
    }

    /// Two workers (two connection pools) claiming from one queue at once: each job once.
    @Test func concurrentClaimsTakeEachJobOnce() async throws {
        let url = try await PGTest.freshDatabase()
        let a = try await PostgresStore.open(url: url), b = try await PostgresStore.open(url: url)
        for k in 0..<40 { _ = try await a.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "cutoff", cutoffKey: "k\(k)", createdAt: k)) }
        func drain(_ s: PostgresStore, _ w: String) async throws -> [Int64] {
            var ids: [Int64] = []
            while let j = try await s.claimNextJob(worker: w, now: 100, leaseSeconds: 30) { ids.append(j.id!) }
            return ids
        }
        async let x = drain(a, "wa")
        async let y = drain(b, "wb")
        let (ia, ib) = try await (x, y)
        #expect((ia + ib).sorted() == Array(1...40).map(Int64.init))
        await a.close(); await b.close()
    }

    /// The same new orders sent to two workers at once: stored once, both answers succeed.
    @Test func concurrentIngestOfTheSameOrdersStoresThemOnce() async throws {
        let url = try await PGTest.freshDatabase()
        let a = try await PostgresStore.open(url: url), b = try await PostgresStore.open(url: url)
        let batch = (0..<300).map { incoming(order("O-\($0)", lines: [("VEG", 1), ("EGG", 2)]), index: $0) }
        async let x = a.ingest(batch, source: "http", now: 1)
        async let y = b.ingest(batch, source: "http", now: 1)
        let (ra, rb) = try await (x, y)
        #expect(ra.issues.isEmpty && rb.issues.isEmpty)
        #expect(ra.created + rb.created == 300 && ra.unchanged + rb.unchanged == 300)
        #expect(try await a.orderCount() == 300)
        #expect(try await a.planningOrders(deliveryDate: "2025-09-16", scopeCutoffAt: nil, alsoIds: []).map(\.lines.count) == Array(repeating: 2, count: 300))
        await a.close(); await b.close()
    }
}
