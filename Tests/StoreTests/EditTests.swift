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
            try SQLiteSchema.migrator.migrate(pool, upTo: SQLiteSchema.migrator.migrations[0])
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO plan_jobs (delivery_date, trigger, cutoff_key, state, attempts, created_at)
                    VALUES ('2025-09-16', 'cutoff', 'k1', 'done', 1, 100)
                    """)
            }
        }
        let store = try SQLiteStore(path: path)
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
}
