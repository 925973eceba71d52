/// What changed from one plan version to another: routes that appeared, went or changed, the
/// pickup points that moved between routes or in and out of the plan, and the money and km.
public struct PlanDiff: Codable, Sendable, Equatable {
    public struct Move: Codable, Sendable, Equatable {
        public var pickupPointId: String
        public var fromRouteId: String?
        public var toRouteId: String?
        enum CodingKeys: String, CodingKey {
            case pickupPointId = "pickup_point_id", fromRouteId = "from_route_id", toRouteId = "to_route_id"
        }
    }

    public var costDeltaCents: Int
    public var distanceDeltaM: Int
    public var durationDeltaS: Int
    public var vehiclesDelta: Int
    public var tripsDelta: Int
    public var ordersPlannedDelta: Int
    public var routesAdded: [String]
    public var routesRemoved: [String]
    /// Same route id, other van, stops, order of stops or orders.
    public var routesChanged: [String]
    public var stopsMoved: [Move]
    public var pointsNowUnassigned: [String]
    public var pointsNowAssigned: [String]

    enum CodingKeys: String, CodingKey {
        case costDeltaCents = "cost_delta_cents", distanceDeltaM = "distance_delta_m", durationDeltaS = "duration_delta_s"
        case vehiclesDelta = "vehicles_delta", tripsDelta = "trips_delta", ordersPlannedDelta = "orders_planned_delta"
        case routesAdded = "routes_added", routesRemoved = "routes_removed", routesChanged = "routes_changed"
        case stopsMoved = "stops_moved", pointsNowUnassigned = "points_now_unassigned", pointsNowAssigned = "points_now_assigned"
    }

    /// `plan` compared with `base`. O(stops).
    public init(from base: Plan, to plan: Plan) {
        let old = Dictionary(base.routes.map { ($0.routeId, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(plan.routes.map { ($0.routeId, $0) }, uniquingKeysWith: { a, _ in a })
        routesAdded = plan.routes.map(\.routeId).filter { old[$0] == nil }
        routesRemoved = base.routes.map(\.routeId).filter { new[$0] == nil }
        routesChanged = plan.routes.compactMap { r in
            guard let o = old[r.routeId] else { return nil }
            let same = o.vehicleId == r.vehicleId && o.stops.map { [$0.pickupPointId] + $0.orderIds } == r.stops.map { [$0.pickupPointId] + $0.orderIds }
            return same ? nil : r.routeId
        }
        func routesOf(_ p: Plan) -> [String: [String]] {
            var m: [String: [String]] = [:]
            for r in p.routes { for s in r.stops where m[s.pickupPointId]?.contains(r.routeId) != true { m[s.pickupPointId, default: []].append(r.routeId) } }
            return m
        }
        let before = routesOf(base), after = routesOf(plan)
        var moves: [Move] = []
        for point in Set(before.keys).union(after.keys).sorted() {
            let a = before[point] ?? [], b = after[point] ?? []
            guard a != b else { continue }
            moves.append(Move(pickupPointId: point, fromRouteId: a.first, toRouteId: b.first))
        }
        stopsMoved = moves.filter { $0.fromRouteId != nil && $0.toRouteId != nil }
        pointsNowUnassigned = moves.filter { $0.toRouteId == nil }.map(\.pickupPointId)
        pointsNowAssigned = moves.filter { $0.fromRouteId == nil }.map(\.pickupPointId)
        costDeltaCents = plan.totals.cost - base.totals.cost
        distanceDeltaM = plan.totals.distanceM - base.totals.distanceM
        durationDeltaS = plan.totals.durationS - base.totals.durationS
        vehiclesDelta = plan.totals.vehicles - base.totals.vehicles
        tripsDelta = plan.totals.trips - base.totals.trips
        ordersPlannedDelta = plan.totals.ordersPlanned - base.totals.ordersPlanned
    }
}
