/// Lagrangian relaxation of the CFLP's assignment rows Σ_i x_ij = 1 with multipliers λ_j
/// (Cornuéjols, Sridharan & Thizy 1991, "A comparison of heuristics and relaxations for the
/// capacitated plant location problem"; subgradient ascent after Beasley 1993, "Lagrangean
/// heuristics for location problems"):
///
///     L(λ) = Σ_j λ_j + min Σ_i v_i(λ) y_i   s.t.  Σ_i s_i y_i ≥ Σ_j d_j,  y binary,
///     v_i(λ) = f_i + min { Σ_j (c_ij − λ_j) x_ij : Σ_j d_j x_ij ≤ s_i, 0 ≤ x_ij ≤ 1 }.
///
/// Each v_i is a continuous knapsack (greedy by ratio, O(n log n)); the y problem is a covering
/// knapsack, solved exactly by dynamic programming over capacity units (or, when that table
/// would be too large, by its LP relaxation, which still gives a valid bound). Without the
/// covering row, max_λ L(λ) equals the strong LP bound; with it the bound can only be stronger.
/// For single sourcing the same bound is valid (it relaxes integrality of x).
struct FacilityLocationLagrangian {
    let p: FacilityLocationProblem
    let m: Int, n: Int
    /// Facilities the relaxation may open (not forced closed, not fixed closed).
    var fixed: [Bool?]
    /// c_ij as Double, +∞ for forbidden pairs (the hot loop reads these).
    let cost: [Double]
    let demand: [Double]

    init(_ p: FacilityLocationProblem, fixed: [Bool?]) {
        self.p = p
        self.m = p.facilityCount
        self.n = p.customerCount
        self.fixed = fixed
        cost = p.costs.map { $0 == FacilityLocationProblem.forbidden ? .infinity : Double($0) }
        demand = p.demands.map(Double.init)
    }

    /// One evaluation of L(λ).
    struct Evaluation {
        /// L(λ); +∞ when the covering row cannot be met.
        var bound: Double
        /// v_i(λ) per facility (+∞ for fixed-closed ones).
        var value: [Double]
        /// The relaxation's y.
        var open: [Bool]
        /// Per facility, the knapsack's x as (customer, fraction).
        var served: [[(Int, Double)]]
        /// Per facility, the per-unit value of the marginal knapsack item when the capacity is
        /// full (forcing in a unit of another customer displaces one of it), else 0.
        var threshold: [Double]
        /// Σ_j λ_j.
        var lambdaSum: Double
    }

    /// One facility's knapsack: v_i(λ), its x, and its marginal per-unit value.
    struct Knapsack {
        var value: Double
        var served: [(Int, Double)]
        var threshold: Double
    }

    /// v_i(λ): the continuous knapsack over customers with negative reduced cost c_ij − λ_j,
    /// greedy by reduced cost per unit of demand (Dantzig). `scratch` holds (ratio, customer).
    func facilityValue(_ i: Int, _ lambda: [Double], scratch: inout [(Double, Int)]) -> Knapsack {
        scratch.removeAll(keepingCapacity: true)
        var v = Double(p.facilities[i].fixedCost)
        var chosen: [(Int, Double)] = []
        var wanted = 0.0
        cost.withUnsafeBufferPointer { c in
            lambda.withUnsafeBufferPointer { l in
                demand.withUnsafeBufferPointer { d in
                    let base = i * n
                    for j in 0..<n {
                        let r = c[base + j] - l[j]   // +∞ for a forbidden pair
                        guard r < 0 else { continue }
                        if d[j] == 0 {
                            v += r
                            chosen.append((j, 1))
                        } else {
                            scratch.append((r / d[j], j))
                            wanted += d[j]
                        }
                    }
                }
            }
        }
        var room = Double(p.facilities[i].capacity)
        // When every attractive customer fits, no order is needed (common with ample capacity).
        if wanted > room { scratch.sort { $0.0 < $1.0 } }
        var marginal = -Double.infinity
        for (ratio, j) in scratch {
            guard room > 0 else { break }
            let d = demand[j]
            marginal = max(marginal, ratio)
            if d <= room {
                v += ratio * d
                room -= d
                chosen.append((j, 1))
            } else {
                v += ratio * room
                chosen.append((j, room / d))
                room = 0
            }
        }
        return Knapsack(value: v, served: chosen, threshold: room > 0 || marginal == -.infinity ? 0 : marginal)
    }

    func evaluate(_ lambda: [Double], scratch: inout [(Double, Int)]) -> Evaluation {
        var value = [Double](repeating: .infinity, count: m)
        var served: [[(Int, Double)]] = Array(repeating: [], count: m)
        var threshold = [Double](repeating: 0, count: m)
        for i in 0..<m where fixed[i] != false {
            let k = facilityValue(i, lambda, scratch: &scratch)
            value[i] = k.value
            served[i] = k.served
            threshold[i] = k.threshold
        }
        let lambdaSum = lambda.reduce(0, +)
        guard let (cover, open) = coverKnapsack(value) else {
            return Evaluation(bound: .infinity, value: value, open: Array(repeating: false, count: m),
                              served: served, threshold: threshold, lambdaSum: lambdaSum)
        }
        return Evaluation(bound: lambdaSum + cover, value: value, open: open, served: served,
                          threshold: threshold, lambdaSum: lambdaSum)
    }

    /// The bound with y_i forced to `open` (others as fixed), +∞ when that is infeasible.
    func bound(_ e: Evaluation, forcing i: Int, open: Bool) -> Double {
        if e.open[i] == open { return e.bound }
        var probe = self
        probe.fixed[i] = open
        return probe.coverKnapsack(e.value).map { e.lambdaSum + $0.0 } ?? .infinity
    }

    /// Pairs (i, j) that no solution cheaper than `limit` uses with a whole unit of demand:
    /// forcing one unit of j into facility i costs at least (c_ij − λ_j)/d_j − θ_i on top of the
    /// bound with y_i = 1. Since the transportation problem for fixed y has integral optimal
    /// flows (its matrix is totally unimodular), some optimal solution avoids them entirely.
    /// Customers of zero demand are never excluded.
    func excludedPairs(_ e: Evaluation, lambda: [Double], limit: Double) -> [Bool] {
        var excluded = [Bool](repeating: false, count: m * n)
        for i in 0..<m where fixed[i] != false {
            let base = bound(e, forcing: i, open: true)
            if base > limit {
                for j in 0..<n { excluded[i * n + j] = true }
                continue
            }
            var inKnapsack = Set<Int>()
            for (j, _) in e.served[i] { inKnapsack.insert(j) }
            for j in 0..<n where p.demands[j] > 0 && !inKnapsack.contains(j) {
                let c = p.costs[i * n + j]
                if c == FacilityLocationProblem.forbidden { continue }
                let delta = (Double(c) - lambda[j]) / Double(p.demands[j]) - e.threshold[i]
                if base + max(0, delta) > limit { excluded[i * n + j] = true }
            }
        }
        return excluded
    }

    /// min Σ v_i y_i s.t. Σ s_i y_i ≥ D with fixings; nil when infeasible. Returns the value (a
    /// lower bound on the integer optimum) and a y that covers D.
    func coverKnapsack(_ v: [Double]) -> (Double, [Bool])? {
        var open = [Bool](repeating: false, count: m)
        var total = 0.0
        var covered: Int64 = 0
        var free: [Int] = []
        for i in 0..<m {
            switch fixed[i] {
            case true?:
                open[i] = true
                total += v[i]
                covered += p.facilities[i].capacity
            case false?: break
            case nil:
                // Opening a facility of non-positive value only helps.
                if v[i] <= 0 {
                    open[i] = true
                    total += v[i]
                    covered += p.facilities[i].capacity
                } else {
                    free.append(i)
                }
            }
        }
        let need = p.totalDemand - covered
        if need <= 0 { return (total, open) }
        let reachable = free.reduce(Int64(0)) { $0 + p.facilities[$1].capacity }
        guard reachable >= need else { return nil }

        // Exact DP in units of the gcd of the capacities when the table is small.
        var g: Int64 = 0
        for i in free { g = gcd(g, p.facilities[i].capacity) }
        let units = g > 0 ? Int((need + g - 1) / g) : 0
        if g > 0, free.count * (units + 1) <= 4_000_000 {
            var best = [Double](repeating: .infinity, count: units + 1)
            best[0] = 0
            var take = [Bool](repeating: false, count: free.count * (units + 1))
            for (k, i) in free.enumerated() {
                let w = Int(p.facilities[i].capacity / g)
                if w == 0 { continue }
                for u in stride(from: units, through: 1, by: -1) {
                    let from = max(0, u - w)
                    let c = best[from] + v[i]
                    if c < best[u] {
                        best[u] = c
                        take[k * (units + 1) + u] = true
                    }
                }
            }
            guard best[units].isFinite else { return nil }
            var u = units
            for k in stride(from: free.count - 1, through: 0, by: -1) where u > 0 {
                if take[k * (units + 1) + u] {
                    let i = free[k]
                    open[i] = true
                    u = max(0, u - Int(p.facilities[i].capacity / g))
                }
            }
            return (total + best[units], open)
        }
        // LP relaxation (Dantzig): by value per capacity; the bound uses the fractional last item,
        // the y rounds it up.
        let order = free.filter { p.facilities[$0].capacity > 0 }
            .sorted { v[$0] / Double(p.facilities[$0].capacity) < v[$1] / Double(p.facilities[$1].capacity) }
        var left = Double(need)
        for i in order where left > 0 {
            let s = Double(p.facilities[i].capacity)
            open[i] = true
            total += v[i] * min(1, left / s)
            left -= s
        }
        return (total, open)
    }

    /// Subgradient ascent from `start` (or λ_j = min_i c_ij). `target` is the best known upper
    /// bound (Polyak's step); `onOpenSet` is called with the relaxation's y when it changes, so the
    /// caller can turn it into a feasible solution and return its cost (a new target).
    func ascend(
        start: [Double]?, target initialTarget: Double, step initialStep: Double = 2, iterations: Int,
        deadline: ContinuousClock.Instant?,
        onOpenSet: ([Bool]) -> Double?
    ) -> (bound: Double, lambda: [Double], iterations: Int) {
        var lambda = start ?? initialLambda()
        var best = -Double.infinity
        var bestLambda = lambda
        var target = initialTarget
        var step = initialStep
        var sinceImproved = 0
        var scratch: [(Double, Int)] = []
        scratch.reserveCapacity(n)
        var lastOpen: [Bool] = []
        var checkpoint = -Double.infinity
        var k = 0
        let clock = ContinuousClock()
        while k < iterations {
            k += 1
            let e = evaluate(lambda, scratch: &scratch)
            if !e.bound.isFinite { return (.infinity, lambda, k) }
            if best == -.infinity || e.bound > best + 1e-9 * max(1, abs(best)) {
                best = e.bound
                bestLambda = lambda
                sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= 20 {
                    step /= 2
                    sinceImproved = 0
                    lambda = bestLambda
                }
            }
            if e.open != lastOpen {
                lastOpen = e.open
                if let z = onOpenSet(e.open), z < target { target = z }
            }
            if target.isFinite, target - best <= 1e-9 * max(1, abs(target)) { break }
            if step < 1e-5 { break }
            // Stop when the last 100 steps closed under 1% of the remaining gap and under 1e-5
            // of the bound: the tail of a subgradient ascent is slow, the MIP closes the rest
            // better. (The second test keeps a poor target from stopping it early.)
            if k % 100 == 0 {
                let gained = best - checkpoint
                if target.isFinite, gained < 0.01 * (target - best), gained < 1e-5 * abs(best) { break }
                checkpoint = best
            }
            if let deadline, k % 8 == 0, clock.now >= deadline { break }
            // g_j = 1 − Σ_{i open} x_ij.
            var g = [Double](repeating: 1, count: n)
            for i in 0..<m where e.open[i] {
                for (j, f) in e.served[i] { g[j] -= f }
            }
            var norm = 0.0
            for j in 0..<n { norm += g[j] * g[j] }
            if norm < 1e-12 { break }   // the relaxation's x is feasible: L = its cost, optimal λ
            let goal = target.isFinite ? target : best + 0.05 * max(1, abs(best))
            let t = step * max(goal - e.bound, 1e-9 * max(1, abs(goal))) / norm
            for j in 0..<n { lambda[j] += t * g[j] }
        }
        return (best, bestLambda, k)
    }

    func initialLambda() -> [Double] {
        (0..<n).map { j in
            var lo = Double.infinity
            for i in 0..<m where fixed[i] != false {
                let c = p.costs[i * n + j]
                if c != FacilityLocationProblem.forbidden { lo = min(lo, Double(c)) }
            }
            return lo.isFinite ? lo : 0
        }
    }
}

func gcd(_ a: Int64, _ b: Int64) -> Int64 {
    var (a, b) = (abs(a), abs(b))
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
