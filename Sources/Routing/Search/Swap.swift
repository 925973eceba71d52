/// Swap: exchange client u with client v, or u and its successor with v (and v's successor)
/// (HGS-CVRP moves 4, 5 and 6, Vidal 2022).
extension LocalSearch {
    mutating func swap(_ u: Int, _ v: Int) -> Bool {
        let ru = routeOf[u], rv = routeOf[v]
        var pu = posOf[u], pv = posOf[v]
        let tu = type[ru], tv = type[rv]
        let eps = self.eps
        if ru != rv {
            if sd.hasRestrictions && (!sd.allows(tv, u) || !sd.allows(tu, v)) { return false }
            let a = at(ru, pu - 1), b = at(ru, pu + 1), c = at(rv, pv - 1), e = at(rv, pv + 1)
            let dU = sd.price(sd.arc(a, v) + sd.arc(v, b) - sd.arc(a, u) - sd.arc(u, b), type: tu)
            let dV = sd.price(sd.arc(c, u) + sd.arc(u, e) - sd.arc(c, v) - sd.arc(v, e), type: tv)
            let lb = dU + dV
            if Double(lb) - soft[ru] - soft[rv] >= -eps { return false }
            let newU = sd.merge(sd.merge(prefix(ru, pu - 1), clientPiece(v), type: tu), suffix(ru, pu + 1), type: tu)
            let newV = sd.merge(sd.merge(prefix(rv, pv - 1), clientPiece(u), type: tv), suffix(rv, pv + 1), type: tv)
            guard routeCost(newU, ru) + routeCost(newV, rv) - cost[ru] - cost[rv] < -eps else { return false }
            node[ru * S + pu] = v
            node[rv * S + pv] = u
            applied(ru, rv)
            return true
        }
        if pu > pv { Swift.swap(&pu, &pv) }
        let x = at(ru, pu), y = at(ru, pv)
        let a = at(ru, pu - 1), e = at(ru, pv + 1)
        let lb: Int
        if pv == pu + 1 {
            lb = sd.price(sd.arc(a, y) + sd.arc(y, x) + sd.arc(x, e) - sd.arc(a, x) - sd.arc(x, y) - sd.arc(y, e), type: tu)
        } else {
            let b = at(ru, pu + 1), c = at(ru, pv - 1)
            lb = sd.price(sd.arc(a, y) + sd.arc(y, b) + sd.arc(c, x) + sd.arc(x, e)
                - sd.arc(a, x) - sd.arc(x, b) - sd.arc(c, y) - sd.arc(y, e), type: tu)
        }
        if Double(lb) - soft[ru] >= -eps { return false }
        if sd.hasTimes || sd.hasMultiTrip {
            let head = sd.merge(prefix(ru, pu - 1), clientPiece(y), type: tu)
            let p = sd.merge(sd.merge(join(head, ru, pu + 1, pv - 1, tu), clientPiece(x), type: tu), suffix(ru, pv + 1), type: tu)
            guard routeCost(p, ru) - cost[ru] < -eps else { return false }
        } else if Double(lb) >= -eps {
            return false
        }
        node[ru * S + pu] = y
        node[ru * S + pv] = x
        applied(ru)
        return true
    }

    /// (u, x) against v, then (u, x) against (v, y), between two routes.
    mutating func swapPair(_ u: Int, _ v: Int) -> Bool {
        let ru = routeOf[u], rv = routeOf[v]
        guard ru != rv else { return false }
        let pu = posOf[u], pv = posOf[v]
        guard pu + 1 < len[ru] - 1, at(ru, pu + 1) >= sd.depots else { return false }
        let x = at(ru, pu + 1)
        let tu = type[ru], tv = type[rv]
        if sd.hasRestrictions && (!sd.allows(tv, u) || !sd.allows(tv, x)) { return false }
        let eps = self.eps
        let a = at(ru, pu - 1), b = at(ru, pu + 2), c = at(rv, pv - 1)
        for k in 1...2 {
            if k == 2 && (pv + 1 >= len[rv] - 1 || at(rv, pv + 1) < sd.depots) { break }
            let y = k == 2 ? at(rv, pv + 1) : v
            let e = at(rv, pv + k)
            if sd.hasRestrictions && (!sd.allows(tu, v) || !sd.allows(tu, y)) { return false }
            let dU = sd.price(sd.arc(a, v) + (k == 2 ? sd.arc(v, y) : .zero) + sd.arc(y, b) - sd.arc(a, u) - sd.arc(u, x) - sd.arc(x, b), type: tu)
            let dV = sd.price(sd.arc(c, u) + sd.arc(u, x) + sd.arc(x, e) - sd.arc(c, v) - (k == 2 ? sd.arc(v, y) : .zero) - sd.arc(y, e), type: tv)
            let lb = dU + dV
            if Double(lb) - soft[ru] - soft[rv] >= -eps { continue }
            var midV = clientPiece(v)
            if k == 2 { midV = sd.merge(midV, clientPiece(y), type: tu) }
            let ux = sd.merge(clientPiece(u), clientPiece(x), type: tv)
            let newU = sd.merge(sd.merge(prefix(ru, pu - 1), midV, type: tu), suffix(ru, pu + 2), type: tu)
            let newV = sd.merge(sd.merge(prefix(rv, pv - 1), ux, type: tv), suffix(rv, pv + k), type: tv)
            guard routeCost(newU, ru) + routeCost(newV, rv) - cost[ru] - cost[rv] < -eps else { continue }
            // Rebuild both middles.
            let seqU = stops(ru, 1, pu - 1) + (k == 2 ? [v, y] : [v]) + stops(ru, pu + 2, len[ru] - 2)
            let seqV = stops(rv, 1, pv - 1) + [u, x] + stops(rv, pv + k, len[rv] - 2)
            write(ru, seqU); write(rv, seqV)
            applied(ru, rv)
            return true
        }
        return false
    }

    /// Writes route r's stops without refreshing the cache (the caller calls `applied`).
    mutating func write(_ r: Int, _ seq: [Int]) {
        let base = r * S
        for (k, l) in seq.enumerated() { node[base + 1 + k] = l }
        node[base + seq.count + 1] = node[base]
        len[r] = seq.count + 2
    }
}
