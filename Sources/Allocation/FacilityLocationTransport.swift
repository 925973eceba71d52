/// The best assignment for a fixed set of open facilities: for split sourcing the
/// transportation problem, for single sourcing a generalized assignment problem (greedy by
/// regret, Martello & Toth 1981, then improving shifts). Facilities left without load are
/// closed (fixed costs are non-negative), unless forced open.
extension FacilityLocationProblem {
    /// nil when the open facilities cannot serve every customer (or, for single sourcing, when
    /// the greedy finds no feasible assignment).
    func assignment(open: [Bool]) -> FacilityLocationSolution? {
        switch sourcing {
        case .split:
            var t = TransportationSolver(self, open: open)
            return t.solve().map(closingUnused)
        case .single:
            return greedySingleSource(open: open)
        }
    }

    /// A lower bound on the cost of any solution with exactly these facilities open: their fixed
    /// costs plus every customer at its cheapest open facility (capacities ignored).
    func uncapacitatedCost(open: [Bool]) -> Double {
        let m = facilityCount, n = customerCount
        var z = 0.0
        for i in 0..<m where open[i] { z += Double(facilities[i].fixedCost) }
        for j in 0..<n {
            var lo = Int64.max
            for i in 0..<m where open[i] { lo = min(lo, costs[i * n + j]) }
            if lo == Self.forbidden { return .infinity }
            z += Double(lo)
        }
        return z
    }

    /// Greedy by regret (Martello & Toth 1981): customers in decreasing order of the gap between
    /// their cheapest and second-cheapest open facility, each to its cheapest facility with room;
    /// then shifts of single customers to cheaper facilities with room. O(n·m) per pass.
    func greedySingleSource(open: [Bool]) -> FacilityLocationSolution? {
        let m = facilityCount, n = customerCount
        var room = facilities.map { $0.capacity }
        for i in 0..<m where !open[i] { room[i] = -1 }
        var regret = [Int64](repeating: 0, count: n)
        for j in 0..<n {
            var first = Int64.max, second = Int64.max
            for i in 0..<m where open[i] && demands[j] <= facilities[i].capacity {
                let c = costs[i * n + j]
                if c < first { (first, second) = (c, first) } else if c < second { second = c }
            }
            if first == Self.forbidden { return nil }
            regret[j] = second == Self.forbidden ? .max : second - first
        }
        let order = (0..<n).sorted { regret[$0] != regret[$1] ? regret[$0] > regret[$1] : demands[$0] > demands[$1] }
        var facilityOf = [Int](repeating: -1, count: n)
        for j in order {
            var best = -1
            for i in 0..<m where room[i] >= demands[j] && costs[i * n + j] != Self.forbidden {
                if best < 0 || costs[i * n + j] < costs[best * n + j] { best = i }
            }
            guard best >= 0 else { return nil }
            facilityOf[j] = best
            room[best] -= demands[j]
        }
        var improved = true
        while improved {
            improved = false
            for j in 0..<n {
                let here = facilityOf[j]
                var to = here
                for i in 0..<m where i != here && room[i] >= demands[j] && costs[i * n + j] < costs[to * n + j] { to = i }
                if to != here {
                    room[here] += demands[j]
                    room[to] -= demands[j]
                    facilityOf[j] = to
                    improved = true
                }
            }
        }
        return closingUnused(FacilityLocationSolution(open: open, facilityOf: facilityOf))
    }

    func closingUnused(_ s: FacilityLocationSolution) -> FacilityLocationSolution {
        var used = [Bool](repeating: false, count: facilityCount)
        for shares in s.assignment { for sh in shares { used[sh.facility] = true } }
        var out = s
        for i in 0..<facilityCount where out.open[i] && !used[i] && facilities[i].status != .forcedOpen {
            out.open[i] = false
        }
        return out
    }
}

/// The transportation problem min Σ c_ij x_ij, Σ_i x_ij = 1, Σ_j d_j x_ij ≤ s_i over the open
/// facilities, by successive shortest paths (Busacker & Gowen 1960; potentials after Edmonds &
/// Karp 1972) on a graph whose nodes are the k open facilities: an edge a → b moves units of a
/// customer j′ served by a over to b at (c_bj′ − c_aj′)/d_j′ per unit (the cheapest such j′).
/// Customers are inserted one at a time along shortest paths from the customer to a facility
/// with room, so the flow stays optimal for the customers inserted so far. Flows are integer
/// demand units; Dijkstra on the dense k × k graph costs O(k²) per augmentation, and only the
/// rows of facilities whose customer set changed are recomputed (O(n_a · k) each).
struct TransportationSolver {
    let p: FacilityLocationProblem
    let open: [Int]
    let k: Int, n: Int
    /// Per-unit cost of customer j at local facility a (∞ when forbidden).
    var unit: [Double]
    var room: [Int64]
    /// Per customer, its (local facility, units) segments.
    var flow: [[(Int, Int64)]]
    /// Per local facility, the customers with units there.
    var members: [Set<Int>]
    /// w[a·k + b]: cheapest per-unit move a → b, via customer via[a·k + b].
    var w: [Double]
    var via: [Int]
    var potential: [Double]

    init(_ p: FacilityLocationProblem, open: [Bool]) {
        self.p = p
        self.open = open.indices.filter { open[$0] }
        k = self.open.count
        n = p.customerCount
        unit = [Double](repeating: .infinity, count: k * n)
        for (a, i) in self.open.enumerated() {
            for j in 0..<n where p.demands[j] > 0 {
                let c = p.costs[i * n + j]
                if c != FacilityLocationProblem.forbidden { unit[a * n + j] = Double(c) / Double(p.demands[j]) }
            }
        }
        room = self.open.map { p.facilities[$0].capacity }
        flow = Array(repeating: [], count: n)
        members = Array(repeating: [], count: k)
        w = [Double](repeating: .infinity, count: k * k)
        via = [Int](repeating: -1, count: k * k)
        potential = [Double](repeating: 0, count: k)
    }

    mutating func solve() -> FacilityLocationSolution? {
        var shares: [[FacilityLocationSolution.Share]] = Array(repeating: [], count: n)
        // Zero-demand customers use no capacity: their cheapest allowed open facility.
        for j in 0..<n where p.demands[j] == 0 {
            var best: (Int64, Int)?
            for i in open {
                let c = p.costs[i * n + j]
                if c != FacilityLocationProblem.forbidden, best == nil || c < best!.0 { best = (c, i) }
            }
            guard let best else { return nil }
            shares[j] = [.init(facility: best.1, fraction: 1)]
        }
        // Big customers first: fewer re-routings later.
        let order = (0..<n).filter { p.demands[$0] > 0 }.sorted { p.demands[$0] > p.demands[$1] }
        var dist = [Double](repeating: 0, count: k)
        var pred = [Int](repeating: -1, count: k)
        var done = [Bool](repeating: false, count: k)
        var dirty = [Bool](repeating: false, count: k)
        for j in order {
            var left = p.demands[j]
            while left > 0 {
                // Dijkstra from customer j over reduced costs w + π_a − π_b ≥ 0.
                for a in 0..<k {
                    dist[a] = unit[a * n + j] - potential[a]
                    pred[a] = -1
                    done[a] = false
                }
                var target = -1
                while true {
                    var a = -1
                    var best = Double.infinity
                    for b in 0..<k where !done[b] && dist[b] < best {
                        best = dist[b]
                        a = b
                    }
                    if a < 0 { return nil }   // no open facility with room is reachable
                    done[a] = true
                    if room[a] > 0 { target = a; break }
                    let row = a * k
                    for b in 0..<k where !done[b] && w[row + b] < .infinity {
                        let nd = dist[a] + max(0, w[row + b] + potential[a] - potential[b])
                        if nd < dist[b] {
                            dist[b] = nd
                            pred[b] = a
                        }
                    }
                }
                let reach = dist[target]
                for a in 0..<k { potential[a] += min(dist[a], reach) }
                // Bottleneck: demand left, room at the target, units on each moved segment.
                var amount = min(left, room[target])
                var b = target
                while pred[b] >= 0 {
                    let a = pred[b]
                    amount = min(amount, units(via[a * k + b], at: a))
                    b = a
                }
                room[target] -= amount
                b = target
                while pred[b] >= 0 {
                    let a = pred[b]
                    let moved = via[a * k + b]
                    add(moved, at: a, -amount, &dirty)
                    add(moved, at: b, amount, &dirty)
                    b = a
                }
                add(j, at: b, amount, &dirty)
                left -= amount
                for a in 0..<k where dirty[a] {
                    recomputeRow(a)
                    dirty[a] = false
                }
            }
        }
        for j in 0..<n where p.demands[j] > 0 {
            let d = Double(p.demands[j])
            shares[j] = flow[j].sorted { open[$0.0] < open[$1.0] }
                .map { .init(facility: open[$0.0], fraction: Double($0.1) / d) }
        }
        var isOpen = [Bool](repeating: false, count: p.facilityCount)
        for i in open { isOpen[i] = true }
        return FacilityLocationSolution(open: isOpen, assignment: shares)
    }

    private func units(_ j: Int, at a: Int) -> Int64 {
        flow[j].first { $0.0 == a }?.1 ?? 0
    }

    private mutating func add(_ j: Int, at a: Int, _ delta: Int64, _ dirty: inout [Bool]) {
        if let s = flow[j].firstIndex(where: { $0.0 == a }) {
            flow[j][s].1 += delta
            if flow[j][s].1 == 0 {
                flow[j].remove(at: s)
                members[a].remove(j)
                dirty[a] = true
            }
        } else {
            flow[j].append((a, delta))
            members[a].insert(j)
            dirty[a] = true
        }
    }

    private mutating func recomputeRow(_ a: Int) {
        let row = a * k
        for b in 0..<k {
            w[row + b] = .infinity
            via[row + b] = -1
        }
        for j in members[a] {
            let here = unit[a * n + j]
            for b in 0..<k where b != a {
                let c = unit[b * n + j] - here
                if c < w[row + b] || (c == w[row + b] && j < via[row + b]) {
                    w[row + b] = c
                    via[row + b] = j
                }
            }
        }
    }
}
