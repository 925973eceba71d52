import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Planning
import Store

/// Bearer-token checks. Tokens are compared in constant time (no early exit on the first
/// differing byte, the length folded in).
public struct Auth: Sendable {
    let write: [UInt8]
    let read: [UInt8]?
    let readOpen: Bool
    let clock: any WallClock
    /// The key of read-session cookies (`POST /v1/session`), made from the tokens: every worker
    /// holding the same tokens issues and accepts the same sessions, so workers keep no session
    /// state, and rotating a token ends every session.
    let sessionKey: SymmetricKey
    static let readSessionCookie = "lastmile_read"
    /// A read session lasts 12 hours from its start: a dispatcher's shift.
    static let readSessionSeconds = 12 * 3600
    static let invalidToken = APIError(status: 401, type: "unauthorized", title: "Unauthorized", detail: "the bearer token is not valid")

    public init(writeToken: String, readToken: String?, readOpen: Bool, clock: any WallClock = SystemClock()) {
        write = Array(writeToken.utf8)
        read = readToken.map { Array($0.utf8) }
        self.readOpen = readOpen
        self.clock = clock
        sessionKey = SymmetricKey(data: SHA256.hash(data: Array("lastmile read session\0".utf8) + write + [0] + (read ?? [])))
    }

    /// The cookie value of a read session that ends at `expires` (Unix seconds):
    /// `<expires>.<HMAC-SHA256 of "<expires>" in hex>`.
    func readSession(expires: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(String(expires).utf8), using: sessionKey)
        return "\(expires)." + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `cookie` is a read session made with these tokens that has not ended.
    func acceptsReadSession(_ cookie: [UInt8]) -> Bool {
        guard let dot = cookie.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot <= 12,
              cookie[..<dot].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let expires = Int(String(decoding: cookie[..<dot], as: UTF8.self)) else { return false }
        return Self.equal(cookie, Array(readSession(expires: expires).utf8)) && clock.now() < expires
    }

    /// The value of cookie `name` in the request's Cookie headers.
    static func cookie(_ request: Request, _ name: String) -> [UInt8]? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let kv = pair.trimmingCharacters(in: .whitespaces)
                if kv.hasPrefix(name + "=") { return Array(kv.dropFirst(name.count + 1).utf8) }
            }
        }
        return nil
    }

    /// A bearer token that may read (the read token or the write token); a cookie does not do.
    func requireReadToken(_ request: Request) throws {
        guard let t = Self.bearer(request) else { throw APIError.unauthorized }
        guard Self.equal(t, write) || read.map({ Self.equal(t, $0) }) == true else {
            throw Self.invalidToken
        }
    }

    static func bearer(_ request: Request) -> [UInt8]? {
        guard let h = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard h.count > prefix.count, h.prefix(prefix.count).lowercased() == prefix.lowercased() else { return nil }
        return Array(h.dropFirst(prefix.count).utf8)
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0xFF)
        }
        return diff == 0 && a.count == b.count
    }

    func requireWrite(_ request: Request) throws {
        guard let t = Self.bearer(request) else { throw APIError.unauthorized }
        if Self.equal(t, write) { return }
        if let read, Self.equal(t, read) { throw APIError.forbidden }
        throw Self.invalidToken
    }

    /// Reads need a token unless read_access is open; a read-session cookie counts for GET.
    func requireRead(_ request: Request) throws {
        if readOpen { return }
        if request.method == .get, Self.bearer(request) == nil, let c = Self.cookie(request, Self.readSessionCookie), acceptsReadSession(c) {
            return
        }
        try requireReadToken(request)
    }
}

/// The HTTP API (docs/daemon.md).
public struct API: Sendable {
    let store: any Store
    let ingest: IngestService
    let runner: PlanRunner
    let calendar: CutoffCalendar
    let scenario: Scenario
    let clock: any WallClock
    let auth: Auth
    let metrics: ServerMetrics
    let departedCountsAsDispatched: Bool
    let console: ConsoleState

    public init(store: any Store, ingest: IngestService, runner: PlanRunner, calendar: CutoffCalendar, scenario: Scenario,
                clock: any WallClock, auth: Auth, metrics: ServerMetrics, departedCountsAsDispatched: Bool,
                console: ConsoleState = ConsoleState()) {
        self.console = console
        self.store = store
        self.ingest = ingest
        self.runner = runner
        self.calendar = calendar
        self.scenario = scenario
        self.clock = clock
        self.auth = auth
        self.metrics = metrics
        self.departedCountsAsDispatched = departedCountsAsDispatched
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        router.addRoutes(routes())
        return router
    }

    /// Every route of the daemon's region, for `router()`, or mounted at `/regions/{id}` by a
    /// `RegionHost`.
    public func routes() -> RouteCollection<BasicRequestContext> {
        let router = RouteCollection(context: BasicRequestContext.self)
        router.get("/v1/health") { _, _ in try await self.health() }
        router.get("/metrics") { r, _ in try self.auth.requireRead(r); return self.text(self.metrics.text(), type: "text/plain; version=0.0.4") }
        router.post("/v1/orders") { r, _ in try await self.postOrders(r) }
        router.get("/v1/orders") { r, _ in try await self.listOrders(r) }
        router.get("/v1/orders/:id") { r, c in try await self.getOrder(r, try pathId(c, "id")) }
        router.post("/v1/orders/:id/cancel") { r, c in try await self.cancelOrder(r, try pathId(c, "id")) }
        router.post("/v1/groups/:id/cancel") { r, c in try await self.cancelGroup(r, try pathId(c, "id")) }
        router.post("/v1/vehicles/:id/out-of-service") { r, c in try await self.outage(r, try pathId(c, "id"), out: true) }
        router.post("/v1/vehicles/:id/in-service") { r, c in try await self.outage(r, try pathId(c, "id"), out: false) }
        router.post("/v1/plans") { r, _ in try await self.planNow(r) }
        router.get("/v1/plans") { r, _ in try await self.listPlans(r) }
        router.get("/v1/plan-jobs/:id") { r, c in try await self.getJob(r, try pathId(c, "id")) }
        router.get("/v1/plans/:id") { r, c in try await self.document(r, try pathId(c, "id"), path: "plan.json") }
        router.get("/v1/plans/:id/routes") { r, c in try await self.planRoutes(r, try pathId(c, "id")) }
        router.post("/v1/plans/:id/routes/:route/dispatch") { r, c in
            try await self.dispatch(r, try pathId(c, "id"), try pathId(c, "route"))
        }
        router.get("/v1/plans/:id/**") { r, c in
            try await self.document(r, try pathId(c, "id"), path: try documentPath(c.parameters.getCatchAll()))
        }
        addConsoleRoutes(to: router)
        addEditRoutes(to: router)
        addVroomRoutes(to: router)
        return router
    }

    // MARK: Helpers

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The same, writing a stop's order count instead of its order ids.
    static let stopOrderCountsEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = encoder.outputFormatting
        e.userInfo[.stopOrderCountsOnly] = true
        return e
    }()

    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, stopOrderCountsOnly: Bool = false) throws -> Response {
        var data = try (stopOrderCountsOnly ? Self.stopOrderCountsEncoder : Self.encoder).encode(value)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func text(_ s: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    /// The request body: JSON or JSON Lines (415 for another Content-Type; none is taken as JSON),
    /// at most `maxBodyBytes` (413, also when Content-Length says so before a byte is read); a
    /// body that breaks HTTP framing (bad chunk size, shorter than its Content-Length) is 400.
    func body(_ request: Request) async throws -> [UInt8] {
        try checkContentType(request)
        let limit = ingest.limits.maxBodyBytes
        if let declared = request.headers[.contentLength], let n = Int(declared), n > limit { throw APIError.bodyTooLarge(limit: limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        } catch let e as CancellationError {
            throw e
        } catch {
            throw APIError.badRequest("the request body could not be read (\(error)); check Content-Length and chunked encoding")
        }
    }

    /// A small JSON object body of a command (empty body: no fields), fields checked by name.
    func command(_ request: Request, allowed: [String]) async throws -> [String: JSONNode] {
        let bytes = try await body(request)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return [:] }
        let node: JSONNode
        do { node = try JSONParser.parse(bytes) } catch {
            throw APIError.input("malformed JSON: \(error.message) (line \(error.line), column \(error.column))")
        }
        guard case .object(let members) = node.value else { throw APIError.input("the body must be a JSON object") }
        var out: [String: JSONNode] = [:]
        for (k, v) in members {
            guard allowed.contains(k) else {
                throw APIError.input("unknown field (expected one of: \(allowed.joined(separator: ", ")))", field: k)
            }
            if case .null = v.value { continue }
            out[k] = v
        }
        return out
    }

    func string(_ fields: [String: JSONNode], _ key: String) throws -> String? {
        guard let n = fields[key] else { return nil }
        guard case .string(let s) = n.value, !s.isEmpty else { throw APIError.input("must be a non-empty string, got \(n.shortDescription)", field: key) }
        return s
    }

    func date(_ text: String?, field: String) throws -> CalendarDate {
        guard let text else { throw APIError.input("required; a date YYYY-MM-DD", field: field) }
        guard let d = CalendarDate.parse(text) else { throw APIError.input("must be a date YYYY-MM-DD, got \"\(text)\"", field: field) }
        return d
    }

    func planId(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("no plan \"\(text)\"") }
        return id
    }

    func iso(_ epoch: Int?) -> String? { epoch.map { calendar.iso($0) } }

    // MARK: Health

    struct Health: Encodable {
        var status: String
        var version = LastmileVersion.string
        var orders: Int
        var planJobs: [String: Int]
        var now: String
        enum CodingKeys: String, CodingKey {
            case status, version, orders, now
            case planJobs = "plan_jobs"
        }
    }

    func health() async throws -> Response {
        try json(Health(status: "ok", orders: try await store.orderCount(), planJobs: try await store.jobCounts(), now: calendar.iso(clock.now())))
    }

    // MARK: Orders

    struct IngestReply: Encodable {
        var received: Int
        var created: Int
        var unchanged: Int
    }

    func postOrders(_ request: Request) async throws -> Response {
        try auth.requireWrite(request)
        return try await storeBatch(try await body(request))
    }

    /// Validates and stores a JSON Lines batch of orders read from a request body.
    func storeBatch(_ bytes: [UInt8]) async throws -> Response {
        switch try await ingest.ingest(bytes, source: "http", maxItems: ingest.limits.maxBatchOrders, what: "batch") {
        case .stored(let r):
            return try json(IngestReply(received: r.created + r.unchanged, created: r.created, unchanged: r.unchanged),
                            status: r.created > 0 ? .created : .ok)
        case .rejected(let problem, _):
            return problemResponse(problem)
        }
    }

    struct OrderView: Encodable {
        var order: Order
        var status: String
        var receivedAt: String
        var cutoffAt: String
        var source: String
        var cancelledAt: String?
        var cancelReason: String?
        enum CodingKeys: String, CodingKey {
            case order, status, source
            case receivedAt = "received_at", cutoffAt = "cutoff_at", cancelledAt = "cancelled_at", cancelReason = "cancel_reason"
        }
    }

    func view(_ r: OrderRecord) throws -> OrderView {
        let order = try JSONDecoder().decode(Order.self, from: Data(r.body.utf8))
        return OrderView(order: order, status: r.status, receivedAt: calendar.iso(r.receivedAt), cutoffAt: calendar.iso(r.cutoffAt),
                         source: r.source, cancelledAt: iso(r.cancelledAt), cancelReason: r.cancelReason)
    }

    func getOrder(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        guard let r = try await store.order(id: id) else { throw APIError.notFound("no order \"\(id)\"") }
        return try json(view(r))
    }

    struct OrderPage: Encodable {
        var deliveryDate: String
        var status: String?
        var total: Int
        var offset: Int
        var limit: Int
        var orders: [OrderView]
        var next: String?
        enum CodingKeys: String, CodingKey {
            case status, total, offset, limit, orders, next
            case deliveryDate = "delivery_date"
        }
    }

    func listOrders(_ request: Request) async throws -> Response {
        try auth.requireRead(request)
        let q = request.uri.queryParameters
        let d = try date(q.get("delivery_date"), field: "delivery_date")
        let status = q.get("status")
        if let status, status != "active" && status != "cancelled" {
            throw APIError.input("must be \"active\" or \"cancelled\", got \"\(status)\"", field: "status")
        }
        func int(_ key: String, _ def: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let s = q.get(key) else { return def }
            guard let v = Int(s), range.contains(v) else {
                throw APIError.input("must be an integer in \(range.lowerBound)…\(range.upperBound), got \"\(s)\"", field: key)
            }
            return v
        }
        let offset = try int("offset", 0, 0...Int(Int32.max)), limit = try int("limit", 100, 1...1000)
        let (total, page) = try await store.orders(deliveryDate: d.description, status: status, offset: offset, limit: limit)
        let next = offset + page.count < total
            ? "/v1/orders?delivery_date=\(d)\(status.map { "&status=\($0)" } ?? "")&offset=\(offset + page.count)&limit=\(limit)" : nil
        return try json(OrderPage(deliveryDate: d.description, status: status, total: total, offset: offset, limit: limit,
                                  orders: try page.map(view), next: next))
    }

    func cancelOrder(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireWrite(request)
        let fields = try await command(request, allowed: ["reason"])
        switch try await store.cancel(orderId: id, reason: try string(fields, "reason"), now: clock.now()) {
        case .notFound: throw APIError.notFound("no order \"\(id)\"")
        case .cancelled(let r), .alreadyCancelled(let r): return try json(view(r))
        case .frozen(let r):
            throw APIError.conflict("order \"\(id)\" can no longer be cancelled: its wave closed at \(calendar.iso(r.cutoffAt)) and it is "
                                    + "being planned; a dispatcher can cancel its group with POST /v1/groups/\(r.groupId)/cancel")
        }
    }

    struct GroupCancelReply: Encodable {
        var groupId: String
        var deliveryDate: String
        var cancelled: [String]
        var replanJob: Int64?
        enum CodingKeys: String, CodingKey {
            case cancelled
            case groupId = "group_id", deliveryDate = "delivery_date", replanJob = "replan_job"
        }
    }

    /// A late change: cancels the group's orders of the day, then re-plans the day if it has a plan.
    func cancelGroup(_ request: Request, _ group: String) async throws -> Response {
        try auth.requireWrite(request)
        let fields = try await command(request, allowed: ["delivery_date", "reason"])
        let d = try date(try string(fields, "delivery_date"), field: "delivery_date")
        let now = clock.now()
        switch try await store.cancelGroup(groupId: group, deliveryDate: d.description, reason: try string(fields, "reason") ?? "group cancelled",
                                           now: now, departedCountsAsDispatched: departedCountsAsDispatched) {
        case .notFound: throw APIError.notFound("no active orders of group \"\(group)\" for \(d)")
        case .dispatched(let onRoutes):
            let list = onRoutes.keys.sorted().prefix(5).map { "\($0) on \(onRoutes[$0]!)" }.joined(separator: ", ")
            throw APIError.conflict("group \"\(group)\" cannot be cancelled: \(onRoutes.count) of its orders are on dispatched routes (\(list))")
        case .cancelled(let ids):
            let job = try await replan(d, note: "group \(group) cancelled")
            return try json(GroupCancelReply(groupId: group, deliveryDate: d.description, cancelled: ids, replanJob: job?.id))
        }
    }

    /// Queues a re-plan of a day that already has a plan (nothing to re-plan otherwise).
    func replan(_ d: CalendarDate, note: String) async throws -> PlanJobRecord? {
        guard try await store.currentPlan(deliveryDate: d.description) != nil else { return nil }
        let (job, _) = try await store.enqueue(PlanJobRecord(deliveryDate: d.description, trigger: "replan", note: note, createdAt: clock.now()))
        runner.wake()
        return job
    }

    // MARK: Vehicles

    struct OutageReply: Encodable {
        var vehicleId: String
        var deliveryDate: String
        var outOfService: Bool
        var replanJob: Int64?
        enum CodingKeys: String, CodingKey {
            case vehicleId = "vehicle_id", deliveryDate = "delivery_date", outOfService = "out_of_service", replanJob = "replan_job"
        }
    }

    func outage(_ request: Request, _ vehicle: String, out: Bool) async throws -> Response {
        try auth.requireWrite(request)
        let fields = try await command(request, allowed: out ? ["delivery_date", "reason"] : ["delivery_date"])
        let d = try date(try string(fields, "delivery_date"), field: "delivery_date")
        let known = scenario.warehouses.flatMap(\.vehicleTypes).contains { t in (0..<t.count).contains { "\(t.id)-\($0 + 1)" == vehicle } }
        guard known else { throw APIError.notFound("no vehicle \"\(vehicle)\" in the scenario (vehicles are <type id>-<n>)") }
        let changed: Bool
        if out {
            changed = try await store.setOutage(deliveryDate: d.description, vehicleId: vehicle, reason: try string(fields, "reason"), now: clock.now())
        } else {
            changed = try await store.clearOutage(deliveryDate: d.description, vehicleId: vehicle)
        }
        let job = changed ? try await replan(d, note: "vehicle \(vehicle) \(out ? "out of service" : "back in service")") : nil
        return try json(OutageReply(vehicleId: vehicle, deliveryDate: d.description, outOfService: out, replanJob: job?.id))
    }

    // MARK: Plans

    struct JobView: Encodable {
        var jobId: Int64
        var deliveryDate: String
        var trigger: String
        var note: String?
        var state: String
        var reason: String?
        var attempts: Int
        var createdAt: String
        var startedAt: String?
        var finishedAt: String?
        var planId: Int64?
        var plan: String?
        /// The worker that claimed the job last, and (while running) when its lease ends.
        var workerId: String?
        var leaseUntil: String?
        enum CodingKeys: String, CodingKey {
            case trigger, note, state, reason, attempts, plan
            case jobId = "job_id", deliveryDate = "delivery_date", createdAt = "created_at", startedAt = "started_at"
            case finishedAt = "finished_at", planId = "plan_id", workerId = "worker_id", leaseUntil = "lease_until"
        }
    }

    func view(_ j: PlanJobRecord) -> JobView {
        JobView(jobId: j.id!, deliveryDate: j.deliveryDate, trigger: j.trigger, note: j.note, state: j.state, reason: j.reason,
                attempts: j.attempts, createdAt: calendar.iso(j.createdAt), startedAt: iso(j.startedAt), finishedAt: iso(j.finishedAt),
                planId: j.planId, plan: j.planId.map { "/v1/plans/\($0)" }, workerId: j.workerId,
                leaseUntil: j.state == "running" ? iso(j.leaseUntil) : nil)
    }

    /// Plans a day now (default: tomorrow, local time). Answers 202 with the job; with
    /// `?wait=SECONDS` (at most 300) it waits for the job and answers 200 when it is done.
    func planNow(_ request: Request) async throws -> Response {
        try auth.requireWrite(request)
        let fields = try await command(request, allowed: ["delivery_date"])
        var d = calendar.localDate(clock.now()).adding(days: 1)
        if fields["delivery_date"] != nil { d = try date(try string(fields, "delivery_date"), field: "delivery_date") }
        var wait = 0.0
        if let w = request.uri.queryParameters.get("wait") {
            guard let v = Double(w), v >= 0, v <= 300 else { throw APIError.input("must be a number of seconds 0…300, got \"\(w)\"", field: "wait") }
            wait = v
        }
        let (queued, _) = try await store.enqueue(PlanJobRecord(deliveryDate: d.description, trigger: "manual", note: "POST /v1/plans",
                                                                createdAt: clock.now()))
        runner.wake()
        var job = queued
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while wait > 0, job.state == "queued" || job.state == "running", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            job = try await store.job(id: job.id!) ?? job
        }
        var r = try json(view(job), status: job.state == "done" || job.state == "failed" ? .ok : .accepted)
        r.headers[.location] = "/v1/plan-jobs/\(job.id!)"
        return r
    }

    func getJob(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        guard let n = Int64(id), let j = try await store.job(id: n) else { throw APIError.notFound("no plan job \"\(id)\"") }
        return try json(view(j))
    }

    struct PlanSummaryView: Encodable {
        var planId: Int64
        var version: Int
        var current: Bool
        var trigger: String
        var note: String?
        var jobId: Int64
        var createdAt: String
        var orders: Int
        var ordersPlanned: Int
        var ordersUnassigned: Int
        var vehicles: Int
        var trips: Int
        var distanceM: Int
        var cost: Int
        var links: [String: String]
        enum CodingKeys: String, CodingKey {
            case version, current, trigger, note, orders, vehicles, trips, links
            case cost = "cost_cents"
            case planId = "plan_id", jobId = "job_id", createdAt = "created_at", ordersPlanned = "orders_planned"
            case ordersUnassigned = "orders_unassigned", distanceM = "distance_m"
        }
    }

    struct PlanList: Encodable {
        var deliveryDate: String
        var plans: [PlanSummaryView]
        enum CodingKeys: String, CodingKey {
            case plans
            case deliveryDate = "delivery_date"
        }
    }

    func listPlans(_ request: Request) async throws -> Response {
        try auth.requireRead(request)
        let d = try date(request.uri.queryParameters.get("date"), field: "date")
        let versions = try await store.planVersions(deliveryDate: d.description)
        let last = versions.last?.id
        return try json(PlanList(deliveryDate: d.description, plans: versions.map { v in
            PlanSummaryView(planId: v.id!, version: v.version, current: v.id == last, trigger: v.trigger, note: v.note, jobId: v.jobId,
                            createdAt: calendar.iso(v.createdAt), orders: v.orders, ordersPlanned: v.ordersPlanned,
                            ordersUnassigned: v.ordersUnassigned, vehicles: v.vehicles, trips: v.trips, distanceM: v.distanceM, cost: v.cost,
                            links: ["plan": "/v1/plans/\(v.id!)", "routes": "/v1/plans/\(v.id!)/routes",
                                    "geojson": "/v1/plans/\(v.id!)/routes.geojson"])
        }))
    }

    func document(_ request: Request, _ id: String, path: String) async throws -> Response {
        try auth.requireRead(request)
        let pid = try planId(id)
        guard let list = try await store.list(planId: pid, path: path) else {
            if try await store.planVersion(id: pid) == nil { throw APIError.notFound("no plan \"\(id)\"") }
            throw APIError.notFound("plan \(id) has no document \"\(path)\"")
        }
        return Response(status: .ok, headers: [.contentType: list.contentType], body: .init(byteBuffer: ByteBuffer(bytes: list.body)))
    }

    struct RouteView: Encodable {
        var routeId: String
        var warehouseId: String
        var vehicleId: String
        var trip: Int
        var departure: String
        var returnTime: String
        var stops: Int
        var crates: Int
        var distanceM: Int
        var cost: Int
        var dispatchedAt: String?
        var keptFromPlan: Int64?
        enum CodingKeys: String, CodingKey {
            case trip, departure, stops, crates
            case cost = "cost_cents"
            case routeId = "route_id", warehouseId = "warehouse_id", vehicleId = "vehicle_id", returnTime = "return"
            case distanceM = "distance_m", dispatchedAt = "dispatched_at", keptFromPlan = "kept_from_plan"
        }
    }

    func routeView(_ r: RouteRecord) -> RouteView {
        RouteView(routeId: r.routeId, warehouseId: r.warehouseId, vehicleId: r.vehicleId, trip: r.trip, departure: r.departure,
                  returnTime: r.returnTime, stops: r.stops, crates: r.crates, distanceM: r.distanceM, cost: r.cost,
                  dispatchedAt: iso(r.dispatchedAt), keptFromPlan: r.keptFromPlan)
    }

    func planRoutes(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        let pid = try planId(id)
        guard try await store.planVersion(id: pid) != nil else { throw APIError.notFound("no plan \"\(id)\"") }
        return try json(try await store.routes(planId: pid).map(routeView))
    }

    /// Marks a route as dispatched (the van left): later versions keep it exactly as it is.
    func dispatch(_ request: Request, _ id: String, _ route: String) async throws -> Response {
        try auth.requireWrite(request)
        let pid = try planId(id)
        switch try await store.dispatch(planId: pid, routeId: route, now: clock.now()) {
        case .notFound: throw APIError.notFound("plan \(id) has no route \"\(route)\"")
        case .superseded(let cur):
            throw APIError.conflict("plan \(id) is no longer current: dispatch from plan \(cur) (GET /v1/plans/\(cur)/routes)")
        case .dispatched(let r), .alreadyDispatched(let r): return try json(routeView(r))
        }
    }
}
