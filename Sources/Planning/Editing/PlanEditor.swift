import Foundation
import RoadNetwork
import Routing

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
        let plan = assemble(ctx: ctx, base: base, routes: routes, routed: resolved.routed, note: note)
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
    static func assemble(ctx: Context, base: PlanEditBase, routes: [PlannedRoute], routed: [Bool], note: String?) -> Plan {
        let index = base.index
        func isRouted(_ n: Int?) -> Bool { n.map { routed[$0] } ?? false }
        var unassigned = zip(base.plan.unassigned, index.unassignedOrderNumbers).filter { !isRouted($1) }.map(\.0)
        let why = note.map { "left out by hand (\($0))" } ?? "left out by hand"
        for (r, route) in base.plan.routes.enumerated() {
            for (s, stop) in route.stops.enumerated() {
                for (id, n) in zip(stop.orderIds, index.routeStopOrderNumbers[r][s]) where !isRouted(n) {
                    unassigned.append(UnassignedOrder(orderId: id, pickupPointId: stop.pickupPointId, reason: why))
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
