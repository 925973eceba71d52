import GLPK

/// The strong mixed-integer formulation of the CFLP, as a GLPK model:
///
///     min Σ f_i y_i + Σ c_ij x_ij
///     Σ_i x_ij = 1                 (each customer fully served)
///     Σ_j d_j x_ij ≤ s_i y_i       (capacity of an open facility)
///     x_ij ≤ y_i                   (linking: the "strong" rows, optionally lazy)
///     Σ_i s_i y_i ≥ Σ_j d_j        (aggregate capacity cut)
///     y ∈ {0,1}, x ∈ [0,1] (split) or {0,1} (single)
///
/// The linking rows make the LP relaxation as tight as the Lagrangian bound of the assignment
/// rows (Cornuéjols, Sridharan & Thizy 1991); they are n·m rows, so on large instances they can
/// be left out and added by the branch-and-cut callback when violated.
struct FacilityLocationModel {
    var model: Model
    /// y column of each facility (nil when fixed closed and dropped).
    var y: [Model.Variable?]
    /// Per customer, its (facility, x column) pairs.
    var x: [[(facility: Int, column: Model.Variable)]]
    /// Linking rows left out of the model, to be added lazily.
    var lazyLinks: [(x: Model.Variable, y: Model.Variable)]

    /// - Parameters:
    ///   - fixed: per facility, a value y is fixed to (forced statuses and reduced-cost fixing).
    ///   - lazyLinking: leave the x ≤ y rows out, except where capacity alone cannot enforce
    ///     them (zero-demand customers, zero-capacity facilities).
    ///   - excluded: `excluded[i·n + j]`: pairs left out (see `FacilityLocationLagrangian.excludedPairs`).
    ///   - seeded: with lazy linking, pairs `i·n + j` whose rows are in the model from the start
    ///     (those likely to bind, e.g. used by the Lagrangian relaxation or the incumbent).
    init(_ p: FacilityLocationProblem, fixed: [Bool?], excluded: [Bool]? = nil, lazyLinking: Bool, seeded: Set<Int> = []) {
        let m = p.facilityCount, n = p.customerCount
        var model = Model(name: "cflp")
        var y: [Model.Variable?] = Array(repeating: nil, count: m)
        for i in 0..<m where fixed[i] != false {
            let one = fixed[i] == true
            y[i] = model.addVariable("y\(i)", kind: .binary, lower: one ? 1 : 0, upper: 1,
                                     objective: Double(p.facilities[i].fixedCost))
        }
        let kind: Model.Kind = p.sourcing == .single ? .binary : .continuous
        var x: [[(facility: Int, column: Model.Variable)]] = Array(repeating: [], count: n)
        var byFacility: [[(customer: Int, column: Model.Variable)]] = Array(repeating: [], count: m)
        for j in 0..<n {
            for i in 0..<m where y[i] != nil {
                guard let c = p.cost(i, j), excluded?[i * n + j] != true else { continue }
                // A customer bigger than the facility can only be split (or not served there).
                if p.sourcing == .single && p.demands[j] > p.facilities[i].capacity { continue }
                let v = model.addVariable(nil, kind: kind, lower: 0, upper: 1, objective: Double(c))
                x[j].append((i, v))
                byFacility[i].append((j, v))
            }
        }
        for j in 0..<n {
            model.addConstraint(x[j].map { ($0.column, 1.0) }, equal: 1)
        }
        var lazy: [(x: Model.Variable, y: Model.Variable)] = []
        for i in 0..<m {
            guard let yi = y[i] else { continue }
            var terms: [(Model.Variable, Double)] = byFacility[i].compactMap { e in
                p.demands[e.customer] > 0 ? (e.column, Double(p.demands[e.customer])) : nil
            }
            terms.append((yi, -Double(p.facilities[i].capacity)))
            model.addConstraint(terms, lessOrEqual: 0)
            for e in byFacility[i] {
                let needed = p.demands[e.customer] == 0 || p.facilities[i].capacity == 0
                if lazyLinking && !needed && fixed[i] == nil && !seeded.contains(i * n + e.customer) {
                    lazy.append((e.column, yi))
                } else if fixed[i] != true {
                    model.addConstraint([(e.column, 1), (yi, -1)], lessOrEqual: 0)
                }
            }
        }
        let open = (0..<m).compactMap { i in y[i].map { ($0, Double(p.facilities[i].capacity)) } }
        model.addConstraint(open, greaterOrEqual: Double(p.totalDemand))
        self.model = model
        self.y = y
        self.x = x
        self.lazyLinks = lazy
    }

    /// The column vector of a solution (for `SolveOptions.start`), nil when it does not fit the
    /// model (a fixed y contradicts it, or it uses a pair the model left out).
    func columns(of s: FacilityLocationSolution) -> [Double]? {
        var v = [Double](repeating: 0, count: model.variableCount)
        for (i, yi) in y.enumerated() {
            if let yi { v[yi.index] = s.open[i] ? 1 : 0 } else if s.open[i] { return nil }
        }
        for (j, shares) in s.assignment.enumerated() {
            for sh in shares {
                guard let col = x[j].first(where: { $0.facility == sh.facility })?.column else { return nil }
                v[col.index] = sh.fraction
            }
        }
        for yi in y.compactMap({ $0 }) {
            let (lo, hi) = model.bounds(of: yi)
            if v[yi.index] < (lo ?? 0) || v[yi.index] > (hi ?? 1) { return nil }
        }
        return v
    }

    /// The solution encoded by a column vector; fractions below 1e-9 are dropped and each
    /// customer's shares renormalised to sum to 1.
    func solution(from values: [Double], facilityCount m: Int) -> FacilityLocationSolution {
        var open = [Bool](repeating: false, count: m)
        for (i, yi) in y.enumerated() { if let yi { open[i] = values[yi.index] > 0.5 } }
        let assignment = x.map { pairs in
            normalisedShares(pairs.map { ($0.facility, values[$0.column.index]) })
        }
        return FacilityLocationSolution(open: open, assignment: assignment)
    }
}

/// Shares from raw LP values: tiny ones dropped, the rest scaled to sum to exactly 1, values
/// within 1e-9 of 1 snapped.
func normalisedShares(_ raw: [(Int, Double)]) -> [FacilityLocationSolution.Share] {
    var kept = raw.filter { $0.1 > 1e-9 }.sorted { $0.0 < $1.0 }
    let total = kept.reduce(0.0) { $0 + $1.1 }
    guard total > 0 else { return [] }
    for k in kept.indices { kept[k].1 /= total }
    if let k = kept.firstIndex(where: { $0.1 > 1 - 1e-9 }) { return [.init(facility: kept[k].0, fraction: 1)] }
    return kept.map { .init(facility: $0.0, fraction: $0.1) }
}
