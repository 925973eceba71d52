import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Planning
import Store

/// Changing a plan by hand (docs/console.md): evaluate edited routes, save them as a new version,
/// re-optimise around them, and compare two versions.
extension API {
    func addEditRoutes(to router: RouteCollection<BasicRequestContext>) {
        router.post("/v1/plans/:id/evaluate") { r, c in try await self.evaluate(r, try c.parameters.require("id")) }
        router.post("/v1/plans/:id/edits") { r, c in try await self.saveEdit(r, try c.parameters.require("id")) }
        router.post("/v1/plans/:id/reoptimise") { r, c in try await self.reoptimise(r, try c.parameters.require("id")) }
        router.get("/v1/plans/:id/diff") { r, c in try await self.diff(r, try c.parameters.require("id")) }
    }

    // MARK: Loading

    /// The published plan.json of a version.
    func publishedPlan(_ pid: Int64) async throws -> Plan {
        if let cached = console.cachedBase(pid) { return cached.plan }
        guard let doc = try await store.list(planId: pid, path: "plan.json") else { throw APIError.notFound("no plan \"\(pid)\"") }
        do { return try JSONDecoder().decode(Plan.self, from: Data(doc.body)) } catch {
            // A version published before a format change (lastmile-plan/1 had money without `_cents`).
            let format = (try? JSONDecoder().decode(PlanFormat.self, from: Data(doc.body)))?.format ?? "unknown"
            guard format == Plan.currentFormat else {
                throw APIError.conflict("plan \(pid) is in format \(format), not \(Plan.currentFormat): plan the day again to edit it")
            }
            throw error
        }
    }

    /// What an edit of version `pid` is evaluated against. The plan and its orders never change
    /// for a version and are cached; dispatches and vans out of service are read each time.
    func editBase(_ pid: Int64) async throws -> (version: PlanVersionRecord, base: PlanEditBase, dispatched: [RouteRecord]) {
        guard let version = try await store.planVersion(id: pid) else { throw APIError.notFound("no plan \"\(pid)\"") }
        var base: PlanEditBase
        if let cached = console.cachedBase(pid) {
            base = cached
        } else {
            let plan = try await publishedPlan(pid)
            let ids = Set(plan.routes.flatMap { $0.stops.flatMap(\.orderIds) } + plan.unassigned.map(\.orderId))
            let orders = try await store.planningOrders(deliveryDate: version.deliveryDate, scopeCutoffAt: nil, alsoIds: ids)
                .filter { ids.contains($0.orderId) }
            let matrix = try console.matrix { try PlanEditor.travelMatrix(scenario: runner.setup.scenario, travel: runner.setup.travel) }
            base = PlanEditBase(scenario: runner.setup.scenario, plan: plan, ordersById: PlanEditBase.byId(orders), matrix: matrix)
            console.cache(pid, base)
        }
        let current = try await store.currentPlan(deliveryDate: version.deliveryDate)
        let dispatched = current?.id == pid
            ? try await store.lockedRoutes(deliveryDate: version.deliveryDate, now: clock.now(), departedCountsAsDispatched: departedCountsAsDispatched)
            : try await store.routes(planId: pid).filter { $0.dispatchedAt != nil }
        base.dispatchedRouteIds = Set(dispatched.map(\.routeId))
        base.vehiclesOutOfService = Set(try await store.outages(deliveryDate: version.deliveryDate).map(\.vehicleId))
        return (version, base, dispatched)
    }

    /// `{"routes": [{"route_id"?, "vehicle_id", "stops": [{"pickup_point_id", "order_ids"?}]}]}` with
    /// every problem pointed at. Limits: 2,000 routes, 1,000 stops a route, 100,000 order ids.
    static func routeEdits(_ node: JSONNode?) throws -> [RouteEdit] {
        var problems: [ProblemDocument.ItemError] = []
        guard let node else { throw APIError.input("required: the complete list of edited routes", field: "routes") }
        guard case .array(let items) = node.value else { throw APIError.input("must be an array of routes, got \(node.shortDescription)", field: "routes") }
        guard items.count <= 2_000 else { throw APIError.input("at most 2000 routes, got \(items.count)", field: "routes") }
        var orderIds = 0
        var edits: [RouteEdit] = []
        func string(_ n: JSONNode?, _ at: String, required: Bool = true) -> String? {
            guard let n, !(n.value == .null && !required) else {
                if required { problems.append(.init(pointer: at, detail: "required")) }
                return nil
            }
            guard case .string(let s) = n.value, !s.isEmpty, s.utf8.count <= 200 else {
                problems.append(.init(pointer: at, detail: "must be a non-empty string of at most 200 bytes, got \(n.shortDescription)"))
                return nil
            }
            return s
        }
        for (r, item) in items.enumerated() {
            guard case .object(let fields) = item.value else {
                problems.append(.init(pointer: "/routes/\(r)", detail: "must be an object, got \(item.shortDescription)"))
                continue
            }
            let f = Dictionary(fields.map { ($0.key, $0.node) }, uniquingKeysWith: { a, _ in a })
            for k in f.keys where !["route_id", "vehicle_id", "stops"].contains(k) {
                problems.append(.init(pointer: "/routes/\(r)/\(k)", detail: "unknown field (expected route_id, vehicle_id, stops)"))
            }
            let routeId = string(f["route_id"], "/routes/\(r)/route_id", required: false)
            let vehicle = string(f["vehicle_id"], "/routes/\(r)/vehicle_id")
            var stops: [StopEdit] = []
            if let s = f["stops"], case .array(let list) = s.value, list.count <= 1_000 {
                for (k, st) in list.enumerated() {
                    let at = "/routes/\(r)/stops/\(k)"
                    guard case .object(let sf) = st.value else { problems.append(.init(pointer: at, detail: "must be an object")); continue }
                    let g = Dictionary(sf.map { ($0.key, $0.node) }, uniquingKeysWith: { a, _ in a })
                    for key in g.keys where key != "pickup_point_id" && key != "order_ids" {
                        problems.append(.init(pointer: "\(at)/\(key)", detail: "unknown field (expected pickup_point_id, order_ids)"))
                    }
                    let point = string(g["pickup_point_id"], at + "/pickup_point_id")
                    var ids: [String]?
                    if let o = g["order_ids"], o.value != .null {
                        if case .array(let arr) = o.value {
                            orderIds += arr.count
                            ids = arr.enumerated().compactMap { string($1, "\(at)/order_ids/\($0)") }
                        } else {
                            problems.append(.init(pointer: at + "/order_ids", detail: "must be an array of order ids"))
                        }
                    }
                    if let point { stops.append(StopEdit(pickupPointId: point, orderIds: ids)) }
                }
            } else {
                problems.append(.init(pointer: "/routes/\(r)/stops", detail: "required: an array of at most 1000 stops"))
            }
            if let vehicle { edits.append(RouteEdit(routeId: routeId, vehicleId: vehicle, stops: stops)) }
            if problems.count > 1_000 || orderIds > 100_000 { break }
        }
        if orderIds > 100_000 { throw APIError.input("at most 100000 order ids in one edit, got more", field: "routes") }
        guard problems.isEmpty else {
            throw APIError(.input, "\(problems.count) problems in the edited routes; nothing was evaluated", errors: Array(problems.prefix(1_000)))
        }
        return edits
    }

    func evaluated(_ edits: [RouteEdit], base: PlanEditBase, note: String? = nil) throws -> EditedPlan {
        do {
            return try PlanEditor.evaluate(edits, base: base, note: note)
        } catch let e as EditRequestError {
            throw APIError(e.problem)
        }
    }

    // MARK: Evaluate

    struct Delta: Encodable {
        var costCents: Int, distanceM: Int, durationS: Int, vehicles: Int, trips: Int, onTimeStops: Int, ordersPlanned: Int
        init(_ a: Totals, _ b: Totals) {
            costCents = b.cost - a.cost
            distanceM = b.distanceM - a.distanceM
            durationS = b.durationS - a.durationS
            vehicles = b.vehicles - a.vehicles
            trips = b.trips - a.trips
            onTimeStops = b.onTimeStops - a.onTimeStops
            ordersPlanned = b.ordersPlanned - a.ordersPlanned
        }
        enum CodingKeys: String, CodingKey {
            case vehicles, trips
            case costCents = "cost_cents", distanceM = "distance_m", durationS = "duration_s", onTimeStops = "on_time_stops"
            case ordersPlanned = "orders_planned"
        }
    }

    /// A route of plan.json plus where it came from and what it breaks.
    struct EvaluatedRoute: Encodable {
        var route: PlannedRoute
        var sourceRouteId: String?
        var violations: [String]
        enum Extra: String, CodingKey {
            case sourceRouteId = "source_route_id", violations
        }
        func encode(to encoder: any Encoder) throws {
            try route.encode(to: encoder)
            var c = encoder.container(keyedBy: Extra.self)
            try c.encode(sourceRouteId, forKey: .sourceRouteId)
            try c.encode(violations, forKey: .violations)
        }
    }

    struct EvaluateReply: Encodable {
        var planId: Int64
        var feasible: Bool
        var base: Totals
        var totals: Totals
        var delta: Delta
        var warehouses: [WarehouseSummary]
        var routes: [EvaluatedRoute]
        var unassigned: [UnassignedOrder]
        var violations: [EditViolation]
        enum CodingKeys: String, CodingKey {
            case feasible, base, totals, delta, warehouses, routes, unassigned, violations
            case planId = "plan_id"
        }
    }

    func reply(_ pid: Int64, base: PlanEditBase, edited: EditedPlan) -> EvaluateReply {
        let routes = edited.plan.routes.enumerated().map { i, r in
            EvaluatedRoute(route: r, sourceRouteId: edited.sourceRouteIds[i],
                           violations: edited.violations.filter { $0.routeId == r.routeId }.map(\.message))
        }
        return EvaluateReply(planId: pid, feasible: edited.isFeasible, base: base.plan.totals, totals: edited.plan.totals,
                             delta: Delta(base.plan.totals, edited.plan.totals), warehouses: edited.plan.warehouses, routes: routes,
                             unassigned: edited.plan.unassigned, violations: edited.violations)
    }

    /// `?order_ids=true|false` (default true): false writes each stop's `order_count` instead.
    func orderIdsParameter(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("order_ids") {
        case nil, "true": return true
        case "false": return false
        case let v?: throw APIError.input("must be true or false, got \"\(v)\"", field: "order_ids")
        }
    }

    /// Evaluates edited routes without saving anything (a read: it changes nothing).
    func evaluate(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        let pid = try planId(id)
        let fields = try await command(request, allowed: ["routes"])
        let edits = try Self.routeEdits(fields["routes"])
        let countsOnly = try orderIdsParameter(request) == false
        let (_, base, _) = try await editBase(pid)
        return try json(reply(pid, base: base, edited: try evaluated(edits, base: base)), stopOrderCountsOnly: countsOnly)
    }

    // MARK: Save

    struct SavedEdit: Encodable {
        var planId: Int64
        var basePlanId: Int64
        var version: Int
        var trigger: String
        var note: String?
        var feasible: Bool
        var violations: [EditViolation]
        var links: [String: String]
        enum CodingKeys: String, CodingKey {
            case version, trigger, note, feasible, violations, links
            case planId = "plan_id", basePlanId = "base_plan_id"
        }
    }

    /// Saves edited routes as the day's next version (only from the current one), every document
    /// rebuilt. Violations must be accepted explicitly; a change to a dispatched route never is.
    func saveEdit(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireWrite(request)
        let pid = try planId(id)
        let fields = try await command(request, allowed: ["routes", "author", "note", "accept_violations"])
        let edits = try Self.routeEdits(fields["routes"])
        guard let author = try string(fields, "author"), author.count <= 64 else {
            throw APIError.input("required: who made the edit (1–64 characters)", field: "author")
        }
        let remark = try string(fields, "note")
        if let remark, remark.count > 500 { throw APIError.input("at most 500 characters", field: "note") }
        var accept = false
        if let a = fields["accept_violations"] {
            guard case .bool(let b) = a.value else { throw APIError.input("must be true or false", field: "accept_violations") }
            accept = b
        }
        let (version, base, dispatched) = try await editBase(pid)
        if let current = try await store.currentPlan(deliveryDate: version.deliveryDate), current.id != pid {
            throw APIError.conflict("plan \(pid) is no longer current: edit plan \(current.id!) (version \(current.version))")
        }
        let note = "edited by \(author)" + (remark.map { ": \($0)" } ?? "")
        let edited = try evaluated(edits, base: base, note: note)
        let hard = edited.violations.filter { $0.kind == .dispatched }
        if !hard.isEmpty || (!edited.isFeasible && !accept) {
            let list = hard.isEmpty ? edited.violations : hard
            throw APIError(.conflict, hard.isEmpty
                ? "the edit breaks \(list.count) rules; nothing was saved (send accept_violations: true to save it anyway)"
                : "the edit changes dispatched routes; nothing was saved",
                errors: list.prefix(1_000).map { .init(pointer: "/routes", detail: $0.message) })
        }
        if edited.plan.routes == base.plan.routes && edited.plan.unassigned == base.plan.unassigned {
            throw APIError.conflict("the edit changes nothing: plan \(pid) stays as it is; nothing was saved")
        }
        let book = OrderBook(deliveryDate: edited.plan.deliveryDate, orders: base.planOrders.sorted { $0.orderId < $1.orderId })
        let setup = runner.setup
        let kept = Dictionary(dispatched.map { ($0.routeId, $0) }, uniquingKeysWith: { a, _ in a })
        let plan = edited.plan
        let write = try await onOwnThread {
            try PlanRunner.planWrite(plan, book: book, setup: setup, keptFrom: kept, dispatched: Set(kept.keys))
        }
        switch try await store.publishEdit(basePlanId: pid, plan: write, note: note, now: clock.now()) {
        case .notFound: throw APIError.notFound("no plan \"\(id)\"")
        case .superseded(let cur): throw APIError.conflict("plan \(pid) is no longer current: edit plan \(cur)")
        case .published(let v):
            runner.events.publish("plan", PlanEvent(planId: v.id!, deliveryDate: v.deliveryDate, version: v.version, trigger: v.trigger, note: v.note))
            var r = try json(SavedEdit(planId: v.id!, basePlanId: pid, version: v.version, trigger: v.trigger, note: v.note,
                                       feasible: edited.isFeasible, violations: edited.violations,
                                       links: ["plan": "/v1/plans/\(v.id!)", "diff": "/v1/plans/\(v.id!)/diff?base=\(pid)"]),
                             status: .created)
            r.headers[.location] = "/v1/plans/\(v.id!)"
            return r
        }
    }

    // MARK: Re-optimise

    /// Queues a new version that keeps the named routes of the current version (and every
    /// dispatched one) exactly as they are and plans everything else again.
    func reoptimise(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireWrite(request)
        let pid = try planId(id)
        let fields = try await command(request, allowed: ["keep"])
        guard let version = try await store.planVersion(id: pid) else { throw APIError.notFound("no plan \"\(id)\"") }
        if let current = try await store.currentPlan(deliveryDate: version.deliveryDate), current.id != pid {
            throw APIError.conflict("plan \(pid) is no longer current: re-optimise plan \(current.id!)")
        }
        var keep: [String] = []
        if let k = fields["keep"] {
            guard case .array(let items) = k.value, items.count <= 2_000 else {
                throw APIError.input("must be an array of at most 2000 route ids", field: "keep")
            }
            let known = Set(try await store.routes(planId: pid).map(\.routeId))
            var problems: [ProblemDocument.ItemError] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item.value, known.contains(s) else {
                    problems.append(.init(pointer: "/keep/\(i)", detail: "plan \(pid) has no route \(item.shortDescription)"))
                    continue
                }
                keep.append(s)
            }
            guard problems.isEmpty else { throw APIError(.input, "\(problems.count) unknown routes in keep", errors: problems) }
        }
        let ids = String(decoding: try JSONEncoder().encode(keep.sorted()), as: UTF8.self)
        let (job, _) = try await store.enqueue(PlanJobRecord(
            deliveryDate: version.deliveryDate, trigger: "reoptimise", note: "re-optimise plan \(pid) keeping \(keep.count) routes",
            createdAt: clock.now(), keepRouteIds: ids))
        runner.wake()
        var r = try json(view(job), status: .accepted)
        r.headers[.location] = "/v1/plan-jobs/\(job.id!)"
        return r
    }

    // MARK: Diff

    struct DiffReply: Encodable {
        var planId: Int64
        var basePlanId: Int64
        var diff: PlanDiff
        enum Extra: String, CodingKey { case planId = "plan_id", basePlanId = "base_plan_id" }
        func encode(to encoder: any Encoder) throws {
            try diff.encode(to: encoder)
            var c = encoder.container(keyedBy: Extra.self)
            try c.encode(planId, forKey: .planId)
            try c.encode(basePlanId, forKey: .basePlanId)
        }
    }

    /// What changed from version `?base=` (default: the version before this one) to this one.
    func diff(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        let pid = try planId(id)
        guard let version = try await store.planVersion(id: pid) else { throw APIError.notFound("no plan \"\(id)\"") }
        let basePid: Int64
        if let b = request.uri.queryParameters.get("base") {
            guard let v = Int64(b), v > 0, try await store.planVersion(id: v) != nil else { throw APIError.notFound("no plan \"\(b)\"") }
            basePid = v
        } else {
            let versions = try await store.planVersions(deliveryDate: version.deliveryDate)
            guard let prev = versions.last(where: { $0.version < version.version }) else {
                throw APIError.input("plan \(pid) is the first version of \(version.deliveryDate); name one with ?base=", field: "base")
            }
            basePid = prev.id!
        }
        let diff = PlanDiff(from: try await publishedPlan(basePid), to: try await publishedPlan(pid))
        return try json(DiffReply(planId: pid, basePlanId: basePid, diff: diff))
    }
}
