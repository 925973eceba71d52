/// Two subpopulations (feasible, infeasible) with survivor selection by biased fitness: rank by
/// cost plus rank by contribution to diversity (Vidal et al. 2012, "A hybrid genetic algorithm
/// for multidepot and periodic vehicle routing problems"; parameters of HGS-CVRP 2022).
struct Population {
    var feasible: [Individual] = []
    var infeasible: [Individual] = []
    let mu = 25
    let lambda = 40
    let elite = 4
    let close = 5
    let sd: SearchData

    init(_ sd: SearchData) { self.sd = sd }

    var isEmpty: Bool { feasible.isEmpty && infeasible.isEmpty }

    mutating func add(_ ind: Individual) {
        if ind.isFeasible { Population.insert(ind, into: &feasible, sd) } else { Population.insert(ind, into: &infeasible, sd) }
        if feasible.count > mu + lambda { Population.survivors(&feasible, mu: mu, elite: elite, close: close) }
        if infeasible.count > mu + lambda { Population.survivors(&infeasible, mu: mu, elite: elite, close: close) }
    }

    static func insert(_ ind: Individual, into pop: inout [Individual], _ sd: SearchData) {
        let id = ObjectIdentifier(ind)
        for o in pop {
            let d = ind.distance(to: o, sd)
            insertSorted(&o.proximity, (d, id))
            insertSorted(&ind.proximity, (d, ObjectIdentifier(o)))
        }
        // Keep the subpopulation sorted by penalised cost.
        var k = pop.count
        pop.append(ind)
        while k > 0 && pop[k - 1].penalised > ind.penalised { pop[k] = pop[k - 1]; k -= 1 }
        pop[k] = ind
    }

    static func insertSorted(_ a: inout [(Double, ObjectIdentifier)], _ e: (Double, ObjectIdentifier)) {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m].0 < e.0 { lo = m + 1 } else { hi = m } }
        a.insert(e, at: lo)
    }

    static func updateFitness(_ pop: [Individual], elite: Int, close: Int) {
        let n = pop.count
        guard n > 1 else { pop.first?.biasedFitness = 0; return }
        // pop is sorted by cost: index = cost rank.
        let avg = pop.map { $0.averageClosest(close) }
        let byDiversity = (0..<n).sorted { a, b in avg[a] != avg[b] ? avg[a] > avg[b] : a < b }
        for (divRank, i) in byDiversity.enumerated() {
            let fit = Double(i) / Double(n - 1), div = Double(divRank) / Double(n - 1)
            pop[i].biasedFitness = n <= elite ? fit : fit + (1 - Double(elite) / Double(n)) * div
        }
    }

    static func survivors(_ pop: inout [Individual], mu: Int, elite: Int, close: Int) {
        while pop.count > mu {
            updateFitness(pop, elite: elite, close: close)
            var worst = 1
            var worstClone = false
            var worstFit = -Double.infinity
            for i in 1..<pop.count {
                let clone = (pop[i].proximity.first?.0 ?? 1) < 1e-9
                if (clone && !worstClone) || (clone == worstClone && pop[i].biasedFitness > worstFit) {
                    worst = i; worstClone = clone; worstFit = pop[i].biasedFitness
                }
            }
            let gone = ObjectIdentifier(pop.remove(at: worst))
            for o in pop { o.proximity.removeAll { $0.1 == gone } }
        }
    }

    /// Binary tournament on biased fitness over both subpopulations.
    mutating func select(_ rng: inout RNG) -> Individual {
        Population.updateFitness(feasible, elite: elite, close: close)
        Population.updateFitness(infeasible, elite: elite, close: close)
        let n = feasible.count + infeasible.count
        func pick(_ k: Int) -> Individual { k < feasible.count ? feasible[k] : infeasible[k - feasible.count] }
        let a = pick(rng.below(n)), b = pick(rng.below(n))
        return a.biasedFitness < b.biasedFitness ? a : b
    }

    mutating func reprice(_ w: Penalties) {
        for i in infeasible { i.reprice(w) }
        infeasible.sort { $0.penalised < $1.penalised }
    }

    mutating func clear() { feasible = []; infeasible = [] }
}

/// Ordered crossover (OX, Oliver et al. 1987) on giant tours, as in HGS-CVRP.
func orderCrossover(_ a: [Int], _ b: [Int], _ rng: inout RNG, locations: Int) -> [Int] {
    let n = a.count
    guard n > 2 else { return a }
    var child = [Int](repeating: -1, count: n)
    var taken = [Bool](repeating: false, count: locations)
    let start = rng.below(n)
    var end = rng.below(n)
    while end == start { end = rng.below(n) }
    var i = start
    while i != end {
        child[i] = a[i]; taken[a[i]] = true
        i = (i + 1) % n
    }
    var pos = end
    for k in 0..<n {
        let c = b[(end + k) % n]
        if taken[c] { continue }
        child[pos] = c
        pos = (pos + 1) % n
    }
    return child
}
