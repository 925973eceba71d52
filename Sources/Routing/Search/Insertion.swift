/// Clients outside the routes: optional ones whose penalty is lower than their detour, and
/// required ones the fleet could not take. Insert when the cheapest position costs less than
/// the penalty, remove when the penalty is lower than what the client costs its route.
extension LocalSearch {
    mutating func insertionPass() -> Bool {
        var improved = false
        let eps = self.eps
        // Remove optional clients that cost more than their penalty.
        for u in order where routeOf[u] >= 0 && !sd.required[u - sd.depots] {
            let r = routeOf[u], p = posOf[u]
            let without = sd.merge(prefix(r, p - 1), suffix(r, p + 1), type: type[r])
            if routeCost(without, r) - cost[r] + sd.dropPenalty[u] < -eps {
                removeAt(r, p)
                routeOf[u] = -1
                unrouted.append(u)
                applied(r)
                improved = true
            }
        }
        // Insert left-out clients at their cheapest position when that beats the penalty.
        var still: [Int] = []
        for u in unrouted {
            var best = sd.dropPenalty[u] - eps, br = -1, bp = -1
            var seenEmpty: UInt64 = 0
            for r in 0..<R {
                if sd.hasRestrictions && !sd.allows(type[r], u) { continue }
                if len[r] == 2 {
                    let bit: UInt64 = 1 << UInt64(type[r])
                    if seenEmpty & bit != 0 { continue }
                    seenEmpty |= bit
                }
                for p in 0..<(len[r] - 1) {
                    let c = insertionDelta(u, r, after: p)
                    if c < best { best = c; br = r; bp = p }
                }
            }
            if br >= 0 {
                insertAt(br, bp + 1, u)
                applied(br)
                improved = true
            } else {
                still.append(u)
            }
        }
        unrouted = still
        return improved
    }

    /// Change of route r's penalised cost when client u goes in after position p.
    @inline(__always) func insertionDelta(_ u: Int, _ r: Int, after p: Int) -> Double {
        let t = type[r]
        return routeCost(sd.merge(sd.merge(prefix(r, p), clientPiece(u), type: t), suffix(r, p + 1), type: t), r) - cost[r]
    }

    func isInfeasible(_ r: Int) -> Bool {
        let p = total(r), t = type[r]
        if sd.excessLoad(p, type: t) > 0 { return true }
        return sd.hasTimes && (p.time.timeWarp > 0 || p.time.duration > sd.maxDuration[t])
    }

    /// Multi-trip: open a new trip (a reload at the depot) where it pays, close one, or move it.
    mutating func reloadPass() -> Bool {
        var improved = false
        for r in 0..<R where len[r] > 3 && sd.maxTrips[type[r]] > 1 {
            let t = type[r]
            let seq = stops(r, 1, len[r] - 2)
            let k = seq.filter { $0 < sd.depots }.count
            var best = cost[r] - self.eps
            var bestSeq: [Int]?
            // Remove a reload, and optionally put it elsewhere.
            for i in seq.indices where seq[i] < sd.depots {
                var s = seq
                s.remove(at: i)
                let c = routeCost(evaluate(s, type: t), r)
                if c < best { best = c; bestSeq = s }
                for j in 1..<s.count where j != i {
                    var m = s
                    m.insert(sd.typeDepot[t], at: j)
                    let c2 = routeCost(evaluate(m, type: t), r)
                    if c2 < best { best = c2; bestSeq = m }
                }
            }
            // Add a reload between two stops.
            if k + 1 < sd.maxTrips[t] {
                for p in 1..<(len[r] - 2) {
                    let piece = sd.merge(sd.merge(prefix(r, p), depotPiece(type: t, reload: true), type: t), suffix(r, p + 1), type: t)
                    let c = routeCost(piece, r)
                    if c < best {
                        best = c
                        var s = seq
                        s.insert(sd.typeDepot[t], at: p)
                        bestSeq = s
                    }
                }
            }
            if let s = bestSeq {
                write(r, s)
                applied(r)
                improved = true
            }
        }
        return improved
    }
}
