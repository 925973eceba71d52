import GLPK

/// Routes of good solutions, recombined by a set-partitioning MIP solved with GLPK: choose
/// pool routes covering every client once, within the fleet, at least cost (the "SP" step of
/// Subramanian, Uchoa and Ochi 2013, here on top of the local search). The current best
/// solution is the MIP start, so the result is never worse.
struct RoutePool {
    struct Entry {
        var type: Int
        var seq: [Int]
        var cost: Int
    }
    let sd: SearchData
    var entries: [Entry] = []
    var index: [[Int]: Int] = [:]
    var capacity = 4000
    /// Only solutions within this share of the best feed the pool.
    var window = 0.03

    init(_ sd: SearchData) { self.sd = sd }

    func routeCost(_ seq: [Int], type t: Int) -> (Int, Bool) {
        let route = sd.totals(seq, type: t)
        var c = sd.fixedCost[t] + sd.arcCost(distance: route.distance, travel: route.travel, type: t)
        var ok = route.excessLoad == 0
        if sd.hasTimes {
            c += sd.durCost[t] * route.duration
            ok = ok && route.timeWarp == 0 && route.duration <= sd.maxDuration[t]
        }
        return (c, ok)
    }

    mutating func add(_ ind: Individual, bestObjective: Int) {
        guard ind.isFeasible, Double(ind.objective) <= Double(bestObjective) * (1 + window) else { return }
        for (slot, seq) in ind.routes.enumerated() where !seq.isEmpty {
            insert(type: sd.slotType[slot], seq: seq)
        }
    }

    mutating func insert(type t: Int, seq: [Int]) {
        let (c, ok) = routeCost(seq, type: t)
        guard ok else { return }
        let key = [t] + seq.filter { $0 >= sd.depots }.sorted()
        if let k = index[key] {
            if c < entries[k].cost { entries[k] = Entry(type: t, seq: seq, cost: c) }
            return
        }
        if entries.count >= capacity {
            // Forget the oldest half: the pool follows the search.
            let keep = Array(entries.suffix(capacity / 2))
            entries = keep
            index = [:]
            for (k, e) in entries.enumerated() { index[[e.type] + e.seq.filter { $0 >= sd.depots }.sorted()] = k }
        }
        index[key] = entries.count
        entries.append(Entry(type: t, seq: seq, cost: c))
    }

    /// Solves the set-partitioning model over the pool; returns a better solution, or nil.
    /// Branch-and-bound nodes of one untimed recombination at most.
    static let untimedNodeLimit = 200

    mutating func recombine(_ best: Individual, _ w: Penalties, seconds: Double?) -> Individual? {
        for (slot, seq) in best.routes.enumerated() where !seq.isEmpty { insert(type: sd.slotType[slot], seq: seq) }
        guard entries.count > best.routes.filter({ !$0.isEmpty }).count else { return nil }
        if seconds == nil && entries.count > 1500 { return nil }  // untimed: keep it predictable

        var model = Model(name: "route-pool")
        var cover = [[(Model.Variable, Double)]](repeating: [], count: sd.locations)
        var perType = [[(Model.Variable, Double)]](repeating: [], count: sd.types)
        var x: [Model.Variable] = []
        for e in entries {
            let v = model.addVariable(kind: .binary, objective: Double(e.cost))
            x.append(v)
            for l in e.seq where l >= sd.depots { cover[l].append((v, 1)) }
            perType[e.type].append((v, 1))
        }
        var slack: [Int: Model.Variable] = [:]
        for c in sd.active {
            let s = model.addVariable(lower: 0, upper: 1, objective: sd.dropPenalty[c])
            slack[c] = s
            model.addConstraint(cover[c] + [(s, 1)], equal: 1)
        }
        var slots = [Int](repeating: 0, count: sd.types)
        for t in sd.slotType { slots[t] += 1 }
        for t in 0..<sd.types where !perType[t].isEmpty {
            model.addConstraint(perType[t], lessOrEqual: Double(slots[t]))
        }
        // MIP start: the best solution's routes.
        var start = [Double](repeating: 0, count: model.variableCount)
        for (slot, seq) in best.routes.enumerated() where !seq.isEmpty {
            let key = [sd.slotType[slot]] + seq.filter { $0 >= sd.depots }.sorted()
            if let k = index[key] { start[x[k].index] = 1 }
        }
        for u in best.unrouted { if let s = slack[u] { start[s.index] = 1 } }
        var options = SolveOptions()
        options.timeLimit = seconds
        // Gomory cuts at the root can take minutes on a large pool, before any node is counted;
        // clique cuts are the ones a set-partitioning model profits from.
        options.cutKinds = .clique
        // Driebeck-Tomlin branching evaluates a tableau row per fractional route at every node:
        // more than half of a demo plan's time went there. Most-fractional costs nothing.
        options.branching = .mostFractional
        if seconds == nil {
            // Untimed (an iteration budget): a clock would make the result depend on the machine,
            // so the work is capped by node relaxations instead, which GLPK visits in a fixed order.
            var nodes = 0
            options.callback = { ctx in
                if ctx.reason == .relaxation { nodes += 1 }
                return nodes > RoutePool.untimedNodeLimit
            }
        }
        options.start = model.maxViolation(start) < 1e-9 ? start : nil
        guard let result = try? model.solve(options), result.hasPoint else { return nil }

        var routes = SlotRoutes(repeating: [], count: sd.slotType.count)
        var free: [[Int]] = [[Int]](repeating: [], count: sd.types)
        for (s, t) in sd.slotType.enumerated().reversed() { free[t].append(s) }
        for (k, e) in entries.enumerated() where result.values[x[k].index] > 0.5 {
            guard let s = free[e.type].popLast() else { return nil }
            routes[s] = e.seq
        }
        let unrouted = sd.active.filter { slack[$0].map { result.values[$0.index] > 0.5 } ?? false }
        let ind = Individual(sd, routes: routes, unrouted: unrouted, w)
        return ind.isFeasible && ind.objective < best.objective ? ind : nil
    }
}
