import GLPK

public struct FacilityLocationOptions: Sendable {
    /// How the linking rows x_ij ≤ y_i enter the MIP.
    public enum Linking: String, Sendable, CaseIterable {
        /// Explicit when the model is small, lazy from `lazyLinkingAbove` pairs on.
        case automatic
        /// All m·n rows in the model from the start.
        case explicit
        /// Added by the branch-and-cut callback when the node relaxation violates them.
        case lazy
    }

    /// Wall-clock limit for the whole solve, seconds; nil: none.
    public var timeLimit: Double?
    /// Stop when the relative gap falls below this; nil: prove optimality.
    public var relativeGap: Double?
    /// A known solution (e.g. today's network) used as the first incumbent; its open set is
    /// re-assigned optimally too, so a start that no longer fits the capacities still helps.
    public var warmStart: FacilityLocationSolution?
    /// Lagrangian bound and heuristic before the MIP: a first incumbent, a bound, and
    /// reduced-cost fixing of facilities.
    public var lagrangian = true
    /// Upper limit on subgradient iterations.
    public var lagrangianIterations = 3000
    /// After reduced-cost fixing, re-optimise λ with each free y_i flipped (a short ascent of
    /// `probeIterations` steps) and fix y_i when that bound exceeds the incumbent.
    public var probing = true
    public var probeIterations = 80
    /// Drop/add/swap local search on the open set after the Lagrangian stage.
    public var localSearch = true
    /// Fix y_i where the Lagrangian bound with y_i flipped exceeds the incumbent.
    public var reducedCostFixing = true
    public var linking: Linking = .automatic
    /// Facility × customer pairs from which `.automatic` makes the linking rows lazy.
    public var lazyLinkingAbove = 20_000
    /// GLPK's cutting planes (MIR, Gomory, cover, clique).
    public var cuts = true
    /// Progress lines (ours and GLPK's).
    public var log: (@Sendable (String) -> Void)?

    public init() {}
}

public struct FacilityLocationResult: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Proven optimal (within GLPK's tolerances).
        case optimal
        /// A feasible solution; stopped by the time limit or the gap before proving optimality.
        case feasible
        case infeasible
        /// Stopped before any feasible solution was found.
        case noSolution = "no-solution"
    }

    public var status: Status
    public var solution: FacilityLocationSolution?
    /// Cost of `solution` in the problem's units (fixed + Σ c_ij · fraction).
    public var objective: Double?
    /// A proven lower bound on the optimum, when known.
    public var bound: Double?
    public var seconds: Double
    public var statistics: FacilityLocationStatistics

    /// (objective − bound) / max(1, |objective|).
    public var gap: Double? {
        guard let z = objective, let b = bound else { return nil }
        return max(0, z - b) / max(1, abs(z))
    }
}

/// What each stage contributed (for logs and the benchmark report).
public struct FacilityLocationStatistics: Sendable, Equatable {
    public var lagrangianBound: Double?
    public var lagrangianIterations = 0
    public var lagrangianSeconds = 0.0
    /// Best cost found before the MIP (warm start, Lagrangian heuristic, local search).
    public var heuristicObjective: Double?
    public var localSearchEvaluations = 0
    public var localSearchSeconds = 0.0
    public var fixedOpen = 0
    public var fixedClosed = 0
    /// Facilities probed (see `FacilityLocationOptions.probing`).
    public var probes = 0
    /// Facility–customer pairs left out of the MIP by Lagrangian reduced costs.
    public var excludedPairs = 0
    public var mipVariables = 0
    public var mipConstraints = 0
    public var mipNodes = 0
    public var mipSeconds = 0.0
    public var lazyRows = 0
    public init() {}
}

/// Solves the CFLP: Lagrangian bound and incumbent, reduced-cost fixing, then GLPK's
/// branch-and-cut on the strong formulation (`FacilityLocationModel`) with the incumbent as
/// its start.
public enum FacilityLocationSolver {
    /// Relative tolerance under which bound and incumbent count as equal.
    static let closeEnough = 1e-9

    public static func solve(
        _ p: FacilityLocationProblem, options: FacilityLocationOptions = FacilityLocationOptions()
    ) throws(FacilityLocationError) -> FacilityLocationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = options.timeLimit.map { started + .milliseconds(Int64(max(0, $0) * 1000)) }
        func remaining() -> Double? { deadline.map { max(0.001, (clock.now.duration(to: $0)).seconds) } }
        let log = options.log
        var stats = FacilityLocationStatistics()
        let m = p.facilityCount

        func finish(_ status: FacilityLocationResult.Status, _ best: (FacilityLocationSolution, Double)?, _ bound: Double?) -> FacilityLocationResult {
            FacilityLocationResult(status: status, solution: best?.0, objective: best?.1, bound: bound,
                                   seconds: (clock.now - started).seconds, statistics: stats)
        }

        if let reason = obviousInfeasibility(p) {
            log?("infeasible: \(reason)")
            return finish(.infeasible, nil, nil)
        }
        var fixed: [Bool?] = p.facilities.map {
            switch $0.status {
            case .candidate: nil
            case .forcedOpen: true
            case .forcedClosed: false
            }
        }

        var best: (FacilityLocationSolution, Double)?
        func consider(_ s: FacilityLocationSolution?, _ source: String) {
            guard let s, p.violations(of: s).isEmpty else { return }
            let z = p.objective(of: s)
            if best == nil || z < best!.1 - 1e-9 * max(1, abs(z)) {
                best = (s, z)
                log?("incumbent \(z) from \(source)")
            }
        }
        func withForced(_ open: [Bool]) -> [Bool] {
            (0..<m).map { fixed[$0] ?? open[$0] }
        }

        if let w = options.warmStart {
            guard w.open.count == m, w.assignment.count == p.customerCount else {
                throw .invalidSolution("warm start has \(w.open.count) facilities and \(w.assignment.count) customers, expected \(m) and \(p.customerCount)")
            }
            consider(w, "warm start")
            consider(p.assignment(open: withForced(w.open)), "warm start re-assigned")
        }

        var bound: Double?
        var excluded: [Bool]?
        var seeded = Set<Int>()
        if options.lagrangian {
            let lrStarted = clock.now
            var lr = FacilityLocationLagrangian(p, fixed: fixed)
            var tried = Set<[Bool]>()
            func heuristic(_ open: [Bool]) -> Double? {
                let candidate = withForced(open)
                guard tried.insert(candidate).inserted else { return nil }
                // Skip open sets that cannot beat the incumbent even without capacities.
                if let b = best, p.uncapacitatedCost(open: candidate) >= b.1 { return nil }
                consider(p.assignment(open: candidate), "Lagrangian heuristic")
                return best?.1
            }
            func closed(_ lb: Double) -> Bool {
                guard let b = best else { return false }
                return b.1 - lb <= closeEnough * max(1, abs(b.1))
            }
            // Round 1 from λ_j = min_i c_ij; round 2 restarts from the best λ with the (usually
            // much better) incumbent of the local search as Polyak's target and a smaller step.
            var lb = -Double.infinity
            var lambda: [Double]?
            var scratch: [(Double, Int)] = []
            for round in 1...2 {
                let share = round == 1 ? 0.3 : 0.45
                let deadline = options.timeLimit.map { started + .milliseconds(Int64(max(0, $0) * share * 1000)) }
                let before = best?.1
                let a = lr.ascend(start: lambda, target: best?.1 ?? .infinity, step: round == 1 ? 2 : 0.25,
                                  iterations: options.lagrangianIterations / round, deadline: deadline, onOpenSet: heuristic)
                stats.lagrangianIterations += a.iterations
                if a.bound == .infinity {
                    log?("infeasible: not enough capacity can be opened")
                    return finish(.infeasible, nil, nil)
                }
                if a.bound > lb {
                    lb = a.bound
                    lambda = a.lambda
                }
                log?("Lagrangian round \(round): bound \(lb) after \(a.iterations) iterations, \(tried.count) open sets tried, incumbent \(best?.1 ?? .infinity), \((clock.now - started).seconds) s")
                if closed(lb) { break }
                if options.localSearch, let b = best, p.sourcing == .split || p.customerCount <= 300 {
                    let e = lr.evaluate(lambda!, scratch: &scratch)
                    let search = FacilityLocationLocalSearch(p: p, fixed: fixed, lambdaSum: e.lambdaSum, value: e.value)
                    let lsDeadline = options.timeLimit.map { started + .milliseconds(Int64(max(0, $0) * (share + 0.15) * 1000)) }
                    let r = search.improve(b.0, cost: b.1, deadline: lsDeadline)
                    consider(r.solution, "local search")
                    stats.localSearchEvaluations += r.evaluations
                    log?("local search: \(r.evaluations) open sets assigned, incumbent \(best?.1 ?? .infinity)")
                    if closed(lb) { break }
                }
                // A second round only pays when the target moved.
                if best?.1 == before && round == 1 && before != nil { break }
            }
            stats.lagrangianSeconds = (clock.now - lrStarted).seconds
            stats.lagrangianBound = lb
            bound = lb
            if let b = best, closed(lb) { return finish(.optimal, b, b.1) }

            if options.reducedCostFixing, let ub = best?.1, let lambda {
                // Fix y_i to the relaxation's value when flipping it lifts the bound above the
                // incumbent: no solution better than the incumbent has the flipped value. Each
                // fixing can lift the bound, so repeat until nothing changes.
                let margin = ub + closeEnough * max(1, abs(ub))
                var changed = true
                while changed {
                    changed = false
                    let e = lr.evaluate(lambda, scratch: &scratch)
                    if e.bound > margin { break }   // nothing better than the incumbent exists
                    for i in 0..<m where fixed[i] == nil {
                        if lr.bound(e, forcing: i, open: !e.open[i]) > margin {
                            fixed[i] = e.open[i]
                            lr.fixed[i] = e.open[i]
                            if e.open[i] { stats.fixedOpen += 1 } else { stats.fixedClosed += 1 }
                            changed = true
                        }
                    }
                    bound = max(bound ?? -.infinity, min(e.bound, ub))
                }
                if options.probing, fixed.contains(where: { $0 == nil }) {
                    // Lagrangian probing: re-optimise λ with y_i flipped. The flipped bound of the
                    // cover knapsack alone keeps λ fixed; a short ascent often lifts it above the
                    // incumbent. Most promising facilities first.
                    let probeStarted = clock.now
                    let probeDeadline = options.timeLimit.map { started + .milliseconds(Int64(max(0, $0) * 600)) }
                    let e = lr.evaluate(lambda, scratch: &scratch)
                    let order = (0..<m).filter { fixed[$0] == nil }
                        .map { ($0, lr.bound(e, forcing: $0, open: !e.open[$0])) }
                        .sorted { $0.1 > $1.1 }
                    for (i, _) in order {
                        if let probeDeadline, clock.now >= probeDeadline { break }
                        var probe = lr
                        probe.fixed[i] = !e.open[i]
                        // Aim a little above the incumbent: reaching it is not enough to fix.
                        let target = (best?.1 ?? ub) + 0.01 * max(0, ub - (bound ?? ub)) + 2 * closeEnough * max(1, abs(ub))
                        let a = probe.ascend(start: lambda, target: target, step: 1, iterations: options.probeIterations,
                                             deadline: probeDeadline, onOpenSet: heuristic)
                        stats.probes += 1
                        stats.lagrangianIterations += a.iterations
                        if a.bound > (best?.1 ?? ub) + closeEnough * max(1, abs(ub)) {
                            fixed[i] = e.open[i]
                            lr.fixed[i] = e.open[i]
                            if e.open[i] { stats.fixedOpen += 1 } else { stats.fixedClosed += 1 }
                        }
                    }
                    log?("probing: \(stats.probes) facilities probed, now \(stats.fixedOpen) open, \(stats.fixedClosed) closed, \((clock.now - probeStarted).seconds) s")
                }
                let e = lr.evaluate(lambda, scratch: &scratch)
                excluded = lr.excludedPairs(e, lambda: lambda, limit: margin)
                for i in 0..<m { for (j, _) in e.served[i] { seeded.insert(i * p.customerCount + j) } }
                stats.excludedPairs = excluded!.reduce(0) { $0 + ($1 ? 1 : 0) }
                log?("reduced-cost fixing: \(stats.fixedOpen) open, \(stats.fixedClosed) closed of \(m); \(stats.excludedPairs) of \(m * p.customerCount) pairs excluded")
                if let b = best, let lb = bound, closed(lb) { return finish(.optimal, b, b.1) }
            }
        }

        stats.heuristicObjective = best?.1
        if let b = best {
            for (j, shares) in b.0.assignment.enumerated() { for sh in shares { seeded.insert(sh.facility * p.customerCount + j) } }
        }
        let lazy = switch options.linking {
        case .explicit: false
        case .lazy: true
        case .automatic: p.facilityCount * p.customerCount > options.lazyLinkingAbove
        }
        let fl = FacilityLocationModel(p, fixed: fixed, excluded: excluded, lazyLinking: lazy, seeded: seeded)
        stats.mipVariables = fl.model.variableCount
        stats.mipConstraints = fl.model.constraintCount

        var glpk = SolveOptions()
        glpk.timeLimit = remaining()
        glpk.relativeGap = options.relativeGap
        glpk.cuts = options.cuts
        if let b = best, let start = fl.columns(of: b.0) {
            glpk.start = start
        }
        if let log {
            glpk.log = { log($0) }
        }
        let links = fl.lazyLinks
        let lazyCount = Counter()
        if !links.isEmpty {
            glpk.callback = { ctx in
                guard ctx.reason == .relaxation else { return false }
                for (x, y) in links where ctx.values[x.index] > ctx.values[y.index] + 1e-6 {
                    if ctx.addRow([(x, 1), (y, -1)], lower: nil, upper: 0) { lazyCount.value += 1 }
                }
                return false
            }
        }
        let mipStarted = clock.now
        let s: Solution
        do { s = try fl.model.solve(glpk) } catch {
            // Keep what the earlier stages found rather than losing it to a GLPK failure.
            guard let b = best else { throw .solver(error.description) }
            log?("MIP failed (\(error)); keeping the incumbent")
            stats.mipSeconds = (clock.now - mipStarted).seconds
            return finish(.feasible, b, bound.map { min($0, b.1) })
        }
        stats.mipSeconds = (clock.now - mipStarted).seconds
        stats.mipNodes = s.nodes
        stats.lazyRows = lazyCount.value
        log?("MIP: \(s.status), objective \(s.objective.map { "\($0)" } ?? "-"), bound \(s.bound.map { "\($0)" } ?? "-"), \(s.nodes) nodes, \(stats.lazyRows) lazy rows, \(stats.mipSeconds) s")

        if s.hasPoint { consider(fl.solution(from: s.values, facilityCount: m), "MIP") }
        switch s.status {
        case .optimal:
            // The MIP was restricted by fixings that exclude only solutions no better than the
            // incumbent, so its optimum (or the incumbent) is optimal.
            return finish(.optimal, best, best?.1)
        case .infeasible:
            // With fixings: nothing better than the incumbent exists.
            if let b = best { return finish(.optimal, b, b.1) }
            return finish(.infeasible, nil, nil)
        case .feasible, .noSolution, .unbounded:
            if let mb = s.bound {
                let restricted = best.map { min($0.1, mb) } ?? mb
                bound = max(bound ?? -.infinity, restricted)
            }
            if let b = best, let lb = bound, b.1 - lb <= closeEnough * max(1, abs(b.1)) {
                return finish(.optimal, b, b.1)
            }
            return finish(best == nil ? .noSolution : .feasible, best, bound)
        }
    }

    /// A customer no allowed facility can serve, or too little capacity overall.
    static func obviousInfeasibility(_ p: FacilityLocationProblem) -> String? {
        let m = p.facilityCount
        for j in 0..<p.customerCount {
            let ok = (0..<m).contains { i in
                p.facilities[i].status != .forcedClosed && p.isAllowed(i, j)
                    && (p.sourcing == .split || p.facilities[i].capacity >= p.demands[j])
            }
            if !ok { return "customer \(j) has no facility that may serve it" }
        }
        let capacity = p.facilities.filter { $0.status != .forcedClosed }.reduce(Int64(0)) { $0 + $1.capacity }
        if capacity < p.totalDemand { return "total capacity \(capacity) is below total demand \(p.totalDemand)" }
        return nil
    }
}

/// A count shared with the GLPK callback (which runs synchronously on the solving thread).
private final class Counter: @unchecked Sendable {
    var value = 0
}

extension Duration {
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
    }
}
