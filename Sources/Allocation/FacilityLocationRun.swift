import GLPK

/// One solve of `FacilityLocationSolver`, stage by stage. Every stage may improve the
/// incumbent (`best`) or the bound; fixings and excluded pairs only remove solutions that cannot
/// beat the incumbent, so the final MIP's optimum (or the incumbent) is optimal.
struct FacilityLocationRun {
    let p: FacilityLocationProblem
    let options: FacilityLocationOptions
    let m: Int
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var stats = FacilityLocationStatistics()
    /// Per facility, the value y is fixed to (forced statuses, then reduced-cost fixing).
    var fixed: [Bool?]
    var best: (solution: FacilityLocationSolution, cost: Double)?
    var bound: Double?
    /// Pairs left out of the MIP (`FacilityLocationLagrangian.excludedPairs`).
    var excluded: [Bool]?
    /// Pairs whose linking rows start in the MIP when the rest are lazy.
    var seeded = Set<Int>()
    /// Open sets already assigned by the Lagrangian heuristic.
    var tried = Set<[Bool]>()

    /// How the run ended early, when it did.
    typealias Outcome = FacilityLocationResult?

    init(_ p: FacilityLocationProblem, options: FacilityLocationOptions) {
        self.p = p
        self.options = options
        self.m = p.facilityCount
        self.started = clock.now
        fixed = p.facilities.map {
            switch $0.status {
            case .candidate: nil
            case .forcedOpen: true
            case .forcedClosed: false
            }
        }
    }

    mutating func solve() throws(FacilityLocationError) -> FacilityLocationResult {
        if let reason = FacilityLocationSolver.obviousInfeasibility(p) {
            log("infeasible: \(reason)")
            return finish(.infeasible)
        }
        if let w = options.warmStart {
            guard w.open.count == m, w.assignment.count == p.customerCount else {
                throw .invalidSolution("warm start has \(w.open.count) facilities and \(w.assignment.count) customers, expected \(m) and \(p.customerCount)")
            }
            consider(w, "warm start")
            consider(p.assignment(open: withFixed(w.open)), "warm start re-assigned")
        }
        if options.lagrangian {
            if let done = lagrangianStage() { return done }
        }
        return try branchAndCut()
    }

    // MARK: - Bookkeeping

    func log(_ line: @autoclosure () -> String) { options.log?(line()) }

    var elapsed: Double { (clock.now - started).seconds }

    /// The instant at `share` of the time limit (nil without a limit).
    func deadline(_ share: Double) -> ContinuousClock.Instant? {
        options.timeLimit.map { started + .milliseconds(Int64(max(0, $0) * share * 1000)) }
    }

    func finish(_ status: FacilityLocationResult.Status) -> FacilityLocationResult {
        FacilityLocationResult(
            status: status, solution: best?.solution, objective: best?.cost,
            bound: status == .optimal ? best?.cost : bound.map { b in best.map { min($0.cost, b) } ?? b },
            seconds: elapsed, statistics: stats)
    }

    /// Keeps `s` when it is feasible and cheaper than the incumbent.
    mutating func consider(_ s: FacilityLocationSolution?, _ source: String) {
        guard let s, p.violations(of: s).isEmpty else { return }
        let z = p.objective(of: s)
        if best == nil || z < best!.cost - 1e-9 * max(1, abs(z)) {
            best = (s, z)
            log("incumbent \(z) from \(source)")
        }
    }

    func withFixed(_ open: [Bool]) -> [Bool] { (0..<m).map { fixed[$0] ?? open[$0] } }

    /// Whether `lb` proves the incumbent optimal.
    func closes(_ lb: Double?) -> Bool {
        guard let b = best, let lb else { return false }
        return b.cost - lb <= FacilityLocationSolver.closeEnough * max(1, abs(b.cost))
    }

    /// The Lagrangian heuristic: assigns an open set of the relaxation (once per set), unless
    /// even its uncapacitated cost cannot beat the incumbent. Returns the incumbent's cost.
    mutating func assignOpenSet(_ open: [Bool]) -> Double? {
        let candidate = withFixed(open)
        guard tried.insert(candidate).inserted else { return nil }
        if let b = best, p.uncapacitatedCost(open: candidate) >= b.cost { return nil }
        consider(p.assignment(open: candidate), "Lagrangian heuristic")
        return best?.cost
    }

    // MARK: - Lagrangian stage

    /// Two rounds of subgradient ascent, each followed by local search: round 1 from
    /// λ_j = min_i c_ij, round 2 from the best λ with the (usually much better) incumbent of the
    /// local search as Polyak's target and a smaller step. Then fixing and probing.
    mutating func lagrangianStage() -> Outcome {
        let lrStarted = clock.now
        var lr = FacilityLocationLagrangian(p, fixed: fixed)
        var lb = -Double.infinity
        var lambda: [Double] = []
        var scratch: [(Double, Int)] = []
        for round in 1...2 {
            let share = round == 1 ? 0.3 : 0.45
            let before = best?.cost
            let a = lr.ascend(start: lambda.isEmpty ? nil : lambda, target: best?.cost ?? .infinity,
                              step: round == 1 ? 2 : 0.25, iterations: options.lagrangianIterations / round,
                              deadline: deadline(share)) { assignOpenSet($0) }
            stats.lagrangianIterations += a.iterations
            if a.bound == .infinity {
                log("infeasible: not enough capacity can be opened")
                return finish(.infeasible)
            }
            if a.bound > lb {
                lb = a.bound
                lambda = a.lambda
            }
            log("Lagrangian round \(round): bound \(lb) after \(a.iterations) iterations, \(tried.count) open sets tried, incumbent \(best?.cost ?? .infinity), \(elapsed) s")
            if closes(lb) { break }
            if options.localSearch, let b = best, p.sourcing == .split || p.customerCount <= 300 {
                let e = lr.evaluate(lambda, scratch: &scratch)
                let search = FacilityLocationLocalSearch(p: p, fixed: fixed, lambdaSum: e.lambdaSum, value: e.value)
                let r = search.improve(b.solution, cost: b.cost, deadline: deadline(share + 0.15))
                consider(r.solution, "local search")
                stats.localSearchEvaluations += r.evaluations
                log("local search: \(r.evaluations) open sets assigned, incumbent \(best?.cost ?? .infinity)")
                if closes(lb) { break }
            }
            // A second round only pays when the target moved.
            if round == 1, before != nil, best?.cost == before { break }
        }
        stats.lagrangianSeconds = (clock.now - lrStarted).seconds
        stats.lagrangianBound = lb
        bound = lb
        if closes(lb) { return finish(.optimal) }
        guard options.reducedCostFixing, best != nil else { return nil }
        fixByReducedCosts(&lr, lambda)
        if closes(bound) { return finish(.optimal) }
        if options.probing, fixed.contains(where: { $0 == nil }) { probe(&lr, lambda) }
        let e = lr.evaluate(lambda, scratch: &scratch)
        excluded = lr.excludedPairs(e, lambda: lambda, limit: margin)
        for i in 0..<m { for (j, _) in e.served[i] { seeded.insert(i * p.customerCount + j) } }
        stats.excludedPairs = excluded!.reduce(0) { $0 + ($1 ? 1 : 0) }
        log("reduced-cost fixing: \(stats.fixedOpen) open, \(stats.fixedClosed) closed of \(m); \(stats.excludedPairs) of \(m * p.customerCount) pairs excluded")
        return nil
    }

    /// A bound above this proves that nothing beats the incumbent.
    var margin: Double {
        let ub = best?.cost ?? .infinity
        return ub + FacilityLocationSolver.closeEnough * max(1, abs(ub))
    }

    mutating func fix(_ i: Int, _ value: Bool, _ lr: inout FacilityLocationLagrangian) {
        fixed[i] = value
        lr.fixed[i] = value
        if value { stats.fixedOpen += 1 } else { stats.fixedClosed += 1 }
    }

    /// Fixes y_i to the relaxation's value when flipping it lifts the bound above the incumbent:
    /// no solution better than the incumbent has the flipped value. Each fixing can lift the
    /// bound, so repeat until nothing changes.
    mutating func fixByReducedCosts(_ lr: inout FacilityLocationLagrangian, _ lambda: [Double]) {
        var scratch: [(Double, Int)] = []
        var changed = true
        while changed {
            changed = false
            let e = lr.evaluate(lambda, scratch: &scratch)
            bound = max(bound ?? -.infinity, min(e.bound, best?.cost ?? e.bound))
            if e.bound > margin { return }   // nothing better than the incumbent exists
            for i in 0..<m where fixed[i] == nil && lr.bound(e, forcing: i, open: !e.open[i]) > margin {
                fix(i, e.open[i], &lr)
                changed = true
            }
        }
    }

    /// Lagrangian probing: re-optimises λ with y_i flipped by a short ascent. The flipped bound
    /// of the covering knapsack alone keeps λ as it is; re-optimising often lifts it above the
    /// incumbent. Most promising facilities first, until 60 % of the time limit.
    mutating func probe(_ lr: inout FacilityLocationLagrangian, _ lambda: [Double]) {
        let probeStarted = clock.now
        let until = deadline(0.6)
        var scratch: [(Double, Int)] = []
        let e = lr.evaluate(lambda, scratch: &scratch)
        let order = (0..<m).filter { fixed[$0] == nil }
            .map { ($0, lr.bound(e, forcing: $0, open: !e.open[$0])) }
            .sorted { $0.1 > $1.1 }
        let gap = max(0, (best?.cost ?? 0) - (bound ?? 0))
        for (i, _) in order {
            if let until, clock.now >= until { break }
            var flipped = lr
            flipped.fixed[i] = !e.open[i]
            // Aim a little above the incumbent: reaching it is not enough to fix.
            let target = margin + 0.01 * gap + FacilityLocationSolver.closeEnough * max(1, abs(margin))
            let a = flipped.ascend(start: lambda, target: target, step: 1, iterations: options.probeIterations,
                                   deadline: until) { assignOpenSet($0) }
            stats.probes += 1
            stats.lagrangianIterations += a.iterations
            if a.bound > margin { fix(i, e.open[i], &lr) }
        }
        log("probing: \(stats.probes) facilities probed, now \(stats.fixedOpen) open, \(stats.fixedClosed) closed, \((clock.now - probeStarted).seconds) s")
    }

    // MARK: - Branch-and-cut

    /// GLPK on the strong formulation restricted by the fixings, the incumbent as its start.
    mutating func branchAndCut() throws(FacilityLocationError) -> FacilityLocationResult {
        stats.heuristicObjective = best?.cost
        if let b = best {
            for (j, shares) in b.solution.assignment.enumerated() {
                for sh in shares { seeded.insert(sh.facility * p.customerCount + j) }
            }
        }
        let lazy = switch options.linking {
        case .explicit: false
        case .lazy: true
        case .automatic: m * p.customerCount > options.lazyLinkingAbove
        }
        let fl = FacilityLocationModel(p, fixed: fixed, excluded: excluded, lazyLinking: lazy, seeded: seeded)
        stats.mipVariables = fl.model.variableCount
        stats.mipConstraints = fl.model.constraintCount

        var glpk = SolveOptions()
        glpk.timeLimit = options.timeLimit.map { _ in max(0.001, clock.now.duration(to: deadline(1)!).seconds) }
        glpk.relativeGap = options.relativeGap
        glpk.cuts = options.cuts
        if let b = best, let start = fl.columns(of: b.solution) { glpk.start = start }
        if let sink = options.log { glpk.log = { sink($0) } }
        let links = fl.lazyLinks
        let lazyRows = Counter()
        if !links.isEmpty {
            glpk.callback = { ctx in
                guard ctx.reason == .relaxation else { return false }
                for (x, y) in links where ctx.values[x.index] > ctx.values[y.index] + 1e-6 {
                    if ctx.addRow([(x, 1), (y, -1)], lower: nil, upper: 0) { lazyRows.value += 1 }
                }
                return false
            }
        }
        let mipStarted = clock.now
        let s: Solution
        do { s = try fl.model.solve(glpk) } catch {
            // Keep what the earlier stages found rather than losing it to a GLPK failure.
            guard best != nil else { throw .solver(error.description) }
            log("MIP failed (\(error)); keeping the incumbent")
            stats.mipSeconds = (clock.now - mipStarted).seconds
            return finish(.feasible)
        }
        stats.mipSeconds = (clock.now - mipStarted).seconds
        stats.mipNodes = s.nodes
        stats.lazyRows = lazyRows.value
        log("MIP: \(s.status), objective \(s.objective.map { "\($0)" } ?? "-"), bound \(s.bound.map { "\($0)" } ?? "-"), \(s.nodes) nodes, \(stats.lazyRows) lazy rows, \(stats.mipSeconds) s")

        if s.hasPoint {
            let point = fl.solution(from: s.values, facilityCount: m)
            consider(point, "MIP")
            // Re-assigning the MIP's open set exactly gives integral flows (fewer split customers)
            // and repairs a point that is feasible only to GLPK's tolerances.
            consider(p.assignment(open: withFixed(point.open)), "MIP open set re-assigned")
        }
        switch s.status {
        case .optimal:
            // The fixings exclude only solutions no better than the incumbent.
            return finish(best == nil ? .infeasible : .optimal)
        case .infeasible:
            // With fixings: nothing better than the incumbent exists.
            return finish(best == nil ? .infeasible : .optimal)
        case .feasible, .noSolution, .unbounded:
            if let mb = s.bound { bound = max(bound ?? -.infinity, best.map { min($0.cost, mb) } ?? mb) }
            if closes(bound) { return finish(.optimal) }
            return finish(best == nil ? .noSolution : .feasible)
        }
    }
}

/// A count shared with the GLPK callback (which runs synchronously on the solving thread).
private final class Counter: @unchecked Sendable {
    var value = 0
}
