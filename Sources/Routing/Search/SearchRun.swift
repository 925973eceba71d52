/// One run of `MetaheuristicSolver`: what both strategies share — the local search, the
/// population, the penalty weights, the route pool, the best solutions so far and the budget.
struct SearchRun<Trip: TripLoad> {
    let sd: SearchData
    let data: ProblemData
    let options: MetaheuristicSolver.Options
    let parameters: SolveParameters
    var rng: RNG
    var search: LocalSearch<Trip>
    let splitter: Splitter
    var population: Population
    var pool: RoutePool
    /// Penalty weights on excess load and time warp, adapted to the share of feasible results.
    var weights: Penalties
    /// Scale of the penalty weights (`SearchData.penaltyUnit`).
    let unit: Double

    var best: Individual?
    var bestInfeasible: Individual?
    var iteration = 0
    var sinceImprovement = 0
    /// Outcomes since the last penalty adaptation.
    var loadFeasible: [Bool] = [], timeFeasible: [Bool] = []

    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    let maxIterations: Int
    let timeLimit: Double
    /// With a time limit, the last 3% are kept for the final recombination of the route pool.
    let searchLimit: Double
    /// Share of the budget at which the route pool is recombined next.
    var nextPoolSolve = 0.25

    /// `sd` must have active clients and route slots.
    init(_ sd: SearchData, options: MetaheuristicSolver.Options, parameters: SolveParameters,
         started: ContinuousClock.Instant) {
        self.started = started
        self.sd = sd
        data = sd.data
        self.options = options
        self.parameters = parameters
        rng = RNG(seed: parameters.seed)
        maxIterations = parameters.maxIterations ?? (parameters.timeLimit == nil ? options.defaultIterations : Int.max)
        timeLimit = parameters.timeLimit ?? .infinity
        search = LocalSearch(sd, rng: RNG(seed: parameters.seed &+ 0x5EED))
        splitter = Splitter(sd)
        population = Population(sd)
        var maxDemand = 1
        for l in sd.active { maxDemand = max(maxDemand, sd.demand[l].max()) }
        unit = sd.penaltyUnit
        weights = Penalties(load: max(0.1 * unit, min(1000 * unit, Double(sd.maxArcCost) / Double(maxDemand))), time: unit)
        pool = RoutePool(sd)
        searchLimit = options.setPartitioning && timeLimit.isFinite ? timeLimit * 0.97 : timeLimit
        search.setPenalties(weights)
    }

    func elapsed() -> Double { (clock.now - started).secondsDouble }

    func stop() -> Bool { iteration >= maxIterations || elapsed() >= searchLimit }

    /// Records a result: a new best feasible one, a route pool entry, or the best infeasible one.
    mutating func consider(_ ind: Individual) {
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

    /// Counts a result towards the share of feasible ones the penalty adaptation steers.
    mutating func recordFeasibility(_ ind: Individual) {
        loadFeasible.append(ind.excessLoad == 0)
        timeFeasible.append(ind.timeWarp == 0)
    }

    /// The local search's routes as an individual under the current weights.
    func exported() -> Individual {
        Individual(sd, routes: search.export(), unrouted: search.unrouted, weights)
    }

    /// Local search from a set of routes into the population; repairs half of the infeasible
    /// results with ten-fold penalties (Vidal 2022).
    mutating func educate(_ routes: SlotRoutes, unrouted: [Int]) {
        search.load(routes, unrouted: unrouted)
        search.run()
        let ind = exported()
        recordFeasibility(ind)
        population.add(ind)
        consider(ind)
        if !ind.isFeasible && rng.below(2) == 0 {
            search.setPenalties(Penalties(load: weights.load * 10, time: weights.time * 10))
            search.run()
            search.setPenalties(weights)
            let fixed = exported()
            if fixed.isFeasible {
                population.add(fixed)
                consider(fixed)
            }
        }
    }

    /// All active clients in random order.
    mutating func randomGiantTour() -> [Int] {
        var g = sd.active
        for k in stride(from: g.count - 1, to: 0, by: -1) { g.swapAt(k, rng.below(k + 1)) }
        return g
    }

    /// Educates a random giant tour cut by Split: one iteration.
    mutating func educateRandomStart() {
        educate(splitter.split(randomGiantTour(), weights, load: Trip.self), unrouted: [])
        iteration += 1
    }

    /// The greedy construction as one more starting point: Split cuts giant tours into single
    /// trips, so on multi-trip fleets the random starts alone are slow to find feasibility.
    mutating func startFromGreedyOnMultiTrip() {
        guard sd.hasMultiTrip, let routes = slotRoutes(
            of: GreedySolver().solve(data, parameters: SolveParameters(seed: parameters.seed)).solution, sd) else { return }
        let routed = Set(routes.joined())
        educate(routes, unrouted: sd.active.filter { !routed.contains($0) })
    }

    /// Vidal et al. (2012): raise a weight when too few results are feasible, lower it when too
    /// many are; then reprice the search and the population.
    mutating func adaptPenalties(target: Double, up: Double, down: Double) {
        weights.load = adapt(weights.load, loadFeasible, target: target, up: up, down: down)
        if sd.hasTimes { weights.time = adapt(weights.time, timeFeasible, target: target, up: up, down: down) }
        loadFeasible.removeAll(keepingCapacity: true)
        timeFeasible.removeAll(keepingCapacity: true)
        search.setPenalties(weights)
        population.reprice(weights)
    }

    private func adapt(_ weight: Double, _ outcomes: [Bool], target: Double, up: Double, down: Double) -> Double {
        guard !outcomes.isEmpty else { return weight }
        let share = Double(outcomes.filter { $0 }.count) / Double(outcomes.count)
        if share < target - 0.05 { return min(100_000 * unit, weight * up) }
        if share > target + 0.05 { return max(0.1 * unit, weight * down) }
        return weight
    }

    /// Recombines the route pool at each quarter of the budget (Subramanian, Uchoa and Ochi 2013).
    mutating func recombinePoolOnSchedule() {
        let progress = timeLimit.isFinite ? elapsed() / timeLimit : Double(iteration) / Double(maxIterations)
        if options.setPartitioning && progress >= nextPoolSolve && nextPoolSolve < 1 {
            nextPoolSolve += 0.25
            if let b = best, let ind = pool.recombine(b, weights, seconds: poolSeconds()) {
                population.add(ind)
                consider(ind)
            }
        }
    }

    /// The final recombination of the route pool, in the time kept for it.
    mutating func recombinePoolAtTheEnd() {
        if options.setPartitioning, let b = best, let ind = pool.recombine(b, weights, seconds: poolSeconds(final: true)) {
            consider(ind)
        }
    }

    private func poolSeconds(final: Bool = false) -> Double? {
        guard timeLimit.isFinite else { return nil }
        let left = max(0, timeLimit - elapsed())
        return final ? max(0.05, left - 0.05) : max(0.05, min(0.03 * timeLimit, left))
    }
}
