import Foundation
import Planning
import Routing

public struct SimulationOptions: Sendable {
    public var days: Int
    /// Seeds the demand (the routing seed is in `plan`).
    public var seed: UInt64
    /// The same options as `lastmile plan`: solver, routing and allocation time limits.
    public var plan: PlanOptions
    /// Variants simulated at once (each variant's days run in sequence: today's allocation
    /// starts from yesterday's).
    public var parallelism: Int

    public init(days: Int, seed: UInt64 = 1, plan: PlanOptions = PlanOptions(),
                parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.days = days
        self.seed = seed
        self.plan = plan
        self.parallelism = max(1, parallelism)
    }
}

/// A variant's day has been planned.
public struct ProgressEvent: Sendable {
    public var variant: String
    public var day: Int
    public var date: CalendarDate
}

/// Runs the daily pipeline of `lastmile plan` day after day for each variant, on demand drawn
/// from the scenario's demand model.
///
/// Day d of a variant: the orders of cohort d completed before the cut-off on the day before,
/// plus those of cohort d-1 completed after the previous cut-off (they roll over), are planned
/// by `DailyPlanner.plan` with every pickup point's `previous_warehouse_id` set to the warehouse
/// that served it the day before, so the allocation's stability penalty acts across days.
/// Deterministic for a seed, unless a time limit cuts a solve short.
public enum Simulator {
    public static func run(setup: SimulationSetup, variants: [Variant], options: SimulationOptions,
                           travel: @escaping @Sendable (Scenario) throws -> TravelTimes,
                           progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async throws -> SimulationResult {
        let worlds = try variants.map { v throws(InputError) in try v.apply(to: setup.scenario) }
        var rng = RNG(seed: options.seed)
        let demand = try DemandGenerator(model: setup.demand, scenario: setup.scenario, start: setup.startDate, rng: &rng)
        let note = try travel(setup.scenario).note

        var results = [VariantResult?](repeating: nil, count: worlds.count)
        try await withThrowingTaskGroup(of: (Int, VariantResult).self) { group in
            var next = 0
            func launch() {
                let i = next
                next += 1
                let world = worlds[i]
                group.addTask {
                    (i, try simulate(world, demand: demand, options: options, travel: try travel(world.scenario), progress: progress))
                }
            }
            while next < min(options.parallelism, worlds.count) { launch() }
            while let (i, r) = try await group.next() {
                results[i] = r
                if next < worlds.count { launch() }
            }
        }
        return SimulationResult(
            scenario: setup.scenario.name, city: setup.scenario.city, startDate: setup.startDate, days: options.days,
            seed: options.seed, solver: options.plan.solverName, travelTimes: note, variants: results.map { $0! })
    }

    /// The order book of each day of a variant: cohort d's orders completed by the cut-off on
    /// the day before, after the orders of cohort d-1 that completed later (they roll over,
    /// delivery date moved to day d).
    public static func orderBooks(_ world: VariantWorld, demand: DemandGenerator, days: Int) throws -> [DayOrders] {
        guard let tz = TimeZone(identifier: world.scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(world.scenario.timeZone)\"")
        }
        func split(_ c: Cohort) -> (onTime: [Order], late: [Order]) {
            let cutoff = DayClock(date: demand.start.adding(days: c.day - 1), timeZone: tz).epochSeconds(at: world.scenario.cutoff.seconds)
            var onTime: [Order] = [], late: [Order] = []
            for o in c.orders {
                if o.completedAt.epochSeconds <= cutoff { onTime.append(o) } else { late.append(o) }
            }
            return (onTime, late)
        }
        var carried = split(demand.cohort(day: -1, factors: world.demandFactors)).late
        var out: [DayOrders] = []
        for d in 0..<days {
            let date = demand.start.adding(days: d)
            let cohort = demand.cohort(day: d, factors: world.demandFactors)
            let (onTime, late) = split(cohort)
            let rolled = carried.map { o -> Order in
                var o = o
                o.deliveryDate = date
                return o
            }
            out.append(DayOrders(book: OrderBook(deliveryDate: date, orders: rolled + onTime), rolledOver: rolled.count,
                                 failedGroupOrders: cohort.failedOrders, lateAfter: late.count))
            carried = late
        }
        return out
    }

    /// One variant, day after day.
    public static func simulate(_ world: VariantWorld, demand: DemandGenerator, options: SimulationOptions, travel: TravelTimes,
                                progress: (ProgressEvent) -> Void = { _ in }) throws -> VariantResult {
        var scenario = world.scenario
        var days: [DayKPIs] = []
        for (d, day) in try orderBooks(world, demand: demand, days: options.days).enumerated() {
            let date = day.book.deliveryDate
            if day.book.orders.isEmpty {
                days.append(idleDay(world.name, day: d + 1, date: date, scenario: scenario, failed: day.failedGroupOrders))
            } else {
                let plan = try DailyPlanner.plan(scenario: scenario, orders: day.book, travel: travel, options: options.plan)
                days.append(DayKPIs(variant: world.name, day: d + 1, plan: plan, scenario: scenario, rolledOver: day.rolledOver,
                                    failedGroupOrders: day.failedGroupOrders))
                scenario = carryAssignments(of: plan, into: scenario)
            }
            progress(ProgressEvent(variant: world.name, day: d + 1, date: date))
        }
        return VariantResult(world: world, days: days)
    }

    /// Tomorrow starts from today: each pickup point that was served prefers today's warehouse and
    /// will hand back the crates delivered today (`CrateReturns`); the others keep what they had.
    public static func carryAssignments(of plan: Plan, into scenario: Scenario) -> Scenario {
        var s = scenario
        let index = Dictionary(uniqueKeysWithValues: s.pickupPoints.enumerated().map { ($1.id, $0) })
        for a in plan.assignments {
            if let w = a.warehouseId, let p = index[a.pickupPointId] { s.pickupPoints[p].previousWarehouseId = w }
        }
        guard s.crateReturns != nil else { return s }
        var delivered: [String: Int] = [:]
        for r in plan.routes { for stop in r.stops { delivered[stop.pickupPointId, default: 0] += stop.load.crates } }
        for (id, crates) in delivered {
            if let p = index[id] { s.pickupPoints[p].previousDeliveryCrates = min(crates, InputLimits.previousDeliveryCrates.upperBound) }
        }
        return s
    }

    /// A day without orders: the warehouses still cost their day.
    static func idleDay(_ variant: String, day: Int, date: CalendarDate, scenario: Scenario, failed: Int) -> DayKPIs {
        var f = KPIFigures()
        f.failedGroupOrders = failed
        f.warehouseCost = scenario.warehouses.reduce(0) { $0 + $1.fixedCostCents }
        f.sortingCapacityCrates = scenario.warehouses.reduce(0) { $0 + $1.sortingCapacityCrates }
        let ws = scenario.warehouses.map { w in
            var x = WarehouseFigures(warehouseId: w.id)
            x.sortingCapacityCrates = w.sortingCapacityCrates
            x.fixedCost = w.fixedCostCents
            x.peakUtilisation = x.utilisation
            return x
        }
        return DayKPIs(variant: variant, day: day, date: date, figures: f, warehouses: ws)
    }
}

/// The orders a variant plans on one day.
public struct DayOrders: Sendable {
    public var book: OrderBook
    /// Orders of the book completed after the previous day's cut-off.
    public var rolledOver: Int
    /// Orders of the day's cohort lost in failed group deals.
    public var failedGroupOrders: Int
    /// Orders of the day's cohort completed after its cut-off (in tomorrow's book).
    public var lateAfter: Int
}
