import Foundation
import HTTPTypes
import HummingbirdTesting
import Planning
import Store
import Testing

@testable import Server

/// Two `lastmile serve` workers (in process, each with its router, runner and scheduler) on one
/// PostgreSQL database.
@Suite(.enabled(if: PGTest.url != nil, PGTest.howToStart))
struct PostgresAPITests {
    @Test func twoWorkersShareTheQueueAndEachCutoffIsQueuedOnce() async throws {
        let a = try await Harness.make("worker-a", .postgres) { $0.workerId = "worker-a"; $0.jobPollSeconds = 0.1 }
        let b = try await Harness.make("worker-b", .postgres) {
            $0.database = a.daemon.config.database; $0.workerId = "worker-b"; $0.jobPollSeconds = 0.1
        }
        try await a.test { ca async throws in
            try await b.test { cb async throws in
                // Ingest on either worker: one order book.
                let lines = Orders.lines
                _ = try await ca.send(.post, "/v1/orders", lines.prefix(20).joined(separator: "\n"))
                _ = try await cb.send(.post, "/v1/orders", lines.dropFirst(20).joined(separator: "\n"))
                #expect(try await cb.send(.get, "/v1/orders?delivery_date=2025-09-16").json["total"] as? Int == 48)
                // Both schedulers see the cut-off pass: one job.
                a.clock.set("2025-09-15T23:00:00+08:00")
                b.clock.set("2025-09-15T23:00:00+08:00")
                try await a.daemon.scheduler.tick()
                try await b.daemon.scheduler.tick()
                #expect(try await a.daemon.store.jobCounts().values.reduce(0, +) == 1)
                let job = try await awaitJob(cb, 1)
                #expect(job["state"] as? String == "done" && job["attempts"] as? Int == 1)
                let worker = try #require(job["worker_id"] as? String)
                #expect(worker == "worker-a" || worker == "worker-b")
                #expect(job["lease_until"] == nil)   // only while running
                // The plan is published once and read from either worker.
                let plans = try #require(try await ca.send(.get, "/v1/plans?date=2025-09-16").json["plans"] as? [[String: Any]])
                #expect(plans.count == 1 && plans[0]["orders"] as? Int == 48)
                #expect(try await cb.send(.get, "/v1/plans/1/routes.geojson").status == .ok)
                // Whoever planned counts it in its metrics.
                let metrics = try await ca.send(.get, "/metrics").text + (try await cb.send(.get, "/metrics").text)
                #expect(metrics.contains("lastmile_plan_jobs_claimed_total 1"))
            }
        }
    }

    /// A console open on one worker hears of the plan the other published (LISTEN/NOTIFY).
    @Test func liveEventsReachTheConsolesOfEveryWorker() async throws {
        let a = try await Harness.make("events-a", .postgres) { $0.workerId = "events-a"; $0.jobPollSeconds = 0.1 }
        let b = try await Harness.make("events-b", .postgres) {
            $0.database = a.daemon.config.database; $0.workerId = "events-b"; $0.jobPollSeconds = 60
        }
        #expect(a.daemon.services.contains { $0 is EventRelay })
        try await a.test { ca async throws in
            try await b.test { cb async throws in
                let (_, heardOnB) = b.daemon.runner.events.subscribe()
                _ = try await cb.send(.post, "/v1/orders", Orders.text)
                // Queued on a, which plans it (b looks at the queue once a minute).
                let job = try await ca.send(.post, "/v1/plans", #"{"delivery_date":"2025-09-16"}"#).json
                let id = try #require(job["job_id"] as? Int)
                let done = try await awaitJob(ca, id)
                #expect(done["worker_id"] as? String == "events-a")
                let names = try await firstEvents(heardOnB, until: "plan", within: .seconds(20))
                #expect(names.contains("plan") && names.filter { $0 == "plan" }.count == 1)
            }
        }
    }

    /// Behind a load balancer a browser's requests land on any worker: a read session started on
    /// one opens the printable pages on the other.
    @Test func aReadSessionStartedOnOneWorkerOpensPagesOnAnother() async throws {
        let a = try await Harness.make("session-a", .postgres) { $0.workerId = "session-a"; $0.jobPollSeconds = 0.1; $0.readAccess = .token }
        let b = try await Harness.make("session-b", .postgres) {
            $0.database = a.daemon.config.database; $0.workerId = "session-b"; $0.jobPollSeconds = 60; $0.readAccess = .token
        }
        try await a.test { ca async throws in
            try await b.test { cb async throws in
                _ = try await ca.send(.post, "/v1/orders", Orders.text)
                let job = try await ca.send(.post, "/v1/plans", #"{"delivery_date":"2025-09-16"}"#).json
                let done = try await awaitJob(ca, try #require(job["job_id"] as? Int))
                let plan = try #require(done["plan_id"] as? Int)
                let set = try #require(try await cb.send(.post, "/v1/session").headers[.setCookie])
                var headers: HTTPFields = [:]
                headers[.cookie] = String(set.prefix { $0 != ";" })
                let page = try await ca.executeRequest(uri: "/v1/plans/\(plan)/print/index.html", method: .get, headers: headers, body: nil)
                #expect(page.status == .ok)
                let bare = try await ca.executeRequest(uri: "/v1/plans/\(plan)/print/index.html", method: .get, headers: [:], body: nil)
                #expect(bare.status == .unauthorized)
            }
        }
    }
}

/// The names of the events a stream yields, up to and including the first `name` (or all of
/// them when `within` passes first).
func firstEvents(_ stream: AsyncStream<ServerEvent>, until name: String, within limit: Duration) async throws -> [String] {
    try await withThrowingTaskGroup(of: [String].self) { group in
        group.addTask {
            var names: [String] = []
            for await e in stream {
                names.append(e.name)
                if e.name == name { break }
            }
            return names
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return []
        }
        let first = try await group.next() ?? []
        group.cancelAll()
        return first
    }
}
