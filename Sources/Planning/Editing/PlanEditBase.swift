import Foundation
import RoadNetwork

/// What an edit of a plan is evaluated against: the plan as published, its orders, the travel
/// matrix of the scenario (warehouses, then pickup points: `PlanEditor.travelMatrix`), the
/// routes already dispatched and the vans out of service that day.
public struct PlanEditBase: Sendable {
    public let scenario: Scenario
    public let plan: Plan
    public let matrix: TravelMatrix
    public var dispatchedRouteIds: Set<String>
    public var vehiclesOutOfService: Set<String>
    /// Lookups built once per plan version, so that an evaluation costs O(stops + listed order
    /// ids) and does not hash every order of the day again.
    let index: PlanEditIndex

    public init(scenario: Scenario, plan: Plan, orders: [Order], matrix: TravelMatrix,
                dispatchedRouteIds: Set<String> = [], vehiclesOutOfService: Set<String> = []) {
        self.init(scenario: scenario, plan: plan, ordersById: Self.byId(orders), matrix: matrix,
                  dispatchedRouteIds: dispatchedRouteIds, vehiclesOutOfService: vehiclesOutOfService)
    }

    /// With the orders already by id (a daemon reads them once per plan version).
    public init(scenario: Scenario, plan: Plan, ordersById: [String: Order], matrix: TravelMatrix,
                dispatchedRouteIds: Set<String> = [], vehiclesOutOfService: Set<String> = []) {
        self.scenario = scenario
        self.plan = plan
        self.matrix = matrix
        self.dispatchedRouteIds = dispatchedRouteIds
        self.vehiclesOutOfService = vehiclesOutOfService
        index = PlanEditIndex(scenario: scenario, plan: plan, ordersById: ordersById)
    }

    /// Every order the plan names (on routes or unassigned) that the store still has.
    public var planOrders: [Order] { index.orders }

    public static func byId(_ orders: [Order]) -> [String: Order] {
        Dictionary(orders.map { ($0.orderId, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// The plan's orders numbered 0..<n (on routes in plan order, then unassigned), and per pickup
/// point the orders it has in the plan with their load, as a stop that takes all of them needs.
struct PlanEditIndex: Sendable {
    let pointIndex: [String: Int]
    let skus: [String: SKU]
    /// Every order the plan names and the store still has.
    let orders: [Order]
    let orderNumber: [String: Int]
    /// Index into `scenario.pickupPoints` of each order's point.
    let orderPoint: [Int]
    /// Per pickup point: its orders' numbers in plan order, the orders, and their load.
    let pointOrderNumbers: [[Int]]
    let pointOrders: [[Order]]
    let pointLoads: [Load]
    /// Per pickup point: the empty crates it hands back (`Scenario.emptyCrates`).
    let pointEmpties: [Int]
    /// Per base route and stop, and per unassigned order, the order numbers (nil: not in the store).
    let routeStopOrderNumbers: [[[Int?]]]
    let unassignedOrderNumbers: [Int?]

    init(scenario: Scenario, plan: Plan, ordersById: [String: Order]) {
        let pointIndex = Dictionary(scenario.pickupPoints.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.pointIndex = pointIndex
        skus = Dictionary(scenario.skus.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var orders: [Order] = []
        var number: [String: Int] = [:]
        var point: [Int] = []
        var byPoint = [[Int]](repeating: [], count: scenario.pickupPoints.count)
        func add(_ id: String) -> Int? {
            if let n = number[id] { return n }
            guard let o = ordersById[id], let p = pointIndex[o.pickupPointId] else { return nil }
            number[id] = orders.count
            orders.append(o)
            point.append(p)
            byPoint[p].append(orders.count - 1)
            return orders.count - 1
        }
        let stopNumbers = plan.routes.map { r in r.stops.map { s in s.orderIds.map(add) } }
        routeStopOrderNumbers = stopNumbers
        unassignedOrderNumbers = plan.unassigned.map { add($0.orderId) }
        let all = orders
        self.orders = all
        orderNumber = number
        orderPoint = point
        pointOrderNumbers = byPoint
        pointOrders = byPoint.map { $0.map { all[$0] } }
        let skus = self.skus
        pointLoads = pointOrders.map { Aggregation.load(of: $0, skus: skus) }
        pointEmpties = zip(scenario.pickupPoints, pointLoads).map { scenario.emptyCrates(at: $0, deliveredToday: $1.crates) }
    }

    /// A drop of point `p` with the orders numbered `numbers`; all of the point's orders in plan
    /// order (the common case) come ready-made.
    func drop(point p: Int, numbers: [Int]) -> Drop {
        let empties = pointEmpties[p]
        if numbers == pointOrderNumbers[p] { return Drop(point: p, orders: pointOrders[p], load: pointLoads[p], empties: empties) }
        let orders = numbers.map { self.orders[$0] }
        let load = Aggregation.load(of: orders, skus: skus)
        // Part of the point's orders: the proportional share of its empties.
        let share = emptyCrateShares(empties, over: [load.crates, pointLoads[p].crates - load.crates])[0]
        return Drop(point: p, orders: orders, load: load, empties: share)
    }
}
