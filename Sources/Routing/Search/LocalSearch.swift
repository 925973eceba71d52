/// Owns the flat route buffers of a `LocalSearch` (freed once, when the search is dropped).
final class RouteBuffers<Trip: TripLoad>: @unchecked Sendable {
    let node: UnsafeMutablePointer<Int>
    let pre: UnsafeMutablePointer<Piece<Trip>>
    let suf: UnsafeMutablePointer<Piece<Trip>>
    let size: Int
    init(size: Int) {
        self.size = size
        node = .allocate(capacity: size)
        node.initialize(repeating: 0, count: size)
        pre = .allocate(capacity: size)
        suf = .allocate(capacity: size)
    }
    deinit { node.deallocate(); pre.deallocate(); suf.deallocate() }
}

/// A route as the genetic search stores it: its slot and its locations in order, reload stops at
/// the depot included (client locations are `depots + client`, depot locations are reloads).
typealias SlotRoutes = [[Int]]

/// Granular local search over all routes at once (Vidal et al. 2012; Vidal 2022): every route
/// is a row of a flat buffer with cached prefix and suffix pieces, so moves are evaluated in O(1)
/// from them and applied in O(route length).
struct LocalSearch<Trip: TripLoad> {
    let sd: SearchData
    let buffers: RouteBuffers<Trip>
    let R: Int
    let S: Int
    let node: UnsafeMutablePointer<Int>
    let pre: UnsafeMutablePointer<Piece<Trip>>
    let suf: UnsafeMutablePointer<Piece<Trip>>
    let type: [Int]
    var len: [Int]
    var cost: [Double]
    /// Part of a route's cost that a move can lower besides distance and fixed cost: duration
    /// cost and penalties. Used for the lower-bound test that prunes most candidates.
    var soft: [Double]
    var sector: [CircleSector]
    var routeOf: [Int]
    var posOf: [Int]
    var modified: [Int]
    var lastTested: [Int]
    var lastSwapStar: [Int]
    var lastVehicleChange: [Int]
    var moves = 0
    var w = Penalties(load: 1, time: 1)
    var rng: RNG
    var order: [Int]
    var neighbours: [[Int]]
    var unrouted: [Int] = []
    let sameEnds: [Bool]
    /// SWAP* cache: best three insertion positions of a client in a route (Vidal 2022, §4).
    var insertCache: [ThreeBest]
    var useSwapStar = true
    /// Smallest gain that counts as an improvement. Relative to the cost unit: with costs in fine
    /// money units, route costs reach 1e15 and rounding noise alone could make moves cycle.
    let eps: Double
    /// Loops of one `run` at most: a safety net against cycling, far above what a run needs.
    static var maxLoops: Int { 1_000 }

    init(_ sd: SearchData, rng: RNG) {
        self.sd = sd
        eps = 1e-5 * sd.penaltyUnit
        R = sd.slotType.count
        // Longest route: every client plus one reload per extra trip.
        S = sd.active.count + 2 + (sd.maxTrips.max() ?? 1)
        buffers = RouteBuffers(size: max(1, R * S))
        node = buffers.node; pre = buffers.pre; suf = buffers.suf
        type = sd.slotType
        len = [Int](repeating: 2, count: R)
        cost = [Double](repeating: 0, count: R)
        soft = [Double](repeating: 0, count: R)
        sector = [CircleSector](repeating: CircleSector(), count: R)
        routeOf = [Int](repeating: -1, count: sd.locations)
        posOf = [Int](repeating: 0, count: sd.locations)
        modified = [Int](repeating: 0, count: R)
        lastTested = [Int](repeating: -1, count: sd.locations)
        lastSwapStar = [Int](repeating: -1, count: R)
        lastVehicleChange = [Int](repeating: -1, count: R)
        self.rng = rng
        order = sd.active
        neighbours = sd.neighbours
        var ends = [Bool](repeating: false, count: sd.types * sd.types)
        for a in 0..<sd.types {
            for b in 0..<sd.types {
                ends[a * sd.types + b] = sd.typeDepot[a] == sd.typeDepot[b] && sd.open[a] == sd.open[b] && sd.close[a] == sd.close[b]
            }
        }
        sameEnds = ends
        insertCache = [ThreeBest](repeating: ThreeBest(), count: sd.useSwapStarCache ? R * sd.locations : 0)
        useSwapStar = sd.useSwapStarCache
    }

    // MARK: route access

    @inline(__always) func at(_ r: Int, _ p: Int) -> Int { node[r * S + p] }
    @inline(__always) func prefix(_ r: Int, _ p: Int) -> Piece<Trip> { pre[r * S + p] }
    @inline(__always) func suffix(_ r: Int, _ p: Int) -> Piece<Trip> { suf[r * S + p] }
    @inline(__always) func clientsIn(_ r: Int) -> Int { pre[r * S + len[r] - 1].clients }
    @inline(__always) func total(_ r: Int) -> Piece<Trip> { pre[r * S + len[r] - 1] }

    @inline(__always) func clientPiece(_ l: Int) -> Piece<Trip> { sd.clientPiece(l) }
    @inline(__always) func depotPiece(type t: Int, reload: Bool) -> Piece<Trip> { sd.depotPiece(type: t, reload: reload) }

    /// Piece of the single stop at position p of route r.
    @inline(__always) func pieceAt(_ r: Int, _ p: Int) -> Piece<Trip> {
        let l = node[r * S + p]
        if p == 0 || p == len[r] - 1 { return depotPiece(type: type[r], reload: false) }
        if l < sd.depots { return depotPiece(type: type[r], reload: true) }
        return clientPiece(l)
    }

    /// Positions i...j of route r (1 ≤ i ≤ j ≤ len-2), forward or reversed, in O(j - i).
    func between(_ r: Int, _ i: Int, _ j: Int, reversed: Bool = false, type t: Int) -> Piece<Trip> {
        if reversed {
            var p = pieceAt(r, j)
            var k = j - 1
            while k >= i { p = sd.merge(p, pieceAt(r, k), type: t); k -= 1 }
            return p
        }
        var p = pieceAt(r, i)
        var k = i + 1
        while k <= j { p = sd.merge(p, pieceAt(r, k), type: t); k += 1 }
        return p
    }

    /// The suffix of route `from` starting at p, ending at the depot of type t instead.
    @inline(__always) func suffix(_ from: Int, _ p: Int, endingAs t: Int) -> Piece<Trip> {
        if sameEnds[type[from] * sd.types + t] { return suffix(from, p) }
        let end = depotPiece(type: t, reload: false)
        if p >= len[from] - 1 { return end }
        return sd.merge(between(from, p, len[from] - 2, type: t), end, type: t)
    }

    @inline(__always) func routeCost(_ p: Piece<Trip>, _ r: Int) -> Double { sd.cost(p, type: type[r], w) }

    // MARK: loading and exporting

    mutating func load(_ routes: SlotRoutes, unrouted: [Int]) {
        moves += 1  // fresh stamps: caches keyed on `modified` must not match older contents
        for l in 0..<sd.locations { routeOf[l] = -1 }
        for r in 0..<R {
            let seq = r < routes.count ? routes[r] : []
            let dep = sd.typeDepot[type[r]]
            node[r * S] = dep
            for (k, l) in seq.enumerated() { node[r * S + 1 + k] = l }
            node[r * S + seq.count + 1] = dep
            len[r] = seq.count + 2
            update(r)
            lastSwapStar[r] = -1
            lastVehicleChange[r] = -1
        }
        self.unrouted = unrouted
        for l in sd.active { lastTested[l] = -1 }
    }

    mutating func setPenalties(_ p: Penalties) {
        w = p
        moves += 1
        for r in 0..<R { update(r) }
    }

    func export() -> SlotRoutes {
        (0..<R).map { r in (1..<(len[r] - 1)).map { at(r, $0) } }
    }

    /// Recomputes the cached pieces of route r after it changed.
    mutating func update(_ r: Int) {
        let base = r * S, n = len[r], t = type[r]
        // Drop reloads that start or end a route or follow one another: an empty trip only wastes time.
        if sd.hasMultiTrip { compactReloads(r) }
        let n2 = len[r]
        _ = n
        var p = depotPiece(type: t, reload: false)
        pre[base] = p
        var sec = CircleSector()
        var first = true
        for i in 1..<n2 {
            let piece = pieceAt(r, i)
            p = sd.merge(p, piece, type: t)
            pre[base + i] = p
            let l = node[base + i]
            if i < n2 - 1 && l >= sd.depots {
                routeOf[l] = r
                posOf[l] = i
                if first { sec = CircleSector(point: sd.angle[l]); first = false } else { sec.extend(sd.angle[l]) }
            }
        }
        var s = depotPiece(type: t, reload: false)
        suf[base + n2 - 1] = s
        var i = n2 - 2
        while i >= 0 {
            s = sd.merge(pieceAt(r, i), s, type: t)
            suf[base + i] = s
            i -= 1
        }
        let c = sd.cost(p, type: t, w)
        cost[r] = c
        soft[r] = p.clients > 0 ? c - Double(sd.fixedCost[t] + sd.arcCost(p, type: t)) : 0
        sector[r] = sec
        modified[r] = moves
    }

    private mutating func compactReloads(_ r: Int) {
        let base = r * S
        var out = 1
        var prevDepot = true
        for i in 1..<(len[r] - 1) {
            let l = node[base + i]
            let isReload = l < sd.depots
            if isReload && prevDepot { continue }
            node[base + out] = l
            out += 1
            prevDepot = isReload
        }
        if prevDepot && out > 1 { out -= 1 }
        node[base + out] = node[base]
        len[r] = out + 1
    }

    func reloads(_ r: Int) -> Int {
        var k = 0
        for i in 1..<(len[r] - 1) where at(r, i) < sd.depots { k += 1 }
        return k
    }

    /// Replaces route r's stops by `seq` (reloads included) and refreshes its cache.
    mutating func set(_ r: Int, _ seq: [Int]) {
        let base = r * S
        for (k, l) in seq.enumerated() { node[base + 1 + k] = l }
        node[base + seq.count + 1] = node[base]
        len[r] = seq.count + 2
        update(r)
    }

    func stops(_ r: Int, _ i: Int, _ j: Int) -> [Int] {
        i > j ? [] : (i...j).map { at(r, $0) }
    }

    // MARK: the search

    /// Runs the local search until no move of any neighbourhood improves (first improvement).
    /// With `incremental`, the state was a local optimum before some routes changed
    /// (`markConverged`, then a perturbation): from the first loop on, only pairs with a route
    /// changed since they were last tested are tried.
    mutating func run(incremental: Bool = false, swapStar: Bool = true) {
        if incremental {
            // A full shuffle per run would cost more than the run itself on large instances.
            for _ in 0..<min(order.count, 16) { order.swapAt(rng.below(order.count), rng.below(order.count)) }
        } else {
            for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, rng.below(k + 1)) }
            for u in order where rng.below(max(1, neighbours[u].count)) == 0 {
                var nb = neighbours[u]
                for k in stride(from: nb.count - 1, to: 0, by: -1) { nb.swapAt(k, rng.below(k + 1)) }
                neighbours[u] = nb
            }
        }
        var loop = incremental ? 1 : 0
        var improved = true
        // At least two loops: moves into empty routes start with the second (as in HGS-CVRP).
        while (improved || loop < 2) && loop < Self.maxLoops {
            improved = false
            loop += 1
            for u in order {
                guard routeOf[u] >= 0 else { continue }
                let last = lastTested[u]
                lastTested[u] = moves
                for v in neighbours[u] {
                    guard routeOf[v] >= 0, routeOf[u] >= 0 else { continue }
                    if loop > 1 && max(modified[routeOf[u]], modified[routeOf[v]]) <= last { continue }
                    if tryMoves(u, v) { improved = true }
                }
                if loop > 1, routeOf[u] >= 0, !incremental || modified[routeOf[u]] > last, tryEmptyRoute(u) { improved = true }
            }
            if swapStar && useSwapStar && !sd.hasMultiTrip && swapStarPass() { improved = true }
            if (sd.hasOptional || !unrouted.isEmpty) && insertionPass() { improved = true }
            if sd.hasMultiTrip && reloadPass() { improved = true }
            if sd.hasMultiTrip && tripRelocatePass() { improved = true }
            if (sd.hasMultiTrip || sd.types > 1) && vehicleChangePass() { improved = true }
        }
    }

    mutating func applied(_ rs: Int...) {
        moves += 1
        for r in rs { update(r) }
    }

    /// Every node move between u and its neighbour v, first improvement.
    mutating func tryMoves(_ u: Int, _ v: Int) -> Bool {
        let rv = routeOf[v], pv = posOf[v]
        if relocate(u, after: rv, pv) { return true }
        if relocatePair(u, after: rv, pv) { return true }
        if swap(u, v) { return true }
        if swapPair(u, v) { return true }
        if routeOf[u] == routeOf[v] {
            if twoOpt(u, v) { return true }
        } else {
            if twoOptStar(u, rv, pv) { return true }
        }

        // v first in its route: also try right after the depot.
        if pv == 1 {
            if relocate(u, after: rv, 0) { return true }
            if routeOf[u] != rv, twoOptStar(u, rv, 0) { return true }
        }
        return false
    }

    /// Moves u into an empty vehicle of each type (new route) when that pays.
    mutating func tryEmptyRoute(_ u: Int) -> Bool {
        var seen: UInt64 = 0
        for r in 0..<R where len[r] == 2 {
            let bit: UInt64 = 1 << UInt64(type[r])
            if seen & bit != 0 { continue }
            seen |= bit
            if relocate(u, after: r, 0) { return true }
            // Split u's route after u: its tail becomes a new route.
            if type[r] == type[routeOf[u]], twoOptStar(u, r, 0) { return true }
        }
        return false
    }
}

/// An arc of polar angles (0 ..< 65536) covering a route's clients, for SWAP*'s route-pair
/// filter (Vidal 2022).
struct CircleSector {
    var start = 0
    var end = 0
    init() {}
    init(point: Int) { start = point; end = point }
    @inline(__always) func contains(_ p: Int) -> Bool { ((p - start) & 0xFFFF) <= ((end - start) & 0xFFFF) }
    mutating func extend(_ p: Int) {
        guard !contains(p) else { return }
        if ((p - end) & 0xFFFF) <= ((start - p) & 0xFFFF) { end = p } else { start = p }
    }
    static func overlap(_ a: CircleSector, _ b: CircleSector) -> Bool {
        ((b.start - a.start) & 0xFFFF) <= ((a.end - a.start) & 0xFFFF)
            || ((a.start - b.start) & 0xFFFF) <= ((b.end - b.start) & 0xFFFF)
    }
}
