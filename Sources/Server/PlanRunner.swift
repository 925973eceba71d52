import Foundation
import Logging
import NIOConcurrencyHelpers
import Planning
import ServiceLifecycle
import Store

/// Wall-clock seconds since the epoch; tests move it by hand.
public protocol WallClock: Sendable {
    func now() -> Int
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Int { Int(Date().timeIntervalSince1970) }
}

/// What a plan is made from: the scenario (with the latest cut-off as its `cutoff`), travel
/// times and the solver options (whatever `PlanOptions()` defaults to, unless configured).
public struct PlanningSetup: Sendable {
    public var scenario: Scenario
    public var travel: TravelTimes
    public var options: PlanOptions
    /// Where planning runs: nil in this process; else a child process of this executable
    /// (`lastmile plan-job`, `PlanChild`), so that a crash while planning fails the job instead
    /// of taking the daemon down.
    public var child: PlanChild.Launch?

    public init(scenario: Scenario, travel: TravelTimes, options: PlanOptions, child: PlanChild.Launch? = nil) {
        self.scenario = scenario
        self.travel = travel
        self.options = options
        self.child = child
    }
}

/// Runs plan jobs one at a time, oldest first. A job is claimed (committed: running, this worker,
/// a lease) before it plans, and the lease is renewed while it plans; the plan version, its
/// routes, stops and lists and the job's `done` are one transaction, written only if this worker
/// still holds the job. A job whose worker died is claimed again when its lease passes (at once
/// by the same worker when it restarts), at most `PlanJobPolicy.maxAttempts` times in all; then
/// it is failed with its reason (`GET /v1/plan-jobs/{id}`). Several workers on one PostgreSQL
/// database share the queue this way; each also looks for jobs every `pollInterval`.
public final class PlanRunner: Service, Sendable {
    let store: any Store
    public let workerId: String
    let leaseSeconds: Int
    let pollInterval: Duration
    /// Shared with the other regions' runners of this process, if any.
    let slots: PlanningSlots?
    public let setup: PlanningSetup
    let clock: any WallClock
    let logger: Logger
    let metrics: ServerMetrics
    let departedCountsAsDispatched: Bool
    public let events: EventHub
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(store: any Store, setup: PlanningSetup, clock: any WallClock, logger: Logger, metrics: ServerMetrics,
                departedCountsAsDispatched: Bool, events: EventHub = EventHub(), workerId: String = ServerConfig.defaultWorkerId(),
                leaseSeconds: Int = 30, pollInterval: Duration = .seconds(1), slots: PlanningSlots? = nil) {
        self.slots = slots
        self.events = events
        self.workerId = workerId
        self.leaseSeconds = leaseSeconds
        self.pollInterval = pollInterval
        self.store = store
        self.setup = setup
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.departedCountsAsDispatched = departedCountsAsDispatched
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Something was queued.
    public func wake() { wakeContinuation.yield() }

    public func run() async throws {
        let requeued = try await store.requeueInterrupted(worker: workerId, now: clock.now())
        if requeued > 0 { logger.notice("re-queued plan jobs interrupted by a stop", metadata: ["jobs": "\(requeued)"]) }
        wake()
        // Jobs queued by other workers (or whose worker died) wake no one here: look regularly.
        let poll = pollInterval
        let poller = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                self?.wake()
            }
        }
        defer { poller.cancel() }
        try await withGracefulShutdownHandler {
            for await _ in wakeStream.cancelOnGracefulShutdown() {
                // A plan in progress is abandoned at shutdown: its job stays running and runs again.
                try await cancelWhenGracefulShutdown { try await self.drain() }
            }
        } onGracefulShutdown: {
            self.wakeContinuation.finish()
            // Streams still open end here (the HTTP server, which stops first, ends its own).
            self.events.finishAll()
        }
    }

    /// Runs every queued job (also used directly by tests).
    public func drain() async throws {
        while !Task.isCancelled {
            // A slot first, then the claim: a worker with no free slot leaves the job to others.
            try await slots?.acquire()
            guard let job = try await claimOrRelease() else { return }
            defer { slots?.release() }
            metrics.jobsClaimed.increment()
            let start = ContinuousClock.now
            await execute(job)
            let busy = ContinuousClock.now - start
            metrics.planBusySeconds.increment(by: Double(busy.components.seconds) + Double(busy.components.attoseconds) / 1e18)
        }
    }

    private func claimOrRelease() async throws -> PlanJobRecord? {
        do {
            if let job = try await store.claimNextJob(worker: workerId, now: clock.now(), leaseSeconds: leaseSeconds) { return job }
        } catch {
            slots?.release()
            throw error
        }
        slots?.release()
        return nil
    }

    func execute(_ job: PlanJobRecord) async {
        let id = job.id!
        var log = logger
        log[metadataKey: "job"] = "\(id)"
        log[metadataKey: "delivery_date"] = "\(job.deliveryDate)"
        log.info("planning", metadata: ["trigger": "\(job.trigger)", "attempt": "\(job.attempts)", "worker": "\(workerId)"])
        let start = ContinuousClock.now
        events.publish("job", JobEvent(jobId: id, deliveryDate: job.deliveryDate, trigger: job.trigger, state: "running"))
        do {
            let write = try await underLease(job) { try await self.prepare(job) }
            let version = try await store.publish(jobId: id, worker: workerId, deliveryDate: job.deliveryDate, plan: write, now: clock.now())
            events.publish("plan", PlanEvent(planId: version.id!, deliveryDate: version.deliveryDate, version: version.version,
                                             trigger: version.trigger, note: version.note))
            events.publish("job", JobEvent(jobId: id, deliveryDate: job.deliveryDate, trigger: job.trigger, state: "done", planId: version.id))
            metrics.plansPublished.increment()
            metrics.planSeconds.record(ContinuousClock.now - start)
            log.notice("plan published", metadata: [
                "plan": "\(version.id!)", "version": "\(version.version)", "orders": "\(version.orders)",
                "planned": "\(version.ordersPlanned)", "unassigned": "\(version.ordersUnassigned)",
                "seconds": "\((ContinuousClock.now - start).components.seconds)"])
        } catch let lost as LeaseLost {
            // Another worker claimed the job after this one's lease passed (this worker stalled):
            // it plans and publishes; nothing of this attempt was written.
            metrics.leasesLost.increment()
            log.warning("lease lost: another worker took the job; this attempt is dropped", metadata: ["worker": "\(lost.worker)"])
        } catch where error is CancellationError || Task.isCancelled {
            log.notice("planning interrupted by shutdown; the job runs again at the next start")
        } catch {
            let reason = (error as? LastmileError)?.detail ?? "\(error)"
            metrics.plansFailed.increment()
            log.error("plan job failed", metadata: ["reason": "\(reason)"])
            _ = try? await store.failJob(id: id, worker: workerId, reason: reason, now: clock.now())
            events.publish("job", JobEvent(jobId: id, deliveryDate: job.deliveryDate, trigger: job.trigger, state: "failed", reason: reason))
        }
    }

    /// Runs `work` while renewing the job's lease every third of its length; throws `LeaseLost`
    /// (and cancels `work`) as soon as a renewal finds the job taken by another worker.
    func underLease<T: Sendable>(_ job: PlanJobRecord, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let id = job.id!
        let renewEvery = Duration.milliseconds(max(1, leaseSeconds) * 1000 / 3)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                while true {
                    try await Task.sleep(for: renewEvery)
                    let held = try await self.store.renewLease(jobId: id, worker: self.workerId, until: self.clock.now() + self.leaseSeconds)
                    if !held { throw LeaseLost(jobId: id, worker: self.workerId) }
                }
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }

    /// Loads the job's orders, kept routes and vans out of service, plans on a thread of its own
    /// (planning is long and synchronous; it must not hold a thread of the shared pool), renders
    /// every document.
    func prepare(_ job: PlanJobRecord) async throws -> PlanWrite {
        guard let date = CalendarDate.parse(job.deliveryDate) else { throw GeneralError(.internal, "job date \(job.deliveryDate)") }
        let now = clock.now()
        var keptRecords = try await store.lockedRoutes(deliveryDate: job.deliveryDate, now: now,
                                                       departedCountsAsDispatched: departedCountsAsDispatched)
        let keepIds = Set(job.keepRouteIds.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [])
        let locked = Set(keptRecords.map(\.routeId))
        keptRecords += try await store.currentRoutes(deliveryDate: job.deliveryDate, ids: keepIds).filter { !locked.contains($0.routeId) }
        let decoder = JSONDecoder()
        let kept = try keptRecords.map { try decoder.decode(PlannedRoute.self, from: Data($0.routeJson.utf8)) }
        let keptIds = Set(kept.flatMap { $0.stops.flatMap(\.orderIds) })
        let orders = try await store.planningOrders(deliveryDate: job.deliveryDate, scopeCutoffAt: job.scopeCutoffAt, alsoIds: keptIds)
        guard !orders.isEmpty else { throw GeneralError(.planning, "no orders to plan for \(job.deliveryDate)") }
        let outages = Set(try await store.outages(deliveryDate: job.deliveryDate).map(\.vehicleId))
        if let child = setup.child {
            return try await child.plan(PlanChild.Input(
                scenarioFile: child.scenarioFile, scenario: setup.scenario, deliveryDate: job.deliveryDate, orders: orders,
                kept: keptRecords, dispatched: locked.sorted(), outages: outages.sorted(), seed: setup.options.seed,
                routingIterations: setup.options.routingIterations ?? 0, routingTimeLimit: setup.options.routingTimeLimit))
        }
        let setup = self.setup
        let keep = keptRecords
        return try await onOwnThread {
            try Self.compute(setup: setup, date: date, orders: orders, keptRecords: keep, outages: outages, dispatched: locked)
        }
    }

    /// The plan of a day and every document, as the store writes them (pure; runs in the daemon
    /// or in a planning child process).
    static func compute(setup: PlanningSetup, date: CalendarDate, orders: [Order], keptRecords: [RouteRecord],
                        outages: Set<String>, dispatched: Set<String>) throws -> PlanWrite {
        let decoder = JSONDecoder()
        let kept = try keptRecords.map { try decoder.decode(PlannedRoute.self, from: Data($0.routeJson.utf8)) }
        var planOptions = setup.options
        planOptions.locked = kept
        planOptions.unavailableVehicles = outages
        let keptFrom = Dictionary(uniqueKeysWithValues: keptRecords.map { ($0.routeId, $0) })
        let book = OrderBook(deliveryDate: date, orders: orders)
        let plan = try DailyPlanner.plan(scenario: setup.scenario, orders: book, travel: setup.travel, options: planOptions)
        return try planWrite(plan, book: book, setup: setup, keptFrom: keptFrom, dispatched: dispatched)
    }

    /// The plan with every document rendered, as rows to publish. Routes kept from an earlier
    /// version keep the version they were first planned in; the `dispatched` ones their dispatch
    /// time (a departed route counts from its departure).
    static func planWrite(_ plan: Plan, book: OrderBook, setup: PlanningSetup, keptFrom: [String: RouteRecord],
                          dispatched: Set<String>) throws -> PlanWrite {
        let orders = book.orders
        let files = try PlanDocuments.render(plan: plan, scenario: setup.scenario, orders: book, paths: setup.travel.provider.path)
            + JSONLists.render(plan: plan, scenario: setup.scenario, orders: orders)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var routes: [RouteRecord] = []
        var stops: [StopRecord] = []
        for r in plan.routes {
            let prev = keptFrom[r.routeId]
            routes.append(RouteRecord(
                planId: 0, routeId: r.routeId, warehouseId: r.warehouseId, vehicleId: r.vehicleId, trip: r.trip,
                departure: r.departure, departureAt: Timestamp.parse(r.departure)?.epochSeconds ?? 0, returnTime: r.returnTime,
                stops: r.stops.count, crates: r.load.crates, grams: r.load.grams, distanceM: r.distanceM, cost: r.cost,
                routeJson: String(decoding: try encoder.encode(r), as: UTF8.self),
                keptFromPlan: prev.map { $0.keptFromPlan ?? $0.planId },
                dispatchedAt: dispatched.contains(r.routeId) ? prev.map { $0.dispatchedAt ?? $0.departureAt } : nil))
            for s in r.stops {
                stops.append(StopRecord(
                    planId: 0, routeId: r.routeId, sequence: s.sequence, pickupPointId: s.pickupPointId, arrival: s.arrival,
                    orders: s.orderIds.count, crates: s.load.crates, grams: s.load.grams,
                    orderIds: String(decoding: try encoder.encode(s.orderIds), as: UTF8.self)))
            }
        }
        let lists = files.map { ListRecord(planId: 0, path: $0.path, contentType: JSONLists.contentType($0.path), body: $0.contents) }
        return PlanWrite(totals: plan.totals, routes: routes, stops: stops, lists: lists)
    }
}

/// Where the result of `onOwnThread` meets its awaiting continuation, whichever comes first.
struct OneShot<T: Sendable>: Sendable {
    var continuation: CheckedContinuation<T, Error>?
    var result: Result<T, Error>?
    var done = false
}

/// Runs `work` on a new thread and awaits it. On cancellation the await ends at once with
/// `CancellationError` (the thread finishes on its own; its result is dropped).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    let state = NIOLockedValueBox(OneShot<T>())
    /// The first result wins; it is delivered as soon as the continuation exists.
    @Sendable func finish(_ r: Result<T, Error>) {
        let c: CheckedContinuation<T, Error>? = state.withLockedValue { s in
            guard !s.done else { return nil }
            s.done = true
            if let c = s.continuation { return c }
            s.result = r
            return nil
        }
        c?.resume(with: r)
    }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            let early: Result<T, Error>? = state.withLockedValue { s in
                if let r = s.result { return r }
                s.continuation = c
                return nil
            }
            if let early { c.resume(with: early); return }
            let t = Thread { finish(Result { try work() }) }
            t.stackSize = 8 << 20
            t.start()
        }
    } onCancel: {
        finish(.failure(CancellationError()))
    }
}
