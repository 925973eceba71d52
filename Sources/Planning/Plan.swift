/// The daily plan as a value: what plan.json holds (snake_case), and everything the other
/// documents and the terminal summary are made from (with the scenario and the orders).
/// Money in cents, distances in metres, durations in seconds, times ISO 8601 with offset; every
/// field with a unit names it (`cost_cents`, `distance_m`, `duration_s`).
public struct Plan: Codable, Sendable, Equatable {
    /// 2: money fields renamed with `_cents`.
    public static let currentFormat = "lastmile-plan/2"
    public var format = Plan.currentFormat
    public var scenario: String
    public var city: String
    public var deliveryDate: CalendarDate
    public var timeZone: String
    /// What the travel times are based on, and why.
    public var travelTimes: String
    public var solver: String
    public var seed: UInt64
    public var currency = "CNY"
    public var totals: Totals
    public var warehouses: [WarehouseSummary]
    public var allocation: AllocationSummary
    /// Which warehouse serves each pickup point with orders (nil: none could).
    public var assignments: [PointAssignment]
    /// One entry per trip of a vehicle.
    public var routes: [PlannedRoute]
    public var unassigned: [UnassignedOrder]

    enum CodingKeys: String, CodingKey {
        case format, scenario, city, solver, seed, currency, totals, warehouses, allocation, assignments, routes, unassigned
        case deliveryDate = "delivery_date"
        case timeZone = "time_zone"
        case travelTimes = "travel_times"
    }
}

public struct LoadFigures: Codable, Sendable, Equatable {
    public var crates: Int
    public var ambient: Int
    public var chilled: Int
    public var frozen: Int
    public var kg: Double
    public var grams: Int

    public init(_ l: Load) {
        crates = l.crates
        ambient = l.crates(.ambient)
        chilled = l.crates(.chilled)
        frozen = l.crates(.frozen)
        grams = l.grams
        kg = Double(l.grams) / 1000
    }
}

public struct PlannedStop: Codable, Sendable, Equatable {
    public var sequence: Int
    public var pickupPointId: String
    public var arrival: String
    public var serviceStart: String
    public var departure: String
    public var window: TimeWindow
    public var orderIds: [String]
    public var load: LoadFigures
    /// Travel from the previous stop (or the warehouse).
    public var legDistanceM: Int
    public var legDurationS: Int
    /// With crate returns (`Scenario.hasCrateReturns`): empties collected here, and what the
    /// van carries when it leaves (deliveries still ahead, empties collected so far).
    public var returnedCrates: Int?
    public var onBoardAfter: OnBoard?

    enum CodingKeys: String, CodingKey {
        case sequence, arrival, departure, window, load
        case returnedCrates = "returned_crates"
        case onBoardAfter = "on_board_after"
        case pickupPointId = "pickup_point_id"
        case serviceStart = "service_start"
        case orderIds = "order_ids"
        case legDistanceM = "leg_distance_m"
        case legDurationS = "leg_duration_s"
    }
    enum CountKey: String, CodingKey { case orderCount = "order_count" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(pickupPointId, forKey: .pickupPointId)
        try c.encode(arrival, forKey: .arrival)
        try c.encode(serviceStart, forKey: .serviceStart)
        try c.encode(departure, forKey: .departure)
        try c.encode(window, forKey: .window)
        if encoder.userInfo[.stopOrderCountsOnly] as? Bool == true {
            var n = encoder.container(keyedBy: CountKey.self)
            try n.encode(orderIds.count, forKey: .orderCount)
        } else {
            try c.encode(orderIds, forKey: .orderIds)
        }
        try c.encode(load, forKey: .load)
        try c.encode(legDistanceM, forKey: .legDistanceM)
        try c.encode(legDurationS, forKey: .legDurationS)
        try c.encodeIfPresent(returnedCrates, forKey: .returnedCrates)
        try c.encodeIfPresent(onBoardAfter, forKey: .onBoardAfter)
    }
}

extension CodingUserInfoKey {
    /// True: a stop is written with its `order_count` instead of its `order_ids` (a short answer
    /// for a client that keeps the ids itself, such as the console's evaluate calls).
    public static let stopOrderCountsOnly = CodingUserInfoKey(rawValue: "lastmile.stop-order-counts-only")!
}

public struct PlannedRoute: Codable, Sendable, Equatable {
    public var routeId: String
    public var warehouseId: String
    public var vehicleId: String
    public var vehicleTypeId: String
    /// 1, 2, … for the trips of one vehicle.
    public var trip: Int
    public var departure: String
    public var returnTime: String
    public var stops: [PlannedStop]
    public var load: LoadFigures
    public var distanceM: Int
    /// Departure to return of this trip.
    public var durationS: Int
    /// Cents: distance and time of the trip, the reload before it, and the vehicle's day cost
    /// on its first trip.
    public var cost: Int
    /// Empty crates the trip brings back (with crate returns).
    public var returnedCrates: Int?

    enum CodingKeys: String, CodingKey {
        case trip, departure, stops, load
        case returnedCrates = "returned_crates"
        case cost = "cost_cents"
        case routeId = "route_id"
        case warehouseId = "warehouse_id"
        case vehicleId = "vehicle_id"
        case vehicleTypeId = "vehicle_type_id"
        case returnTime = "return"
        case distanceM = "distance_m"
        case durationS = "duration_s"
    }
}

public struct UnassignedOrder: Codable, Sendable, Equatable {
    public var orderId: String
    public var pickupPointId: String
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case reason
        case orderId = "order_id"
        case pickupPointId = "pickup_point_id"
    }
}

public struct PointAssignment: Codable, Sendable, Equatable {
    public var pickupPointId: String
    public var warehouseId: String?
    public var previousWarehouseId: String?
    /// Estimated delivery cost (cents) used by the allocation.
    public var estimatedCost: Int?

    enum CodingKeys: String, CodingKey {
        case pickupPointId = "pickup_point_id"
        case warehouseId = "warehouse_id"
        case previousWarehouseId = "previous_warehouse_id"
        case estimatedCost = "estimated_cost_cents"
    }
}

/// Per-warehouse figures of the terminal summary.
public struct WarehouseSummary: Codable, Sendable, Equatable {
    public var warehouseId: String
    public var pickupPoints: Int
    public var orders: Int
    public var crates: Int
    public var kg: Double
    public var sortingCapacityCrates: Int
    /// crates / sorting capacity, in per cent (one decimal).
    public var utilisationPercent: Double
    public var vehicles: Int
    public var trips: Int
    public var stops: Int
    public var onTimeStops: Int
    public var distanceM: Int
    public var durationS: Int
    /// Vans only (cents).
    public var cost: Int
    public var fixedCost: Int
    /// Empty crates the warehouse gets back from its vans (with crate returns).
    public var returnedCrates: Int?
    public var unassignedOrders: Int

    enum CodingKeys: String, CodingKey {
        case orders, crates, kg, vehicles, trips, stops
        case cost = "cost_cents"
        case warehouseId = "warehouse_id"
        case pickupPoints = "pickup_points"
        case sortingCapacityCrates = "sorting_capacity_crates"
        case utilisationPercent = "utilisation_percent"
        case onTimeStops = "on_time_stops"
        case distanceM = "distance_m"
        case durationS = "duration_s"
        case fixedCost = "fixed_cost_cents"
        case returnedCrates = "returned_crates"
        case unassignedOrders = "unassigned_orders"
    }
}

public struct Totals: Codable, Sendable, Equatable {
    public var orders: Int
    public var ordersPlanned: Int
    public var ordersUnassigned: Int
    public var pickupPoints: Int
    public var vehicles: Int
    public var trips: Int
    public var stops: Int
    public var onTimeStops: Int
    public var crates: Int
    public var kg: Double
    public var distanceM: Int
    public var durationS: Int
    /// Vans (cents).
    public var cost: Int
    /// Warehouses' day cost (cents).
    public var fixedCost: Int
    /// (vans + warehouses) / planned orders, cents.
    public var costPerOrder: Int
    /// Empty crates the vans bring back (with crate returns).
    public var returnedCrates: Int?

    enum CodingKeys: String, CodingKey {
        case orders, vehicles, trips, stops, crates, kg
        case cost = "cost_cents"
        case ordersPlanned = "orders_planned"
        case ordersUnassigned = "orders_unassigned"
        case pickupPoints = "pickup_points"
        case onTimeStops = "on_time_stops"
        case distanceM = "distance_m"
        case durationS = "duration_s"
        case fixedCost = "fixed_cost_cents"
        case costPerOrder = "cost_per_order_cents"
        case returnedCrates = "returned_crates"
    }
}

/// How the pickup point → warehouse assignment came out.
public struct AllocationSummary: Codable, Sendable, Equatable {
    /// "optimal", or "feasible (time limit)" when GLPK was stopped early.
    public var status: String
    /// Sum of the pairs' estimated delivery costs (cents), stability penalties excluded.
    public var estimatedCost: Int
    /// Points served by another warehouse than yesterday's.
    public var pointsMoved: Int
    /// Points without a warehouse yesterday.
    public var pointsNew: Int

    enum CodingKeys: String, CodingKey {
        case status
        case estimatedCost = "estimated_cost_cents"
        case pointsMoved = "points_moved"
        case pointsNew = "points_new"
    }
}

/// The `format` field alone, to say which format a stored plan.json was written in.
public struct PlanFormat: Decodable, Sendable {
    public var format: String
}
