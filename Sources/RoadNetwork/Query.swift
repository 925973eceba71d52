import Dispatch

/// A start label of a search: search node, weight (deciseconds) and length (decimetres) so far,
/// and the directed edge the point lies on.
struct Seed {
    var node: Int32
    var weight: Int64
    var length: Int64
    var origin: Int32
}

extension RoadGraph {
    /// Directed edges through a phantom with the position along each, in driving direction.
    func directions(_ p: Phantom) -> [(directed: Int32, at: Double)] {
        var r: [(Int32, Double)] = []
        let f = directedOf[2 * Int(p.edge)], b = directedOf[2 * Int(p.edge) + 1]
        if f >= 0 { r.append((f, p.fraction)) }
        if b >= 0 { r.append((b, 1 - p.fraction)) }
        return r
    }

    /// Leaving a point: a search label of node x means "at the end of directed edge x", so the
    /// point's own edge starts with the rest of that edge still to drive.
    func sourceSeeds(_ p: Phantom) -> [Seed] {
        directions(p).map { d, at in
            Seed(node: d, weight: Int64((Double(cost[Int(d)]) * (1 - at)).rounded()),
                 length: Int64((Double(length[Int(d)]) * (1 - at)).rounded()), origin: d)
        }
    }

    /// Reaching a point: from the end of an edge x, turn into the point's edge and drive to it.
    /// Backward labels are the remaining cost from the end of x to the point.
    func targetSeeds(_ p: Phantom) -> [Seed] {
        var seeds: [Seed] = []
        for (d, at) in directions(p) {
            let part = Double(cost[Int(d)]) * at, partLen = Double(length[Int(d)]) * at
            for k in Int(reverseTurnFirst[Int(d)])..<Int(reverseTurnFirst[Int(d) + 1]) {
                seeds.append(Seed(node: reverseTurnTail[k], weight: Int64(part.rounded()) + Int64(reverseTurnCost[k]),
                                  length: Int64(partLen.rounded()), origin: d))
            }
        }
        return seeds
    }

    /// Both points on the same directed edge with the target ahead: drive along it.
    func direct(_ s: Phantom, _ t: Phantom) -> (weight: Int64, length: Int64, directed: Int32)? {
        guard s.edge == t.edge else { return nil }
        var best: (Int64, Int64, Int32)?
        let ds = directions(s), dt = directions(t)
        for (d, a) in ds {
            for (d2, b) in dt where d2 == d && b >= a {
                let w = Int64((Double(cost[Int(d)]) * (b - a)).rounded())
                if best == nil || w < best!.0 {
                    best = (w, Int64((Double(length[Int(d)]) * (b - a)).rounded()), d)
                }
            }
        }
        return best
    }
}

/// Per-thread search state for upward CH searches, reset by version stamps.
final class UpwardSearch {
    private var dist: [Int64]
    private var len: [Int64]
    private var stamp: [UInt32]
    private var now: UInt32 = 0
    private var heap: IndexedHeap
    /// Settled, unstalled nodes of the last run: (node, weight, length).
    var settled: [(node: Int32, weight: Int64, length: Int64)] = []

    init(nodeCount n: Int) {
        dist = [Int64](repeating: 0, count: n)
        len = [Int64](repeating: 0, count: n)
        stamp = [UInt32](repeating: 0, count: n)
        heap = IndexedHeap(capacity: n)
    }

    /// Searches upward from the seeds over (first, head, weight, length); prunes with
    /// stall-on-demand over the opposite arcs (stallFirst, stallHead, stallWeight).
    func run(_ seeds: [Seed], first: [Int32], head: [Int32], weight: [Int32], length: [Int32],
             stallFirst: [Int32], stallHead: [Int32], stallWeight: [Int32]) {
        now &+= 1
        if now == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            now = 1
        }
        settled.removeAll(keepingCapacity: true)
        heap.removeAll()
        for s in seeds {
            let v = Int(s.node)
            if stamp[v] != now || s.weight < dist[v] {
                stamp[v] = now
                dist[v] = s.weight
                len[v] = s.length
                heap.set(s.node, s.weight)
            }
        }
        while let (d, x) = heap.popMin() {
            let v = Int(x)
            var stalled = false
            for k in Int(stallFirst[v])..<Int(stallFirst[v + 1]) {
                let u = Int(stallHead[k])
                if stamp[u] == now && dist[u] + Int64(stallWeight[k]) < d {
                    stalled = true
                    break
                }
            }
            if stalled { continue }
            settled.append((x, d, len[v]))
            for k in Int(first[v])..<Int(first[v + 1]) {
                let w = Int(head[k])
                let nd = d + Int64(weight[k])
                if stamp[w] != now || nd < dist[w] {
                    stamp[w] = now
                    dist[w] = nd
                    len[w] = len[v] + Int64(length[k])
                    heap.set(Int32(w), nd)
                }
            }
        }
    }
}

/// Boxes a buffer so the two worker threads can write disjoint parts of it.
final class SharedBuffer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    let count: Int
    init(repeating v: T, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: v, count: count)
    }
    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
    var array: [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Runs `body(worker)` for worker 0..<workers on parallel threads.
func parallel(_ workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 {
        body(0)
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers, execute: body)
}

extension RoadGraph {
    /// Many-to-many weights (deciseconds) and lengths (decimetres), -1 when unreachable.
    ///
    /// Bucket-based many-to-many on the CH (Knopp, Sanders, Schultes, Schulz, Wagner: "Computing
    /// many-to-many shortest paths using highway hierarchies", ALENEX 2007): one backward upward
    /// search per target fills buckets at the nodes it settles, one forward upward search per
    /// source scans the buckets of its nodes. Both phases split their points over `threads`.
    func manyToMany(sources: [Phantom], targets: [Phantom], threads: Int = 2) -> (weights: [Int64], lengths: [Int64]) {
        let ns = sources.count, nt = targets.count
        let workers = max(1, min(threads, max(ns, nt)))
        let n = directedCount
        let graph = self

        // Backward phase: bucket entries per worker.
        final class Entries: @unchecked Sendable {
            var node: [[Int32]]
            var target: [[Int32]]
            var weight: [[Int64]]
            var length: [[Int64]]
            init(_ w: Int) {
                node = Array(repeating: [], count: w); target = node
                weight = Array(repeating: [], count: w); length = weight
            }
        }
        let entries = Entries(workers)
        parallel(workers) { w in
            let search = UpwardSearch(nodeCount: n)
            var nodes: [Int32] = [], tgts: [Int32] = [], ws: [Int64] = [], ls: [Int64] = []
            var j = w
            while j < nt {
                search.run(graph.targetSeeds(targets[j]), first: graph.ch.downFirst, head: graph.ch.downHead,
                           weight: graph.ch.downWeight, length: graph.ch.downLength,
                           stallFirst: graph.ch.upFirst, stallHead: graph.ch.upHead, stallWeight: graph.ch.upWeight)
                for s in search.settled {
                    nodes.append(s.node); tgts.append(Int32(j)); ws.append(s.weight); ls.append(s.length)
                }
                j += workers
            }
            entries.node[w] = nodes; entries.target[w] = tgts; entries.weight[w] = ws; entries.length[w] = ls
        }
        // Buckets as compressed rows by node.
        var bucketFirst = [Int32](repeating: 0, count: n + 1)
        for w in 0..<workers { for v in entries.node[w] { bucketFirst[Int(v) + 1] += 1 } }
        for v in 0..<n { bucketFirst[v + 1] += bucketFirst[v] }
        let total = Int(bucketFirst[n])
        var bTarget = [Int32](repeating: 0, count: total)
        var bWeight = [Int64](repeating: 0, count: total)
        var bLength = [Int64](repeating: 0, count: total)
        var fill = bucketFirst
        for w in 0..<workers {
            for i in 0..<entries.node[w].count {
                let v = Int(entries.node[w][i])
                let at = Int(fill[v])
                bTarget[at] = entries.target[w][i]; bWeight[at] = entries.weight[w][i]; bLength[at] = entries.length[w][i]
                fill[v] += 1
            }
        }

        // Forward phase: each worker owns whole rows.
        let outW = SharedBuffer<Int64>(repeating: .max, count: ns * nt)
        let outL = SharedBuffer<Int64>(repeating: -1, count: ns * nt)
        parallel(workers) { [bucketFirst, bTarget, bWeight, bLength] w in
            let search = UpwardSearch(nodeCount: n)
            var i = w
            while i < ns {
                search.run(graph.sourceSeeds(sources[i]), first: graph.ch.upFirst, head: graph.ch.upHead,
                           weight: graph.ch.upWeight, length: graph.ch.upLength,
                           stallFirst: graph.ch.downFirst, stallHead: graph.ch.downHead, stallWeight: graph.ch.downWeight)
                let row = outW.pointer + i * nt, rowL = outL.pointer + i * nt
                for s in search.settled {
                    let v = Int(s.node)
                    for k in Int(bucketFirst[v])..<Int(bucketFirst[v + 1]) {
                        let j = Int(bTarget[k])
                        let c = s.weight + bWeight[k]
                        if c < row[j] {
                            row[j] = c
                            rowL[j] = s.length + bLength[k]
                        }
                    }
                }
                i += workers
            }
        }
        var weights = outW.array
        var lengths = outL.array
        // Same directed edge, target ahead: no turn needed.
        var byEdge: [Int32: [Int]] = [:]
        for j in 0..<nt { byEdge[targets[j].edge, default: []].append(j) }
        for i in 0..<ns {
            guard let js = byEdge[sources[i].edge] else { continue }
            for j in js {
                if let d = direct(sources[i], targets[j]), d.weight < weights[i * nt + j] {
                    weights[i * nt + j] = d.weight
                    lengths[i * nt + j] = d.length
                }
            }
        }
        for k in 0..<weights.count where weights[k] == .max {
            weights[k] = -1
            lengths[k] = -1
        }
        return (weights, lengths)
    }

    /// Plain Dijkstra on the uncontracted turn graph from one point to many: the reference the
    /// CH is tested against.
    func dijkstra(from s: Phantom, to targets: [Phantom]) -> (weights: [Int64], lengths: [Int64]) {
        let n = directedCount
        var dist = [Int64](repeating: .max, count: n)
        var len = [Int64](repeating: 0, count: n)
        var heap = IndexedHeap(capacity: n)
        for seed in sourceSeeds(s) where seed.weight < dist[Int(seed.node)] {
            dist[Int(seed.node)] = seed.weight
            len[Int(seed.node)] = seed.length
            heap.set(seed.node, seed.weight)
        }
        while let (d, x) = heap.popMin() {
            let v = Int(x)
            for k in Int(turnFirst[v])..<Int(turnFirst[v + 1]) {
                let w = Int(turnHead[k])
                let nd = d + Int64(turnCost[k]) + Int64(cost[w])
                if nd < dist[w] {
                    dist[w] = nd
                    len[w] = len[v] + Int64(length[w])
                    heap.set(Int32(w), nd)
                }
            }
        }
        var weights: [Int64] = [], lengths: [Int64] = []
        for t in targets {
            var best: Int64 = .max, bestLen: Int64 = -1
            for seed in targetSeeds(t) where dist[Int(seed.node)] != .max {
                let c = dist[Int(seed.node)] + seed.weight
                if c < best {
                    best = c
                    bestLen = len[Int(seed.node)] + seed.length
                }
            }
            if let dd = direct(s, t), dd.weight < best {
                best = dd.weight
                bestLen = dd.length
            }
            weights.append(best == .max ? -1 : best)
            lengths.append(best == .max ? -1 : bestLen)
        }
        return (weights, lengths)
    }
}
