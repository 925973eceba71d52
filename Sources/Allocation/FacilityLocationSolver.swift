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

/// Solves the CFLP in stages (`FacilityLocationRun`): Lagrangian bound and incumbent, local
/// search, reduced-cost fixing and probing, then GLPK's branch-and-cut on the strong
/// formulation (`FacilityLocationModel`) with the incumbent as its start.
public enum FacilityLocationSolver {
    /// Relative tolerance under which bound and incumbent count as equal.
    static let closeEnough = 1e-9

    public static func solve(
        _ p: FacilityLocationProblem, options: FacilityLocationOptions = FacilityLocationOptions()
    ) throws(FacilityLocationError) -> FacilityLocationResult {
        var run = FacilityLocationRun(p, options: options)
        return try run.solve()
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

extension Duration {
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
    }
}
