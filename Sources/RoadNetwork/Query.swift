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

    /// Geometry points of directed edge d strictly between the phantoms (nil = edge end).
    fileprivate func appendPartial(_ points: inout [Coordinate], directed d: Int32, from s: Phantom?, to t: Phantom?) {
        let code = Int(directedEdge[Int(d)])
        let e = code >> 1, reversed = code & 1 == 1
        let a = Int(geometryFirst[e]), b = Int(geometryFirst[e + 1])
        // Geometry positions in driving order; a point on segment k lies between positions k and k+1.
        let order: [Int] = reversed ? Array((a..<b).reversed()) : Array(a..<b)
        func rank(_ p: Phantom, after: Bool) -> Int {
            // Index in `order` of the first geometry point past the phantom (after == true),
            // or of the last point before it.
            let k = Int(p.segment)
            if !reversed { return after ? k + 1 - a : k - a }
            return after ? (b - 1 - k) : (b - 1 - (k + 1))
        }
        let lo = s.map { rank($0, after: true) } ?? 1
        let hi = t.map { rank($0, after: false) } ?? (order.count - 1)
        if lo <= hi {
            for i in lo...hi { points.append(coordinate(geometry[order[i]])) }
        }
    }
}

/// A route as search nodes: the directed edges driven from the source's edge to the one turned
/// from into the target's edge (`lastEdge`), or a drive along one edge (`nodes` empty).
struct RouteNodes {
    var weight: Int64
    var nodes: [Int32]
    var lastEdge: Int32
}

extension RoadGraph {
    /// Point-to-point CH query that keeps parents, then unpacks shortcuts through their middle
    /// nodes (Geisberger et al. 2008, section 5) into the directed edges of the route.
    func route(from s: Phantom, to t: Phantom) -> RouteNodes? {
        let n = directedCount
        var fDist = [Int64](repeating: .max, count: n), bDist = fDist
        var fParent = [Int32](repeating: -1, count: n), bParent = fParent  // arc index, -1 at seeds
        var fFrom = fParent, bFrom = fParent  // node the arc came from
        var bOrigin = fParent
        var heap = IndexedHeap(capacity: n)
        for seed in sourceSeeds(s) where seed.weight < fDist[Int(seed.node)] {
            fDist[Int(seed.node)] = seed.weight
            heap.set(seed.node, seed.weight)
        }
        while let (d, x) = heap.popMin() {
            let v = Int(x)
            for k in Int(ch.upFirst[v])..<Int(ch.upFirst[v + 1]) {
                let w = Int(ch.upHead[k]), nd = d + Int64(ch.upWeight[k])
                if nd < fDist[w] {
                    fDist[w] = nd; fParent[w] = Int32(k); fFrom[w] = x
                    heap.set(Int32(w), nd)
                }
            }
        }
        for seed in targetSeeds(t) where seed.weight < bDist[Int(seed.node)] {
            bDist[Int(seed.node)] = seed.weight
            bOrigin[Int(seed.node)] = seed.origin
            heap.set(seed.node, seed.weight)
        }
        var best: Int64 = .max, meet = -1
        while let (d, x) = heap.popMin() {
            let v = Int(x)
            if fDist[v] != .max && fDist[v] + d < best {
                best = fDist[v] + d
                meet = v
            }
            for k in Int(ch.downFirst[v])..<Int(ch.downFirst[v + 1]) {
                let w = Int(ch.downHead[k]), nd = d + Int64(ch.downWeight[k])
                if nd < bDist[w] {
                    bDist[w] = nd; bParent[w] = Int32(k); bFrom[w] = x; bOrigin[w] = bOrigin[v]
                    heap.set(Int32(w), nd)
                }
            }
        }
        if let dd = direct(s, t), dd.weight <= best {
            return RouteNodes(weight: dd.weight, nodes: [], lastEdge: dd.directed)
        }
        guard meet >= 0 else { return nil }

        // Arcs from the source seed up to the meeting node, then down to the target seed.
        var forward: [(from: Int32, to: Int32, middle: Int32)] = []
        var x = meet
        while fParent[x] >= 0 {
            let k = Int(fParent[x])
            forward.append((fFrom[x], Int32(x), ch.upMiddle[k]))
            x = Int(fFrom[x])
        }
        var nodes: [Int32] = [Int32(x)]
        for arc in forward.reversed() { unpack(arc.from, arc.to, arc.middle, into: &nodes) }
        x = meet
        while bParent[x] >= 0 {
            let k = Int(bParent[x])
            // Backward arc stored at bFrom[x] with head x: original direction x → bFrom[x].
            unpack(Int32(x), bFrom[x], ch.downMiddle[k], into: &nodes)
            x = Int(bFrom[x])
        }
        return RouteNodes(weight: best, nodes: nodes, lastEdge: bOrigin[x])
    }

    /// Appends the nodes after `a` on the original path of arc a→b (b included).
    private func unpack(_ a: Int32, _ b: Int32, _ middle: Int32, into nodes: inout [Int32]) {
        var stack: [(Int32, Int32, Int32)] = [(a, b, middle)]
        while let (u, w, mid) = stack.popLast() {
            if mid < 0 {
                nodes.append(w)
                continue
            }
            // u → mid is a downward arc stored at mid; mid → w an upward arc stored at mid.
            let m = Int(mid)
            var m1: Int32 = -1, m2: Int32 = -1
            var w1 = Int32.max, w2 = Int32.max
            for k in Int(ch.downFirst[m])..<Int(ch.downFirst[m + 1]) where ch.downHead[k] == u && ch.downWeight[k] < w1 {
                w1 = ch.downWeight[k]; m1 = ch.downMiddle[k]
            }
            for k in Int(ch.upFirst[m])..<Int(ch.upFirst[m + 1]) where ch.upHead[k] == w && ch.upWeight[k] < w2 {
                w2 = ch.upWeight[k]; m2 = ch.upMiddle[k]
            }
            // Second half first: the stack pops the first half next.
            stack.append((mid, w, m2))
            stack.append((u, mid, m1))
        }
    }

    /// Cost of driving a route (for checks): the source's rest, turns and edges, the target's part.
    func cost(of r: RouteNodes, from s: Phantom, to t: Phantom) -> Int64 {
        guard let first = r.nodes.first else { return direct(s, t)?.weight ?? -1 }
        var total = sourceSeeds(s).first { $0.node == first }?.weight ?? -1
        for (a, b) in zip(r.nodes, r.nodes.dropFirst()) {
            guard let k = (Int(turnFirst[Int(a)])..<Int(turnFirst[Int(a) + 1])).first(where: { turnHead[$0] == b }) else { return -1 }
            total += Int64(turnCost[k]) + Int64(cost[Int(b)])
        }
        guard let last = targetSeeds(t).first(where: { $0.node == r.nodes.last! && $0.origin == r.lastEdge }) else { return -1 }
        return total + last.weight
    }

    /// The drawn road path from one point to another (snapped points included), nil if unreachable.
    func path(from s: Phantom, to t: Phantom) -> [Coordinate]? {
        guard let r = route(from: s, to: t) else { return nil }
        var points: [Coordinate] = [s.snapped]
        if r.nodes.isEmpty {
            appendPartial(&points, directed: r.lastEdge, from: s, to: t)
            points.append(t.snapped)
            return points
        }
        // nodes[0] is the source's own edge, driven from the snapped point on.
        appendPartial(&points, directed: r.nodes[0], from: s, to: nil)
        for d in r.nodes.dropFirst() {
            for node in directedGeometry(Int(d)).dropFirst() { points.append(coordinate(node)) }
        }
        appendPartial(&points, directed: r.lastEdge, from: nil, to: t)
        points.append(t.snapped)
        return points
    }
}
