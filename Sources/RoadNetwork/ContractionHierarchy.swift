/// Contraction hierarchy over the edge-based graph (Geisberger, Sanders, Schultes, Delling:
/// "Contraction Hierarchies: Faster and Simpler Hierarchical Routing in Road Networks", WEA 2008).
///
/// Nodes are contracted in order of a lazily updated priority: the quotients of arcs and hops
/// added over those removed (neighbours are re-evaluated after each contraction). Witness searches are Dijkstra runs
/// capped by a settle limit; a missed witness only adds a superfluous shortcut, never a wrong
/// distance. Queries search upward only: forward over `up`, backward over `down`.
struct ContractionHierarchy: Sendable {
    var rank: [Int32] = []
    /// Arcs v→w with rank(w) > rank(v), stored at v.
    var upFirst: [Int32] = [0]
    var upHead: [Int32] = []
    var upWeight: [Int32] = []
    var upLength: [Int32] = []
    /// Contracted middle node of a shortcut, -1 for an original arc.
    var upMiddle: [Int32] = []
    /// Arcs u→v with rank(u) > rank(v), stored at v with `downHead` = u.
    var downFirst: [Int32] = [0]
    var downHead: [Int32] = []
    var downWeight: [Int32] = []
    var downLength: [Int32] = []
    var downMiddle: [Int32] = []
    var shortcuts = 0

    var nodeCount: Int { rank.count }

    private struct Arc {
        var other: Int32
        var weight: Int32
        var length: Int32
        var middle: Int32
        /// Original arcs this arc stands for (1 for an original arc).
        var hops: Int32
    }

    private struct Shortcut {
        var from: Int32
        var to: Int32
        var weight: Int32
        var length: Int32
        var hops: Int32
    }

    /// The shrinking graph of uncontracted nodes and the witness-search state. A struct with
    /// mutating methods rather than closures over local variables: stored properties are
    /// accessed directly, without boxes and exclusivity checks.
    private struct Contractor {
        var out: [[Arc]]
        var inn: [[Arc]]
        var contracted: [Bool]
        var dist: [Int64]
        var targetMark: [Int32]
        var touched: [Int32] = []
        var heap = LazyHeap()
        var settleLimit = 0

        init(nodeCount n: Int) {
            out = [[Arc]](repeating: [], count: n)
            inn = out
            contracted = [Bool](repeating: false, count: n)
            dist = [Int64](repeating: .max, count: n)
            targetMark = [Int32](repeating: -1, count: n)
        }

        /// Adds arc from→to unless an arc at least as short exists; true if added or shortened.
        mutating func addArc(_ s: Shortcut, middle: Int32) -> Bool {
            let u = s.from, v = s.to
            if u == v { return false }
            let arc = Arc(other: v, weight: s.weight, length: s.length, middle: middle, hops: s.hops)
            let back = Arc(other: u, weight: s.weight, length: s.length, middle: middle, hops: s.hops)
            if let k = out[Int(u)].firstIndex(where: { $0.other == v }) {
                if out[Int(u)][k].weight <= s.weight { return false }
                out[Int(u)][k] = arc
                let j = inn[Int(v)].firstIndex(where: { $0.other == u })!
                inn[Int(v)][j] = back
                return true
            }
            out[Int(u)].append(arc)
            inn[Int(v)].append(back)
            return true
        }

        /// Witness search from u avoiding `skip`: stops at `limit`, after `settleLimit` nodes, or
        /// once every target (marked with `mark`) is settled.
        mutating func witness(_ u: Int32, skip: Int32, limit: Int64, mark: Int32, targets: Int) {
            for t in touched { dist[Int(t)] = .max }
            touched.removeAll(keepingCapacity: true)
            heap.removeAll()
            dist[Int(u)] = 0
            touched.append(u)
            heap.push(u, 0)
            var settled = 0
            var remaining = targets
            while let (d, x) = heap.popMin() {
                if d > dist[Int(x)] { continue }  // stale entry
                if d > limit || settled >= settleLimit { break }
                settled += 1
                if targetMark[Int(x)] == mark {
                    remaining -= 1
                    if remaining == 0 { break }
                }
                for a in out[Int(x)] where a.other != skip && !contracted[Int(a.other)] {
                    let nd = d + Int64(a.weight)
                    if nd < dist[Int(a.other)] {
                        if dist[Int(a.other)] == .max { touched.append(a.other) }
                        dist[Int(a.other)] = nd
                        heap.push(a.other, nd)
                    }
                }
            }
        }

        /// Shortcuts needed to contract v.
        mutating func shortcutsFor(_ v: Int32) -> [Shortcut] {
            var result: [Shortcut] = []
            let outs = out[Int(v)]
            if outs.isEmpty { return result }
            var maxOut: Int64 = 0
            for b in outs {
                targetMark[Int(b.other)] = v
                maxOut = max(maxOut, Int64(b.weight))
            }
            for a in inn[Int(v)] {
                let u = a.other
                let isTarget = targetMark[Int(u)] == v
                witness(u, skip: v, limit: Int64(a.weight) + maxOut, mark: v, targets: outs.count - (isTarget ? 1 : 0))
                for b in outs where b.other != u {
                    let via = Int64(a.weight) + Int64(b.weight)
                    if dist[Int(b.other)] > via {
                        result.append(Shortcut(from: u, to: b.other, weight: a.weight + b.weight,
                                               length: a.length + b.length, hops: a.hops + b.hops))
                    }
                }
            }
            for b in outs { targetMark[Int(b.other)] = -1 }
            return result
        }

        /// Priority after RoutingKit's contraction order (Dibbelt, Strasser, Wagner): the arc and
        /// hop quotients of what contracting v adds over what it removes. RoutingKit also adds
        /// 1000 × level; here that made the build slower than the queries gained (bench-maps).
        func priority(_ v: Int32, _ sc: [Shortcut]) -> Int64 {
            var removed = 0, removedHops = 0
            for a in out[Int(v)] { removed += 1; removedHops += Int(a.hops) }
            for a in inn[Int(v)] { removed += 1; removedHops += Int(a.hops) }
            var addedHops = 0
            for s in sc { addedHops += Int(s.hops) }
            return Int64(1 + 1000 * sc.count / max(1, removed) + 1000 * addedHops / max(1, removedHops))
        }

        mutating func evaluate(_ v: Int32, settleLimit limit: Int) -> (priority: Int64, shortcuts: [Shortcut]) {
            settleLimit = limit
            let sc = shortcutsFor(v)
            return (priority(v, sc), sc)
        }
    }

    static func build(nodeCount n: Int, tails: [Int32], heads: [Int32], weights: [Int32], lengths: [Int32]) -> ContractionHierarchy {
        var c = Contractor(nodeCount: n)
        for i in 0..<tails.count {
            _ = c.addArc(Shortcut(from: tails[i], to: heads[i], weight: weights[i], length: lengths[i], hops: 1), middle: -1)
        }
        // Settle limits of the witness searches: small when only estimating a priority, larger
        // when contracting. Measured on the shared extracts: (20, 100) builds Baltimore's
        // hierarchy in about a third of the time of (300, 300) with fewer shortcuts.
        let simLimit = 20
        let contractLimit = 100

        var queue = IndexedHeap(capacity: n)
        for v in 0..<n { queue.set(Int32(v), c.evaluate(Int32(v), settleLimit: simLimit).priority) }

        var ch = ContractionHierarchy()
        ch.rank = [Int32](repeating: 0, count: n)
        var upArcs = [[Arc]](repeating: [], count: n)
        var downArcs = [[Arc]](repeating: [], count: n)
        var order: Int32 = 0
        var neighbours: [Int32] = []
        var seen = [Int32](repeating: -1, count: n)
        while let (_, v) = queue.popMin() {
            // Lazy update: re-evaluate; if it is no longer the minimum, put it back.
            let (p, sc) = c.evaluate(v, settleLimit: contractLimit)
            if let next = queue.minKey, p > next {
                queue.set(v, p)
                continue
            }
            ch.rank[Int(v)] = order
            order += 1
            c.contracted[Int(v)] = true
            upArcs[Int(v)] = c.out[Int(v)]
            downArcs[Int(v)] = c.inn[Int(v)]
            for s in sc where c.addArc(s, middle: v) { ch.shortcuts += 1 }
            neighbours.removeAll(keepingCapacity: true)
            for a in c.out[Int(v)] {
                c.inn[Int(a.other)].removeAll { $0.other == v }
                if seen[Int(a.other)] != v { seen[Int(a.other)] = v; neighbours.append(a.other) }
            }
            for a in c.inn[Int(v)] {
                c.out[Int(a.other)].removeAll { $0.other == v }
                if seen[Int(a.other)] != v { seen[Int(a.other)] = v; neighbours.append(a.other) }
            }
            c.out[Int(v)] = []
            c.inn[Int(v)] = []
            for u in neighbours {
                queue.set(u, c.evaluate(u, settleLimit: simLimit).priority)
            }
        }

        for v in 0..<n {
            for a in upArcs[v] {
                ch.upHead.append(a.other); ch.upWeight.append(a.weight); ch.upLength.append(a.length); ch.upMiddle.append(a.middle)
            }
            ch.upFirst.append(Int32(ch.upHead.count))
            for a in downArcs[v] {
                ch.downHead.append(a.other); ch.downWeight.append(a.weight); ch.downLength.append(a.length); ch.downMiddle.append(a.middle)
            }
            ch.downFirst.append(Int32(ch.downHead.count))
        }
        return ch
    }
}
