import Foundation
import HummingbirdTesting
import Planning
import Testing

@testable import Server

@Suite struct AuthTests {
    @Test func everyWriteNeedsTheBearerToken() async throws {
        let h = try Harness("auth") { $0.readToken = readToken }
        try await h.test { c async throws in
            for (method, uri) in [("POST", "/v1/orders"), ("POST", "/v1/orders/O-1/cancel"), ("POST", "/v1/groups/G-1/cancel"),
                                  ("POST", "/v1/plans"), ("POST", "/v1/plans/1/routes/R/dispatch"), ("POST", "/v1/vehicles/WA-VAN-1/out-of-service")] {
                let none = try await c.send(.init(method)!, uri, "{}", auth: nil)
                #expect(none.status.code == 401, "\(uri)")
                #expect(none.problem?.type == "https://lastmile.example/errors/unauthorized")
                #expect(none.headers[.contentType] == "application/problem+json")
                let wrong = try await c.send(.init(method)!, uri, "{}", auth: "wrong-token-0123456789")
                #expect(wrong.status.code == 401 && wrong.problem?.detail == "the bearer token is not valid", "\(uri)")
                #expect(try await c.send(.init(method)!, uri, "{}", auth: readToken).status.code == 403, "\(uri)")
            }
            // Reads are open by default.
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16", auth: nil).status == .ok)
        }
    }

    @Test func readsCanBeClosed() async throws {
        let h = try Harness("auth-read") { $0.readToken = readToken; $0.readAccess = .token }
        try await h.test { c async throws in
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16", auth: nil).status.code == 401)
            #expect(try await c.send(.get, "/v1/orders/O-1", auth: "nope-nope-nope-nope").status.code == 401)
            #expect(try await c.send(.get, "/metrics", auth: nil).status.code == 401)
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16", auth: readToken).status == .ok)
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16", auth: token).status == .ok)
            #expect(try await c.send(.get, "/v1/health", auth: nil).status == .ok)  // health stays open for probes
        }
    }

    @Test func tokensCompareWholeAndExact() {
        #expect(Auth.equal(Array("secret".utf8), Array("secret".utf8)))
        #expect(!Auth.equal(Array("secret".utf8), Array("secreT".utf8)))
        #expect(!Auth.equal(Array("secret".utf8), Array("secret2".utf8)))
        #expect(!Auth.equal(Array("".utf8), Array("s".utf8)))
    }
}

@Suite struct IngestTests {
    @Test(arguments: Backend.available) func storesABatchDurablyAndAnswersWithCounts(_ backend: Backend) async throws {
        let h = try await Harness.make("ingest", backend)
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/orders", Orders.text)
            #expect(r.status == .created)
            #expect(r.json["created"] as? Int == 48 && r.json["unchanged"] as? Int == 0 && r.json["received"] as? Int == 48)
            // The same batch again, as a JSON array this time: a no-op.
            let again = try await c.send(.post, "/v1/orders", "[" + Orders.lines.joined(separator: ",\n") + "]")
            #expect(again.status == .ok && again.json["unchanged"] as? Int == 48 && again.json["created"] as? Int == 0)
            let o = try await c.send(.get, "/v1/orders/O-002")
            #expect(o.status == .ok && o.json["status"] as? String == "active" && o.json["cutoff_at"] as? String == "2025-09-15T23:00:00+08:00")
            let order = try #require(o.json["order"] as? [String: Any])
            #expect(order["pickup_point_id"] as? String == "P2")
            // Lines come back sorted by SKU (the canonical form).
            #expect((order["lines"] as? [[String: Any]])?.compactMap { $0["sku"] as? String } == ["DUMPLING", "RICE", "VEG"])
        }
        #expect(try await h.daemon.store.orderCount() == 48)
    }

    @Test(arguments: Backend.available) func aBadItemRejectsTheBatchAndPointsAtTheField(_ backend: Backend) async throws {
        let h = try await Harness.make("bad-item", backend)
        try await h.test { c async throws in
            let bad = Orders.one("O-B", qty: -3)
            let r = try await c.send(.post, "/v1/orders", "[\(Orders.one("O-A")), \(bad), {\"order_id\": 7}]")
            #expect(r.status.code == 422)
            let p = try #require(r.problem)
            #expect(p.title == "Invalid input" && p.detail == "2 of the 3 orders of the batch are invalid; nothing was stored")
            #expect(p.errors == [.init(pointer: "/1/lines/0/qty", detail: "must be a positive integer, got -3"),
                                 .init(pointer: "/2/order_id", detail: "must be a string, got 7")])
            #expect(try await c.send(.get, "/v1/orders/O-A").status.code == 404)
            // JSON Lines: a malformed line is an item error too; unknown references use plan's messages.
            let lines = try await c.send(.post, "/v1/orders", Orders.one("O-A") + "\n\n{\"order_id\": \n" + Orders.one("O-C", point: "P99"))
            #expect(lines.problem?.errors == [
                .init(pointer: "/1", detail: "malformed JSON: unexpected end of input, expected a value (line 3, column 14)"),
                .init(pointer: "/2/pickup_point_id", detail: "unknown pickup point \"P99\"")])
        }
    }

    @Test func malformedBodiesEmptyBatchesAndLimits() async throws {
        let h = try Harness("limits") { $0.maxBatchOrders = 3; $0.maxBodyBytes = 2048 }
        try await h.test { c async throws in
            let m = try await c.send(.post, "/v1/orders", "[{\"order_id\": ")
            #expect(m.status.code == 422 && m.problem?.detail == "malformed JSON: unexpected end of input, expected a value (line 1, column 15)")
            #expect(try await c.send(.post, "/v1/orders", "[]").problem?.detail == "the batch holds no orders")
            #expect(try await c.send(.post, "/v1/orders", "{\"a\": 1}").problem?.errors?.first?.pointer == "/0/a")
            let four = (1...4).map { Orders.one("O-\($0)") }
            let big = try await c.send(.post, "/v1/orders", four.joined(separator: "\n"))
            #expect(big.status.code == 413 && big.problem?.detail == "the batch holds 4 orders, more than the limit of 3; split it")
            #expect(try await c.send(.post, "/v1/orders", "[" + four.joined(separator: ",") + "]").status.code == 413)
            let huge = try await c.send(.post, "/v1/orders", String(repeating: " ", count: 4096) + Orders.one("O-1"))
            #expect(huge.status.code == 413 && huge.problem?.detail == "the request body is larger than 2048 bytes")
        }
    }

    @Test(arguments: Backend.available) func aKnownIdWithADifferentBodyIsAConflictNamingIt(_ backend: Backend) async throws {
        let h = try await Harness.make("conflict", backend)
        try await h.test { c async throws in
            #expect(try await c.send(.post, "/v1/orders", Orders.one("O-1")).status == .created)
            // Whitespace and key order do not matter: same order.
            let reordered = #"{"lines":[{"qty":2,"sku":"VEG"}],"order_id":"O-1","group_id":"G-1","pickup_point_id":"P1","customer_id":"C-9","delivery_date":"2025-09-16","completed_at":"2025-09-15T10:00:00+08:00"}"#
            #expect(try await c.send(.post, "/v1/orders", reordered).json["unchanged"] as? Int == 1)
            let r = try await c.send(.post, "/v1/orders", Orders.one("O-2") + "\n" + Orders.one("O-1", qty: 5))
            #expect(r.status == .conflict)
            #expect(r.problem?.errors == [.init(pointer: "/1/order_id",
                                                detail: "order \"O-1\" is already stored with a different body; an order id cannot be reused")])
            #expect(try await c.send(.get, "/v1/orders/O-2").status.code == 404)
            // Inside one batch, too.
            let twice = try await c.send(.post, "/v1/orders", Orders.one("O-3") + "\n" + Orders.one("O-3", qty: 1))
            #expect(twice.problem?.errors == [.init(pointer: "/1/order_id", detail: "duplicate order id \"O-3\" with a different body, first at /0")])
        }
    }

    @Test(arguments: Backend.available) func cutoffsCloseTheDayAndWavesTakeLaterOrders(_ backend: Backend) async throws {
        let h = try await Harness.make("waves", backend, now: "2025-09-15T20:00:00+08:00") { $0.warehouseWaves = ["WA": [LocalTime(21, 0), LocalTime(22, 0)]] }
        try await h.test { c async throws in
            #expect(try await c.send(.post, "/v1/orders", Orders.one("O-1", point: "P1") + "\n" + Orders.one("O-7", point: "P7")).status == .created)
            #expect(try await c.send(.get, "/v1/orders/O-1").json["cutoff_at"] as? String == "2025-09-15T21:00:00+08:00")
            #expect(try await c.send(.get, "/v1/orders/O-7").json["cutoff_at"] as? String == "2025-09-15T23:00:00+08:00")
            h.clock.set("2025-09-15T21:30:00+08:00")
            #expect(try await c.send(.post, "/v1/orders", Orders.one("O-2", point: "P2")).status == .created)
            #expect(try await c.send(.get, "/v1/orders/O-2").json["cutoff_at"] as? String == "2025-09-15T22:00:00+08:00")
            // O-1 is frozen (its wave closed), O-7 not yet.
            let frozen = try await c.send(.post, "/v1/orders/O-1/cancel")
            #expect(frozen.status == .conflict && frozen.problem?.detail.hasPrefix("order \"O-1\" can no longer be cancelled: its wave closed at 2025-09-15T21:00:00+08:00") == true)
            let ok = try await c.send(.post, "/v1/orders/O-7/cancel", #"{"reason": "customer changed their mind"}"#)
            #expect(ok.status == .ok && ok.json["status"] as? String == "cancelled" && ok.json["cancel_reason"] as? String == "customer changed their mind")
            #expect(try await c.send(.post, "/v1/orders/O-7/cancel").status == .ok)  // again: same answer
            #expect(try await c.send(.post, "/v1/orders/nope/cancel").status.code == 404)
            h.clock.set("2025-09-15T22:00:00+08:00")
            let late = try await c.send(.post, "/v1/orders", Orders.one("O-3", point: "P3") + "\n" + Orders.one("O-1"))
            #expect(late.status == .conflict)
            #expect(late.problem?.errors == [.init(pointer: "/0/delivery_date",
                detail: "the order book of 2025-09-16 closed at the 22:00 cut-off on 2025-09-15 (Asia/Shanghai)")])
            // The next day is open.
            #expect(try await c.send(.post, "/v1/orders", Orders.one("O-4", date: "2025-09-17")).status == .created)
        }
    }

    @Test(arguments: Backend.available) func pagesTheOrderBookWithATotal(_ backend: Backend) async throws {
        let h = try await Harness.make("paging", backend)
        try await h.test { c async throws in
            _ = try await c.send(.post, "/v1/orders", Orders.text)
            let p1 = try await c.send(.get, "/v1/orders?delivery_date=2025-09-16&limit=20")
            #expect(p1.json["total"] as? Int == 48 && (p1.json["orders"] as? [Any])?.count == 20)
            #expect(p1.json["next"] as? String == "/v1/orders?delivery_date=2025-09-16&offset=20&limit=20")
            let p3 = try await c.send(.get, "/v1/orders?delivery_date=2025-09-16&limit=20&offset=40")
            let ids = ((p3.json["orders"] as? [[String: Any]]) ?? []).compactMap { ($0["order"] as? [String: Any])?["order_id"] as? String }
            #expect(ids == Orders.lines[40...].map { $0.components(separatedBy: "\"")[3] })
            #expect(p3.json["next"] is NSNull || p3.json["next"] == nil)
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-17").json["total"] as? Int == 0)
            let bad = try await c.send(.get, "/v1/orders?delivery_date=2025-13-01")
            #expect(bad.status.code == 422 && bad.problem?.field == "delivery_date")
            #expect(try await c.send(.get, "/v1/orders").problem?.field == "delivery_date")
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16&limit=0").problem?.field == "limit")
            #expect(try await c.send(.get, "/v1/orders?delivery_date=2025-09-16&status=gone").problem?.field == "status")
        }
    }

    @Test func unknownThingsAre404Problems() async throws {
        let h = try Harness("404")
        try await h.test { c async throws in
            for uri in ["/v1/orders/nope", "/v1/plans/999", "/v1/plans/abc", "/v1/plans/999/routes", "/v1/plans/999/routes.geojson",
                        "/v1/plan-jobs/999", "/v1/nothing-here"] {
                let r = try await c.send(.get, uri)
                #expect(r.status.code == 404, "\(uri)")
                #expect(r.problem?.type == "https://lastmile.example/errors/not-found", "\(uri)")
            }
            #expect(try await c.send(.post, "/v1/vehicles/WA-VAN-9/out-of-service", #"{"delivery_date": "2025-09-16"}"#).status.code == 404)
            #expect(try await c.send(.post, "/v1/groups/G-X/cancel", #"{"delivery_date": "2025-09-16"}"#).status.code == 404)
            #expect(try await c.send(.post, "/v1/plans/999/routes/R/dispatch").status.code == 404)
            #expect(try await c.send(.post, "/v1/groups/G-X/cancel", #"{"delivery_date": "2025-09-16", "oops": 1}"#).problem?.field == "oops")
            #expect(try await c.send(.post, "/v1/groups/G-X/cancel", "{}").problem?.field == "delivery_date")
        }
    }

    @Test(arguments: Backend.available) func vansGoOutOfAndBackIntoServiceIdempotently(_ backend: Backend) async throws {
        let h = try await Harness.make("vans", backend)
        try await h.test { c async throws in
            let body = #"{"delivery_date": "2025-09-16", "reason": "flat tyre"}"#
            let out = try await c.send(.post, "/v1/vehicles/WA-VAN-2/out-of-service", body)
            // No plan of the day yet: nothing to re-plan.
            #expect(out.status == .ok && out.json["out_of_service"] as? Bool == true && out.json["replan_job"] == nil)
            #expect(try await h.daemon.store.outages(deliveryDate: "2025-09-16").map(\.vehicleId) == ["WA-VAN-2"])
            #expect(try await c.send(.post, "/v1/vehicles/WA-VAN-2/out-of-service", body).status == .ok)
            let back = try await c.send(.post, "/v1/vehicles/WA-VAN-2/in-service", #"{"delivery_date": "2025-09-16"}"#)
            #expect(back.status == .ok && back.json["out_of_service"] as? Bool == false)
            #expect(try await h.daemon.store.outages(deliveryDate: "2025-09-16").isEmpty)
            #expect(try await c.send(.post, "/v1/vehicles/WA-VAN-2/in-service", body).problem?.field == "reason")
        }
    }

    @Test(arguments: Backend.available) func healthAndMetrics(_ backend: Backend) async throws {
        let h = try await Harness.make("health", backend)
        try await h.test { c async throws in
            _ = try await c.send(.post, "/v1/orders", Orders.one("O-1"))
            let health = try await c.send(.get, "/v1/health")
            #expect(health.status == .ok && health.json["status"] as? String == "ok" && health.json["orders"] as? Int == 1)
            let m = try await c.send(.get, "/metrics")
            #expect(m.text.contains("lastmile_orders_created_total 1"))
            #expect(m.text.contains("lastmile_http_requests_total{method=\"POST\",status=\"201\"} 1"))
            // Request durations by method and status class: one POST answered so far.
            #expect(m.text.contains("lastmile_http_request_duration_seconds_count{method=\"POST\",status=\"2xx\"} 1"))
            #expect(m.text.contains("lastmile_http_request_duration_seconds_bucket{method=\"POST\",status=\"2xx\",le=\"+Inf\"} 1"))
            #expect(health.json["version"] as? String == LastmileVersion.string)
        }
    }

    @Test func spoolFilesGoToDoneOrToRejectedWithTheirErrors() async throws {
        let h = try Harness("spool") { $0.spool = nil }
        let spool = h.dir + "/spool"
        let watcher = SpoolWatcher(directory: spool, ingest: h.daemon.ingest, logger: h.daemon.logger, interval: .seconds(1))
        for sub in ["", "/done", "/rejected"] { try FileManager.default.createDirectory(atPath: spool + sub, withIntermediateDirectories: true) }
        try Data(Orders.text.utf8).write(to: URL(fileURLWithPath: spool + "/a.jsonl"))
        try Data((Orders.one("O-X") + "\n" + Orders.one("O-Y", qty: 0) + "\n").utf8).write(to: URL(fileURLWithPath: spool + "/b.jsonl"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: spool + "/c.tmp"))
        await watcher.scan()
        let fm = FileManager.default
        #expect(try fm.contentsOfDirectory(atPath: spool).sorted() == ["c.tmp", "done", "rejected"])
        #expect(try fm.contentsOfDirectory(atPath: spool + "/done") == ["a.jsonl"])
        #expect(try fm.contentsOfDirectory(atPath: spool + "/rejected").sorted() == ["b.jsonl", "b.jsonl.error"])
        let error = String(decoding: fm.contents(atPath: spool + "/rejected/b.jsonl.error")!, as: UTF8.self)
        #expect(error == "b.jsonl: 1 of the 2 orders of the file are invalid; nothing was stored\nb.jsonl:2: /1/lines/0/qty: must be a positive integer, got 0\n")
        #expect(try await h.daemon.store.orderCount() == 48)
        #expect(try await h.daemon.store.order(id: "O-X") == nil)
        // The same file dropped again (e.g. after a crash before the move): no-op, moved to done.
        try Data(Orders.text.utf8).write(to: URL(fileURLWithPath: spool + "/a.jsonl"))
        await watcher.scan()
        #expect(try await h.daemon.store.orderCount() == 48)
        #expect(try fm.contentsOfDirectory(atPath: spool + "/done") == ["a.jsonl"])
    }
}
