import Foundation
import RoadNetwork
import Routing

/// What an edit of a plan is evaluated against: the plan as published, its orders, the travel
/// matrix of the scenario (warehouses, then pickup points: `PlanEditor.travelMatrix`), the
/// routes already dispatched and the vans out of service that day.
public struct PlanEditBase: Sendable {
    public var scenario: Scenario
    public var plan: Plan
    /// Every order the plan names (on routes or unassigned), by id.
    public var orders: [String: Order]
    public var matrix: TravelMatrix
    /// Pickup point → its orders in the plan (on routes, then unassigned), in plan order.
    let ordersByPoint: [String: [String]]
    let orderIdsInPlan: Set<String>
    public var dispatchedRouteIds: Set<String>
    public var vehiclesOutOfService: Set<String>

    public init(scenario: Scenario, plan: Plan, orders: [Order], matrix: TravelMatrix,
                dispatchedRouteIds: Set<String> = [], vehiclesOutOfService: Set<String> = []) {
        self.init(scenario: scenario, plan: plan, ordersById: Self.byId(orders), matrix: matrix,
                  dispatchedRouteIds: dispatchedRouteIds, vehiclesOutOfService: vehiclesOutOfService)
    }

    /// With the orders already by id (a daemon keeps them so per plan version).
    public init(scenario: Scenario, plan: Plan, ordersById: [String: Order], matrix: TravelMatrix,
                dispatchedRouteIds: Set<String> = [], vehiclesOutOfService: Set<String> = []) {
        self.scenario = scenario
        self.plan = plan
        self.orders = ordersById
        var byPoint: [String: [String]] = [:]
        for r in plan.routes { for s in r.stops { byPoint[s.pickupPointId, default: []] += s.orderIds } }
        for u in plan.unassigned { byPoint[u.pickupPointId, default: []].append(u.orderId) }
        ordersByPoint = byPoint
        orderIdsInPlan = Set(byPoint.values.joined())
        self.matrix = matrix
        self.dispatchedRouteIds = dispatchedRouteIds
        self.vehiclesOutOfService = vehiclesOutOfService
    }
}

extension PlanEditBase {
    public static func byId(_ orders: [Order]) -> [String: Order] {
        Dictionary(orders.map { ($0.orderId, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// Evaluates a dispatcher's edited routes: the same timing, loads and costs as the planner, and
/// every rule the edit breaks in words. Pure and fast (no solver): O(stops) after the lookups.
public enum PlanEditor {
    /// The travel matrix an edit is timed with: the scenario's warehouses then its pickup points,
    /// exactly as `DailyPlanner.plan` builds it.
    public static func travelMatrix(scenario: Scenario, travel: TravelTimes) throws -> TravelMatrix {
        let ctx = try context(scenario: scenario, date: CalendarDate(year: 2000, month: 1, day: 1)!)
        return try ctx.travelMatrix(travel).matrix
    }

    static func context(scenario: Scenario, date: CalendarDate) throws -> Context {
        guard let tz = TimeZone(identifier: scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(scenario.timeZone)\"")
        }
        let clock = DayClock(date: date, timeZone: tz)
        let fleet = try Fleet.build(scenario: scenario, clock: clock, book: OrderBook(deliveryDate: date, orders: []),
                                    options: PlanOptions(solver: GreedySolver()))
        return Context(scenario: scenario, clock: clock, fleet: fleet)
    }

    /// The plan the edited routes make. Throws `EditRequestError` when the edit names what does not
    /// exist or lists an order twice; everything else is a violation in the result.
    public static func evaluate(_ edits: [RouteEdit], base: PlanEditBase, note: String? = nil) throws -> EditedPlan {
        let ctx = try context(scenario: base.scenario, date: base.plan.deliveryDate)
        let resolved = try EditResolver(base: base).resolve(edits)
        var violations: [EditViolation] = []
        var routes: [PlannedRoute] = []
        var sources: [String?] = []
        let baseRoutes = Dictionary(base.plan.routes.map { ($0.routeId, $0) }, uniquingKeysWith: { a, _ in a })
        for van in resolved.vans {
            let wh = base.scenario.warehouses[van.warehouse]
            let type = wh.vehicleTypes[van.type]
            if base.vehiclesOutOfService.contains(van.vehicleId) {
                violations.append(EditViolation(.vehicle, "\(van.vehicleId) is out of service on \(base.plan.deliveryDate)",
                                                vehicleId: van.vehicleId))
            }
            let kept = van.kept.compactMap { baseRoutes[$0] }
            let schedule = VanSchedule(ctx: ctx, matrix: base.matrix, warehouse: van.warehouse, type: type, vehicleId: van.vehicleId)
            for r in kept {
                routes.append(r)
                sources.append(r.routeId)
            }
            for (trip, source) in zip(schedule.schedule(kept: kept, trips: van.trips.map(\.stops)), van.trips.map(\.source)) {
                routes.append(trip.route)
                sources.append(source)
                violations += trip.violations
            }
        }
        violations += resolved.dispatchViolations
        violations += sortingViolations(routes, scenario: base.scenario)
        let plan = assemble(ctx: ctx, base: base, routes: routes, routedOrders: resolved.routedOrders, note: note)
        return EditedPlan(plan: plan, sourceRouteIds: sources, violations: violations)
    }

    static func sortingViolations(_ routes: [PlannedRoute], scenario: Scenario) -> [EditViolation] {
        scenario.warehouses.compactMap { wh in
            let crates = routes.filter { $0.warehouseId == wh.id }.reduce(0) { $0 + $1.load.crates }
            guard crates > wh.sortingCapacityCrates else { return nil }
            return EditViolation(.sorting, "\(wh.id) would sort \(crates) crates; its sorting capacity is \(wh.sortingCapacityCrates)",
                                 warehouseId: wh.id)
        }
    }

    /// The edited routes as a whole plan: orders on no route are unassigned (keeping the reason
    /// they had, or "left out by hand"), each point's warehouse follows its routes, totals anew.
    static func assemble(ctx: Context, base: PlanEditBase, routes: [PlannedRoute], routedOrders: Set<String>, note: String?) -> Plan {
        var unassigned = base.plan.unassigned.filter { !routedOrders.contains($0.orderId) }
        let why = note.map { "left out by hand (\($0))" } ?? "left out by hand"
        for r in base.plan.routes {
            for s in r.stops {
                for id in s.orderIds where !routedOrders.contains(id) {
                    unassigned.append(UnassignedOrder(orderId: id, pickupPointId: s.pickupPointId, reason: why))
                }
            }
        }
        unassigned.sort { $0.orderId < $1.orderId }
        var warehouseOf: [String: String] = [:]
        for r in routes { for s in r.stops where warehouseOf[s.pickupPointId] == nil { warehouseOf[s.pickupPointId] = r.warehouseId } }
        var assignments = base.plan.assignments
        for i in assignments.indices {
            let a = assignments[i]
            if let w = warehouseOf[a.pickupPointId] {
                if w != a.warehouseId { assignments[i].estimatedCost = nil }
                assignments[i].warehouseId = w
            } else if !unassigned.isEmpty, unassigned.contains(where: { $0.pickupPointId == a.pickupPointId }) {
                assignments[i].warehouseId = nil
                assignments[i].estimatedCost = nil
            }
        }
        var plan = ctx.assemble(routes: routes, assignments: assignments, allocation: base.plan.allocation,
                                unassigned: unassigned, demands: [], orders: base.plan.totals.orders, travel: base.plan.travelTimes,
                                options: PlanOptions(seed: base.plan.seed, solver: GreedySolver(), solverName: base.plan.solver))
        plan.totals.pickupPoints = base.plan.totals.pickupPoints
        plan.solver = base.plan.solver.hasSuffix("; edited by hand") ? base.plan.solver : base.plan.solver + "; edited by hand"
        return plan
    }
}
