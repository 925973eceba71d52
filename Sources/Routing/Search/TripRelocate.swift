/// Multi-trip: a whole trip moves to another vehicle, as its first trip, before one of its
/// reloads or as its last trip, on its own or joined to the trip it meets there. Single-client moves seldom empty a vehicle of the multi-trip VRP,
/// whose day cost is then never saved; moving trips is the neighbourhood that packs vehicles
/// (the trip-exchange moves of Cattaruzza, Absi, Feillet and Vidal 2014, "A memetic algorithm for
/// the multi trip vehicle routing problem"). Evaluated in O(trip length) from the cached pieces.
extension LocalSearch {
    /// First improvement over every trip and every other vehicle.
    mutating func tripRelocatePass() -> Bool {
        var improved = false
        for r1 in 0..<R where len[r1] > 2 {
            var i = 1
            while i < len[r1] - 1 {
                var j = i
                while j + 1 < len[r1] - 1 && at(r1, j + 1) >= sd.depots { j += 1 }
                if at(r1, i) >= sd.depots, relocateTrip(of: r1, from: i, to: j) { improved = true; break }
                i = j + 2
            }
        }
        return improved
    }

    /// Route r1 without its trip at positions i...j (clients between reloads), and its cost.
    func costWithout(_ r1: Int, _ i: Int, _ j: Int) -> Double {
        if i == 1 && j == len[r1] - 2 { return 0 }
        let t = type[r1]
        let rest = j + 1 < len[r1] - 1 ? sd.merge(prefix(r1, i - 1), suffix(r1, j + 2), type: t)
            : sd.merge(prefix(r1, i - 2), suffix(r1, j + 1), type: t)
        return routeCost(rest, r1)
    }

    /// Moves the trip i...j of r1 to the best place in another vehicle if that lowers the cost.
    mutating func relocateTrip(of r1: Int, from i: Int, to j: Int) -> Bool {
        let gain = cost[r1] - costWithout(r1, i, j)
        var mask: UInt64 = ~0
        if sd.hasRestrictions { for p in i...j { mask &= sd.allowed[at(r1, p)] } }
        var best = -self.eps, bestRoute = -1, bestAt = 0, bestOwnTrip = true
        // Without a reload inside, a trip's piece is the same whatever vehicle type merges it.
        let trip = between(r1, i, j, type: type[r1])
        for r2 in 0..<R where r2 != r1 && len[r2] > 2 {
            let t = type[r2]
            if mask & (1 << UInt64(t)) == 0 { continue }
            let canReload = sd.maxTrips[t] > reloads(r2) + 1
            let reload = depotPiece(type: t, reload: true)
            // Before position q of r2 (q = 1: the first trip; else a reload or the end depot), as a
            // trip of its own or joined to the trip it meets (no reload).
            var q = 1
            while q < len[r2] {
                let head = prefix(r2, q - 1), tail = suffix(r2, q)
                if canReload {
                    let p = q == 1 ? sd.merge(sd.merge(sd.merge(head, trip, type: t), reload, type: t), tail, type: t)
                        : sd.merge(sd.merge(sd.merge(head, reload, type: t), trip, type: t), tail, type: t)
                    let delta = routeCost(p, r2) - cost[r2] - gain
                    if delta < best { best = delta; bestRoute = r2; bestAt = q; bestOwnTrip = true }
                }
                let joined = routeCost(sd.merge(sd.merge(head, trip, type: t), tail, type: t), r2) - cost[r2] - gain
                if joined < best { best = joined; bestRoute = r2; bestAt = q; bestOwnTrip = false }
                q += 1
                while q < len[r2] - 1 && at(r2, q) >= sd.depots { q += 1 }
            }
        }
        guard bestRoute >= 0 else { return false }
        let r2 = bestRoute, depot = sd.typeDepot[type[r2]]
        let moved = stops(r1, i, j)
        // Without the reload the trip leaves behind: the one after it, or before it if it was last.
        var rest = stops(r1, 1, i - 1) + stops(r1, j + 1, len[r1] - 2)
        if j + 1 < len[r1] - 1 { rest.remove(at: i - 1) } else if !rest.isEmpty { rest.removeLast() }
        let target = stops(r2, 1, len[r2] - 2)
        let cut = bestAt - 1
        let placed = !bestOwnTrip ? Array(target[..<cut]) + moved + Array(target[cut...])
            : bestAt == 1 ? moved + [depot] + target : Array(target[..<cut]) + [depot] + moved + Array(target[cut...])
        write(r1, rest)
        write(r2, placed)
        applied(r1, r2)
        return true
    }
}
