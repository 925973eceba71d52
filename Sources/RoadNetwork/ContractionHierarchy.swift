/// Contraction hierarchy over the edge-based graph (Geisberger, Sanders, Schultes, Delling:
/// "Contraction Hierarchies: Faster and Simpler Hierarchical Routing in Road Networks", WEA 2008).
///
/// Nodes are contracted in order of a lazily updated priority: edge difference (shortcuts added
/// minus arcs removed) plus contracted neighbours plus level. Witness searches are Dijkstra runs
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
    }

    static func build(nodeCount n: Int, tails: [Int32], heads: [Int32], weights: [Int32], lengths: [Int32]) -> ContractionHierarchy {
        var out = [[Arc]](repeating: [], count: n)
        var inn = [[Arc]](repeating: [], count: n)

        func addArc(_ u: Int32, _ v: Int32, _ w: Int32, _ l: Int32, _ mid: Int32) -> Bool {
            if u == v { return false }
            if let k = out[Int(u)].firstIndex(where: { $0.other == v }) {
                if out[Int(u)][k].weight <= w { return false }
                out[Int(u)][k] = Arc(other: v, weight: w, length: l, middle: mid)
                let j = inn[Int(v)].firstIndex(where: { $0.other == u })!
                inn[Int(v)][j] = Arc(other: u, weight: w, length: l, middle: mid)
                return true
            }
            out[Int(u)].append(Arc(other: v, weight: w, length: l, middle: mid))
            inn[Int(v)].append(Arc(other: u, weight: w, length: l, middle: mid))
            return true
        }
        for i in 0..<tails.count { _ = addArc(tails[i], heads[i], weights[i], lengths[i], -1) }

        var contracted = [Bool](repeating: false, count: n)
        var deleted = [Int32](repeating: 0, count: n)
        var level = [Int32](repeating: 0, count: n)
        var dist = [Int64](repeating: .max, count: n)
        var touched: [Int32] = []
        var heap = IndexedHeap(capacity: n)

        // Witness search from u avoiding `skip`, up to `limit` weight and `settleLimit` nodes.
        func witness(_ u: Int32, skip: Int32, limit: Int64, settleLimit: Int) {
            for t in touched { dist[Int(t)] = .max }
            touched.removeAll(keepingCapacity: true)
            heap.removeAll()
            dist[Int(u)] = 0
            touched.append(u)
            heap.set(u, 0)
            var settled = 0
            while let (d, x) = heap.popMin() {
                if d > limit || settled >= settleLimit { break }
                settled += 1
                for a in out[Int(x)] where a.other != skip && !contracted[Int(a.other)] {
                    let nd = d + Int64(a.weight)
                    if nd < dist[Int(a.other)] {
                        if dist[Int(a.other)] == .max { touched.append(a.other) }
                        dist[Int(a.other)] = nd
                        heap.set(a.other, nd)
                    }
                }
            }
        }

        // Shortcuts needed to contract v: (from, to, weight, length).
        func shortcutsFor(_ v: Int32, settleLimit: Int) -> [(Int32, Int32, Int32, Int32)] {
            var result: [(Int32, Int32, Int32, Int32)] = []
            let outs = out[Int(v)]
            if outs.isEmpty { return result }
            let maxOut = Int64(outs.map(\.weight).max()!)
            for a in inn[Int(v)] {
                let u = a.other
                witness(u, skip: v, limit: Int64(a.weight) + maxOut, settleLimit: settleLimit)
                for b in outs where b.other != u {
                    let via = Int64(a.weight) + Int64(b.weight)
                    if dist[Int(b.other)] > via {
                        result.append((u, b.other, a.weight + b.weight, a.length + b.length))
                    }
                }
            }
            return result
        }

        func priority(_ v: Int32) -> Int64 {
            let s = shortcutsFor(v, settleLimit: 60).count
            let removed = inn[Int(v)].count + out[Int(v)].count
            return Int64(4 * (s - removed) + 2 * Int(deleted[Int(v)]) + Int(level[Int(v)]))
        }

        var queue = IndexedHeap(capacity: n)
        for v in 0..<n { queue.set(Int32(v), priority(Int32(v))) }

        var ch = ContractionHierarchy()
        ch.rank = [Int32](repeating: 0, count: n)
        var upArcs = [[Arc]](repeating: [], count: n)
        var downArcs = [[Arc]](repeating: [], count: n)
        var order: Int32 = 0
        while let (_, v) = queue.popMin() {
            // Lazy update: re-evaluate; if it is no longer the minimum, put it back.
            let p = priority(v)
            if let next = queue.minKey, p > next {
                queue.set(v, p)
                continue
            }
            let sc = shortcutsFor(v, settleLimit: 500)
            ch.rank[Int(v)] = order
            order += 1
            contracted[Int(v)] = true
            upArcs[Int(v)] = out[Int(v)]
            downArcs[Int(v)] = inn[Int(v)]
            for (a, b, w, l) in sc where addArc(a, b, w, l, v) { ch.shortcuts += 1 }
            var neighbours = Set<Int32>()
            for a in out[Int(v)] {
                inn[Int(a.other)].removeAll { $0.other == v }
                neighbours.insert(a.other)
            }
            for a in inn[Int(v)] {
                out[Int(a.other)].removeAll { $0.other == v }
                neighbours.insert(a.other)
            }
            out[Int(v)] = []
            inn[Int(v)] = []
            for u in neighbours {
                deleted[Int(u)] += 1
                level[Int(u)] = max(level[Int(u)], level[Int(v)] + 1)
                queue.set(u, priority(u))
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
