import Foundation

/// Two strategies over one granular local search. The default is an iterated local search:
/// ruin and recreate a few clients around a random one (Schrimpf et al. 2000), repair with an
/// incremental local search, accept by late-acceptance hill climbing (Burke and Bykov 2017), as
/// PyVRP 0.14 does. The other is the hybrid genetic search below.
///
/// Hybrid genetic search with adaptive diversity control (Vidal et al. 2012, 2013; Vidal 2022,
/// "Hybrid genetic search for the CVRP: open-source implementation and SWAP* neighborhood"):
/// giant tours recombined by ordered crossover, cut by Split, improved by a granular local search
/// (relocate, swap, 2-opt, 2-opt*, SWAP*) under penalised capacity and time warp with adaptive
/// weights; half of the infeasible offspring are repaired with ten-fold penalties. A pool of the
/// routes of good solutions is recombined by a set-partitioning MIP (GLPK) a few times and at
/// the end.
///
/// Handles everything `ProblemData` expresses: time windows, service times, shifts and maximum
/// durations, heterogeneous fleets with fixed and variable costs and counts, several depots,
/// several trips per vehicle, allowed vehicle types per client and optional clients. Clients no
/// vehicle can serve are left out and explained by `explainUnassigned`.
public struct HGSSolver: RoutingSolver {
    public struct Options: Sendable {
        /// Granular neighbourhood size (HGS-CVRP: 20).
        public var granularity = 20
        /// Consecutive iterations without improvement before the population restarts.
        public var iterationsWithoutImprovement = 20_000
        /// Target share of feasible offspring for the penalty adaptation.
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
        /// Hybrid genetic search: population, crossover, Split and full local search per child.
        case genetic
        /// Iterated local search: ruin and recreate a few clients, repair locally, accept by
        /// late-acceptance hill climbing (Burke and Bykov 2017). Far more iterations per second
        /// on large instances.
        case iterated
        /// The solver's choice: at present always the iterated local search, which measured
        /// better than the genetic search on cvrp-x, Solomon, Cordeau and the planning day.
        case automatic
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    public func solve(_ data: ProblemData, parameters: SolveParameters) -> SolveResult {
        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Double { (clock.now - started).secondsDouble }
        guard data.dimensions <= 4, data.vehicleTypes.count <= 64 else {
            return GreedySolver().solve(data, parameters: parameters)
        }
        let sd = SearchData(data, granularity: options.granularity)
        var rng = RNG(seed: parameters.seed)
        guard !sd.active.isEmpty, !sd.slotType.isEmpty else {
            return finish(data, Solution(routes: []), iterations: 0, seconds: elapsed())
        }
        let maxIterations = parameters.maxIterations ?? (parameters.timeLimit == nil ? options.defaultIterations : Int.max)
        let timeLimit = parameters.timeLimit ?? .infinity

        var search = LocalSearch(sd, rng: RNG(seed: parameters.seed &+ 0x5EED))
        let splitter = Splitter(sd)
        var population = Population(sd)
        var maxDemand = 1
        for l in sd.active { maxDemand = max(maxDemand, sd.demand[l].max()) }
        let unit = sd.penaltyUnit
        var w = Penalties(load: max(0.1 * unit, min(1000 * unit, Double(sd.maxArcCost) / Double(maxDemand))), time: unit)
        var pool = RoutePool(sd)

        var best: Individual?
        var bestInfeasible: Individual?
        var iteration = 0
        var sinceImprovement = 0
        var loadFeasible: [Bool] = [], timeFeasible: [Bool] = []

        func consider(_ ind: Individual) {
            if ind.isFeasible {
                if best == nil || ind.objective < best!.objective {
                    best = ind
                    sinceImprovement = 0
                    options.onImprovement?(elapsed(), iteration, ind.objective)
                }
                pool.add(ind, bestObjective: best!.objective)
            } else if bestInfeasible == nil || ind.penalised < bestInfeasible!.penalised {
                bestInfeasible = ind
            }
        }

        /// Local search from a set of routes; repairs half of the infeasible results.
        func educate(_ routes: SlotRoutes, unrouted: [Int]) {
            search.load(routes, unrouted: unrouted)
            search.run()
            let ind = Individual(sd, routes: search.export(), unrouted: search.unrouted, w)
            loadFeasible.append(ind.excessLoad == 0)
            timeFeasible.append(ind.timeWarp == 0)
            population.add(ind)
            consider(ind)
            if !ind.isFeasible && rng.below(2) == 0 {
                search.setPenalties(Penalties(load: w.load * 10, time: w.time * 10))
                search.run()
                search.setPenalties(w)
                let fixed = Individual(sd, routes: search.export(), unrouted: search.unrouted, w)
                if fixed.isFeasible {
                    population.add(fixed)
                    consider(fixed)
                }
            }
        }

        // With a time limit, keep the last 3% for the final recombination of the route pool.
        let searchLimit = options.setPartitioning && timeLimit.isFinite ? timeLimit * 0.97 : timeLimit
        func stop() -> Bool { iteration >= maxIterations || elapsed() >= searchLimit }

        func randomGiant() -> [Int] {
            var g = sd.active
            for k in stride(from: g.count - 1, to: 0, by: -1) { g.swapAt(k, rng.below(k + 1)) }
            return g
        }

        func initialise() {
            for _ in 0..<(4 * population.mu) where !stop() {
                educate(splitter.split(randomGiant(), w), unrouted: [])
                iteration += 1
            }
        }

        search.setPenalties(w)
        // The greedy construction as one more starting point: Split cuts giant tours into single
        // trips, so on multi-trip fleets the random starts alone are slow to find feasibility.
        if sd.hasMultiTrip, let routes = slotRoutes(
            of: GreedySolver().solve(data, parameters: SolveParameters(seed: parameters.seed)).solution, sd) {
            let routed = Set(routes.joined())
            educate(routes, unrouted: sd.active.filter { !routed.contains($0) })
        }
        var nextPoolSolve = 0.25
        func recombinePool() {
            let progress = timeLimit.isFinite ? elapsed() / timeLimit : Double(iteration) / Double(maxIterations)
            if options.setPartitioning && progress >= nextPoolSolve && nextPoolSolve < 1 {
                nextPoolSolve += 0.25
                if let b = best, let ind = pool.recombine(b, w, seconds: poolSeconds(timeLimit, elapsed())) {
                    population.add(ind)
                    consider(ind)
                }
            }
        }

        /// Iterated local search from one educated start; late-acceptance hill climbing over
        /// penalised costs, a full local search (SWAP* included) on every new best.
        func iterated() {
            if population.isEmpty { educate(splitter.split(randomGiant(), w), unrouted: []); iteration += 1 }
            guard let start = best ?? bestInfeasible else { return }
            var curr = start
            let initial = start.penalised(under: w)
            var history = [Individual?](repeating: nil, count: max(1, options.historyLength))
            var head = 0
            var loaded = false
            var registered = 0
            while !stop() {
                iteration += 1
                sinceImprovement += 1
                if sinceImprovement >= options.iterationsWithoutImprovement * 5, let b = best {
                    curr = b
                    for k in history.indices { history[k] = nil }
                    loaded = false
                    sinceImprovement = 0
                }
                if !loaded {
                    search.load(curr.routes, unrouted: curr.unrouted)
                    search.markConverged()
                }
                search.perturb(count: 1 + rng.below(max(1, options.maxPerturbation)))
                search.run(incremental: true, swapStar: false)
                var cand = Individual(sd, routes: search.export(), unrouted: search.unrouted, w)
                loaded = true
                if cand.isFeasible && (best == nil || cand.objective < best!.objective) {
                    search.run(swapStar: true)
                    let deeper = Individual(sd, routes: search.export(), unrouted: search.unrouted, w)
                    if deeper.isFeasible && deeper.objective <= cand.objective { cand = deeper } else { loaded = false }
                }
                search.markConverged()
                consider(cand)
                loadFeasible.append(cand.excessLoad == 0)
                timeFeasible.append(cand.timeWarp == 0)
                registered += 1

                let c = cand.penalised(under: w), late = history[head]?.penalised(under: w) ?? initial
                var now = curr.penalised(under: w)
                if c < late || c < now {
                    curr = cand
                    now = c
                } else {
                    loaded = false
                }
                if history[head] == nil || now < late { history[head] = curr }
                head = (head + 1) % history.count

                if registered % 100 == 0 {
                    w.load = adapt(w.load, loadFeasible, unit: unit, target: 0.65, up: 1.5, down: 0.9)
                    if sd.hasTimes { w.time = adapt(w.time, timeFeasible, unit: unit, target: 0.65, up: 1.5, down: 0.9) }
                    loadFeasible.removeAll(keepingCapacity: true)
                    timeFeasible.removeAll(keepingCapacity: true)
                    search.setPenalties(w)
                    population.reprice(w)
                }
                let before = best?.objective
                recombinePool()
                if let b = best, b.objective != before { curr = b; loaded = false }
            }
        }

        let useIterated: Bool
        switch options.strategy {
        case .genetic: useIterated = false
        case .iterated: useIterated = true
        case .automatic: useIterated = true
        }
        if useIterated {
            iterated()
        } else {
            initialise()
        }
        while !useIterated && !stop() {
            iteration += 1
            sinceImprovement += 1
            let a = population.select(&rng), b = population.select(&rng)
            let child = orderCrossover(a.giant, b.giant, &rng, locations: sd.locations)
            educate(splitter.split(child, w), unrouted: [])

            if iteration % 100 == 0 {
                w.load = adapt(w.load, loadFeasible, unit: unit)
                if sd.hasTimes { w.time = adapt(w.time, timeFeasible, unit: unit) }
                loadFeasible.removeAll(keepingCapacity: true)
                timeFeasible.removeAll(keepingCapacity: true)
                search.setPenalties(w)
                population.reprice(w)
            }
            if sinceImprovement >= options.iterationsWithoutImprovement {
                population.clear()
                sinceImprovement = 0
                initialise()
            }
            // Recombine the route pool a few times during the run.
            recombinePool()
        }
        if options.setPartitioning, let b = best,
           let ind = pool.recombine(b, w, seconds: poolSeconds(timeLimit, elapsed(), final: true)) {
            consider(ind)
        }

        let chosen: Solution
        if let b = best {
            chosen = solution(b.routes, sd)
        } else if let b = bestInfeasible {
            chosen = makeFeasible(solution(b.routes, sd), data)
        } else {
            chosen = GreedySolver().solve(data, parameters: parameters).solution
        }
        return finish(data, chosen, iterations: iteration, seconds: elapsed())
    }

    /// Vidal et al. (2012): raise a weight when too few offspring are feasible, lower it when
    /// too many are.
    func adapt(_ weight: Double, _ outcomes: [Bool], unit: Double, target: Double? = nil,
               up: Double = 1.2, down: Double = 0.85) -> Double {
        guard !outcomes.isEmpty else { return weight }
        let share = Double(outcomes.filter { $0 }.count) / Double(outcomes.count)
        let goal = target ?? options.targetFeasible
        if share < goal - 0.05 { return min(100_000 * unit, weight * up) }
        if share > goal + 0.05 { return max(0.1 * unit, weight * down) }
        return weight
    }

    func poolSeconds(_ limit: Double, _ now: Double, final: Bool = false) -> Double? {
        guard limit.isFinite else { return nil }
        let left = max(0, limit - now)
        return final ? max(0.05, left - 0.05) : max(0.05, min(0.03 * limit, left))
    }

    /// Clients up to which the LP relaxation of the exact set-partitioning model is solved for a
    /// lower bound (its route enumeration takes milliseconds there).
    static let boundClients = 12

    func finish(_ data: ProblemData, _ s: Solution, iterations: Int, seconds: Double) -> SolveResult {
        var bound: Int?
        if data.clients.count <= HGSSolver.boundClients,
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
