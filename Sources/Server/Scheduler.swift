import Foundation
import Logging
import NIOConcurrencyHelpers
import Planning
import ServiceLifecycle
import Store

/// Plans each delivery day at its cut-offs: when a wave's cut-off passes and orders arrived in
/// that wave, it queues a cut-off job (unique per day and cut-off, so looking twice or
/// restarting never plans a cut-off twice). At start it also catches up on cut-offs that passed
/// while the daemon was down, for delivery days from today on.
public final class Scheduler: Service, Sendable {
    let store: any Store
    let calendar: CutoffCalendar
    let runner: PlanRunner
    let clock: any WallClock
    let logger: Logger
    let interval: Duration
    /// Cut-off keys already queued (or found to have no orders after they passed).
    private let handled = NIOLockedValueBox(Set<String>())

    public init(store: any Store, calendar: CutoffCalendar, runner: PlanRunner, clock: any WallClock, logger: Logger,
                interval: Duration = .milliseconds(500)) {
        self.store = store
        self.calendar = calendar
        self.runner = runner
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        // Catch up: every (day, cut-off) of stored orders, whatever the configuration said then.
        let today = calendar.localDate(clock.now()).description
        for (date, at) in try await store.openCutoffs(fromDate: today) where at <= clock.now() {
            try await queue(date: date, cutoffAt: at)
        }
        while !Task.isCancelledOrShuttingDown {
            try await tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Queues the jobs of cut-offs passed by now (tests call it directly).
    public func tick() async throws {
        let now = clock.now()
        let today = calendar.localDate(now)
        for d in 0...2 {
            let date = today.adding(days: d)
            for at in calendar.instants(deliveryDate: date) where at <= now {
                try await queue(date: date.description, cutoffAt: at)
            }
        }
    }

    func queue(date: String, cutoffAt: Int) async throws {
        let key = "\(date)@\(calendar.iso(cutoffAt))"
        guard !handled.withLockedValue({ $0.contains(key) }) else { return }
        // Orders cannot join a wave after its cut-off, so an empty passed cut-off stays empty.
        guard try await store.hasOrders(deliveryDate: date, cutoffAt: cutoffAt) else {
            handled.withLockedValue { _ = $0.insert(key) }
            return
        }
        let (job, created) = try await store.enqueue(PlanJobRecord(
            deliveryDate: date, trigger: "cutoff", cutoffKey: key, scopeCutoffAt: cutoffAt,
            note: "cut-off \(calendar.iso(cutoffAt))", createdAt: clock.now()))
        handled.withLockedValue { _ = $0.insert(key) }
        if created {
            logger.notice("cut-off: plan job queued", metadata: ["job": "\(job.id!)", "delivery_date": "\(date)", "cutoff": "\(calendar.iso(cutoffAt))"])
            runner.wake()
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
