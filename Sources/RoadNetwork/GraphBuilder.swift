import Foundation

/// Turns the collected OSM data into a `RoadGraph`: collapse degree-2 chains into edges, build
/// the edge-based turn graph with restrictions and turn costs, keep the largest strongly
/// connected component, contract it.
enum GraphBuilder {
    static func build(_ c: OSMCollector, path: String) throws -> RoadGraph {
        let started = Date()
        let p = c.profile
        let n = c.nodeIDs.count
        let wayCount = c.wayIDs.count
        var stats = ImportStats()
        stats.osmNodes = c.osmNodeCount
        stats.osmWays = c.osmWayCount
        stats.osmRelations = c.osmRelationCount
        stats.routableWays = wayCount
        stats.missingNodeRefs = c.missingNodeRefs
        guard wayCount > 0 else { throw RoadNetworkError.noRoads(path: path) }

        // Which restriction via nodes matter, by node index.
        var restrictionsAt: [Int32: [(only: Bool, from: Int32, to: Int32)]] = [:]
        for r in c.restrictions {
            guard let v = c.nodeIndex[r.viaNode], let f = c.wayIndexByID[r.fromWay], let t = c.wayIndexByID[r.toWay] else {
                stats.restrictionsIgnored += 1
                continue
            }
            restrictionsAt[v, default: []].append((r.only, f, t))
        }
        stats.restrictionsIgnored += c.unsupportedRestrictions

        // Graph nodes: way ends, nodes shared by two ways (or used twice), barriers, via nodes.
        var uses = [UInt8](repeating: 0, count: n)
        var isGraphNode = [Bool](repeating: false, count: n)
        for w in 0..<wayCount {
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

        // Edges: way pieces between graph nodes.
        var edgeWay: [Int32] = []
        var geomFirst: [Int32] = [0]
        var geom: [Int32] = []
        var edgeLength: [Double] = []
        var forwardSeconds: [Double] = []  // < 0: not driveable this way
        var backwardSeconds: [Double] = []
        for w in 0..<wayCount {
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
                    edgeWay.append(Int32(w))
                    geom.append(contentsOf: c.wayRefs[start...i])
                    geomFirst.append(Int32(geom.count))
                    edgeLength.append(len)
                    let extra = Double(signals) * p.trafficSignalPenalty
                    let fw = c.wayForwardKmh[w], bw = c.wayBackwardKmh[w]
                    forwardSeconds.append(fw > 0 ? len / (fw / 3.6) + extra : -1)
                    backwardSeconds.append(bw > 0 ? len / (bw / 3.6) + extra : -1)
                }
                start = i
            }
        }
        let edgeCount = edgeWay.count
        guard edgeCount > 0 else { throw RoadNetworkError.noRoads(path: path) }

        // Directed edges.
        var dirCode: [Int32] = []  // edge << 1 | reversed
        var dirCost: [Int32] = []
        var dirLen: [Int32] = []
        for e in 0..<edgeCount {
            let len = Int32((edgeLength[e] * 10).rounded())
            if forwardSeconds[e] >= 0 {
                dirCode.append(Int32(e << 1)); dirCost.append(Int32((forwardSeconds[e] * 10).rounded())); dirLen.append(len)
            }
            if backwardSeconds[e] >= 0 {
                dirCode.append(Int32(e << 1 | 1)); dirCost.append(Int32((backwardSeconds[e] * 10).rounded())); dirLen.append(len)
            }
        }
        let dn = dirCode.count
        @inline(__always) func tail(_ d: Int) -> Int {
            let code = Int(dirCode[d]), e = code >> 1
            return Int(code & 1 == 0 ? geom[Int(geomFirst[e])] : geom[Int(geomFirst[e + 1]) - 1])
        }
        @inline(__always) func head(_ d: Int) -> Int {
            let code = Int(dirCode[d]), e = code >> 1
            return Int(code & 1 == 0 ? geom[Int(geomFirst[e + 1]) - 1] : geom[Int(geomFirst[e])])
        }
        // Second-to-last and second geometry nodes, for turn angles.
        @inline(__always) func beforeHead(_ d: Int) -> Int {
            let code = Int(dirCode[d]), e = code >> 1
            return Int(code & 1 == 0 ? geom[Int(geomFirst[e + 1]) - 2] : geom[Int(geomFirst[e]) + 1])
        }
        @inline(__always) func afterTail(_ d: Int) -> Int {
            let code = Int(dirCode[d]), e = code >> 1
            return Int(code & 1 == 0 ? geom[Int(geomFirst[e]) + 1] : geom[Int(geomFirst[e + 1]) - 2])
        }

        // Roads meeting at each node (one per edge end, driveable or not) and out-edges per node.
        var roads = [UInt8](repeating: 0, count: n)
        for e in 0..<edgeCount {
            let a = Int(geom[Int(geomFirst[e])]), b = Int(geom[Int(geomFirst[e + 1]) - 1])
            roads[a] = roads[a] &+ 1
            roads[b] = roads[b] &+ 1
        }
        var outFirst = [Int32](repeating: 0, count: n + 1)
        for d in 0..<dn { outFirst[tail(d) + 1] += 1 }
        for v in 0..<n { outFirst[v + 1] += outFirst[v] }
        var outList = [Int32](repeating: 0, count: dn)
        var fill = outFirst
        for d in 0..<dn {
            let t = tail(d)
            outList[Int(fill[t])] = Int32(d)
            fill[t] += 1
        }

        // Turns (edge-based graph arcs).
        var turnTail: [Int32] = [], turnHead: [Int32] = [], turnCost: [Int32] = []
        for din in 0..<dn {
            let v = head(din)
            let ein = Int(dirCode[din]) >> 1
            let wayIn = edgeWay[ein]
            let outs = Int(outFirst[v])..<Int(outFirst[v + 1])
            var nonUTurnOuts = 0
            for k in outs where Int(dirCode[Int(outList[k])]) >> 1 != ein { nonUTurnOuts += 1 }
            let barrier = c.barrierNodes.contains(Int32(v))
            let rs = restrictionsAt[Int32(v)]
            let signal = c.signalNodes.contains(Int32(v))
            let pb = beforeHead(din)
            let bearingIn = bearing(c.lat[pb], c.lon[pb], c.lat[v], c.lon[v])
            for k in outs {
                let dout = Int(outList[k])
                let eout = Int(dirCode[dout]) >> 1
                let uturn = eout == ein && dirCode[dout] != dirCode[din]
                if uturn && nonUTurnOuts > 0 && !barrier { continue }
                if barrier && !uturn { continue }
                if let rs {
                    let wayOut = edgeWay[eout]
                    var hasOnly = false, onlyMatch = false, banned = false
                    for r in rs where r.from == wayIn {
                        if r.only {
                            hasOnly = true
                            if r.to == wayOut { onlyMatch = true }
                        } else if r.to == wayOut {
                            banned = true
                        }
                    }
                    if banned || (hasOnly && !onlyMatch) { continue }
                }
                var secs = signal ? p.trafficSignalPenalty : 0
                if roads[v] > 2 || uturn {
                    let na = afterTail(dout)
                    var angle = bearing(c.lat[v], c.lon[v], c.lat[na], c.lon[na]) - bearingIn
                    if uturn { angle = 180 }
                    while angle > 180 { angle -= 360 }
                    while angle <= -180 { angle += 360 }
                    secs += p.turnSeconds(angle: angle) + (uturn ? p.uTurnPenalty : 0)
                }
                turnTail.append(Int32(din))
                turnHead.append(Int32(dout))
                turnCost.append(Int32((secs * 10).rounded()))
            }
        }
        // Restrictions whose via node and ways are in the graph.
        for (v, rs) in restrictionsAt {
            if isGraphNode[Int(v)] { stats.restrictionsApplied += rs.count } else { stats.restrictionsIgnored += rs.count }
        }

        // Largest strongly connected component of the turn graph.
        let component = largestSCC(nodeCount: dn, tails: turnTail, heads: turnHead)
        var newDir = [Int32](repeating: -1, count: dn)
        var keptDirs: [Int] = []
        for d in 0..<dn where component[d] {
            newDir[d] = Int32(keptDirs.count)
            keptDirs.append(d)
        }
        guard !keptDirs.isEmpty else { throw RoadNetworkError.noRoads(path: path) }
        var edgeKept = [Bool](repeating: false, count: edgeCount)
        for d in keptDirs { edgeKept[Int(dirCode[d]) >> 1] = true }
        var newEdge = [Int32](repeating: -1, count: edgeCount)
        var newNode = [Int32](repeating: -1, count: n)
        var g = RoadGraph(
            lat: [], lon: [], geometryFirst: [0], geometry: [], directedOf: [], directedEdge: [],
            cost: [], length: [], turnFirst: [], turnHead: [], turnCost: [], reverseTurnFirst: [],
            reverseTurnTail: [], reverseTurnCost: [], ch: ContractionHierarchy(), stats: stats)
        var isNodeCounted = [Bool](repeating: false, count: n)
        for e in 0..<edgeCount {
            let a = Int(geom[Int(geomFirst[e])]), b = Int(geom[Int(geomFirst[e + 1]) - 1])
            for v in [a, b] where !isNodeCounted[v] {
                isNodeCounted[v] = true
                g.stats.graphNodes += 1
            }
            g.stats.roadKm += edgeLength[e] / 1000
            guard edgeKept[e] else { continue }
            g.stats.roadKmKept += edgeLength[e] / 1000
            newEdge[e] = Int32(g.geometryFirst.count - 1)
            for k in Int(geomFirst[e])..<Int(geomFirst[e + 1]) {
                let v = Int(geom[k])
                if newNode[v] < 0 {
                    newNode[v] = Int32(g.lat.count)
                    g.lat.append(c.lat[v]); g.lon.append(c.lon[v])
                }
                g.geometry.append(newNode[v])
            }
            g.geometryFirst.append(Int32(g.geometry.count))
        }
        g.stats.segments = dn
        g.stats.segmentsKept = keptDirs.count
        var keptNode = [Bool](repeating: false, count: n)
        for d in keptDirs {
            for v in [tail(d), head(d)] where !keptNode[v] {
                keptNode[v] = true
                g.stats.graphNodesKept += 1
            }
        }
        g.stats.signals = c.signalNodes.filter { newNode[Int($0)] >= 0 }.count
        g.stats.barriers = c.barrierNodes.filter { newNode[Int($0)] >= 0 }.count
        g.directedOf = [Int32](repeating: -1, count: 2 * (g.geometryFirst.count - 1))
        for d in keptDirs {
            let code = Int(dirCode[d])
            let ne = Int(newEdge[code >> 1])
            g.directedOf[2 * ne + (code & 1)] = Int32(g.directedEdge.count)
            g.directedEdge.append(Int32(ne << 1 | (code & 1)))
            g.cost.append(dirCost[d])
            g.length.append(dirLen[d])
        }

        // Kept turns as forward and reverse adjacency arrays.
        var tails: [Int32] = [], heads: [Int32] = [], costs: [Int32] = []
        for i in 0..<turnTail.count {
            let a = newDir[Int(turnTail[i])], b = newDir[Int(turnHead[i])]
            if a >= 0 && b >= 0 {
                tails.append(a); heads.append(b); costs.append(turnCost[i])
            }
        }
        g.stats.turnsKept = tails.count
        let m = keptDirs.count
        (g.turnFirst, g.turnHead, g.turnCost) = csr(nodeCount: m, from: tails, to: heads, value: costs)
        (g.reverseTurnFirst, g.reverseTurnTail, g.reverseTurnCost) = csr(nodeCount: m, from: heads, to: tails, value: costs)

        // Contraction: a turn arc costs its own penalty plus driving the edge turned into.
        let contracting = Date()
        g.stats.graphSeconds = contracting.timeIntervalSince(started)
        let weights = (0..<tails.count).map { costs[$0] + g.cost[Int(heads[$0])] }
        let lengths = heads.map { g.length[Int($0)] }
        g.ch = ContractionHierarchy.build(nodeCount: m, tails: tails, heads: heads, weights: weights, lengths: lengths)
        g.stats.shortcuts = g.ch.shortcuts
        g.stats.contractSeconds = Date().timeIntervalSince(contracting)
        return g
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
