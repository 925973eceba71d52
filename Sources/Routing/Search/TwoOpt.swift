/// 2-opt inside a route (reverse the stretch between u and v) and 2-opt* between routes
/// (exchange the tails after u and after v), HGS-CVRP moves 7 and 8 (Vidal 2022).
extension LocalSearch {
    mutating func twoOpt(_ u: Int, _ v: Int) -> Bool {
        let r = routeOf[u]
        var pu = posOf[u], pv = posOf[v]
        if pu > pv { Swift.swap(&pu, &pv) }
        guard pv > pu + 1 else { return false }
        // Reverse positions pu+1 … pv.
        let t = type[r]
        let eps = self.eps
        let a = at(r, pu), b = at(r, pu + 1), c = at(r, pv), e = at(r, pv + 1)
        if sd.symmetric {
            let lb = sd.price(sd.arc(a, c) + sd.arc(b, e) - sd.arc(a, b) - sd.arc(c, e), type: t)
            if Double(lb) - soft[r] >= -eps { return false }
            if sd.hasTimes || sd.hasMultiTrip {
                let p = sd.merge(sd.merge(prefix(r, pu), between(r, pu + 1, pv, reversed: true, type: t), type: t),
                                 suffix(r, pv + 1), type: t)
                guard routeCost(p, r) - cost[r] < -eps else { return false }
            } else if Double(lb) >= -eps {
                return false
            }
        } else {
            let p = sd.merge(sd.merge(prefix(r, pu), between(r, pu + 1, pv, reversed: true, type: t), type: t),
                             suffix(r, pv + 1), type: t)
            guard routeCost(p, r) - cost[r] < -eps else { return false }
        }
        var i = r * S + pu + 1, j = r * S + pv
        while i < j { let tmp = node[i]; node[i] = node[j]; node[j] = tmp; i += 1; j -= 1 }
        applied(r)
        return true
    }

    /// Route of u continues with the tail of rv after pv, and rv with the tail of u's route.
    mutating func twoOptStar(_ u: Int, _ rv: Int, _ pv: Int) -> Bool {
        let ru = routeOf[u], pu = posOf[u]
        let tu = type[ru], tv = type[rv]
        let eps = self.eps
        let v = at(rv, pv), x = at(ru, pu + 1), y = at(rv, pv + 1)
        if sd.sameArcCost(tu, tv) {
            var lb = sd.price(sd.arc(u, y) + sd.arc(v, x) - sd.arc(u, x) - sd.arc(v, y), type: tu)
            if sd.hasFixed {
                if prefix(ru, pu).clients + suffix(rv, pv + 1).clients == 0 { lb -= sd.fixedCost[tu] }
                if prefix(rv, pv).clients + suffix(ru, pu + 1).clients == 0 { lb -= sd.fixedCost[tv] }
            }
            if Double(lb) - soft[ru] - soft[rv] >= -eps { return false }
        }
        let sufV = suffix(rv, pv + 1), sufU = suffix(ru, pu + 1)
        if tu != tv {
            if sd.hasMultiTrip && (sufV.load.reload || sufU.load.reload) { return false }
            if sd.hasRestrictions {
                for p in (pv + 1)..<(len[rv] - 1) where !sd.allows(tu, at(rv, p)) { return false }
                for p in (pu + 1)..<(len[ru] - 1) where !sd.allows(tv, at(ru, p)) { return false }
            }
        } else if sd.hasMultiTrip && (sufV.load.reload || sufU.load.reload) {
            let limit = sd.maxTrips[tu] - 1
            var preU = 0, preV = 0
            for p in 1...max(1, pu) where p <= pu && at(ru, p) < sd.depots { preU += 1 }
            for p in 1...max(1, pv) where p <= pv && at(rv, p) < sd.depots { preV += 1 }
            let tailU = reloads(ru) - preU, tailV = reloads(rv) - preV
            if preU + tailV > limit || preV + tailU > limit { return false }
        }
        let newU = sd.merge(prefix(ru, pu), tu == tv ? sufV : suffix(rv, pv + 1, endingAs: tu), type: tu)
        let newV = sd.merge(prefix(rv, pv), tu == tv ? sufU : suffix(ru, pu + 1, endingAs: tv), type: tv)
        guard routeCost(newU, ru) + routeCost(newV, rv) - cost[ru] - cost[rv] < -eps else { return false }
        let seqU = stops(ru, 1, pu) + stops(rv, pv + 1, len[rv] - 2)
        let seqV = stops(rv, 1, pv) + stops(ru, pu + 1, len[ru] - 2)
        write(ru, seqU); write(rv, seqV)
        applied(ru, rv)
        return true
    }
}
