import Planning

/// The additive figures of a simulated day (or of a horizon: the sum of its days). Integers in
/// cents, metres and seconds; ratios are derived, never stored, so sums stay exact.
public struct KPIFigures: Sendable, Equatable {
    /// Orders in the day's order book (completed before the cut-off, or rolled over from the day before).
    public var orders = 0
    public var ordersPlanned = 0
    public var ordersUnassigned = 0
    /// Orders of the book that completed after the previous day's cut-off.
    public var ordersRolledOver = 0
    /// Orders placed in group deals that failed to complete (never in any book).
    public var failedGroupOrders = 0
    /// Vans: day cost of every van used, distance cost, and the rest of their cost (time:
    /// first departure to last return, waiting and reloading, and per-trip rounding).
    public var vanDayCost = 0
    public var vanDistanceCost = 0
    public var vanTimeCost = 0
    /// Day cost of every warehouse of the variant (rent, floor staff), used or not.
    public var warehouseCost = 0
    public var distanceM = 0
    /// Per van used: first departure to last return.
    public var vanSeconds = 0
    public var vansUsed = 0
    public var trips = 0
    public var stops = 0
    public var onTimeStops = 0
    public var crates = 0
    public var sortingCapacityCrates = 0
    /// Pickup points served by another warehouse than the day before.
    public var pointsMoved = 0

    public init() {}

    public var vanCost: Int { vanDayCost + vanDistanceCost + vanTimeCost }
    /// Vans and warehouses, cents.
    public var cost: Int { vanCost + warehouseCost }
    /// Cents per planned order (exact ratio); nil without planned orders.
    public var costPerOrder: Double? { ordersPlanned > 0 ? Double(cost) / Double(ordersPlanned) : nil }
    public var onTimeShare: Double? { stops > 0 ? Double(onTimeStops) / Double(stops) : nil }
    public var utilisation: Double? { sortingCapacityCrates > 0 ? Double(crates) / Double(sortingCapacityCrates) : nil }

    public static func + (a: KPIFigures, b: KPIFigures) -> KPIFigures {
        var s = KPIFigures()
        s.orders = a.orders + b.orders
        s.ordersPlanned = a.ordersPlanned + b.ordersPlanned
        s.ordersUnassigned = a.ordersUnassigned + b.ordersUnassigned
        s.ordersRolledOver = a.ordersRolledOver + b.ordersRolledOver
        s.failedGroupOrders = a.failedGroupOrders + b.failedGroupOrders
        s.vanDayCost = a.vanDayCost + b.vanDayCost
        s.vanDistanceCost = a.vanDistanceCost + b.vanDistanceCost
        s.vanTimeCost = a.vanTimeCost + b.vanTimeCost
        s.warehouseCost = a.warehouseCost + b.warehouseCost
        s.distanceM = a.distanceM + b.distanceM
        s.vanSeconds = a.vanSeconds + b.vanSeconds
        s.vansUsed = a.vansUsed + b.vansUsed
        s.trips = a.trips + b.trips
        s.stops = a.stops + b.stops
        s.onTimeStops = a.onTimeStops + b.onTimeStops
        s.crates = a.crates + b.crates
        s.sortingCapacityCrates = a.sortingCapacityCrates + b.sortingCapacityCrates
        s.pointsMoved = a.pointsMoved + b.pointsMoved
        return s
    }
}

/// One warehouse on one day (or summed over the horizon).
public struct WarehouseFigures: Sendable, Equatable {
    public var warehouseId: String
    public var orders = 0
    public var crates = 0
    public var sortingCapacityCrates = 0
    public var vansUsed = 0
    public var trips = 0
    public var distanceM = 0
    /// Vans of this warehouse, cents.
    public var vanCost = 0
    public var fixedCost = 0
    /// Highest daily crates ÷ capacity (a day's own figure; over a horizon, its peak day).
    public var peakUtilisation: Double?

    public init(warehouseId: String) { self.warehouseId = warehouseId }

    public var utilisation: Double? { sortingCapacityCrates > 0 ? Double(crates) / Double(sortingCapacityCrates) : nil }

    public static func + (a: WarehouseFigures, b: WarehouseFigures) -> WarehouseFigures {
        precondition(a.warehouseId == b.warehouseId)
        var s = WarehouseFigures(warehouseId: a.warehouseId)
        s.orders = a.orders + b.orders
        s.crates = a.crates + b.crates
        s.sortingCapacityCrates = a.sortingCapacityCrates + b.sortingCapacityCrates
        s.vansUsed = a.vansUsed + b.vansUsed
        s.trips = a.trips + b.trips
        s.distanceM = a.distanceM + b.distanceM
        s.vanCost = a.vanCost + b.vanCost
        s.fixedCost = a.fixedCost + b.fixedCost
        s.peakUtilisation = [a.peakUtilisation, b.peakUtilisation].compactMap { $0 }.max()
        return s
    }
}

/// The KPIs of one variant on one day.
public struct DayKPIs: Sendable, Equatable {
    public var variant: String
    /// 1-based day of the horizon.
    public var day: Int
    public var date: CalendarDate
    public var figures: KPIFigures
    public var warehouses: [WarehouseFigures]

    /// The day's figures from its plan. `rolledOver` and `failedGroupOrders` come from the
    /// demand; everything else from the plan value alone.
    public init(variant: String, day: Int, plan: Plan, scenario: Scenario, rolledOver: Int, failedGroupOrders: Int) {
        self.variant = variant
        self.day = day
        date = plan.deliveryDate
        let types = Dictionary(uniqueKeysWithValues: scenario.warehouses.flatMap(\.vehicleTypes).map { ($0.id, $0) })
        var f = KPIFigures()
        f.orders = plan.totals.orders
        f.ordersPlanned = plan.totals.ordersPlanned
        f.ordersUnassigned = plan.totals.ordersUnassigned
        f.ordersRolledOver = rolledOver
        f.failedGroupOrders = failedGroupOrders
        f.warehouseCost = plan.totals.fixedCost
        f.distanceM = plan.totals.distanceM
        f.vansUsed = plan.totals.vehicles
        f.trips = plan.totals.trips
        f.stops = plan.totals.stops
        f.onTimeStops = plan.totals.onTimeStops
        f.crates = plan.totals.crates
        f.sortingCapacityCrates = plan.warehouses.reduce(0) { $0 + $1.sortingCapacityCrates }
        f.pointsMoved = plan.allocation.pointsMoved

        // Per vehicle: day cost once, and first departure to last return.
        var span: [String: (from: Int, to: Int, type: String)] = [:]
        var distanceCostMilli = 0
        for r in plan.routes {
            let from = Timestamp.parse(r.departure)!.epochSeconds, to = Timestamp.parse(r.returnTime)!.epochSeconds
            let s = span[r.vehicleId] ?? (from, to, r.vehicleTypeId)
            span[r.vehicleId] = (min(s.from, from), max(s.to, to), s.type)
            distanceCostMilli += r.distanceM * types[r.vehicleTypeId]!.costPerKmCents
        }
        f.vanSeconds = span.values.reduce(0) { $0 + $1.to - $1.from }
        f.vanDayCost = span.values.reduce(0) { $0 + types[$1.type]!.costPerDayCents }
        f.vanDistanceCost = (distanceCostMilli + 500) / 1000
        f.vanTimeCost = plan.totals.cost - f.vanDayCost - f.vanDistanceCost
        figures = f

        warehouses = plan.warehouses.map { w in
            var x = WarehouseFigures(warehouseId: w.warehouseId)
            x.orders = w.orders
            x.crates = w.crates
            x.sortingCapacityCrates = w.sortingCapacityCrates
            x.vansUsed = w.vehicles
            x.trips = w.trips
            x.distanceM = w.distanceM
            x.vanCost = w.cost
            x.fixedCost = w.fixedCost
            x.peakUtilisation = x.utilisation
            return x
        }
    }

    public init(variant: String, day: Int, date: CalendarDate, figures: KPIFigures, warehouses: [WarehouseFigures]) {
        self.variant = variant
        self.day = day
        self.date = date
        self.figures = figures
        self.warehouses = warehouses
    }
}

/// One variant over the horizon.
public struct VariantResult: Sendable, Equatable {
    public var world: VariantWorld
    public var days: [DayKPIs]

    public var name: String { world.name }
    /// The sum of the days.
    public var totals: KPIFigures { days.reduce(KPIFigures()) { $0 + $1.figures } }

    /// Per warehouse of the variant, the sum of its days (scenario order).
    public var warehouseTotals: [WarehouseFigures] {
        world.scenario.warehouses.map { wh in
            days.compactMap { $0.warehouses.first { $0.warehouseId == wh.id } }
                .reduce(WarehouseFigures(warehouseId: wh.id), +)
        }
    }
}

/// A whole run: every variant over the same days, with the same demand draws.
public struct SimulationResult: Sendable, Equatable {
    public var scenario: String
    public var city: String
    public var startDate: CalendarDate
    public var days: Int
    public var seed: UInt64
    public var solver: String
    public var travelTimes: String
    public var variants: [VariantResult]

    /// Lowest cost per planned order over the horizon (ties: the earlier variant).
    public var best: VariantResult? {
        variants.filter { $0.totals.costPerOrder != nil }
            .min { $0.totals.costPerOrder! < $1.totals.costPerOrder! }
    }
}
