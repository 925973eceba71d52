import Foundation

/// The metaheuristic: two strategies over one granular local search (relocate, swap, 2-opt,
/// 2-opt*, SWAP*) under penalised capacity and time warp with adaptive weights, and a pool of the
/// routes of good solutions recombined by a set-partitioning MIP (GLPK) a few times and at the end.
/// - `IteratedLocalSearch` (the default): ruin and recreate, late-acceptance hill climbing.
/// - `GeneticSearch` (on request): the hybrid genetic search of HGS-CVRP (Vidal 2022).
///
/// Handles everything `ProblemData` expresses: time windows, service times, shifts and maximum
/// durations, heterogeneous fleets with fixed and variable costs and counts, several depots,
/// several trips per vehicle, allowed vehicle types per client and optional clients. Clients no
/// vehicle can serve are left out and explained by `explainUnassigned`. Data beyond what the
/// search's flat buffers hold (`maxDimensions`, `maxVehicleTypes`) is solved by the greedy
/// construction, and the result says so in `fallbackReason`.
public struct MetaheuristicSolver: RoutingSolver {
    public struct Options: Sendable {
        /// Granular neighbourhood size (HGS-CVRP: 20).
        public var granularity = 20
        /// Consecutive iterations without improvement before the population restarts.
        public var iterationsWithoutImprovement = 20_000
        /// Genetic search: target share of feasible offspring for the penalty adaptation.
        public var targetFeasible = 0.2
        /// Recombine the route pool with GLPK (periodically and at the end).
        public var setPartitioning = true
        /// Iteration budget when the caller gives neither a time nor an iteration limit.
        public var defaultIterations = 20_000
        /// Search strategy: the genetic search, the iterated local search, or chosen by size.
        public var strategy = Strategy.automatic
        /// Iterated local search: clients ruined per iteration at most.
        public var maxPerturbation = 25
        /// Iterated local search: history length of the late-acceptance criterion.
        public var historyLength = 300
        /// Called with (seconds, iterations, best cost) whenever the best feasible cost improves.
        public var onImprovement: (@Sendable (Double, Int, Int) -> Void)?
        public init() {}
    }

    public enum Strategy: String, Sendable, CaseIterable {
        /// `GeneticSearch`: population, crossover, Split and full local search per child.
        case genetic
        /// `IteratedLocalSearch`: ruin and recreate a few clients, repair locally, accept by
        /// late-acceptance hill climbing. Far more iterations per second on large instances.
        case iterated
        /// The solver's choice: at present always the iterated local search, which measured
        /// better than the genetic search on cvrp-x, Solomon, Cordeau and the planning day.
        case automatic
    }

    /// Load dimensions the search handles: a load is a `SIMD4<Int>`.
    public static let maxDimensions = 4
    /// Vehicle types the search handles: the types allowed at a location are bits of a `UInt64`.
    public static let maxVehicleTypes = 64

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    public func solve(_ data: ProblemData, parameters: SolveParameters) -> SolveResult {
        if let reason = Self.unsupported(data) {
            var result = GreedySolver().solve(data, parameters: parameters)
            result.fallbackReason = reason
            return result
        }
        let started = ContinuousClock.now
        let sd = SearchData(data, granularity: options.granularity)
        guard !sd.active.isEmpty, !sd.slotType.isEmpty else {
            return finish(data, Solution(routes: []), iterations: 0, seconds: (ContinuousClock.now - started).secondsDouble)
        }
        // Plain delivery problems keep the smaller load summary (see `TripLoad`).
        return sd.hasPickups ? search(sd, started: started, parameters: parameters, load: DeliveryPickupLoad.self)
            : search(sd, started: started, parameters: parameters, load: DeliveryLoad.self)
    }

    private func search<Trip: TripLoad>(_ sd: SearchData, started: ContinuousClock.Instant, parameters: SolveParameters,
                                        load: Trip.Type) -> SolveResult {
        let data = sd.data
        var run = SearchRun<Trip>(sd, options: options, parameters: parameters, started: started)
        run.startFromGreedyOnMultiTrip()
        switch options.strategy {
        case .genetic: GeneticSearch.run(&run)
        case .iterated, .automatic: IteratedLocalSearch.run(&run)
        }
        run.recombinePoolAtTheEnd()

        var fallbackReason: String?
        let chosen: Solution
        if let b = run.best {
            chosen = solution(b.routes, sd)
        } else if let b = run.bestInfeasible {
            chosen = makeFeasible(solution(b.routes, sd), data)
        } else {
            chosen = GreedySolver().solve(data, parameters: parameters).solution
            fallbackReason = "the budget ended before the search's first solution; greedy construction"
        }
        var result = finish(data, chosen, iterations: run.iteration, seconds: run.elapsed())
        result.fallbackReason = fallbackReason
        return result
    }

    /// Why the search cannot take `data` (nil: it can).
    static func unsupported(_ data: ProblemData) -> String? {
        if data.dimensions > maxDimensions {
            return "greedy construction: \(data.dimensions) load dimensions, the search handles at most \(maxDimensions)"
        }
        if data.vehicleTypes.count > maxVehicleTypes {
            return "greedy construction: \(data.vehicleTypes.count) vehicle types, the search handles at most \(maxVehicleTypes)"
        }
        return nil
    }

    /// Clients up to which the LP relaxation of the exact set-partitioning model is solved for a
    /// lower bound (its route enumeration takes milliseconds there).
    static let boundClients = 12

    func finish(_ data: ProblemData, _ s: Solution, iterations: Int, seconds: Double) -> SolveResult {
        var bound: Int?
        if data.clients.count <= MetaheuristicSolver.boundClients,
           let lp = try? ExactSolver().solve(data, relaxationOnly: true),
           lp.lpBound.isFinite, abs(lp.lpBound) < 1e18 {   // an infeasible relaxation has no bound (found by tools/fuzz)
            bound = Int((lp.lpBound - 1e-6).rounded(.up))
        }
        return SolveResult(solution: s, evaluation: data.evaluate(s), unassigned: data.explainUnassigned(s),
                           iterations: iterations, seconds: seconds, lowerBound: bound)
    }
}

/// A `Solution` in route slots (reloads as depot locations); nil when it uses more vehicles of a
/// type than the search has slots for, or routes a client the search leaves out.
func slotRoutes(of s: Solution, _ sd: SearchData) -> SlotRoutes? {
    var routes = SlotRoutes(repeating: [], count: sd.slotType.count)
    var free: [[Int]] = [[Int]](repeating: [], count: sd.types)
    for (slot, t) in sd.slotType.enumerated().reversed() { free[t].append(slot) }
    for r in s.routes where !r.isEmpty {
        guard let slot = free[r.vehicleType].popLast() else { return nil }
        var seq: [Int] = []
        for (k, trip) in r.trips.enumerated() {
            if k > 0 { seq.append(sd.typeDepot[r.vehicleType]) }
            for c in trip {
                guard sd.isActive[c + sd.depots] else { return nil }
                seq.append(c + sd.depots)
            }
        }
        routes[slot] = seq
    }
    return routes
}

/// Slot routes (reloads as depot locations) to a `Solution` of client indices and trips.
func solution(_ routes: SlotRoutes, _ sd: SearchData) -> Solution {
    var out: [Route] = []
    for (slot, seq) in routes.enumerated() where !seq.isEmpty {
        var trips: [[Int]] = [[]]
        for l in seq {
            if l < sd.depots { trips.append([]) } else { trips[trips.count - 1].append(l - sd.depots) }
        }
        out.append(Route(vehicleType: sd.slotType[slot], trips: trips))
    }
    return Solution(routes: out)
}

/// Last resort when the search found no feasible solution (the fleet is too small): drop from
/// each violated route the clients whose removal helps most until it is feasible, then put back
/// what fits anywhere without violation.
func makeFeasible(_ s: Solution, _ data: ProblemData) -> Solution {
    var routes = s.routes
    var dropped: [Int] = []
    func violation(_ r: Route) -> Int { let e = data.evaluate(r); return e.excessLoad + e.timeWarp }
    for k in routes.indices {
        while violation(routes[k]) > 0 {
            var bestRoute: Route?, bestV = Int.max, bestC = -1
            for (ti, trip) in routes[k].trips.enumerated() {
                for (pi, c) in trip.enumerated() {
                    var r = routes[k]
                    r.trips[ti].remove(at: pi)
                    let v = violation(r)
                    if v < bestV { bestV = v; bestRoute = r; bestC = c }
                }
            }
            guard let r = bestRoute else { break }
            routes[k] = r
            dropped.append(bestC)
        }
    }
    var used = [Int](repeating: 0, count: data.vehicleTypes.count)
    for r in routes where !r.isEmpty { used[r.vehicleType] += 1 }
    for c in dropped {
        var best: (Int, Route, Int)?   // (route index or -1, route, cost delta)
        for k in routes.indices where data.allows(routes[k].vehicleType, c) {
            let base = data.evaluate(routes[k]).cost
            for ti in routes[k].trips.indices {
                for p in 0...routes[k].trips[ti].count {
                    var r = routes[k]
                    r.trips[ti].insert(c, at: p)
                    let e = data.evaluate(r)
                    if e.isFeasible && (best == nil || e.cost - base < best!.2) { best = (k, r, e.cost - base) }
                }
            }
        }
        for (t, vt) in data.vehicleTypes.enumerated() where used[t] < vt.count && data.allows(t, c) {
            let r = Route(vehicleType: t, clients: [c])
            let e = data.evaluate(r)
            if e.isFeasible && (best == nil || e.cost < best!.2) { best = (-1, r, e.cost) }
        }
        guard let b = best else { continue }
        if b.0 >= 0 { routes[b.0] = b.1 } else { routes.append(b.1); used[b.1.vehicleType] += 1 }
    }
    return Solution(routes: routes)
}
