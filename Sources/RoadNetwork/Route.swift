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

    /// Geometry points of directed edge d strictly between the phantoms (nil = edge end).
    private func appendPartial(_ points: inout [Coordinate], directed d: Int32, from s: Phantom?, to t: Phantom?) {
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
