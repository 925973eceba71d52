/// Iterated local search (Lourenço, Martin and Stützle 2003, "Iterated local search"), as PyVRP
/// 0.14 runs it: ruin and recreate a few clients around a random one (Schrimpf et al. 2000), repair
/// with an incremental local search, accept by late-acceptance hill climbing over penalised costs
/// (Burke and Bykov 2017); every new best gets a full local search, SWAP* included.
struct IteratedLocalSearch {
    /// The solution the walk is at.
    var current: Individual
    /// Penalised cost of the start: the acceptance threshold of history entries not yet filled.
    let initialCost: Double
    /// Late acceptance: for each step modulo its length, the walk's solution one lap ago.
    var history: [Individual?]
    var head = 0
    /// Whether the local search holds `current`, so the next step can perturb it in place.
    var loaded = false
    var steps = 0
    /// One step in this many ruins a whole route when vehicles have fixed costs.
    static let routeRuinOneIn = 8

    static func run<Trip>(_ run: inout SearchRun<Trip>) {
        if run.population.isEmpty { run.educateRandomStart() }
        guard let start = run.best ?? run.bestInfeasible else { return }
        var walk = IteratedLocalSearch(start: start, weights: run.weights, historyLength: run.options.historyLength)
        while !run.stop() { walk.step(&run) }
    }

    init(start: Individual, weights: Penalties, historyLength: Int) {
        current = start
        initialCost = start.penalised(under: weights)
        history = [Individual?](repeating: nil, count: max(1, historyLength))
    }

    mutating func step<Trip>(_ run: inout SearchRun<Trip>) {
        run.iteration += 1
        run.sinceImprovement += 1
        if run.sinceImprovement >= run.options.iterationsWithoutImprovement * 5, let b = run.best {
            restart(from: b)
            run.sinceImprovement = 0
        }
        let candidate = ruinAndRepair(&run)
        run.consider(candidate)
        run.recordFeasibility(candidate)
        steps += 1
        acceptLate(candidate, run.weights)
        if steps % 100 == 0 { run.adaptPenalties(target: 0.65, up: 1.5, down: 0.9) }
        let before = run.best?.objective
        run.recombinePoolOnSchedule()
        if let b = run.best, b.objective != before { current = b; loaded = false }
    }

    /// Long without improvement: back to the best solution with an empty history.
    mutating func restart(from best: Individual) {
        current = best
        for k in history.indices { history[k] = nil }
        loaded = false
    }

    /// Perturbs the current solution and repairs it incrementally; a new best is searched deeper.
    mutating func ruinAndRepair<Trip>(_ run: inout SearchRun<Trip>) -> Individual {
        if !loaded {
            run.search.load(current.routes, unrouted: current.unrouted)
            run.search.markConverged()
        }
        // With vehicles that cost to use, now and then a whole route goes (`ruinRoute`).
        if run.sd.hasFixed && run.rng.below(Self.routeRuinOneIn) == 0 {
            run.search.ruinRoute()
        } else {
            run.search.perturb(count: 1 + run.rng.below(max(1, run.options.maxPerturbation)))
        }
        run.search.run(incremental: true, swapStar: false)
        var candidate = run.exported()
        loaded = true
        if candidate.isFeasible && (run.best == nil || candidate.objective < run.best!.objective) {
            run.search.run(swapStar: true)
            let deeper = run.exported()
            if deeper.isFeasible && deeper.objective <= candidate.objective { candidate = deeper } else { loaded = false }
        }
        run.search.markConverged()
        return candidate
    }

    /// Late-acceptance hill climbing: take the candidate when it beats the solution of one
    /// history lap ago or the current one.
    mutating func acceptLate(_ candidate: Individual, _ weights: Penalties) {
        let c = candidate.penalised(under: weights), late = history[head]?.penalised(under: weights) ?? initialCost
        var now = current.penalised(under: weights)
        if c < late || c < now {
            current = candidate
            now = c
        } else {
            loaded = false
        }
        if history[head] == nil || now < late { history[head] = current }
        head = (head + 1) % history.count
    }
}
