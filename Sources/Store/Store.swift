import Foundation
import Planning

/// The daemon's database, behind one interface with two backends: `SQLiteStore` (one file, the
/// embedded default) and `PostgresStore` (one server, several `lastmile serve` workers). Both
/// keep the same rules:
/// - durability: a call that stores something returns after its transaction is committed to
///   disk, so an answer sent after it never acknowledges what a crash could lose;
/// - idempotency: an order repeated with the same body is a no-op, a cut-off is queued once
///   (unique `cutoff_key`);
/// - atomicity: a batch of orders, and a plan version with its routes, stops, lists and its job's
///   `done`, are each one transaction;
/// - exactly-once publication: a plan job is claimed under a lease by one worker; only the worker
///   that holds the lease may publish or fail it; a lease that is not renewed expires and the job
///   is claimed again (at most `PlanJobPolicy.maxAttempts` starts).
public protocol Store: Sendable {
    /// Where the data lives, for logs and `/v1/health`: a file path, or the server URL without
    /// its password.
    var location: String { get }

    // MARK: Orders
    func ingest(_ batch: [IncomingOrder], source: String, now: Int) async throws -> IngestResult
    func order(id: String) async throws -> OrderRecord?
    /// One page of a day's orders in arrival order, and how many there are in all.
    func orders(deliveryDate: String, status: String?, offset: Int, limit: Int) async throws -> (total: Int, page: [OrderRecord])
    /// Cancels one order before its wave closes.
    func cancel(orderId: String, reason: String?, now: Int) async throws -> CancelOutcome
    /// Cancels every active order of a group for a delivery day (a late change: allowed after the
    /// cut-off, refused for orders on a route already dispatched).
    func cancelGroup(groupId: String, deliveryDate: String, reason: String?, now: Int,
                     departedCountsAsDispatched: Bool) async throws -> GroupCancelOutcome
    /// The orders of a delivery day to plan: active ones frozen by `scopeCutoffAt` (nil: all
    /// active ones), plus the orders named in `alsoIds` whatever their state, in order-id order.
    func planningOrders(deliveryDate: String, scopeCutoffAt: Int?, alsoIds: Set<String>) async throws -> [Order]
    /// Distinct (delivery day, wave cut-off) of active orders for days from `fromDate` on.
    func openCutoffs(fromDate: String) async throws -> [(deliveryDate: String, cutoffAt: Int)]
    func orderCount() async throws -> Int
    /// Whether active orders of the day froze at exactly this cut-off (that cut-off needs a plan).
    func hasOrders(deliveryDate: String, cutoffAt: Int) async throws -> Bool

    // MARK: Plan jobs
    /// Queues a job. A cut-off job is unique per `cutoffKey`; a manual or re-plan job joins one
    /// already queued for the same day; a re-optimisation that keeps named routes does not.
    func enqueue(_ job: PlanJobRecord) async throws -> (job: PlanJobRecord, created: Bool)
    /// At a worker's start: the jobs it held when it stopped are claimable again at once (SQLite:
    /// every running job, a file has one daemon). Returns how many.
    func requeueInterrupted(worker: String, now: Int) async throws -> Int
    /// Claims the oldest job that is queued, or running under a lease that expired, for `worker`
    /// until `now + leaseSeconds` (committed before planning starts). A job whose lease expired
    /// after `PlanJobPolicy.maxAttempts` starts is failed instead, with the reason.
    func claimNextJob(worker: String, now: Int, leaseSeconds: Int) async throws -> PlanJobRecord?
    /// Extends the lease; false: the worker no longer holds the job (it expired and was claimed).
    func renewLease(jobId: Int64, worker: String, until: Int) async throws -> Bool
    /// Fails a job the worker holds; false if it does not hold it.
    @discardableResult
    func failJob(id: Int64, worker: String, reason: String, now: Int) async throws -> Bool
    func job(id: Int64) async throws -> PlanJobRecord?
    func jobCounts() async throws -> [String: Int]

    // MARK: Plan versions
    /// Writes the plan version, its routes, stops and lists, and marks the job done, in one
    /// transaction, if `worker` still holds the job; else throws `LeaseLost` and writes nothing.
    func publish(jobId: Int64, worker: String, deliveryDate: String, plan: PlanWrite, now: Int) async throws -> PlanVersionRecord
    /// Publishes a dispatcher's edit of `basePlanId` as the day's next version, only while
    /// `basePlanId` is still the current version.
    func publishEdit(basePlanId: Int64, plan: PlanWrite, note: String, now: Int) async throws -> EditOutcome
    func planVersions(deliveryDate: String) async throws -> [PlanVersionRecord]
    func planVersion(id: Int64) async throws -> PlanVersionRecord?
    func currentPlan(deliveryDate: String) async throws -> PlanVersionRecord?
    func list(planId: Int64, path: String) async throws -> ListRecord?
    func listPaths(planId: Int64) async throws -> [String]
    func routes(planId: Int64) async throws -> [RouteRecord]
    func stops(planId: Int64) async throws -> [StopRecord]
    /// Routes of the day's current version named in `ids` (kept by a re-optimisation).
    func currentRoutes(deliveryDate: String, ids: Set<String>) async throws -> [RouteRecord]

    // MARK: Dispatch and vans
    /// Marks a route of the day's current plan as dispatched: later versions keep it as it is.
    func dispatch(planId: Int64, routeId: String, now: Int) async throws -> DispatchOutcome
    /// Routes of the day's current plan that a new version must keep: dispatched, or (if
    /// `departedCountsAsDispatched`) past their departure time.
    func lockedRoutes(deliveryDate: String, now: Int, departedCountsAsDispatched: Bool) async throws -> [RouteRecord]
    /// Takes a van out of service for a delivery day (idempotent: false if it already was).
    func setOutage(deliveryDate: String, vehicleId: String, reason: String?, now: Int) async throws -> Bool
    func clearOutage(deliveryDate: String, vehicleId: String) async throws -> Bool
    func outages(deliveryDate: String) async throws -> [VehicleOutageRecord]

    // MARK: Messages between workers
    /// True when other processes (workers) may use the same data, so that what one worker
    /// announces must reach the others (PostgreSQL); false for a store of one process (SQLite).
    var sharedByWorkers: Bool { get }
    /// Sends a short text (at most `announcementBytes`) to every `listen` on this store,
    /// this worker's included (PostgreSQL: NOTIFY on the schema's channel). No-op when not shared.
    func announce(_ message: String) async throws
    /// Hands every announced text to `receive`, in the order they were sent, until cancelled.
    /// Returns at once when not shared.
    func listen(_ receive: @escaping @Sendable (String) -> Void) async throws

    /// Closes connections (PostgreSQL); the store is not used after.
    func close() async
}

/// The longest text `Store.announce` carries (PostgreSQL's NOTIFY payload is below 8,000 bytes).
public let announcementBytes = 7_900

/// How plan jobs are retried.
public enum PlanJobPolicy {
    /// A job is started at most this many times: one whose worker died this often while planning
    /// is not started again (so a day whose planning kills the process cannot crash-loop).
    public static let maxAttempts = 3

    /// The reason a job gets when it is given up after `attempts` interrupted starts.
    public static func interruptedReason(attempts: Int) -> String {
        "planning was interrupted \(attempts) times (the process stopped or crashed each time); not retried"
    }
}

/// The worker tried to publish or fail a job it no longer holds (its lease expired and another
/// worker claimed the job): nothing was written.
public struct LeaseLost: Error, Sendable, Equatable {
    public var jobId: Int64
    public var worker: String
    public init(jobId: Int64, worker: String) {
        self.jobId = jobId
        self.worker = worker
    }
}

/// Opens the store a `--db` / `LASTMILE_DB` value names: `postgres://user[:password]@host[:port]/db`
/// (also `postgresql://`) or a file path (SQLite).
/// With `schema` (PostgreSQL only): the store's tables live in that schema of the database,
/// created if missing (one per region).
public func openStore(_ location: String, schema: String? = nil, maxConnections: Int = 8) async throws -> any Store {
    if PostgresStore.isURL(location) { return try await PostgresStore.open(url: location, schema: schema, maxConnections: maxConnections) }
    return try SQLiteStore(path: location)
}

// MARK: - Orders

/// An order ready to store: validated, with its canonical body and the instant its wave closes.
public struct IncomingOrder: Sendable {
    public var order: Order
    public var body: String
    /// When the order's wave closes; nil: the order book of its delivery day is already closed.
    public var cutoffAt: Int?
    /// Why the day is closed (shown to the sender), when `cutoffAt` is nil.
    public var closedReason: String?
    /// Position in the batch (for the JSON pointer of an error).
    public var index: Int

    public init(order: Order, body: String, cutoffAt: Int?, closedReason: String?, index: Int) {
        self.order = order
        self.body = body
        self.cutoffAt = cutoffAt
        self.closedReason = closedReason
        self.index = index
    }
}

public struct IngestIssue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A different order is already stored under this id.
        case conflict
        /// The order book of the order's delivery day is closed.
        case closed
    }
    public var kind: Kind
    public var index: Int
    public var orderId: String
    public var detail: String
}

public struct IngestResult: Sendable, Equatable {
    /// Orders stored by this call.
    public var created = 0
    /// Orders already stored with exactly this body (no-op).
    public var unchanged = 0
    /// Order lines stored by this call.
    public var linesCreated = 0
    /// Non-empty: nothing of the batch was stored.
    public var issues: [IngestIssue] = []
}

extension IngestResult {
    /// A batch sorted against the bodies already stored under its ids (`stored`): exact repeats are
    /// counted, a different body under a known id or an order for a closed day is an issue, and the
    /// rest are the new orders to insert with their cut-offs. A later copy of an id in the same
    /// batch is a repeat or a conflict of the first. Both stores insert `new` only if there is no
    /// issue (a batch is stored whole or not at all).
    static func sort(_ batch: [IncomingOrder], stored: [String: String]) -> (result: IngestResult, new: [(item: IncomingOrder, cutoffAt: Int)]) {
        var result = IngestResult()
        var known = stored
        var new: [(item: IncomingOrder, cutoffAt: Int)] = []
        for item in batch {
            let o = item.order
            if let body = known[o.orderId] {
                if body == item.body {
                    result.unchanged += 1
                } else {
                    result.issues.append(IngestIssue(
                        kind: .conflict, index: item.index, orderId: o.orderId,
                        detail: "order \"\(o.orderId)\" is already stored with a different body; an order id cannot be reused"))
                }
                continue
            }
            guard let cutoff = item.cutoffAt else {
                result.issues.append(IngestIssue(kind: .closed, index: item.index, orderId: o.orderId,
                                                 detail: item.closedReason ?? "the order book of \(o.deliveryDate) is closed"))
                continue
            }
            known[o.orderId] = item.body
            new.append((item, cutoff))
            result.created += 1
            result.linesCreated += o.lines.count
        }
        if !result.issues.isEmpty { return (IngestResult(issues: result.issues), []) }
        return (result, new)
    }
}

public enum CancelOutcome: Sendable, Equatable {
    case cancelled(OrderRecord)
    case alreadyCancelled(OrderRecord)
    /// The order's wave closed at this instant; it is planned and can no longer be cancelled.
    case frozen(OrderRecord)
    case notFound
}

public enum GroupCancelOutcome: Sendable, Equatable {
    case cancelled(orderIds: [String])
    case notFound
    /// These orders are on routes already dispatched: order id → route id.
    case dispatched([String: String])
}

/// A plan version ready to publish: written with its routes, stops and lists in one transaction.
public struct PlanWrite: Codable, Sendable {
    public var totals: Totals
    public var routes: [RouteRecord]
    public var stops: [StopRecord]
    public var lists: [ListRecord]

    public init(totals: Totals, routes: [RouteRecord], stops: [StopRecord], lists: [ListRecord]) {
        self.totals = totals
        self.routes = routes
        self.stops = stops
        self.lists = lists
    }
}

public enum DispatchOutcome: Sendable, Equatable {
    case dispatched(RouteRecord)
    case alreadyDispatched(RouteRecord)
    /// Only the current version of a day is dispatched from.
    case superseded(currentPlanId: Int64)
    case notFound
}

public enum EditOutcome: Sendable, Equatable {
    case published(PlanVersionRecord)
    /// The edit was made on a version that is no longer the day's current one.
    case superseded(currentPlanId: Int64)
    case notFound
}

