/// Local search over the set of open facilities: drop one, add one, or swap one open for one
/// closed (first improvement), each candidate set assigned exactly (transportation problem for
/// split sourcing). Candidates are screened by two lower bounds on the cost of any solution
/// with exactly that open set, and tried best bound first:
/// - the Lagrangian bound with y fixed: Σ_j λ_j + Σ_{i open} v_i(λ);
/// - fixed costs plus every customer at its cheapest open facility (capacities ignored).
/// (Add/drop/swap neighbourhoods as in Kuehn & Hamburger 1963 and Jacobsen 1983.)
struct FacilityLocationLocalSearch {
    let p: FacilityLocationProblem
    let fixed: [Bool?]
    /// Σ_j λ_j and v_i(λ) of the final Lagrangian multipliers, when there are any.
    let lambdaSum: Double?
    let value: [Double]

    /// The improved solution and its cost; `start` itself when nothing better is found before
    /// `deadline`. `evaluations` counts the assignments solved.
    func improve(
        _ start: FacilityLocationSolution, cost: Double, deadline: ContinuousClock.Instant?
    ) -> (solution: FacilityLocationSolution, cost: Double, evaluations: Int) {
        let m = p.facilityCount, n = p.customerCount
        let clock = ContinuousClock()
        var best = (start, cost)
        var evaluations = 0
        let free = (0..<m).filter { fixed[$0] == nil }
        let need = p.totalDemand
        var improved = true
        while improved {
            improved = false
            let open = best.0.open
            let capacity = (0..<m).filter { open[$0] }.reduce(Int64(0)) { $0 + p.facilities[$1].capacity }
            // Per customer, the cheapest and second-cheapest open facility (for the screen).
            var first = [Int64](repeating: FacilityLocationProblem.forbidden, count: n)
            var firstAt = [Int](repeating: -1, count: n)
            var second = [Int64](repeating: FacilityLocationProblem.forbidden, count: n)
            for i in 0..<m where open[i] {
                for j in 0..<n {
                    let c = p.costs[i * n + j]
                    if c < first[j] {
                        second[j] = first[j]
                        first[j] = c
                        firstAt[j] = i
                    } else if c < second[j] {
                        second[j] = c
                    }
                }
            }
            var fixedTotal = 0.0, lagrangian = lambdaSum ?? 0
            for i in 0..<m where open[i] {
                fixedTotal += Double(p.facilities[i].fixedCost)
                lagrangian += value[i]
            }
            func uncapacitated(drop: Int?, add: Int?) -> Double {
                var z = fixedTotal - (drop.map { Double(p.facilities[$0].fixedCost) } ?? 0)
                    + (add.map { Double(p.facilities[$0].fixedCost) } ?? 0)
                for j in 0..<n {
                    var c = firstAt[j] == drop ? second[j] : first[j]
                    if let add { c = min(c, p.costs[add * n + j]) }
                    if c == FacilityLocationProblem.forbidden { return .infinity }
                    z += Double(c)
                }
                return z
            }
            var candidates: [(bound: Double, drop: Int?, add: Int?)] = []
            let threshold = best.1 - 1e-9 * max(1, abs(best.1))
            func offer(drop: Int?, add: Int?) {
                let cap = capacity - (drop.map { p.facilities[$0].capacity } ?? 0) + (add.map { p.facilities[$0].capacity } ?? 0)
                guard cap >= need else { return }
                var bound = -Double.infinity
                if lambdaSum != nil {
                    bound = lagrangian - (drop.map { value[$0] } ?? 0) + (add.map { value[$0] } ?? 0)
                    if bound >= threshold { return }
                }
                bound = max(bound, uncapacitated(drop: drop, add: add))
                if bound < threshold { candidates.append((bound, drop, add)) }
            }
            for i in free where open[i] { offer(drop: i, add: nil) }
            for i in free where !open[i] { offer(drop: nil, add: i) }
            for i in free where open[i] {
                for a in free where !open[a] { offer(drop: i, add: a) }
            }
            candidates.sort { $0.bound < $1.bound }
            for c in candidates {
                if let deadline, clock.now >= deadline { return (best.0, best.1, evaluations) }
                var next = open
                if let d = c.drop { next[d] = false }
                if let a = c.add { next[a] = true }
                evaluations += 1
                guard let s = p.assignment(open: next) else { continue }
                let z = p.objective(of: s)
                if z < threshold {
                    best = (s, z)
                    improved = true
                    break
                }
            }
        }
        return (best.0, best.1, evaluations)
    }
}
