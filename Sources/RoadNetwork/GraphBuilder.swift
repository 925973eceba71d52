import Foundation

/// Turns the collected OSM data into a `RoadGraph`: collapse degree-2 chains into edges, build
/// the edge-based turn graph with restrictions and turn costs, keep the largest strongly
/// connected component, contract it.
enum GraphBuilder {
    /// Turn restrictions by via node index: (only-turn, from way, to way).
    typealias Restrictions = [Int32: [(only: Bool, from: Int32, to: Int32)]]

    static func build(_ c: OSMCollector, path: String) throws -> RoadGraph {
        let started = Date()
        var stats = ImportStats()
        stats.osmNodes = c.osmNodeCount
        stats.osmWays = c.osmWayCount
        stats.osmRelations = c.osmRelationCount
        stats.routableWays = c.wayIDs.count
        stats.missingNodeRefs = c.missingNodeRefs
        guard c.wayIDs.count > 0 else { throw RoadNetworkError.noRoads(path: path) }

        let restrictionsAt = restrictionsByViaNode(c, stats: &stats)
        let isGraphNode = graphNodes(c, restrictionsAt: restrictionsAt)
        let edges = Edges(c, isGraphNode: isGraphNode)
        guard edges.count > 0 else { throw RoadNetworkError.noRoads(path: path) }
        let segments = Segments(edges)
        let turns = Turns(c, edges: edges, segments: segments, restrictionsAt: restrictionsAt)
        for (v, rs) in restrictionsAt {
            if isGraphNode[Int(v)] { stats.restrictionsApplied += rs.count } else { stats.restrictionsIgnored += rs.count }
        }

        // Largest strongly connected component of the turn graph.
        let component = largestSCC(nodeCount: segments.count, tails: turns.tail, heads: turns.head)
        var newSegment = [Int32](repeating: -1, count: segments.count)
        var keptSegments: [Int] = []
        for d in 0..<segments.count where component[d] {
            newSegment[d] = Int32(keptSegments.count)
            keptSegments.append(d)
        }
        guard !keptSegments.isEmpty else { throw RoadNetworkError.noRoads(path: path) }
        var g = RoadGraph(
            lat: [], lon: [], geometryFirst: [0], geometry: [], directedOf: [], directedEdge: [],
            cost: [], length: [], turnFirst: [], turnHead: [], turnCost: [], reverseTurnFirst: [],
            reverseTurnTail: [], reverseTurnCost: [], ch: ContractionHierarchy(), stats: stats)
        let (newEdge, newNode) = copyKeptEdges(c, edges, segments, kept: keptSegments, into: &g)
        copyKeptSegments(c, segments, kept: keptSegments, newEdge: newEdge, newNode: newNode, into: &g)
        let kept = keptTurns(turns, newSegment: newSegment)
        g.stats.turnsKept = kept.tail.count
        let m = keptSegments.count
        (g.turnFirst, g.turnHead, g.turnCost) = csr(nodeCount: m, from: kept.tail, to: kept.head, value: kept.cost)
        (g.reverseTurnFirst, g.reverseTurnTail, g.reverseTurnCost) = csr(nodeCount: m, from: kept.head, to: kept.tail, value: kept.cost)

        // Contraction: a turn arc costs its own penalty plus driving the edge turned into.
        let contracting = Date()
        g.stats.graphSeconds = contracting.timeIntervalSince(started)
        let weights = (0..<kept.tail.count).map { kept.cost[$0] + g.cost[Int(kept.head[$0])] }
        let lengths = kept.head.map { g.length[Int($0)] }
        g.ch = ContractionHierarchy.build(nodeCount: m, tails: kept.tail, heads: kept.head, weights: weights, lengths: lengths)
        g.stats.shortcuts = g.ch.shortcuts
        g.stats.contractSeconds = Date().timeIntervalSince(contracting)
        return g
    }

    /// Restrictions whose via node and ways were read; the others are counted as ignored.
    static func restrictionsByViaNode(_ c: OSMCollector, stats: inout ImportStats) -> Restrictions {
        var restrictionsAt: Restrictions = [:]
        for r in c.restrictions {
            guard let v = c.nodeIndex[r.viaNode], let f = c.wayIndexByID[r.fromWay], let t = c.wayIndexByID[r.toWay] else {
                stats.restrictionsIgnored += 1
                continue
            }
            restrictionsAt[v, default: []].append((r.only, f, t))
        }
        stats.restrictionsIgnored += c.unsupportedRestrictions
        return restrictionsAt
    }

    /// Graph nodes: way ends, nodes shared by two ways (or used twice), barriers, via nodes.
    static func graphNodes(_ c: OSMCollector, restrictionsAt: Restrictions) -> [Bool] {
        var uses = [UInt8](repeating: 0, count: c.nodeIDs.count)
        var isGraphNode = [Bool](repeating: false, count: c.nodeIDs.count)
        for w in 0..<c.wayIDs.count {
            let a = Int(c.wayRefFirst[w]), b = Int(c.wayRefFirst[w + 1])
            for i in a..<b {
                let v = Int(c.wayRefs[i])
                if uses[v] < 2 { uses[v] += 1 }
                if uses[v] >= 2 { isGraphNode[v] = true }
            }
            isGraphNode[Int(c.wayRefs[a])] = true
            isGraphNode[Int(c.wayRefs[b - 1])] = true
        }
        for v in c.barrierNodes where uses[Int(v)] > 0 { isGraphNode[Int(v)] = true }
        for v in restrictionsAt.keys where uses[Int(v)] > 0 { isGraphNode[Int(v)] = true }
        return isGraphNode
    }

    /// Geometry, coordinates and statistics of the edges with a kept segment; returns the new
    /// index of each edge and OSM node (-1: dropped).
    static func copyKeptEdges(_ c: OSMCollector, _ edges: Edges, _ segments: Segments, kept: [Int],
                              into g: inout RoadGraph) -> (newEdge: [Int32], newNode: [Int32]) {
        let n = c.nodeIDs.count
        var edgeKept = [Bool](repeating: false, count: edges.count)
        for d in kept { edgeKept[segments.edge(d)] = true }
        var newEdge = [Int32](repeating: -1, count: edges.count)
        var newNode = [Int32](repeating: -1, count: n)
        var isNodeCounted = [Bool](repeating: false, count: n)
        for e in 0..<edges.count {
            for v in [edges.first(e), edges.last(e)] where !isNodeCounted[v] {
                isNodeCounted[v] = true
                g.stats.graphNodes += 1
            }
            g.stats.roadKm += edges.length[e] / 1000
            guard edgeKept[e] else { continue }
            g.stats.roadKmKept += edges.length[e] / 1000
            newEdge[e] = Int32(g.geometryFirst.count - 1)
            for k in Int(edges.geometryFirst[e])..<Int(edges.geometryFirst[e + 1]) {
                let v = Int(edges.geometry[k])
                if newNode[v] < 0 {
                    newNode[v] = Int32(g.lat.count)
                    g.lat.append(c.lat[v]); g.lon.append(c.lon[v])
                }
                g.geometry.append(newNode[v])
            }
            g.geometryFirst.append(Int32(g.geometry.count))
        }
        return (newEdge, newNode)
    }

    /// The kept segments with their costs and lengths, and the statistics of what was kept.
    static func copyKeptSegments(_ c: OSMCollector, _ segments: Segments, kept: [Int], newEdge: [Int32], newNode: [Int32],
                                 into g: inout RoadGraph) {
        g.stats.segments = segments.count
        g.stats.segmentsKept = kept.count
        var keptNode = [Bool](repeating: false, count: c.nodeIDs.count)
        for d in kept {
            for v in [segments.tail(d), segments.head(d)] where !keptNode[v] {
                keptNode[v] = true
                g.stats.graphNodesKept += 1
            }
        }
        g.stats.signals = c.signalNodes.filter { newNode[Int($0)] >= 0 }.count
        g.stats.barriers = c.barrierNodes.filter { newNode[Int($0)] >= 0 }.count
        g.directedOf = [Int32](repeating: -1, count: 2 * (g.geometryFirst.count - 1))
        for d in kept {
            let code = Int(segments.code[d])
            let ne = Int(newEdge[code >> 1])
            g.directedOf[2 * ne + (code & 1)] = Int32(g.directedEdge.count)
            g.directedEdge.append(Int32(ne << 1 | (code & 1)))
            g.cost.append(segments.cost[d])
            g.length.append(segments.length[d])
        }
    }

    /// Turns between kept segments, renumbered.
    static func keptTurns(_ turns: Turns, newSegment: [Int32]) -> Turns {
        var kept = Turns()
        for i in 0..<turns.tail.count {
            let a = newSegment[Int(turns.tail[i])], b = newSegment[Int(turns.head[i])]
            if a >= 0 && b >= 0 {
                kept.tail.append(a); kept.head.append(b); kept.cost.append(turns.cost[i])
            }
        }
        return kept
    }

    /// Way pieces between graph nodes: their way, geometry (OSM node indices), length in metres and
    /// driving seconds per direction.
    struct Edges {
        var way: [Int32] = []
        var geometryFirst: [Int32] = [0]
        var geometry: [Int32] = []
        var length: [Double] = []
        var forwardSeconds: [Double] = []  // < 0: not driveable this way
        var backwardSeconds: [Double] = []

        var count: Int { way.count }
        @inline(__always) func first(_ e: Int) -> Int { Int(geometry[Int(geometryFirst[e])]) }
        @inline(__always) func last(_ e: Int) -> Int { Int(geometry[Int(geometryFirst[e + 1]) - 1]) }

        init(_ c: OSMCollector, isGraphNode: [Bool]) {
            let p = c.profile
            for w in 0..<c.wayIDs.count {
                let a = Int(c.wayRefFirst[w]), b = Int(c.wayRefFirst[w + 1])
                var start = a
                for i in (a + 1)..<b where isGraphNode[Int(c.wayRefs[i])] {
                    var len = 0.0
                    var signals = 0
                    for j in start..<i {
                        let u = Int(c.wayRefs[j]), v = Int(c.wayRefs[j + 1])
                        len += haversine(c.lat[u], c.lon[u], c.lat[v], c.lon[v])
                        if j > start && c.signalNodes.contains(Int32(u)) { signals += 1 }
                    }
                    if c.wayRefs[start] != c.wayRefs[i] || len > 0 {
                        way.append(Int32(w))
                        geometry.append(contentsOf: c.wayRefs[start...i])
                        geometryFirst.append(Int32(geometry.count))
                        length.append(len)
                        let extra = Double(signals) * p.trafficSignalPenalty
                        let fw = c.wayForwardKmh[w], bw = c.wayBackwardKmh[w]
                        forwardSeconds.append(fw > 0 ? len / (fw / 3.6) + extra : -1)
                        backwardSeconds.append(bw > 0 ? len / (bw / 3.6) + extra : -1)
                    }
                    start = i
                }
            }
        }
    }

    /// Directed edges: each edge once per direction it may be driven, cost in 0.1 s and length
    /// in 0.1 m; the nodes of the turn graph.
    struct Segments {
        let edges: Edges
        var code: [Int32] = []  // edge << 1 | reversed
        var cost: [Int32] = []
        var length: [Int32] = []

        var count: Int { code.count }

        init(_ edges: Edges) {
            self.edges = edges
            for e in 0..<edges.count {
                let len = Int32((edges.length[e] * 10).rounded())
                if edges.forwardSeconds[e] >= 0 {
                    code.append(Int32(e << 1)); cost.append(Int32((edges.forwardSeconds[e] * 10).rounded())); length.append(len)
                }
                if edges.backwardSeconds[e] >= 0 {
                    code.append(Int32(e << 1 | 1)); cost.append(Int32((edges.backwardSeconds[e] * 10).rounded())); length.append(len)
                }
            }
        }

        @inline(__always) func edge(_ d: Int) -> Int { Int(code[d]) >> 1 }
        @inline(__always) private func isReversed(_ d: Int) -> Bool { Int(code[d]) & 1 != 0 }
        /// Geometry position `k` from the start (k ≥ 0) or from the end (k < 0) of the edge's geometry.
        @inline(__always) private func node(_ e: Int, _ k: Int) -> Int {
            Int(edges.geometry[k >= 0 ? Int(edges.geometryFirst[e]) + k : Int(edges.geometryFirst[e + 1]) + k])
        }
        @inline(__always) func tail(_ d: Int) -> Int { node(edge(d), isReversed(d) ? -1 : 0) }
        @inline(__always) func head(_ d: Int) -> Int { node(edge(d), isReversed(d) ? 0 : -1) }
        /// Second-to-last and second geometry nodes, for turn angles.
        @inline(__always) func beforeHead(_ d: Int) -> Int { node(edge(d), isReversed(d) ? 1 : -2) }
        @inline(__always) func afterTail(_ d: Int) -> Int { node(edge(d), isReversed(d) ? -2 : 1) }
    }

    /// Turns between segments (the arcs of the edge-based graph) with their cost in 0.1 s:
    /// restrictions and barriers applied, U-turns only where nothing else is possible.
    struct Turns {
        var tail: [Int32] = [], head: [Int32] = [], cost: [Int32] = []

        init() {}

        init(_ c: OSMCollector, edges: Edges, segments: Segments, restrictionsAt: Restrictions) {
            let p = c.profile
            let n = c.nodeIDs.count
            // Roads meeting at each node (one per edge end, driveable or not) and out-segments per node.
            var roads = [UInt8](repeating: 0, count: n)
            for e in 0..<edges.count {
                let a = edges.first(e), b = edges.last(e)
                roads[a] = roads[a] &+ 1
                roads[b] = roads[b] &+ 1
            }
            let (outFirst, outList, _) = GraphBuilder.csr(
                nodeCount: n, from: (0..<segments.count).map { Int32(segments.tail($0)) },
                to: (0..<segments.count).map { Int32($0) }, value: [Int32](repeating: 0, count: segments.count))
            for din in 0..<segments.count {
                let v = segments.head(din)
                let ein = segments.edge(din)
                let wayIn = edges.way[ein]
                let outs = Int(outFirst[v])..<Int(outFirst[v + 1])
                var nonUTurnOuts = 0
                for k in outs where segments.edge(Int(outList[k])) != ein { nonUTurnOuts += 1 }
                let barrier = c.barrierNodes.contains(Int32(v))
                let rs = restrictionsAt[Int32(v)]
                let signal = c.signalNodes.contains(Int32(v))
                let pb = segments.beforeHead(din)
                let bearingIn = bearing(c.lat[pb], c.lon[pb], c.lat[v], c.lon[v])
                for k in outs {
                    let dout = Int(outList[k])
                    let eout = segments.edge(dout)
                    let uturn = eout == ein && segments.code[dout] != segments.code[din]
                    if uturn && nonUTurnOuts > 0 && !barrier { continue }
                    if barrier && !uturn { continue }
                    if let rs, Self.isRestricted(from: wayIn, to: edges.way[eout], rs) { continue }
                    var secs = signal ? p.trafficSignalPenalty : 0
                    if roads[v] > 2 || uturn {
                        let na = segments.afterTail(dout)
                        var angle = bearing(c.lat[v], c.lon[v], c.lat[na], c.lon[na]) - bearingIn
                        if uturn { angle = 180 }
                        while angle > 180 { angle -= 360 }
                        while angle <= -180 { angle += 360 }
                        secs += p.turnSeconds(angle: angle) + (uturn ? p.uTurnPenalty : 0)
                    }
                    tail.append(Int32(din))
                    head.append(Int32(dout))
                    cost.append(Int32((secs * 10).rounded()))
                }
            }
        }

        /// Whether the restrictions at a node forbid turning from one way into another: a ban on
        /// that turn, or an only-turn from the way into a different way.
        static func isRestricted(from wayIn: Int32, to wayOut: Int32, _ rs: [(only: Bool, from: Int32, to: Int32)]) -> Bool {
            var hasOnly = false, onlyMatch = false, banned = false
            for r in rs where r.from == wayIn {
                if r.only {
                    hasOnly = true
                    if r.to == wayOut { onlyMatch = true }
                } else if r.to == wayOut {
                    banned = true
                }
            }
            return banned || (hasOnly && !onlyMatch)
        }
    }

    /// Compressed sparse rows: for each `from` node, its (to, value) pairs.
    static func csr(nodeCount: Int, from: [Int32], to: [Int32], value: [Int32]) -> ([Int32], [Int32], [Int32]) {
        var first = [Int32](repeating: 0, count: nodeCount + 1)
        for f in from { first[Int(f) + 1] += 1 }
        for v in 0..<nodeCount { first[v + 1] += first[v] }
        var fill = first
        var heads = [Int32](repeating: 0, count: from.count)
        var vals = [Int32](repeating: 0, count: from.count)
        for i in 0..<from.count {
            let f = Int(from[i])
            heads[Int(fill[f])] = to[i]
            vals[Int(fill[f])] = value[i]
            fill[f] += 1
        }
        return (first, heads, vals)
    }

    /// Tarjan's strongly connected components (iterative); true for nodes of the largest one.
    static func largestSCC(nodeCount n: Int, tails: [Int32], heads: [Int32]) -> [Bool] {
        let (first, adj, _) = csr(nodeCount: n, from: tails, to: heads, value: [Int32](repeating: 0, count: tails.count))
        var index = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var comp = [Int32](repeating: -1, count: n)
        var stack: [Int32] = []
        var call: [(v: Int32, next: Int32)] = []
        var counter: Int32 = 0
        var compCount: Int32 = 0
        var compSize: [Int] = []
        for root in 0..<n where index[root] < 0 {
            call.append((Int32(root), first[root]))
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(Int32(root)); onStack[root] = true
            while let top = call.last {
                let v = Int(top.v)
                if top.next < first[v + 1] {
                    call[call.count - 1].next += 1
                    let w = Int(adj[Int(top.next)])
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(Int32(w)); onStack[w] = true
                        call.append((Int32(w), first[w]))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    call.removeLast()
                    if let parent = call.last { low[Int(parent.v)] = min(low[Int(parent.v)], low[v]) }
                    if low[v] == index[v] {
                        var size = 0
                        while let w = stack.popLast() {
                            onStack[Int(w)] = false
                            comp[Int(w)] = compCount
                            size += 1
                            if Int(w) == v { break }
                        }
                        compSize.append(size)
                        compCount += 1
                    }
                }
            }
        }
        guard let best = compSize.indices.max(by: { compSize[$0] < compSize[$1] }) else { return [] }
        return comp.map { $0 == Int32(best) }
    }
}

/// Great-circle distance in metres (same formula as `Coordinate.distance`).
@inline(__always) func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = 6_371_008.8
    let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
    let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
    let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
    return 2 * r * asin(min(1, a.squareRoot()))
}

/// Compass bearing in degrees (clockwise from north) on a local flat projection.
@inline(__always) func bearing(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let dx = (lon2 - lon1) * cos(lat1 * .pi / 180)
    let dy = lat2 - lat1
    return atan2(dx, dy) * 180 / .pi
}
