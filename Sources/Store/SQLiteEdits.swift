import Foundation
import GRDB
import Planning

extension SQLiteStore {
    /// Publishes a dispatcher's edit of plan `basePlanId` as the day's next version, in one
    /// transaction with its own job (trigger "edit", done at once), but only while `basePlanId`
    /// is still the current version: two dispatchers saving at once cannot overwrite each other.
    public func publishEdit(basePlanId: Int64, plan: PlanWrite, note: String, now: Int) async throws -> EditOutcome {
        try await pool.write { db in
            guard let base = try PlanVersionRecord.fetchOne(db, key: basePlanId) else { return .notFound }
            if let current = try Self.currentPlan(db, deliveryDate: base.deliveryDate), current.id != basePlanId {
                return .superseded(currentPlanId: current.id!)
            }
            var job = PlanJobRecord(deliveryDate: base.deliveryDate, trigger: "edit", note: note, createdAt: now)
            job.state = "running"
            job.attempts = 1
            job.startedAt = now
            try job.insert(db)
            return .published(try Self.writeVersion(db, job: job, deliveryDate: base.deliveryDate, plan: plan, now: now))
        }
    }

    /// Routes of the day's current version named in `ids` (kept by a re-optimisation).
    public func currentRoutes(deliveryDate: String, ids: Set<String>) async throws -> [RouteRecord] {
        guard !ids.isEmpty else { return [] }
        return try await pool.read { db in
            guard let plan = try Self.currentPlan(db, deliveryDate: deliveryDate) else { return [] }
            return try RouteRecord.filter(Column("plan_id") == plan.id!).order(Column("route_id")).fetchAll(db)
                .filter { ids.contains($0.routeId) }
        }
    }
}
