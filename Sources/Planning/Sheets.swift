/// What the warehouse and pickup-point sheets say, computed once from the plan and rendered by
/// `PlanDocuments` (CSV, text) and `PrintPages` (HTML), so that the formats cannot disagree.

/// One SKU of a warehouse's batch pick list: `fullCrates` whole crates plus `looseUnits` units.
public struct PickLine: Sendable, Equatable {
    public var sku: SKU
    public var units: Int
    public var fullCrates: Int { units / sku.unitsPerCrate }
    public var looseUnits: Int { units % sku.unitsPerCrate }
    public var grams: Int { units * sku.weightGrams }
}

/// Sums over pick lines. `sortCrates` are the crates the sort fills for the stops (the plan's
/// crates): fewer or more than the full crates picked, since the sort re-packs per drop.
public struct PickTotals: Sendable, Equatable {
    public var units = 0, fullCrates = 0, looseUnits = 0, grams = 0, sortCrates = 0
}

/// The batch pick list of one warehouse: every unit its trips deliver, per SKU.
public struct PickList: Sendable {
    /// By temperature class, then SKU id.
    public var lines: [PickLine]
    /// Crates per class over the warehouse's stops, as the plan counts them.
    public var sortCrates: [TemperatureClass: Int]

    init(routes: [PlannedRoute], orders: [String: Order], skus: [String: SKU]) {
        var units: [String: Int] = [:]
        var crates: [TemperatureClass: Int] = [:]
        for r in routes {
            for s in r.stops {
                for id in s.orderIds { for l in orders[id]!.lines { units[l.sku, default: 0] += l.qty } }
                for t in TemperatureClass.allCases { crates[t, default: 0] += s.load.crates(t) }
            }
        }
        lines = units.map { PickLine(sku: skus[$0.key]!, units: $0.value) }
            .sorted { ($0.sku.temperature, $0.sku.id) < ($1.sku.temperature, $1.sku.id) }
        sortCrates = crates
    }

    public func lines(_ t: TemperatureClass) -> [PickLine] { lines.filter { $0.sku.temperature == t } }

    /// Totals of one class, or of all classes when `t` is nil.
    public func totals(_ t: TemperatureClass?) -> PickTotals {
        var sum = PickTotals()
        for l in lines where t == nil || l.sku.temperature == t {
            sum.units += l.units
            sum.fullCrates += l.fullCrates
            sum.looseUnits += l.looseUnits
            sum.grams += l.grams
        }
        sum.sortCrates = t.map { sortCrates[$0] ?? 0 } ?? sortCrates.values.reduce(0, +)
        return sum
    }
}

/// Who collects what at one pickup point.
public struct HandoverSheet: Sendable {
    /// One delivery to the point: the trip and its stop there.
    public struct Visit: Sendable {
        public var route: PlannedRoute
        public var stop: PlannedStop
    }

    public var point: PickupPoint
    public var visits: [Visit]
    /// Sorted by customer, then order id: the leader calls customers one by one.
    public var orders: [Order]

    /// One sheet per pickup point that the plan delivers to, in scenario order.
    static func all(plan: Plan, scenario: Scenario, orders: [String: Order]) -> [HandoverSheet] {
        var visits: [String: [Visit]] = [:]
        for r in plan.routes { for s in r.stops { visits[s.pickupPointId, default: []].append(Visit(route: r, stop: s)) } }
        return scenario.pickupPoints.compactMap { p in
            guard let vs = visits[p.id] else { return nil }
            let os = vs.flatMap { $0.stop.orderIds.map { orders[$0]! } }
                .sorted { ($0.customerId, $0.orderId) < ($1.customerId, $1.orderId) }
            return HandoverSheet(point: p, visits: vs, orders: os)
        }
    }
}

/// Each vehicle's trips, vehicles in order of their first trip in the plan.
func tripsByVehicle(_ plan: Plan) -> [(vehicle: String, trips: [PlannedRoute])] {
    var order: [String] = []
    var trips: [String: [PlannedRoute]] = [:]
    for r in plan.routes {
        if trips[r.vehicleId] == nil { order.append(r.vehicleId) }
        trips[r.vehicleId, default: []].append(r)
    }
    return order.map { ($0, trips[$0]!) }
}

extension PlannedRoute {
    /// The order crates go onto the van: last drop first (LIFO), so each drop is at the door.
    public var loadOrder: [PlannedStop] { stops.reversed() }
}

extension LoadFigures {
    public func crates(_ t: TemperatureClass) -> Int {
        switch t {
        case .ambient: ambient
        case .chilled: chilled
        case .frozen: frozen
        }
    }
}

extension TemperatureClass {
    /// Bilingual label of the sheets, "冷藏 Chilled".
    public var label: String {
        switch self {
        case .ambient: "常温 Ambient"
        case .chilled: "冷藏 Chilled"
        case .frozen: "冷冻 Frozen"
        }
    }
}

/// "HH:MM" of an ISO 8601 local timestamp ("2025-09-16T06:05:00+08:00" → "06:05").
func clock(_ iso: String) -> String { String(iso.dropFirst(11).prefix(5)) }
