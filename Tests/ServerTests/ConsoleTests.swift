import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Planning
import Testing

@testable import Server

/// The console's endpoints: evaluate, save, re-optimise and compare edited plans; the page, its
/// configuration and the live events.
@Suite struct ConsoleTests {
    /// The fixture day planned once; returns the plan.json of version 1.
    func planned(_ c: any TestClientProtocol) async throws -> Plan {
        _ = try await c.send(.post, "/v1/orders", Orders.text)
        let r = try await c.send(.post, "/v1/plans?wait=120", #"{"delivery_date": "2025-09-16"}"#)
        #expect(r.json["state"] as? String == "done")
        return try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/1").text.utf8))
    }

    /// The plan's routes as the evaluate body, after `change`.
    func body(_ plan: Plan, extra: String = "", _ change: (inout [[String: Any]]) -> Void = { _ in }) -> String {
        var routes: [[String: Any]] = plan.routes.map { r in
            ["route_id": r.routeId, "vehicle_id": r.vehicleId,
             "stops": r.stops.map { ["pickup_point_id": $0.pickupPointId, "order_ids": $0.orderIds] as [String: Any] }]
        }
        change(&routes)
        let data = try! JSONSerialization.data(withJSONObject: ["routes": routes], options: [.sortedKeys])
        let text = String(decoding: data, as: UTF8.self)
        return extra.isEmpty ? text : String(text.dropLast()) + ", " + extra + "}"
    }

    /// Moves the last stop of the first route with two stops to the next route of the same warehouse.
    func moveOne(_ plan: Plan) -> (inout [[String: Any]]) -> Void {
        { routes in
            let from = plan.routes.firstIndex { $0.stops.count >= 2 }!
            let to = plan.routes.indices.first { $0 != from && plan.routes[$0].warehouseId == plan.routes[from].warehouseId }!
            var a = routes[from]["stops"] as! [[String: Any]], b = routes[to]["stops"] as! [[String: Any]]
            b.append(a.removeLast())
            routes[from]["stops"] = a
            routes[to]["stops"] = b
        }
    }

    @Test func evaluateAnUnchangedPlanAndAMovedStop() async throws {
        let h = try Harness("console-eval")
        try await h.test { c async throws in
            let plan = try await planned(c)
            let same = try await c.send(.post, "/v1/plans/1/evaluate", body(plan), auth: nil)
            #expect(same.status == .ok)
            #expect(same.json["feasible"] as? Bool == true)
            let delta = try #require(same.json["delta"] as? [String: Any])
            #expect(delta["cost_cents"] as? Int == 0 && delta["distance_m"] as? Int == 0)
            let routes = try #require(same.json["routes"] as? [[String: Any]])
            #expect(routes.map { $0["route_id"] as? String } == plan.routes.map(\.routeId))
            #expect(routes.map { $0["source_route_id"] as? String } == plan.routes.map(\.routeId))

            let moved = try await c.send(.post, "/v1/plans/1/evaluate", body(plan, moveOne(plan)), auth: nil)
            #expect(moved.status == .ok)
            let totals = try #require(moved.json["totals"] as? [String: Any])
            let d = try #require(moved.json["delta"] as? [String: Any])
            #expect(d["cost_cents"] as? Int == (totals["cost_cents"] as! Int) - plan.totals.cost)
            #expect(totals["orders_planned"] as? Int == plan.totals.ordersPlanned)
        }
    }

    @Test func evaluateCanAnswerWithOrderCountsInsteadOfOrderIds() async throws {
        let h = try Harness("console-counts")
        try await h.test { c async throws in
            let plan = try await planned(c)
            let r = try await c.send(.post, "/v1/plans/1/evaluate?order_ids=false", body(plan, moveOne(plan)), auth: nil)
            #expect(r.status == .ok)
            let stops = try #require((r.json["routes"] as? [[String: Any]])?.flatMap { $0["stops"] as! [[String: Any]] })
            #expect(stops.allSatisfy { $0["order_ids"] == nil })
            #expect(stops.reduce(0) { $0 + ($1["order_count"] as! Int) } == plan.totals.ordersPlanned)
            let bad = try await c.send(.post, "/v1/plans/1/evaluate?order_ids=no", body(plan), auth: nil)
            #expect(bad.status == .unprocessableContent && bad.problem?.field == "order_ids")
        }
    }

    @Test func evaluateNamesTheCapacityViolation() async throws {
        let h = try Harness("console-capacity")
        try await h.test { c async throws in
            let plan = try await planned(c)
            let wa = plan.routes.filter { $0.warehouseId == "WA" }
            let crates = wa.reduce(0) { $0 + $1.load.crates }
            let r = try await c.send(.post, "/v1/plans/1/evaluate", body(plan) { routes in
                let all = routes.filter { ($0["vehicle_id"] as! String).hasPrefix("WA-") }.flatMap { $0["stops"] as! [[String: Any]] }
                routes = routes.filter { !($0["vehicle_id"] as! String).hasPrefix("WA-") }
                routes.append(["vehicle_id": "WA-MINI-1", "stops": all])
            }, auth: nil)
            #expect(r.json["feasible"] as? Bool == false)
            let v = try #require(r.json["violations"] as? [[String: Any]])
            #expect(v.contains { $0["kind"] as? String == "capacity"
                && $0["message"] as? String == "WA-MINI-1 trip 1 carries \(crates) crates; its capacity is 12 (\(crates - 12) over)" })
        }
    }

    @Test func evaluateRefusesBadRequestsWithPointers() async throws {
        let h = try Harness("console-errors")
        try await h.test { c async throws in
            let plan = try await planned(c)
            #expect(try await c.send(.post, "/v1/plans/99/evaluate", body(plan), auth: nil).status == .notFound)
            let noRoutes = try await c.send(.post, "/v1/plans/1/evaluate", "{}", auth: nil)
            #expect(noRoutes.status == .unprocessableContent && noRoutes.problem?.field == "routes")
            let bad = try await c.send(.post, "/v1/plans/1/evaluate", #"{"routes": [{"vehicle_id": "WA-VAN-1", "stops": [{"pickup_point_id": "P99"}], "x": 1}]}"#, auth: nil)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.problem?.errors?.contains(.init(pointer: "/routes/0/x", detail: "unknown field (expected route_id, vehicle_id, stops)")) == true)
            let unknown = try await c.send(.post, "/v1/plans/1/evaluate", #"{"routes": [{"vehicle_id": "WA-VAN-1", "stops": [{"pickup_point_id": "P99"}]}]}"#, auth: nil)
            #expect(unknown.problem?.errors == [.init(pointer: "/routes/0/stops/0/pickup_point_id", detail: "no pickup point \"P99\" in the scenario")])
        }
    }

    @Test func savingAnUnchangedPlanMakesNoVersion() async throws {
        let h = try Harness("console-noop")
        try await h.test { c async throws in
            let plan = try await planned(c)
            let r = try await c.send(.post, "/v1/plans/1/edits", body(plan, extra: #""author": "Wang""#))
            #expect(r.status == .conflict)
            #expect(r.problem?.detail == "the edit changes nothing: plan 1 stays as it is; nothing was saved")
            #expect(try await c.send(.get, "/v1/plans/2").status == .notFound)
        }
    }

    @Test func aReadSessionCookieOpensPrintablePagesWhenReadsNeedAToken() async throws {
        let h = try Harness("console-session") { $0.readAccess = .token }
        try await h.test { c async throws in
            _ = try await planned(c)
            let page = "/v1/plans/1/print/index.html"
            func get(cookie: String?) async throws -> TestResponse {
                var headers: HTTPFields = [:]
                if let cookie { headers[.cookie] = cookie }
                return try await c.executeRequest(uri: page, method: .get, headers: headers, body: nil)
            }
            #expect(try await get(cookie: nil).status == .unauthorized)
            #expect(try await c.send(.post, "/v1/session", auth: nil).status == .unauthorized)
            let session = try await c.send(.post, "/v1/session")
            #expect(session.status == .noContent)
            let set = try #require(session.headers[.setCookie])
            #expect(set.hasSuffix("; Path=/; HttpOnly; SameSite=Strict"))
            let cookie = String(set.prefix { $0 != ";" })
            #expect(cookie.wholeMatch(of: /lastmile_read=[0-9]+\.[0-9a-f]{64}/) != nil)
            let ok = try await get(cookie: "theme=dark; " + cookie)
            #expect(ok.status == .ok && ok.text.contains("<html"))
            #expect(try await get(cookie: "lastmile_read=" + String(repeating: "0", count: 64)).status == .unauthorized)
            #expect(try await get(cookie: String(cookie.dropLast()) + (cookie.last == "0" ? "1" : "0")).status == .unauthorized)
            var write: HTTPFields = [:]
            write[.cookie] = cookie
            let edit = try await c.executeRequest(uri: "/v1/plans/1/edits", method: .post, headers: write, body: ByteBuffer(string: "{}"))
            #expect(edit.status == .unauthorized)
            let end = try await c.send(.delete, "/v1/session", auth: nil)
            #expect(end.status == .noContent && end.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    /// Workers keep no session state: a read session started on one worker opens pages on every
    /// worker with the same tokens, until it ends 12 hours later or a token changes.
    @Test func aReadSessionHoldsOnEveryWorkerWithTheSameTokensForTwelveHours() {
        let clock = TestClock("2025-09-16T08:00:00+08:00")
        let w1 = Auth(writeToken: token, readToken: readToken, readOpen: false, clock: clock)
        let w2 = Auth(writeToken: token, readToken: readToken, readOpen: false, clock: clock)
        let session = w1.readSession(expires: clock.now() + Auth.readSessionSeconds)
        #expect(w2.acceptsReadSession(Array(session.utf8)))
        #expect(!Auth(writeToken: token + "x", readToken: readToken, readOpen: false, clock: clock).acceptsReadSession(Array(session.utf8)))
        #expect(!Auth(writeToken: token, readToken: nil, readOpen: false, clock: clock).acceptsReadSession(Array(session.utf8)))
        // The end cannot be moved: the code covers it.
        let later = String(clock.now() + 2 * Auth.readSessionSeconds) + session.drop { $0 != "." }
        #expect(!w2.acceptsReadSession(Array(later.utf8)))
        clock.set("2025-09-16T19:59:59+08:00")
        #expect(w2.acceptsReadSession(Array(session.utf8)))
        clock.set("2025-09-16T20:00:00+08:00")
        #expect(!w2.acceptsReadSession(Array(session.utf8)))
        #expect(!w2.acceptsReadSession(Array("".utf8)) && !w2.acceptsReadSession(Array(".".utf8)) && !w2.acceptsReadSession(Array("99999999999999999999.ab".utf8)))
    }

    @Test(arguments: Backend.available) func saveMakesAVersionWithItsDocumentsAndTheDiffShowsTheMove(_ backend: Backend) async throws {
        let h = try await Harness.make("console-save", backend)
        try await h.test { c async throws in
            let plan = try await planned(c)
            let (events, stream) = h.daemon.runner.events.subscribe()
            defer { h.daemon.runner.events.unsubscribe(events) }
            let edit = body(plan, extra: #""author": "Wang", "note": "P-move""#, moveOne(plan))
            #expect(try await c.send(.post, "/v1/plans/1/edits", edit, auth: nil).status == .unauthorized)
            #expect(try await c.send(.post, "/v1/plans/1/edits", body(plan, moveOne(plan))).problem?.field == "author")
            let saved = try await c.send(.post, "/v1/plans/1/edits", edit)
            #expect(saved.status == .created)
            #expect(saved.json["plan_id"] as? Int == 2 && saved.json["version"] as? Int == 2 && saved.json["trigger"] as? String == "edit")
            #expect(saved.json["note"] as? String == "edited by Wang: P-move")
            var it = stream.makeAsyncIterator()
            let event = await it.next()
            #expect(event?.name == "plan" && event?.json.contains(#""plan_id":2"#) == true)

            let versions = try #require(try await c.send(.get, "/v1/plans?date=2025-09-16").json["plans"] as? [[String: Any]])
            #expect(versions.count == 2 && versions[1]["current"] as? Bool == true && versions[1]["trigger"] as? String == "edit")
            let p2 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/2").text.utf8))
            #expect(p2.totals.ordersPlanned == plan.totals.ordersPlanned)
            #expect(p2.solver.hasSuffix("; edited by hand"))
            let docs = try #require(try await c.send(.get, "/v1/plans/2/documents").json["documents"] as? [String])
            #expect(docs.contains("plan.json") && docs.contains("routes.geojson") && docs.contains("warehouses/WA/pick-list.csv"))
            // Documents follow the edit: the geojson draws the moved stop on its new route.
            let from = plan.routes.first { $0.stops.count >= 2 }!
            let moved = from.stops.last!.pickupPointId
            let newRoute = p2.routes.first { $0.stops.contains { $0.pickupPointId == moved } }!
            #expect(newRoute.routeId != from.routeId)
            let geo = try await c.send(.get, "/v1/plans/2/routes.geojson").text
            #expect(geo.contains(#""route_id": "\#(newRoute.routeId)", "vehicle_id": "\#(newRoute.vehicleId)", "trip": \#(newRoute.trip), "sequence": \#(newRoute.stops.count), "pickup_point_id": "\#(moved)""#))

            let diff = try await c.send(.get, "/v1/plans/2/diff?base=1").json
            let moves = try #require(diff["stops_moved"] as? [[String: Any]])
            #expect(moves.contains { $0["pickup_point_id"] as? String == moved && $0["from_route_id"] as? String == from.routeId })
            #expect(diff["cost_delta_cents"] as? Int == p2.totals.cost - plan.totals.cost)
            #expect(try await c.send(.get, "/v1/plans/2/diff").json["base_plan_id"] as? Int == 1)
            // Version 1 is no longer current: a second save from it is refused.
            let stale = try await c.send(.post, "/v1/plans/1/edits", edit)
            #expect(stale.status == .conflict && stale.problem?.detail == "plan 1 is no longer current: edit plan 2 (version 2)")
        }
    }

    @Test(arguments: Backend.available) func violationsMustBeAcceptedAndDispatchedRoutesCannotChange(_ backend: Backend) async throws {
        let h = try await Harness.make("console-violations", backend)
        try await h.test { c async throws in
            let plan = try await planned(c)
            let overload = body(plan, extra: #""author": "Li""#) { routes in
                let all = routes.filter { ($0["vehicle_id"] as! String).hasPrefix("WA-") }.flatMap { $0["stops"] as! [[String: Any]] }
                routes = routes.filter { !($0["vehicle_id"] as! String).hasPrefix("WA-") }
                routes.append(["vehicle_id": "WA-MINI-1", "stops": all])
            }
            let refused = try await c.send(.post, "/v1/plans/1/edits", overload)
            #expect(refused.status == .conflict)
            #expect(refused.problem?.errors?.contains { $0.detail.contains("crates; its capacity is 12") } == true)
            let accepted = try await c.send(.post, "/v1/plans/1/edits", String(overload.dropLast()) + #", "accept_violations": true}"#)
            #expect(accepted.status == .created && accepted.json["feasible"] as? Bool == false)

            let p2 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/2").text.utf8))
            let first = p2.routes[0]
            #expect(try await c.send(.post, "/v1/plans/2/routes/\(first.routeId)/dispatch").status == .ok)
            let change = body(p2, extra: #""author": "Li", "accept_violations": true"#) { routes in routes.removeFirst() }
            let r = try await c.send(.post, "/v1/plans/2/edits", change)
            #expect(r.status == .conflict && r.problem?.detail == "the edit changes dispatched routes; nothing was saved")
        }
    }

    @Test(arguments: Backend.available) func reoptimiseKeepsTheNamedRoutesExactly(_ backend: Backend) async throws {
        let h = try await Harness.make("console-reopt", backend)
        try await h.test { c async throws in
            let plan = try await planned(c)
            let keep = plan.routes[plan.routes.count - 1]
            #expect(try await c.send(.post, "/v1/plans/1/reoptimise", #"{"keep": ["NOPE"]}"#).problem?.errors?.first?.pointer == "/keep/0")
            let r = try await c.send(.post, "/v1/plans/1/reoptimise", #"{"keep": ["\#(keep.routeId)"]}"#)
            #expect(r.status == .accepted && r.json["trigger"] as? String == "reoptimise", "\(r.text)")
            let job = try await awaitJob(c, r.json["job_id"] as! Int)
            #expect(job["state"] as? String == "done")
            let p2 = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/v1/plans/\(job["plan_id"] as! Int)").text.utf8))
            #expect(p2.routes.contains(keep))
            #expect(p2.totals.ordersPlanned == plan.totals.ordersPlanned)
            // Kept by a re-optimisation is not dispatched.
            let routes = try await c.send(.get, "/v1/plans/\(job["plan_id"] as! Int)/routes").array
            #expect(routes.first { $0["route_id"] as? String == keep.routeId }?["dispatched_at"] == nil)
        }
    }

    @Test func thePageItsConfigurationAndTheScenarioAreServed() async throws {
        let h = try Harness("console-page") { $0.readAccess = .token }
        try await h.test { c async throws in
            let page = try await c.send(.get, "/", auth: nil)
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("调度台"))
            #expect(try await c.send(.get, "/console/../Package.swift", auth: nil).status == .notFound)
            #expect(try await c.send(.get, "/console/.hidden", auth: nil).status == .notFound)
            let config = try await c.send(.get, "/v1/console/config", auth: nil).json
            #expect(config["read_access"] as? String == "token" && config["time_zone"] as? String == "Asia/Shanghai")
            #expect(config["roads"] as? Bool == false)
            // Reads follow read_access.
            #expect(try await c.send(.get, "/v1/scenario", auth: nil).status == .unauthorized)
            let scenario = try await c.send(.get, "/v1/scenario")
            #expect((scenario.json["pickup_points"] as? [[String: Any]])?.count == 8)
            let roads = try await c.send(.get, "/v1/map/roads?zoom=13")
            #expect(roads.status == .ok && roads.text.contains(#""features": []"#))
            #expect(try await c.send(.get, "/v1/map/roads?zoom=99").problem?.field == "zoom")
        }
    }
}
