import Allocation
import Foundation
import RoadNetwork
import Routing
import Synchronization

public struct PlanOptions: Sendable {
    public var seed: UInt64
    /// Routes each warehouse's vans; the pipeline never picks a solver itself.
    public var solver: any RoutingSolver
    public var solverName: String
    /// Per warehouse, seconds: a cap on top of the iteration budget (nil: none). A cap that binds
    /// makes the plan depend on machine speed; the iteration budget alone keeps it reproducible.
    public var routingTimeLimit: Double?
    /// Per warehouse, solver iterations (nil: the solver's default).
    public var routingIterations: Int?
    public var allocationTimeLimit: Double
    /// Re-planning: routes kept exactly as they are (already dispatched). Their orders are not
    /// planned again, their pickup points stay with their warehouse, and their vans only make
    /// further trips after them (trip count, shift and reload still respected).
    public var locked: [PlannedRoute]
    /// Vans out of service (vehicle ids such as "VAN-M-3"): no new route uses them.
    public var unavailableVehicles: Set<String>
    /// Handed each warehouse's routing problem before it is solved (`lastmile plan --export-problems`).
    public var exportProblems: (@Sendable ([WarehouseProblem]) -> Void)?

    public init(seed: UInt64 = 1, solver: any RoutingSolver = MetaheuristicSolver(),
                solverName: String = "iterated local search",
                routingTimeLimit: Double? = nil, routingIterations: Int? = PlanOptions.defaultRoutingIterations,
                allocationTimeLimit: Double = 30,
                locked: [PlannedRoute] = [], unavailableVehicles: Set<String> = []) {
        self.seed = seed
        self.solver = solver
        self.solverName = solverName
        self.routingTimeLimit = routingTimeLimit
        self.routingIterations = routingIterations
        self.allocationTimeLimit = allocationTimeLimit
        self.locked = locked
        self.unavailableVehicles = unavailableVehicles
    }
}

extension PlanOptions {
    /// Enough for a warehouse's day (about 50 pickup points) to settle; measured with
    /// `lastmile plan --iterations`.
    public static let defaultRoutingIterations = 2_000

    /// The greedy construction: fast, modest routes (tests of the pipeline's plumbing).
    public static func greedy(seed: UInt64 = 1) -> PlanOptions {
        PlanOptions(seed: seed, solver: GreedySolver(), solverName: "greedy (cheapest insertion + relocate)",
                    routingIterations: nil)
    }

    /// The default solver (`MetaheuristicSolver`, iterated local search) with `iterations` per
    /// warehouse; 0: the greedy construction alone.
    public static func routing(seed: UInt64 = 1, iterations: Int = defaultRoutingIterations) -> PlanOptions {
        iterations == 0 ? greedy(seed: seed) : PlanOptions(seed: seed, routingIterations: iterations)
    }
}

/// The daily pipeline: validated scenario and orders in, a plan value out. Pure (no files, no
/// clock in the result) and deterministic for a seed: orders → pickup-point demand → pickup
/// point → warehouse assignment (GLPK MIP) → routes per warehouse → plan.
public enum DailyPlanner {
    /// Internal cost unit: 1/3,600,000 cent, so that cents per km (per metre: ×3,600) and
    /// cents per hour (per second: ×1,000) are both whole numbers in the routing objective.
    public static let costScale = 3_600_000
    /// Stand-in for a pair the provider cannot connect (seconds and metres): far beyond any shift.
    static let unreachable = 10_000_000

    public static func plan(scenario: Scenario, orders book: OrderBook, travel: TravelTimes,
                            options: PlanOptions = PlanOptions()) throws -> Plan {
        guard let tz = TimeZone(identifier: scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(scenario.timeZone)\"")
        }
        guard book.orders.count <= InputLimits.ordersPerDay else {
            throw GeneralError(.input, "\(book.deliveryDate) has \(book.orders.count) orders, more than the limit of \(InputLimits.ordersPerDay) for one delivery day")
        }
        let clock = DayClock(date: book.deliveryDate, timeZone: tz)
        let ctx = Context(scenario: scenario, clock: clock,
                          fleet: try Fleet.build(scenario: scenario, clock: clock, book: book, options: options))

        // 1. Cut-off: orders completed after it belong to the next delivery day.
        let (accepted, late) = ordersBeforeCutoff(book, ctx: ctx, timeZone: tz)
        // 2. Aggregate.
        let demands = Aggregation.demand(of: accepted, scenario: scenario)
        // 3. Travel matrix over warehouses then pickup points.
        let (matrix, snaps) = try ctx.travelMatrix(travel)
        // 4. Drops per warehouse, and whether each warehouse can serve each point at all.
        let (drops, why, lost) = try ctx.serviceability(of: demands, matrix: matrix)
        // 5. Allocate.
        let assignment = try allocate(ctx: ctx, demands: demands, why: why, lost: lost, matrix: matrix,
                                      timeLimit: options.allocationTimeLimit)
        let (assignments, unallocated) = ctx.pointAssignments(demands, assignment, why: why, matrix: matrix)
        // 6. Route each warehouse.
        let problems = try warehouseProblems(ctx: ctx, demands: demands, drops: drops, assignment: assignment, matrix: matrix)
        options.exportProblems?(problems.map { ctx.named($0.warehouse, $0.drops, $0.data) })
        let routing = try routeWarehouses(ctx: ctx, problems: problems, options: options)

        let routes = ctx.fleet.merge(kept: options.locked, new: routing.routes, scenario: scenario)
        let unassigned = (late + unallocated + routing.unassigned).sorted { $0.orderId < $1.orderId }
        var plan = ctx.assemble(routes: routes, assignments: assignments, allocation: allocationSummary(assignment, assignments),
                                unassigned: unassigned, demands: demands, orders: book.orders.count,
                                travel: travel.note + Self.snapNote(snaps), options: options)
        plan.solver += routing.fallbacks.map { "; \($0)" }.joined()
        return plan
    }

    /// The orders of the book that are not kept on locked routes, split at the cut-off: those
    /// completed after it are reported as unassigned.
    static func ordersBeforeCutoff(_ book: OrderBook, ctx: Context, timeZone tz: TimeZone)
        -> (accepted: [Order], late: [UnassignedOrder]) {
        let cutoffClock = DayClock(date: book.deliveryDate.adding(days: -1), timeZone: tz)
        let cutoff = cutoffClock.epochSeconds(at: ctx.scenario.cutoff.seconds)
        var accepted: [Order] = [], late: [UnassignedOrder] = []
        for o in book.orders where !ctx.fleet.keptOrders.contains(o.orderId) {
            if o.completedAt.epochSeconds > cutoff {
                late.append(UnassignedOrder(
                    orderId: o.orderId, pickupPointId: o.pickupPointId,
                    reason: "completed at \(o.completedAt.text), after the \(ctx.scenario.cutoff) cut-off of \(cutoffClock.date); it belongs to the next delivery day"))
            } else {
                accepted.append(o)
            }
        }
        return (accepted, late)
    }

    /// Routes of every warehouse, the orders the solver left out, and the fallbacks it reported
    /// ("W-1: greedy construction: …"). The warehouses are independent, so they share the cores.
    /// The routing problem of every warehouse that has drops after the allocation.
    static func warehouseProblems(ctx: Context, demands: [PointDemand], drops: [[[Drop]]], assignment: Allocated,
                                  matrix: TravelMatrix) throws -> [(warehouse: Int, drops: [Drop], data: ProblemData)] {
        var problems: [(warehouse: Int, drops: [Drop], data: ProblemData)] = []
        for w in ctx.scenario.warehouses.indices {
            let mine = demands.indices.filter { assignment.result.facilityOf[$0] == w }.flatMap { drops[w][$0] }
            guard !mine.isEmpty else { continue }
            problems.append((w, mine, try ctx.problem(warehouse: w, drops: mine, matrix: matrix)))
        }
        return problems
    }

    static func routeWarehouses(ctx: Context, problems: [(warehouse: Int, drops: [Drop], data: ProblemData)],
                                options: PlanOptions) throws
        -> (routes: [PlannedRoute], unassigned: [UnassignedOrder], fallbacks: [String]) {
        let scenario = ctx.scenario
        let results = solveInParallel(problems.map(\.data), options: options)
        var routes: [PlannedRoute] = [], unassigned: [UnassignedOrder] = [], fallbacks: [String] = []
        for (k, (w, mine, data)) in problems.enumerated() {
            let result = results[k]
            let check = data.evaluate(result.solution)
            guard check.isFeasible else {
                throw GeneralError(.planning, "the routing solver returned an infeasible plan for \(scenario.warehouses[w].id): \(check.violations.prefix(3).joined(separator: "; "))")
            }
            if let reason = result.fallbackReason { fallbacks.append("\(scenario.warehouses[w].id): \(reason)") }
            for u in data.explainUnassigned(result.solution) {
                let drop = mine[u.client]
                let text = ctx.explain(u.reason, point: drop.point, warehouse: w)
                for o in drop.orders {
                    unassigned.append(UnassignedOrder(orderId: o.orderId, pickupPointId: scenario.pickupPoints[drop.point].id, reason: text))
                }
            }
            routes += ctx.plannedRoutes(warehouse: w, solution: result.solution, data: data, drops: mine)
        }
        return (routes, unassigned, fallbacks)
    }

    /// One solve per problem, concurrently, results in the order of `problems`.
    static func solveInParallel(_ problems: [ProblemData], options: PlanOptions) -> [SolveResult] {
        let parameters = SolveParameters(seed: options.seed, timeLimit: options.routingTimeLimit,
                                         maxIterations: options.routingIterations)
        let solved = Mutex([SolveResult?](repeating: nil, count: problems.count))
        let solver = options.solver
        DispatchQueue.concurrentPerform(iterations: problems.count) { k in
            let result = solver.solve(problems[k], parameters: parameters)
            solved.withLock { $0[k] = result }
        }
        return solved.withLock { $0 }.map { $0! }
    }

    static func allocationSummary(_ assignment: Allocated, _ assignments: [PointAssignment]) -> AllocationSummary {
        AllocationSummary(
            status: assignment.result.status == .optimal ? "optimal" : "feasible (time limit)",
            estimatedCost: assignments.reduce(0) { $0 + ($1.estimatedCost ?? 0) },
            pointsMoved: assignments.filter { a in a.warehouseId != nil && a.previousWarehouseId != nil && a.warehouseId != a.previousWarehouseId }.count,
            pointsNew: assignments.filter { $0.warehouseId != nil && $0.previousWarehouseId == nil }.count)
    }

    /// "; snapped to roads: median 8 m, max 212 m (PP-044)", or nothing when no point moved.
    static func snapNote(_ snaps: [SnapReport]) -> String {
        let sorted = snaps.sorted { $0.distance < $1.distance }
        guard let far = sorted.last, far.distance > 0 else { return "" }
        let median = sorted[sorted.count / 2].distance
        return "; snapped \(snaps.count) points to roads: median \(Int(median.rounded())) m, max \(Int(far.distance.rounded())) m (\(far.id))"
    }

    struct Allocated {
        var result: AssignmentResult
        var costs: [[Int?]]
    }

    /// Pickup point → warehouse by the GLPK model in Allocation. Cost of a pair:
    /// `Context.estimatedDeliveryCost` (the point's share of a van's round trip plus service
    /// time); a pair is allowed only when some van of the warehouse can serve the point alone.
    static func allocate(ctx: Context, demands: [PointDemand], why: [[UnassignedReason?]], lost: [[Int]], matrix: TravelMatrix,
                         timeLimit: Double) throws -> Allocated {
        let s = ctx.scenario
        var costs: [[Int?]] = []
        for (i, d) in demands.enumerated() {
            costs.append(s.warehouses.indices.map { w -> Int? in
                guard why[w][i] == nil else { return nil }
                if let pin = ctx.fleet.pinned[s.pickupPoints[d.point].id], pin != w { return nil }
                return ctx.estimatedDeliveryCost(crates: d.load.crates, point: d.point, warehouse: w, matrix: matrix)
                    .map { Int($0.rounded()) }
            })
        }
        // Fleet limits: a day's trips of all vans, in crates and grams; and for each vehicle class
        // below the largest, the crates of points only vans up to that class may reach.
        let restricted = VehicleClass.allCases.dropLast()
        // Leaving an order out must cost more than any assignment of all the others; so must an
        // order a warehouse could not carry (prefer a warehouse whose vans take it).
        // Saturating at 2^50 (far above any real day's cost): the model's sums over at most
        // `InputLimits.pickupPoints` points stay inside Int.
        let worst = 1 + costs.reduce(0) { $0 + ($1.compactMap { $0 }.max() ?? 0) + s.stabilityPenaltyCents }
        let penalized = costs.indices.map { i in costs[i].indices.map { w in costs[i][w].map { saturated($0, plus: worst, times: lost[w][i]) } } }
        let problem = AssignmentProblem(
            points: demands.enumerated().map { (i, d) in
                AssignmentProblem.Point(
                    demand: [d.load.crates, d.load.crates, d.load.grams]
                        + restricted.map { s.pickupPoints[d.point].maxVehicle <= $0 ? d.load.crates : 0 },
                    costs: penalized[i],
                    previous: s.pickupPoints[d.point].previousWarehouseId.flatMap { id in s.warehouses.firstIndex { $0.id == id } },
                    unassignedPenalty: saturated(0, plus: worst, times: d.orders.count))
            },
            capacities: s.warehouses.indices.map { w in
                let fleet = ctx.fleet.types[w].map { (f: $0, t: s.warehouses[w].vehicleTypes[$0.type]) }
                return [max(0, s.warehouses[w].sortingCapacityCrates - ctx.fleet.keptCrates[w]),
                        fleet.reduce(0) { $0 + $1.f.ids.count * $1.f.maxTrips * $1.t.capacityCrates },
                        fleet.reduce(0) { $0 + $1.f.ids.count * $1.f.maxTrips * $1.t.capacityKg * 1000 }]
                    + restricted.map { c in
                        fleet.filter { $0.t.vehicleClass <= c }.reduce(0) { $0 + $1.f.ids.count * $1.f.maxTrips * $1.t.capacityCrates }
                    }
            },
            changePenalty: s.stabilityPenaltyCents)
        do {
            return Allocated(result: try problem.solve(timeLimit: timeLimit), costs: costs)
        } catch {
            throw GeneralError(.planning, "allocation: \(error)")
        }
    }
}

/// a + b × k, or 2^50 when that is larger (cost coefficients of the allocation model).
func saturated(_ a: Int, plus b: Int, times k: Int) -> Int {
    let cap = 1 << 50
    let (p, o1) = b.multipliedReportingOverflow(by: k)
    let (sum, o2) = a.addingReportingOverflow(p)
    return o1 || o2 || sum > cap ? cap : sum
}

/// The orders one van drops at one pickup point.
struct Drop: Sendable {
    var point: Int
    var orders: [Order]
    var load: Load
    /// Empty crates the van collects here (`CrateReturns`).
    var empties = 0
}

/// Scenario-wide lookups and the adapters between the domain and the routing core.
struct Context {
    let scenario: Scenario
    let clock: DayClock
    let skus: [String: SKU]
    let fleet: Fleet

    init(scenario: Scenario, clock: DayClock, fleet: Fleet) {
        self.scenario = scenario
        self.clock = clock
        self.fleet = fleet
        skus = Dictionary(uniqueKeysWithValues: scenario.skus.map { ($0.id, $0) })
    }

    /// A warehouse's problem with the names of its points and vans, for `ProblemExport`.
    func named(_ w: Int, _ drops: [Drop], _ data: ProblemData) -> WarehouseProblem {
        let wh = scenario.warehouses[w]
        return WarehouseProblem(
            warehouseId: wh.id, data: data,
            points: drops.map { (scenario.pickupPoints[$0.point].id, scenario.pickupPoints[$0.point].maxVehicle) },
            vans: fleet.types[w].map { ($0.ids, wh.vehicleTypes[$0.type].vehicleClass) })
    }

    /// Time at the stop of `d`: its crates are handed over and its empties loaded.
    func serviceSeconds(_ d: Drop) -> Int {
        scenario.serviceTime(of: scenario.pickupPoints[d.point]).seconds(crates: d.load.crates + d.empties)
    }

    func loc(warehouse w: Int) -> Int { w }
    func loc(point p: Int) -> Int { scenario.warehouses.count + p }

    /// Routing vehicle types (`fleet.types[w]`) of warehouse `w`, with vans, that may reach point `p`.
    func allowed(point p: Int, warehouse w: Int) -> [Int] {
        let max = scenario.pickupPoints[p].maxVehicle
        return fleet.types[w].indices.filter {
            let f = fleet.types[w][$0]
            return !f.ids.isEmpty && scenario.warehouses[w].vehicleTypes[f.type].vehicleClass <= max
        }
    }

    func largestAllowed(point p: Int, warehouse w: Int) -> Int? {
        let types = fleet.types[w].map { scenario.warehouses[w].vehicleTypes[$0.type] }
        return allowed(point: p, warehouse: w).max { (types[$0].capacityCrates, -$0) < (types[$1].capacityCrates, -$1) }
    }

    func drops(of d: PointDemand, warehouse w: Int) throws -> [Drop] {
        let empties = scenario.emptyCrates(at: scenario.pickupPoints[d.point], deliveredToday: d.load.crates)
        var parts = try loadParts(of: d, warehouse: w)
        for (k, share) in emptyCrateShares(empties, over: parts.map(\.load.crates)).enumerated() { parts[k].empties = share }
        return parts
    }

    struct SplitKey: Hashable {
        var demand: Int
        var capacity: [Int]?
    }

    /// [crates, kg] of the largest van of `w` that reaches point `p` (what `loadParts` cuts by).
    func splitCapacity(point p: Int, warehouse w: Int) -> [Int]? {
        guard let t = largestAllowed(point: p, warehouse: w) else { return nil }
        let vt = scenario.warehouses[w].vehicleTypes[fleet.types[w][t].type]
        return [vt.capacityCrates, vt.capacityKg]
    }

    /// The point's orders cut into van loads of the largest van of `w` that reaches it.
    private func loadParts(of d: PointDemand, warehouse w: Int) throws -> [Drop] {
        guard let t = largestAllowed(point: d.point, warehouse: w) else { return [Drop(point: d.point, orders: d.orders, load: d.load)] }
        let vt = scenario.warehouses[w].vehicleTypes[fleet.types[w][t].type]
        let vanLoads = max((d.load.crates + vt.capacityCrates - 1) / vt.capacityCrates,
                           (d.load.grams + vt.capacityKg * 1000 - 1) / (vt.capacityKg * 1000))
        guard vanLoads <= InputLimits.dropsPerWarehouse else {
            throw GeneralError(.input, "pickup point \(scenario.pickupPoints[d.point].id): its \(d.load.crates) crates and \(d.load.grams / 1000) kg of \(clock.date) "
                               + "need \(vanLoads) van loads from \(scenario.warehouses[w].id), more than the limit of \(InputLimits.dropsPerWarehouse) drops per warehouse")
        }
        let parts = Aggregation.split(d.orders, crates: vt.capacityCrates, grams: vt.capacityKg * 1000, skus: skus)
        if parts.count == 1 { return [Drop(point: d.point, orders: d.orders, load: d.load)] }
        return parts.map { Drop(point: d.point, orders: $0, load: Aggregation.load(of: $0, skus: skus)) }
    }

    /// Distances and durations between scenario locations `locs`, as the routing core takes them:
    /// a pair the provider cannot connect costs `DailyPlanner.unreachable`.
    static func routingMatrices(_ locs: [Int], _ matrix: TravelMatrix) -> (distance: Matrix, duration: Matrix) {
        func entry(_ m: (Int, Int) -> Int) -> Matrix {
            Matrix(size: locs.count) { i, j in
                i == j ? 0 : (matrix.isReachable(locs[i], locs[j]) ? m(locs[i], locs[j]) : DailyPlanner.unreachable)
            }
        }
        return (entry(matrix.distance), entry(matrix.duration))
    }

    /// The routing problem of warehouse `w` over `drops`: seconds after local midnight,
    /// metres, load = [crates, grams], costs in 1/`costScale` cents.
    func problem(warehouse w: Int, drops: [Drop], matrix: TravelMatrix) throws -> ProblemData {
        let wh = scenario.warehouses[w]
        let (distance, duration) = Self.routingMatrices([loc(warehouse: w)] + drops.map { loc(point: $0.point) }, matrix)
        let clients = drops.map { d -> Client in
            let p = scenario.pickupPoints[d.point]
            let allowed = allowed(point: d.point, warehouse: w)
            return Client(
                x: p.location.lon, y: p.location.lat, demand: [d.load.crates, d.load.grams],
                pickup: [d.empties, d.empties * scenario.emptyCrateGrams], serviceDuration: serviceSeconds(d),
                earliest: p.receivingWindow.from.seconds, latest: p.receivingWindow.to.seconds,
                allowedVehicleTypes: allowed.count == fleet.types[w].count ? nil : allowed, name: p.id)
        }
        let types = fleet.types[w].map { f in
            let t = wh.vehicleTypes[f.type]
            return Routing.VehicleType(
                count: f.ids.count, capacity: [t.capacityCrates, t.capacityKg * 1000], depot: 0,
                fixedCost: f.chargesDay ? t.costPerDayCents * DailyPlanner.costScale : 0, distanceCost: t.costPerKmCents * 3600,
                durationCost: t.costPerHourCents * 1000, shiftStart: f.shiftStart,
                shiftEnd: f.shiftEnd, maxDuration: f.shiftEnd - f.shiftStart,
                maxTrips: f.maxTrips, reloadDuration: t.reloadMinutes * 60, name: t.id)
        }
        do {
            return try ProblemData(
                depots: [Depot(x: wh.location.lon, y: wh.location.lat, earliest: wh.dockHours.from.seconds,
                               latest: wh.dockHours.to.seconds, name: wh.id)],
                clients: clients, vehicleTypes: types,
                distance: distance, duration: duration, dimensions: 2)
        } catch {
            throw GeneralError(.planning, "\(wh.id): \(error)")
        }
    }

    /// The allocation per pickup point, and the orders of the points it left without a warehouse.
    func pointAssignments(_ demands: [PointDemand], _ assignment: DailyPlanner.Allocated, why: [[UnassignedReason?]],
                          matrix: TravelMatrix) -> (assignments: [PointAssignment], unassigned: [UnassignedOrder]) {
        var assignments: [PointAssignment] = [], unassigned: [UnassignedOrder] = []
        for (i, d) in demands.enumerated() {
            let p = scenario.pickupPoints[d.point]
            let w = assignment.result.facilityOf[i]
            assignments.append(PointAssignment(
                pickupPointId: p.id, warehouseId: w.map { scenario.warehouses[$0].id },
                previousWarehouseId: p.previousWarehouseId, estimatedCost: w.flatMap { assignment.costs[i][$0] }))
            guard w == nil else { continue }
            let reason = unallocatedReason(d, assignment.result.unassigned[i] ?? .capacity, why: why.map { $0[i] }, matrix: matrix)
            for o in d.orders { unassigned.append(UnassignedOrder(orderId: o.orderId, pickupPointId: p.id, reason: reason)) }
        }
        return (assignments, unassigned)
    }

    /// Why the allocation gave point demand `d` no warehouse; `why`: per warehouse, why it cannot serve the point.
    func unallocatedReason(_ d: PointDemand, _ cause: AssignmentResult.Unassigned, why: [UnassignedReason?],
                           matrix: TravelMatrix) -> String {
        switch cause {
        case .noAllowedFacility:
            let nearest = scenario.warehouses.indices.min {
                matrix.duration($0, loc(point: d.point)) < matrix.duration($1, loc(point: d.point))
            }!
            let r = why[nearest].map { explain($0, point: d.point, warehouse: nearest) } ?? "no vehicle can serve it"
            return "no warehouse can serve it; from the nearest, \(scenario.warehouses[nearest].id): \(r)"
        case .capacity:
            return "no warehouse that can serve it had sorting or fleet capacity left for its \(d.load.crates) crates"
        }
    }

    /// Per warehouse: each point's drops (split where the point outgrows the largest van that
    /// reaches it); why the warehouse cannot serve the point (nil: it can); and how many of the
    /// point's orders it would still have to leave out because a single order is bigger than any
    /// of its vans that reach the point (those orders are then reported by the routing step).
    func serviceability(of demands: [PointDemand], matrix: TravelMatrix) throws
        -> (drops: [[[Drop]]], why: [[UnassignedReason?]], lost: [[Int]]) {
        var drops: [[[Drop]]] = []            // [warehouse][demand index]
        var why: [[UnassignedReason?]] = []   // [warehouse][demand index]
        var lost: [[Int]] = []                // [warehouse][demand index]
        // A point's van loads depend only on the capacity of the largest van that reaches it, and
        // warehouses mostly share van classes: cut each point once per capacity, not per warehouse.
        var cut: [SplitKey: [Drop]] = [:]
        for w in scenario.warehouses.indices {
            let ds = try demands.enumerated().map { i, d in
                let key = SplitKey(demand: i, capacity: splitCapacity(point: d.point, warehouse: w))
                if let hit = cut[key] { return hit }
                let made = try self.drops(of: d, warehouse: w)
                cut[key] = made
                return made
            }
            let count = ds.reduce(0) { $0 + $1.count }
            guard count <= InputLimits.dropsPerWarehouse else {
                throw GeneralError(.input, "\(scenario.warehouses[w].id): the \(demands.count) pickup points with orders on \(clock.date) need \(count) drops, "
                                   + "more than the limit of \(InputLimits.dropsPerWarehouse) per warehouse")
            }
            let data = try problem(warehouse: w, drops: ds.flatMap { $0 }, matrix: matrix)
            var k = 0
            var reasons: [UnassignedReason?] = [], lostOrders: [Int] = []
            for pointDrops in ds {
                var blocking: UnassignedReason?, tooBig: UnassignedReason?
                var served = 0, left = 0
                for d in pointDrops {
                    switch data.whyUnservableAlone(k) {
                    case nil: served += 1
                    case let r? where { if case .exceedsCapacity = r { true } else { false } }():
                        tooBig = tooBig ?? r
                        left += d.orders.count
                    case let r?: blocking = blocking ?? r
                    }
                    k += 1
                }
                reasons.append(blocking ?? (served == 0 ? tooBig : nil))
                lostOrders.append(left)
            }
            drops.append(ds)
            why.append(reasons)
            lost.append(lostOrders)
        }
        return (drops, why, lost)
    }

    /// A routing reason in a dispatcher's words.
    func explain(_ r: UnassignedReason, point p: Int, warehouse w: Int) -> String {
        let pt = scenario.pickupPoints[p]
        let wh = scenario.warehouses[w]
        switch r {
        case .noAllowedVehicle:
            if wh.vehicleTypes.contains(where: { $0.count > 0 }) {
                return "only \(pt.maxVehicle) vehicles can reach it and \(wh.id) has none"
            }
            return "\(wh.id) has no vehicles"
        case .exceedsCapacity(let dim, let demand, let cap):
            return dim == 0
                ? "an order needs \(demand) crates, more than the \(cap) crates of the largest van that can reach it"
                : "an order weighs \(demand / 1000) kg, more than the \(cap / 1000) kg of the largest van that can reach it"
        case .windowUnreachable(let start, _):
            return "cannot be reached in its receiving window \(pt.receivingWindow): the earliest a van from \(wh.id) can be there is \(LocalTime.format(seconds: start))"
        case .shiftTooShort(let by):
            return "a van from \(wh.id) serving it could not be back within its shift or dock hours (short by \((by + 59) / 60) min)"
        case .fleetExhausted:
            return "no van of \(wh.id) had room or time left for it; add a van or widen the receiving window"
        case .notWorthServing:
            return "left out: serving it costs more than it is worth"
        }
    }

    /// One `PlannedRoute` per trip; vehicles numbered per type in order of first departure.
    func plannedRoutes(warehouse w: Int, solution: Routing.Solution, data: ProblemData, drops: [Drop]) -> [PlannedRoute] {
        let wh = scenario.warehouses[w]
        let evals = solution.routes.map { data.evaluate($0) }
        let order = evals.indices.sorted {
            (evals[$0].vehicleType, evals[$0].tripStarts.first ?? 0, solution.routes[$0].clients.first ?? 0)
                < (evals[$1].vehicleType, evals[$1].tripStarts.first ?? 0, solution.routes[$1].clients.first ?? 0)
        }
        var numbering = [Int](repeating: 0, count: fleet.types[w].count)
        var out: [PlannedRoute] = []
        for r in order {
            let e = evals[r]
            let f = fleet.types[w][e.vehicleType]
            let vt = wh.vehicleTypes[f.type]
            let vehicleId = f.ids[numbering[e.vehicleType]]
            numbering[e.vehicleType] += 1
            for (k, trip) in solution.routes[r].trips.enumerated() {
                let visits = e.visits.filter { $0.trip == k }
                var prev = 0
                var dist = 0
                var stops: [PlannedStop] = []
                var load = Load()
                let tripDrops = visits.map { drops[$0.client] }
                for (s, v) in visits.enumerated() {
                    let d = drops[v.client]
                    let here = data.location(ofClient: v.client)
                    dist += data.distance[prev, here]
                    load = load + d.load
                    stops.append(PlannedStop(
                        sequence: s + 1, pickupPointId: scenario.pickupPoints[d.point].id, arrival: clock.iso(v.arrival),
                        serviceStart: clock.iso(v.serviceStart), departure: clock.iso(v.departure),
                        window: scenario.pickupPoints[d.point].receivingWindow, orderIds: d.orders.map(\.orderId),
                        load: LoadFigures(d.load), legDistanceM: data.distance[prev, here], legDurationS: data.duration[prev, here]))
                    prev = here
                }
                dist += data.distance[prev, 0]
                let returned = recordCrateReturns(&stops, drops: tripDrops).returned
                let start = e.tripStarts[k], end = e.tripEnds[k]
                let reload = k > 0 ? start - e.tripEnds[k - 1] : f.lastReturn.map { start - $0 } ?? 0
                let units = dist * vt.costPerKmCents * 3600 + (end - start + reload) * vt.costPerHourCents * 1000
                    + (k == 0 && f.chargesDay ? vt.costPerDayCents * DailyPlanner.costScale : 0)
                precondition(trip.count == stops.count)
                out.append(PlannedRoute(
                    routeId: "\(vehicleId)-T\(k + f.firstTrip)", warehouseId: wh.id, vehicleId: vehicleId, vehicleTypeId: vt.id,
                    trip: k + f.firstTrip, departure: clock.iso(start), returnTime: clock.iso(end), stops: stops, load: LoadFigures(load),
                    distanceM: dist, durationS: end - start,
                    cost: (units + DailyPlanner.costScale / 2) / DailyPlanner.costScale, returnedCrates: returned))
            }
        }
        return out
    }

    func assemble(routes: [PlannedRoute], assignments: [PointAssignment], allocation: AllocationSummary,
                  unassigned: [UnassignedOrder], demands: [PointDemand],
                  orders: Int, travel: String, options: PlanOptions) -> Plan {
        func onTime(_ s: PlannedStop) -> Bool {
            guard let start = Timestamp.parse(s.serviceStart), let arrival = Timestamp.parse(s.arrival) else { return false }
            let from = clock.epochSeconds(at: s.window.from.seconds), to = clock.epochSeconds(at: s.window.to.seconds)
            return start.epochSeconds >= from && start.epochSeconds <= to && arrival.epochSeconds <= to
        }
        let unassignedByPoint = Dictionary(grouping: unassigned, by: \.pickupPointId)
        func returned(_ rs: [PlannedRoute]) -> Int? {
            scenario.hasCrateReturns ? rs.reduce(0) { $0 + ($1.returnedCrates ?? 0) } : nil
        }
        var summaries: [WarehouseSummary] = []
        for wh in scenario.warehouses {
            let rs = routes.filter { $0.warehouseId == wh.id }
            let stops = rs.flatMap(\.stops)
            let crates = rs.reduce(0) { $0 + $1.load.crates }
            let grams = rs.reduce(0) { $0 + $1.load.grams }
            let assigned = assignments.filter { $0.warehouseId == wh.id }
            summaries.append(WarehouseSummary(
                warehouseId: wh.id, pickupPoints: Set(stops.map(\.pickupPointId)).count,
                orders: stops.reduce(0) { $0 + $1.orderIds.count }, crates: crates, kg: Double(grams) / 1000,
                sortingCapacityCrates: wh.sortingCapacityCrates,
                utilisationPercent: wh.sortingCapacityCrates > 0
                    ? (Double(crates) * 1000 / Double(wh.sortingCapacityCrates)).rounded() / 10 : 0,
                vehicles: Set(rs.map(\.vehicleId)).count, trips: rs.count, stops: stops.count,
                onTimeStops: stops.filter(onTime).count, distanceM: rs.reduce(0) { $0 + $1.distanceM },
                durationS: rs.reduce(0) { $0 + $1.durationS }, cost: rs.reduce(0) { $0 + $1.cost },
                fixedCost: wh.fixedCostCents, returnedCrates: returned(rs),
                unassignedOrders: assigned.reduce(0) { $0 + (unassignedByPoint[$1.pickupPointId]?.count ?? 0) }))
        }
        let planned = summaries.reduce(0) { $0 + $1.orders }
        let cost = summaries.reduce(0) { $0 + $1.cost }
        let fixed = summaries.reduce(0) { $0 + $1.fixedCost }
        let totals = Totals(
            orders: orders, ordersPlanned: planned, ordersUnassigned: unassigned.count,
            pickupPoints: demands.count + fleet.keptOnlyPoints(besides: demands.map { scenario.pickupPoints[$0.point].id }),
            vehicles: summaries.reduce(0) { $0 + $1.vehicles }, trips: routes.count,
            stops: summaries.reduce(0) { $0 + $1.stops }, onTimeStops: summaries.reduce(0) { $0 + $1.onTimeStops },
            crates: summaries.reduce(0) { $0 + $1.crates }, kg: Double(routes.reduce(0) { $0 + $1.load.grams }) / 1000,
            distanceM: summaries.reduce(0) { $0 + $1.distanceM }, durationS: summaries.reduce(0) { $0 + $1.durationS },
            cost: cost, fixedCost: fixed, costPerOrder: planned > 0 ? (cost + fixed + planned / 2) / planned : 0,
            returnedCrates: returned(routes))
        return Plan(
            scenario: scenario.name, city: scenario.city, deliveryDate: clock.date, timeZone: scenario.timeZone,
            travelTimes: travel, solver: options.solverName, seed: options.seed, totals: totals, warehouses: summaries,
            allocation: allocation, assignments: assignments, routes: routes, unassigned: unassigned)
    }
}
