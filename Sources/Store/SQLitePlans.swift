import Foundation
import GRDB
import Planning

extension SQLiteStore {
    // MARK: Jobs

    /// Queues a job. A cut-off job is unique per `cutoffKey`; a manual or re-plan job joins one
    /// already queued for the same day (it would plan the same orders); a re-optimisation that
    /// keeps named routes does not. Returns the job and
    /// whether it is new.
    public func enqueue(_ job: PlanJobRecord) async throws -> (job: PlanJobRecord, created: Bool) {
        try await pool.write { db in
            if let key = job.cutoffKey, let old = try PlanJobRecord.filter(Column("cutoff_key") == key).fetchOne(db) {
                return (old, false)
            }
            if job.cutoffKey == nil, job.keepRouteIds == nil, let old = try PlanJobRecord
                .filter(Column("delivery_date") == job.deliveryDate && Column("state") == "queued" && Column("cutoff_key") == nil)
                .fetchOne(db) {
                return (old, false)
            }
            var j = job
            try j.insert(db)
            return (j, true)
        }
    }

    public func requeueInterrupted(worker: String, now: Int) async throws -> Int {
        // One daemon per file: every running job was this process's, before it stopped.
        try await pool.write { db in
            try db.execute(sql: "UPDATE plan_jobs SET lease_until = 0 WHERE state = 'running'")
            return db.changesCount
        }
    }

    public func claimNextJob(worker: String, now: Int, leaseSeconds: Int) async throws -> PlanJobRecord? {
        try await pool.write { db in
            while var j = try PlanJobRecord
                .filter(sql: "state = 'queued' OR (state = 'running' AND lease_until < ?)", arguments: [now])
                .order(Column("id")).fetchOne(db) {
                if j.state == "running", j.attempts >= PlanJobPolicy.maxAttempts {
                    j.state = "failed"
                    j.finishedAt = now
                    j.reason = PlanJobPolicy.interruptedReason(attempts: j.attempts)
                    j.leaseUntil = nil
                    try j.update(db)
                    continue
                }
                j.state = "running"
                j.startedAt = now
                j.attempts += 1
                j.workerId = worker
                j.leaseUntil = now + leaseSeconds
                try j.update(db)
                return j
            }
            return nil
        }
    }

    public func renewLease(jobId: Int64, worker: String, until: Int) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE plan_jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND worker_id = ?",
                           arguments: [until, jobId, worker])
            return db.changesCount == 1
        }
    }

    @discardableResult
    public func failJob(id: Int64, worker: String, reason: String, now: Int) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE plan_jobs SET state = 'failed', reason = ?, finished_at = ?, lease_until = NULL
                WHERE id = ? AND state = 'running' AND worker_id = ?
                """, arguments: [reason, now, id, worker])
            return db.changesCount == 1
        }
    }

    public func job(id: Int64) async throws -> PlanJobRecord? {
        try await pool.read { db in try PlanJobRecord.fetchOne(db, key: id) }
    }

    public func jobCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var out: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM plan_jobs GROUP BY state") { out[r[0]] = r[1] }
            return out
        }
    }

    // MARK: Publishing

    /// Writes the plan version, its routes, stops and lists, and marks the job done, in one
    /// transaction: a crash leaves either all of it or none of it.
    public func publish(jobId: Int64, worker: String, deliveryDate: String, plan: PlanWrite, now: Int) async throws -> PlanVersionRecord {
        try await pool.write { db in
            guard let job = try PlanJobRecord.fetchOne(db, key: jobId), job.state == "running", job.workerId == worker else {
                throw LeaseLost(jobId: jobId, worker: worker)
            }
            return try Self.writeVersion(db, job: job, deliveryDate: deliveryDate, plan: plan, now: now)
        }
    }

    /// Inserts a version of the day with its routes, stops and lists and marks `job` done (inside
    /// the caller's transaction).
    static func writeVersion(_ db: Database, job: PlanJobRecord, deliveryDate: String, plan: PlanWrite, now: Int) throws -> PlanVersionRecord {
        let jobId = job.id!
        let last = try Int.fetchOne(db, sql: "SELECT max(version) FROM plan_versions WHERE delivery_date = ?",
                                    arguments: [deliveryDate]) ?? 0
        let t = plan.totals
        var v = PlanVersionRecord(
            id: nil, deliveryDate: deliveryDate, version: last + 1, jobId: jobId, trigger: job.trigger, note: job.note,
            createdAt: now, orders: t.orders, ordersPlanned: t.ordersPlanned, ordersUnassigned: t.ordersUnassigned,
            vehicles: t.vehicles, trips: t.trips, distanceM: t.distanceM, cost: t.cost)
        try v.insert(db)
        let id = v.id!
        for var r in plan.routes {
            r.planId = id
            try r.insert(db)
        }
        let stop = try db.cachedStatement(sql: """
            INSERT INTO stops (plan_id, route_id, sequence, pickup_point_id, arrival, orders, crates, grams, order_ids)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for s in plan.stops {
            try stop.execute(arguments: [id, s.routeId, s.sequence, s.pickupPointId, s.arrival, s.orders, s.crates, s.grams, s.orderIds])
        }
        let list = try db.cachedStatement(sql: "INSERT INTO lists (plan_id, path, content_type, body) VALUES (?, ?, ?, ?)")
        for l in plan.lists { try list.execute(arguments: [id, l.path, l.contentType, l.body]) }
        try db.execute(sql: "UPDATE plan_jobs SET state = 'done', reason = NULL, finished_at = ?, plan_id = ?, lease_until = NULL WHERE id = ?",
                       arguments: [now, id, jobId])
        return v
    }

    public func planVersions(deliveryDate: String) async throws -> [PlanVersionRecord] {
        try await pool.read { db in
            try PlanVersionRecord.filter(Column("delivery_date") == deliveryDate).order(Column("version")).fetchAll(db)
        }
    }

    public func planVersion(id: Int64) async throws -> PlanVersionRecord? {
        try await pool.read { db in try PlanVersionRecord.fetchOne(db, key: id) }
    }

    public func currentPlan(deliveryDate: String) async throws -> PlanVersionRecord? {
        try await pool.read { db in try Self.currentPlan(db, deliveryDate: deliveryDate) }
    }

    static func currentPlan(_ db: Database, deliveryDate: String) throws -> PlanVersionRecord? {
        try PlanVersionRecord.filter(Column("delivery_date") == deliveryDate).order(Column("version").desc).fetchOne(db)
    }

    public func list(planId: Int64, path: String) async throws -> ListRecord? {
        try await pool.read { db in try ListRecord.fetchOne(db, key: ["plan_id": planId, "path": path]) }
    }

    public func listPaths(planId: Int64) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT path FROM lists WHERE plan_id = ? ORDER BY path", arguments: [planId])
        }
    }

    public func routes(planId: Int64) async throws -> [RouteRecord] {
        try await pool.read { db in
            try RouteRecord.filter(Column("plan_id") == planId).order(Column("warehouse_id"), Column("vehicle_id"), Column("trip")).fetchAll(db)
        }
    }

    public func stops(planId: Int64) async throws -> [StopRecord] {
        try await pool.read { db in
            try StopRecord.filter(Column("plan_id") == planId).order(Column("route_id"), Column("sequence")).fetchAll(db)
        }
    }

    // MARK: Dispatch

    /// Marks a route of the day's current plan as dispatched (it left the warehouse): later
    /// versions keep it exactly as it is.
    public func dispatch(planId: Int64, routeId: String, now: Int) async throws -> DispatchOutcome {
        try await pool.write { db in
            guard let plan = try PlanVersionRecord.fetchOne(db, key: planId),
                  var r = try RouteRecord.fetchOne(db, key: ["plan_id": planId, "route_id": routeId]) else { return .notFound }
            if let cur = try Self.currentPlan(db, deliveryDate: plan.deliveryDate), cur.id != planId {
                return .superseded(currentPlanId: cur.id!)
            }
            if r.dispatchedAt != nil { return .alreadyDispatched(r) }
            r.dispatchedAt = now
            try r.update(db)
            return .dispatched(r)
        }
    }

    /// Routes of the day's current plan that a new version must keep: dispatched, or (if
    /// `departedCountsAsDispatched`) past their departure time.
    public func lockedRoutes(deliveryDate: String, now: Int, departedCountsAsDispatched: Bool) async throws -> [RouteRecord] {
        try await pool.read { db in
            guard let plan = try Self.currentPlan(db, deliveryDate: deliveryDate) else { return [] }
            return try Self.lockedRoutes(db, planId: plan.id!, now: now, departedCountsAsDispatched: departedCountsAsDispatched)
        }
    }

    static func lockedRoutes(_ db: Database, planId: Int64, now: Int, departedCountsAsDispatched: Bool) throws -> [RouteRecord] {
        let sql = departedCountsAsDispatched
            ? "plan_id = ? AND (dispatched_at IS NOT NULL OR departure_at <= ?)"
            : "plan_id = ? AND dispatched_at IS NOT NULL AND ? IS NOT NULL"
        return try RouteRecord.filter(sql: sql, arguments: [planId, now]).order(Column("route_id")).fetchAll(db)
    }

    // MARK: Vehicles

    /// Takes a van out of service for a delivery day (idempotent).
    public func setOutage(deliveryDate: String, vehicleId: String, reason: String?, now: Int) async throws -> Bool {
        try await pool.write { db in
            if try VehicleOutageRecord.exists(db, key: ["delivery_date": deliveryDate, "vehicle_id": vehicleId]) { return false }
            var outage = VehicleOutageRecord(deliveryDate: deliveryDate, vehicleId: vehicleId, since: now, reason: reason)
            try outage.insert(db)
            return true
        }
    }

    public func clearOutage(deliveryDate: String, vehicleId: String) async throws -> Bool {
        try await pool.write { db in
            try VehicleOutageRecord.deleteOne(db, key: ["delivery_date": deliveryDate, "vehicle_id": vehicleId])
        }
    }

    public func outages(deliveryDate: String) async throws -> [VehicleOutageRecord] {
        try await pool.read { db in
            try VehicleOutageRecord.filter(Column("delivery_date") == deliveryDate).order(Column("vehicle_id")).fetchAll(db)
        }
    }
}
