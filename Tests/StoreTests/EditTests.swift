import Foundation
import GRDB
@testable import Planning
import Testing

@testable import Store

@Suite struct EditStoreTests {
    /// A database made by v1 keeps its jobs through v2 and then takes the new triggers.
    @Test func v2KeepsTheJobsOfAV1DatabaseAndAllowsTheNewTriggers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-v2-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/old.db"
        do {
            let pool = try DatabasePool(path: path)
            try Schema.migrator.migrate(pool, upTo: Schema.migrator.migrations[0])
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO plan_jobs (delivery_date, trigger, cutoff_key, state, attempts, created_at)
                    VALUES ('2025-09-16', 'cutoff', 'k1', 'done', 1, 100)
                    """)
            }
        }
        let store = try Store(path: path)
        let old = try #require(try await store.job(id: 1))
        #expect(old.trigger == "cutoff" && old.cutoffKey == "k1" && old.state == "done" && old.keepRouteIds == nil)
        let (job, created) = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "reoptimise", createdAt: 200,
                                                                   keepRouteIds: #"["A-1-T1"]"#))
        #expect(created && job.id == 2)
        #expect(try await store.job(id: 2)?.keepRouteIds == #"["A-1-T1"]"#)
        // A second re-optimisation does not join the first (each keeps its own routes).
        #expect(try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "reoptimise", createdAt: 201,
                                                      keepRouteIds: "[]")).created)
    }

    @Test func anEditIsPublishedOnlyFromTheCurrentVersion() async throws {
        let store = try temporaryStore("edit")
        let (job, _) = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", createdAt: 1))
        let totals = Totals(orders: 1, ordersPlanned: 1, ordersUnassigned: 0, pickupPoints: 1, vehicles: 1, trips: 1, stops: 1,
                            onTimeStops: 1, crates: 1, kg: 1, distanceM: 10, durationS: 10, cost: 5, fixedCost: 0, costPerOrder: 5)
        let write = PlanWrite(totals: totals, routes: [], stops: [], lists: [ListRecord(planId: 0, path: "plan.json", contentType: "application/json", body: Data("{}".utf8))])
        let v1 = try await store.publish(jobId: job.id!, deliveryDate: "2025-09-16", plan: write, now: 2)
        guard case .published(let v2) = try await store.publishEdit(basePlanId: v1.id!, plan: write, note: "edited by Wang", now: 3) else {
            Issue.record("edit not published")
            return
        }
        #expect(v2.version == 2 && v2.trigger == "edit" && v2.note == "edited by Wang")
        #expect(try await store.job(id: v2.jobId)?.state == "done")
        #expect(try await store.publishEdit(basePlanId: v1.id!, plan: write, note: "late", now: 4) == .superseded(currentPlanId: v2.id!))
        #expect(try await store.publishEdit(basePlanId: 99, plan: write, note: "x", now: 4) == .notFound)
    }
}
