import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Planning
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Server

/// Regression tests of issue 11 ("Hostile input") over HTTP.
@Suite struct HostileRequestTests {
    /// Defect 1: the order that killed the daemon is refused at ingest with a JSON pointer.
    @Test func hugeQuantityIsRefusedAtIngest() async throws {
        let h = try Harness("hostile-qty")
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/orders", Orders.one("O-X", qty: 4_611_686_018_427_387_904))
            #expect(r.status.code == 422)
            #expect(r.problem?.errors == [.init(pointer: "/0/lines/0/qty", detail: "must be at most 10000, got 4611686018427387904")])
            #expect(try await c.send(.get, "/v1/orders/O-X").status.code == 404)
        }
    }

    /// Defect 9: Content-Type is checked.
    @Test func otherContentTypesAre415() async throws {
        let h = try Harness("hostile-type")
        try await h.test { c async throws in
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
                let r = try await c.execute(uri: "/v1/orders", method: .post,
                                            headers: [.authorization: "Bearer \(token)", .contentType: type],
                                            body: ByteBuffer(string: Orders.one("O-T")))
                #expect(r.status.code == 415)
                #expect(r.problem?.detail == "Content-Type \"\(type)\" is not accepted; send application/json or application/x-ndjson (JSON Lines)")
            }
            for type in ["application/json", "application/x-ndjson; charset=utf-8"] {
                let r = try await c.execute(uri: "/v1/orders", method: .post,
                                            headers: [.authorization: "Bearer \(token)", .contentType: type],
                                            body: ByteBuffer(string: Orders.one("O-T")))
                #expect(r.status.code == 201 || r.status.code == 200)
            }
        }
    }

    /// Defect 7: ids that need percent-encoding can be read and cancelled.
    @Test func percentEncodedIdsAreDecoded() async throws {
        let h = try Harness("hostile-ids")
        try await h.test { c async throws in
            for id in ["A B", "q\"uote", "s/lash", "100%", "订单-1"] {
                let json = id.replacingOccurrences(of: "\"", with: "\\\"")
                #expect(try await c.send(.post, "/v1/orders", Orders.one(json)).status.code == 201)
                let path = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let got = try await c.send(.get, "/v1/orders/\(path)")
                #expect(got.status == .ok)
                #expect((got.json["order"] as? [String: Any])?["order_id"] as? String == id)
                #expect(try await c.send(.post, "/v1/orders/\(path)/cancel").status == .ok)
            }
            #expect(try await c.send(.get, "/v1/orders/%ZZ").status.code == 400)
        }
    }

    /// Defect 6 on a real socket: a bad chunk size is the client's fault (400), a Content-Length
    /// far over the limit is 413 before the body is read.
    @Test func badChunkSizeIs400() async throws {
        let h = try Harness("hostile-chunk")
        try await h.test(.live) { c async throws in
            let port = try #require(c.port)
            let head = "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            let chunked = head + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n"
            let status = try rawStatus(port: port, request: chunked)
            #expect(status == 400)
            let huge = head + "Content-Length: 99999999999\r\nContent-Type: application/json\r\n\r\n{}"
            #expect(try rawStatus(port: port, request: huge) == 413)
            // The daemon is still up.
            #expect(try await c.send(.get, "/v1/health").status == .ok)
        }
    }

    /// Defect 1 and 3 of "What to build": a job that was interrupted `maxAttempts` times stays
    /// failed with its reason and is not queued again at start.
    @Test func aJobInterruptedThreeTimesIsNotRetried() async throws {
        let h = try Harness("hostile-requeue")
        let store = h.daemon.store
        let (job, _) = try await store.enqueue(PlanJobRecord(deliveryDate: "2025-09-16", trigger: "manual", note: nil, createdAt: 0))
        for attempt in 1...PlanJobPolicy.maxAttempts {
            let claimed = try #require(try await store.claimNextJob(worker: "w", now: attempt, leaseSeconds: 30))
            #expect(claimed.id == job.id && claimed.attempts == attempt)
            _ = try await store.requeueInterrupted(worker: "w", now: 100)   // the process died while planning
        }
        #expect(try await store.claimNextJob(worker: "w", now: 150, leaseSeconds: 30) == nil)
        let failed = try #require(try await store.job(id: job.id!))
        #expect(failed.state == "failed")
        #expect(failed.reason == "planning was interrupted 3 times (the process stopped or crashed each time); not retried")
        #expect(try await store.claimNextJob(worker: "w", now: 200, leaseSeconds: 30) == nil)
        try await h.test { c async throws in
            let j = try await c.send(.get, "/v1/plan-jobs/\(job.id!)").json
            #expect(j["state"] as? String == "failed" && j["attempts"] as? Int == 3)
        }
    }
}

/// Planning in a child process: a child that dies by a signal fails its job with the reason and
/// the daemon keeps serving (the child here is a script that kills itself, standing in for a
/// planner that traps).
@Suite struct PlanChildTests {
    func harness(_ name: String, script: String) throws -> Harness {
        let dir = try temporaryDirectory(name + "-bin")
        let path = dir + "/planner"
        try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return try Harness(name) { $0.planningExecutable = path }
    }

    /// The job's state and reason after planning the fixture's day.
    func planJob(_ h: Harness) async throws -> (state: String?, reason: String?) {
        try await h.test { c async throws in
            #expect(try await c.send(.post, "/v1/orders", Orders.text).status.code == 201)
            let job = try await c.send(.post, "/v1/plans?wait=120", #"{"delivery_date": "2025-09-16"}"#).json
            let j = try await c.send(.get, "/v1/plan-jobs/\(job["job_id"] as? Int ?? 0)").json
            #expect(try await c.send(.get, "/v1/health").status == .ok)
            return (j["state"] as? String, j["reason"] as? String)
        }
    }

    @Test func aChildKilledByASignalFailsTheJobNotTheDaemon() async throws {
        let j = try await planJob(try harness("child-signal", script: "kill -SEGV $$"))
        #expect(j.state == "failed")
        #expect(j.reason == "the planning process for 2025-09-16 was killed by signal 11")
    }

    @Test func aChildErrorFailsTheJobWithItsMessage() async throws {
        let j = try await planJob(try harness("child-error", script: "echo 'error: orders.jsonl:3: lines[0].qty: bad' >&2; exit 65"))
        #expect(j.state == "failed")
        #expect(j.reason == "orders.jsonl:3: lines[0].qty: bad")
    }
}

/// Sends raw bytes to 127.0.0.1:port and returns the status code of the answer (nil: the
/// connection closed without one).
func rawStatus(port: Int, request: String) throws -> Int? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard ok == 0 else { throw CocoaError(.fileWriteUnknown) }
    var timeout = timeval(tv_sec: 120, tv_usec: 0)   // a bound on a broken server, not a timing assertion
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while reply.count < 12 {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        reply += buffer[0..<n]
    }
    guard reply.count >= 12 else { return nil }
    let line = String(decoding: reply, as: UTF8.self)
    return Int(line.split(separator: " ").dropFirst().first ?? "")
}
