import Foundation
import NIOCore
import Planning
import PostgresNIO

extension PostgresStore {
    // MARK: Jobs

    /// A lock held to the end of the transaction, one per delivery day and purpose: serialises
    /// what a unique key alone cannot (joining a queued manual job, numbering versions).
    func lockDay(_ conn: PostgresConnection, _ purpose: String, _ deliveryDate: String) async throws {
        let key = purpose + ":" + deliveryDate
        try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
    }

    public func enqueue(_ job: PlanJobRecord) async throws -> (job: PlanJobRecord, created: Bool) {
        try await transaction { conn in
            try await self.lockDay(conn, "enqueue", job.deliveryDate)
            if let key = job.cutoffKey,
               let old = try await self.rows("SELECT \(unescaped: PGColumns.job) FROM plan_jobs WHERE cutoff_key = \(key)", on: conn).first {
                return (try PlanJobRecord(old), false)
            }
            if job.cutoffKey == nil, job.keepRouteIds == nil, let old = try await self.rows("""
                SELECT \(unescaped: PGColumns.job) FROM plan_jobs
                WHERE delivery_date = \(job.deliveryDate) AND state = 'queued' AND cutoff_key IS NULL ORDER BY id LIMIT 1
                """, on: conn).first {
                return (try PlanJobRecord(old), false)
            }
            let row = try await self.rows("""
                INSERT INTO plan_jobs (delivery_date, trigger, cutoff_key, scope_cutoff_at, note, state, attempts, created_at, keep_route_ids)
                VALUES (\(job.deliveryDate), \(job.trigger), \(job.cutoffKey), \(job.scopeCutoffAt), \(job.note), \(job.state),
                        \(job.attempts), \(job.createdAt), \(job.keepRouteIds))
                RETURNING \(unescaped: PGColumns.job)
                """, on: conn)
            return (try PlanJobRecord(row[0]), true)
        }
    }

    public func requeueInterrupted(worker: String, now: Int) async throws -> Int {
        // Only this worker's own jobs (a stable `--worker-id` across restarts); other workers'
        // running jobs are theirs until their leases pass.
        try await rows("""
            UPDATE plan_jobs SET lease_until = 0 WHERE state = 'running' AND worker_id = \(worker) RETURNING id
            """).count
    }

    public func claimNextJob(worker: String, now: Int, leaseSeconds: Int) async throws -> PlanJobRecord? {
        try await transaction { conn in
            while let row = try await self.rows("""
                SELECT \(unescaped: PGColumns.job) FROM plan_jobs
                WHERE state = 'queued' OR (state = 'running' AND lease_until < \(now))
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, on: conn).first {
                let j = try PlanJobRecord(row)
                if j.state == "running", j.attempts >= PlanJobPolicy.maxAttempts {
                    try await conn.query("""
                        UPDATE plan_jobs SET state = 'failed', finished_at = \(now), lease_until = NULL,
                            reason = \(PlanJobPolicy.interruptedReason(attempts: j.attempts)) WHERE id = \(j.id!)
                        """, logger: self.logger)
                    continue
                }
                let claimed = try await self.rows("""
                    UPDATE plan_jobs SET state = 'running', started_at = \(now), attempts = attempts + 1, worker_id = \(worker),
                        lease_until = \(now + leaseSeconds)
                    WHERE id = \(j.id!) RETURNING \(unescaped: PGColumns.job)
                    """, on: conn)
                return try PlanJobRecord(claimed[0])
            }
            return nil
        }
    }

    public func renewLease(jobId: Int64, worker: String, until: Int) async throws -> Bool {
        try await rows("""
            UPDATE plan_jobs SET lease_until = \(until) WHERE id = \(jobId) AND state = 'running' AND worker_id = \(worker) RETURNING id
            """).count == 1
    }

    @discardableResult
    public func failJob(id: Int64, worker: String, reason: String, now: Int) async throws -> Bool {
        try await rows("""
            UPDATE plan_jobs SET state = 'failed', reason = \(reason), finished_at = \(now), lease_until = NULL
            WHERE id = \(id) AND state = 'running' AND worker_id = \(worker) RETURNING id
            """).count == 1
    }

    public func job(id: Int64) async throws -> PlanJobRecord? {
        try await rows("SELECT \(unescaped: PGColumns.job) FROM plan_jobs WHERE id = \(id)").first.map(PlanJobRecord.init)
    }

    public func jobCounts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for r in try await rows("SELECT state, count(*) AS n FROM plan_jobs GROUP BY state") { out[try r.get("state")] = try r.get("n") }
        return out
    }

    // MARK: Publishing

    public func publish(jobId: Int64, worker: String, deliveryDate: String, plan: PlanWrite, now: Int) async throws -> PlanVersionRecord {
        try await transaction { conn in
            // The row lock makes the check and the write one step: a worker that claims the job
            // after this worker's lease passed waits here, then finds it done.
            guard let row = try await self.rows("SELECT \(unescaped: PGColumns.job) FROM plan_jobs WHERE id = \(jobId) FOR UPDATE", on: conn).first,
                  case let job = try PlanJobRecord(row), job.state == "running", job.workerId == worker else {
                throw LeaseLost(jobId: jobId, worker: worker)
            }
            return try await self.writeVersion(conn, job: job, deliveryDate: deliveryDate, plan: plan, now: now)
        }
    }

    /// Inserts the day's next version with its routes, stops and lists and marks `job` done
    /// (inside the caller's transaction).
    func writeVersion(_ conn: PostgresConnection, job: PlanJobRecord, deliveryDate: String, plan: PlanWrite, now: Int) async throws -> PlanVersionRecord {
        try await lockDay(conn, "version", deliveryDate)
        let last: Int = try await rows("SELECT coalesce(max(version), 0) AS v FROM plan_versions WHERE delivery_date = \(deliveryDate)",
                                       on: conn).first?.get("v") ?? 0
        let t = plan.totals
        let inserted = try await rows("""
            INSERT INTO plan_versions (delivery_date, version, job_id, trigger, note, created_at, orders, orders_planned,
                                       orders_unassigned, vehicles, trips, distance_m, cost)
            VALUES (\(deliveryDate), \(last + 1), \(job.id!), \(job.trigger), \(job.note), \(now), \(t.orders), \(t.ordersPlanned),
                    \(t.ordersUnassigned), \(t.vehicles), \(t.trips), \(t.distanceM), \(t.cost))
            RETURNING \(unescaped: PGColumns.version)
            """, on: conn)
        let version = try PlanVersionRecord(inserted[0])
        let id = version.id!
        for r in plan.routes {
            try await conn.query("""
                INSERT INTO routes (\(unescaped: PGColumns.route))
                VALUES (\(id), \(r.routeId), \(r.warehouseId), \(r.vehicleId), \(r.trip), \(r.departure), \(r.departureAt), \(r.returnTime),
                        \(r.stops), \(r.crates), \(r.grams), \(r.distanceM), \(r.cost), \(r.routeJson), \(r.keptFromPlan), \(r.dispatchedAt))
                """, logger: logger)
        }
        if !plan.stops.isEmpty {
            let s = plan.stops
            try await conn.query("""
                INSERT INTO stops (\(unescaped: PGColumns.stop))
                SELECT \(id), * FROM unnest(\(s.map(\.routeId))::text[], \(s.map(\.sequence))::bigint[], \(s.map(\.pickupPointId))::text[],
                                            \(s.map(\.arrival))::text[], \(s.map(\.orders))::bigint[], \(s.map(\.crates))::bigint[],
                                            \(s.map(\.grams))::bigint[], \(s.map(\.orderIds))::text[])
                """, logger: logger)
        }
        for l in plan.lists {
            try await conn.query("INSERT INTO lists (plan_id, path, content_type, body) VALUES (\(id), \(l.path), \(l.contentType), \(l.body))",
                                 logger: logger)
        }
        try await conn.query("""
            UPDATE plan_jobs SET state = 'done', reason = NULL, finished_at = \(now), plan_id = \(id), lease_until = NULL WHERE id = \(job.id!)
            """, logger: logger)
        return version
    }

    public func publishEdit(basePlanId: Int64, plan: PlanWrite, note: String, now: Int) async throws -> EditOutcome {
        try await transaction { conn in
            guard let base = try await self.rows("SELECT \(unescaped: PGColumns.version) FROM plan_versions WHERE id = \(basePlanId)",
                                                 on: conn).first.map(PlanVersionRecord.init) else { return .notFound }
            // The version lock first: no other version of the day can be written between the
            // check and the write.
            try await self.lockDay(conn, "version", base.deliveryDate)
            if let current = try await self.currentPlan(conn, deliveryDate: base.deliveryDate), current.id != basePlanId {
                return .superseded(currentPlanId: current.id!)
            }
            let row = try await self.rows("""
                INSERT INTO plan_jobs (delivery_date, trigger, note, state, attempts, created_at, started_at)
                VALUES (\(base.deliveryDate), 'edit', \(note), 'running', 1, \(now), \(now)) RETURNING \(unescaped: PGColumns.job)
                """, on: conn)
            return .published(try await self.writeVersion(conn, job: try PlanJobRecord(row[0]), deliveryDate: base.deliveryDate,
                                                          plan: plan, now: now))
        }
    }

    public func planVersions(deliveryDate: String) async throws -> [PlanVersionRecord] {
        try await rows("SELECT \(unescaped: PGColumns.version) FROM plan_versions WHERE delivery_date = \(deliveryDate) ORDER BY version")
            .map(PlanVersionRecord.init)
    }

    public func planVersion(id: Int64) async throws -> PlanVersionRecord? {
        try await rows("SELECT \(unescaped: PGColumns.version) FROM plan_versions WHERE id = \(id)").first.map(PlanVersionRecord.init)
    }

    public func currentPlan(deliveryDate: String) async throws -> PlanVersionRecord? {
        try await client.withConnection { conn in try await self.currentPlan(conn, deliveryDate: deliveryDate) }
    }

    func currentPlan(_ conn: PostgresConnection, deliveryDate: String) async throws -> PlanVersionRecord? {
        try await rows("""
            SELECT \(unescaped: PGColumns.version) FROM plan_versions WHERE delivery_date = \(deliveryDate) ORDER BY version DESC LIMIT 1
            """, on: conn).first.map(PlanVersionRecord.init)
    }

    public func list(planId: Int64, path: String) async throws -> ListRecord? {
        try await rows("SELECT content_type, body FROM lists WHERE plan_id = \(planId) AND path = \(path)").first.map {
            ListRecord(planId: planId, path: path, contentType: try $0.get("content_type"), body: try $0.get("body"))
        }
    }

    public func listPaths(planId: Int64) async throws -> [String] {
        try await rows("SELECT path FROM lists WHERE plan_id = \(planId) ORDER BY path COLLATE \"C\"").map { try $0.get("path") }
    }

    public func routes(planId: Int64) async throws -> [RouteRecord] {
        try await rows("""
            SELECT \(unescaped: PGColumns.route) FROM routes WHERE plan_id = \(planId)
            ORDER BY warehouse_id COLLATE "C", vehicle_id COLLATE "C", trip
            """).map(RouteRecord.init)
    }

    public func stops(planId: Int64) async throws -> [StopRecord] {
        try await rows("SELECT \(unescaped: PGColumns.stop) FROM stops WHERE plan_id = \(planId) ORDER BY route_id COLLATE \"C\", sequence")
            .map(StopRecord.init)
    }

    public func currentRoutes(deliveryDate: String, ids: Set<String>) async throws -> [RouteRecord] {
        guard !ids.isEmpty else { return [] }
        return try await client.withConnection { conn in
            guard let plan = try await self.currentPlan(conn, deliveryDate: deliveryDate) else { return [] }
            return try await self.rows("""
                SELECT \(unescaped: PGColumns.route) FROM routes WHERE plan_id = \(plan.id!) AND route_id = ANY(\(Array(ids)))
                ORDER BY route_id COLLATE "C"
                """, on: conn).map(RouteRecord.init)
        }
    }

    // MARK: Dispatch

    public func dispatch(planId: Int64, routeId: String, now: Int) async throws -> DispatchOutcome {
        try await transaction { conn in
            guard let plan = try await self.rows("SELECT \(unescaped: PGColumns.version) FROM plan_versions WHERE id = \(planId)", on: conn)
                    .first.map(PlanVersionRecord.init),
                  var r = try await self.rows("""
                    SELECT \(unescaped: PGColumns.route) FROM routes WHERE plan_id = \(planId) AND route_id = \(routeId) FOR UPDATE
                    """, on: conn).first.map(RouteRecord.init) else { return .notFound }
            if let cur = try await self.currentPlan(conn, deliveryDate: plan.deliveryDate), cur.id != planId {
                return .superseded(currentPlanId: cur.id!)
            }
            if r.dispatchedAt != nil { return .alreadyDispatched(r) }
            r.dispatchedAt = now
            try await conn.query("UPDATE routes SET dispatched_at = \(now) WHERE plan_id = \(planId) AND route_id = \(routeId)", logger: self.logger)
            return .dispatched(r)
        }
    }

    public func lockedRoutes(deliveryDate: String, now: Int, departedCountsAsDispatched: Bool) async throws -> [RouteRecord] {
        try await client.withConnection { conn in
            guard let plan = try await self.currentPlan(conn, deliveryDate: deliveryDate) else { return [] }
            return try await self.lockedRoutes(conn, planId: plan.id!, now: now, departedCountsAsDispatched: departedCountsAsDispatched)
        }
    }

    func lockedRoutes(_ conn: PostgresConnection, planId: Int64, now: Int, departedCountsAsDispatched: Bool) async throws -> [RouteRecord] {
        try await rows("""
            SELECT \(unescaped: PGColumns.route) FROM routes
            WHERE plan_id = \(planId) AND (dispatched_at IS NOT NULL OR (\(departedCountsAsDispatched) AND departure_at <= \(now)))
            ORDER BY route_id COLLATE "C"
            """, on: conn).map(RouteRecord.init)
    }

    // MARK: Vehicles

    public func setOutage(deliveryDate: String, vehicleId: String, reason: String?, now: Int) async throws -> Bool {
        try await rows("""
            INSERT INTO vehicle_outages (delivery_date, vehicle_id, since, reason) VALUES (\(deliveryDate), \(vehicleId), \(now), \(reason))
            ON CONFLICT (delivery_date, vehicle_id) DO NOTHING RETURNING vehicle_id
            """).count == 1
    }

    public func clearOutage(deliveryDate: String, vehicleId: String) async throws -> Bool {
        try await rows("""
            DELETE FROM vehicle_outages WHERE delivery_date = \(deliveryDate) AND vehicle_id = \(vehicleId) RETURNING vehicle_id
            """).count == 1
    }

    public func outages(deliveryDate: String) async throws -> [VehicleOutageRecord] {
        try await rows("""
            SELECT delivery_date, vehicle_id, since, reason FROM vehicle_outages WHERE delivery_date = \(deliveryDate)
            ORDER BY vehicle_id COLLATE "C"
            """).map {
            VehicleOutageRecord(deliveryDate: try $0.get("delivery_date"), vehicleId: try $0.get("vehicle_id"),
                                since: try $0.get("since"), reason: try $0.get("reason"))
        }
    }
}
