/// Ruin and recreate on the local search's routes (Schrimpf et al. 2000, "Record breaking
/// optimization results using the ruin and recreate principle"): a few clients close to a random
/// one leave their routes and come back one by one at their cheapest position next to one of
/// their granular neighbours. The iterated local search then repairs only around the change.
extension LocalSearch {
    /// Declares the current routes a local optimum: an incremental run afterwards re-tests only
    /// what changes from here on.
    mutating func markConverged() {
        moves += 1
        for l in sd.active { lastTested[l] = moves }
        for r in 0..<R { lastSwapStar[r] = moves }
    }

    /// Removes up to `count` routed clients around a random one and reinserts them in random order.
    mutating func perturb(count: Int) {
        guard count > 0, !sd.active.isEmpty else { return }
        var seed = sd.active[rng.below(sd.active.count)]
        for _ in 0..<8 where routeOf[seed] < 0 { seed = sd.active[rng.below(sd.active.count)] }
        guard routeOf[seed] >= 0 else { return }
        var removed = [seed]
        let nb = neighbours[seed]
        // A random start in the neighbour list keeps the ruined set from always being the same.
        let offset = nb.isEmpty ? 0 : rng.below(max(1, nb.count / 2))
        var k = offset
        while removed.count < count && k < nb.count {
            if routeOf[nb[k]] >= 0 { removed.append(nb[k]) }
            k += 1
        }
        for u in removed {
            let r = routeOf[u]
            removeAt(r, posOf[u])
            routeOf[u] = -1
            applied(r)
        }
        for k in stride(from: removed.count - 1, to: 0, by: -1) { removed.swapAt(k, rng.below(k + 1)) }
        for u in removed { reinsert(u) }
    }

    /// Route elimination: every client of one route, the shorter routes likelier, goes into the
    /// other routes (no idle vehicle), however much that breaks them; the penalised repair then
    /// decides whether the fleet can do with one vehicle less. Client moves alone seldom empty a
    /// vehicle when its clients fit elsewhere only after others have moved (the route-elimination
    /// step of Nagata and Bräysy 2009, "A powerful route minimization heuristic for the vehicle
    /// routing problem with time windows").
    mutating func ruinRoute() {
        var used: [Int] = []
        for r in 0..<R where clientsIn(r) > 0 { used.append(r) }
        guard used.count > 1 else { return }
        // The fewer clients, the likelier: the shorter of two random routes.
        let a = used[rng.below(used.count)], b = used[rng.below(used.count)]
        let r = clientsIn(a) <= clientsIn(b) ? a : b
        var removed = stops(r, 1, len[r] - 2).filter { $0 >= sd.depots }
        for u in removed { routeOf[u] = -1 }
        write(r, [])
        applied(r)
        for k in stride(from: removed.count - 1, to: 0, by: -1) { removed.swapAt(k, rng.below(k + 1)) }
        for u in removed { reinsert(u, idleVehicles: false) }
    }

    /// Cheapest position for u next to a routed granular neighbour (or in an empty vehicle, with
    /// `idleVehicles`); every route when none is routed. Optional clients stay out when their
    /// penalty is lower.
    mutating func reinsert(_ u: Int, idleVehicles: Bool = true) {
        var best = Double.infinity, br = -1, bp = -1
        @inline(__always) func consider(_ r: Int, _ p: Int) {
            let c = insertionDelta(u, r, after: p)
            if c < best { best = c; br = r; bp = p }
        }
        var any = false
        for v in neighbours[u] where routeOf[v] >= 0 {
            let r = routeOf[v]
            if sd.hasRestrictions && !sd.allows(type[r], u) { continue }
            any = true
            consider(r, posOf[v] - 1)
            consider(r, posOf[v])
        }
        var seen: UInt64 = 0
        for r in 0..<R where len[r] == 2 || !any {
            if sd.hasRestrictions && !sd.allows(type[r], u) { continue }
            if len[r] == 2 {
                if !idleVehicles { continue }
                let bit: UInt64 = 1 << UInt64(type[r])
                if seen & bit != 0 { continue }
                seen |= bit
            }
            for p in 0..<(len[r] - 1) { consider(r, p) }
        }
        if br < 0 || (!sd.required[u - sd.depots] && best >= sd.dropPenalty[u]) {
            unrouted.append(u)
            return
        }
        insertAt(br, bp + 1, u)
        applied(br)
    }
}
