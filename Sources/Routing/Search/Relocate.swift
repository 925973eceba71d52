/// Relocate: move client u (or u and its successor) after position pv of route rv
/// (HGS-CVRP moves 1 and 2, Vidal 2022).
extension LocalSearch {
    @inline(__always) func join(_ a: Piece<Trip>, _ r: Int, _ i: Int, _ j: Int, _ t: Int) -> Piece<Trip> {
        i > j ? a : sd.merge(a, between(r, i, j, type: t), type: t)
    }

    mutating func removeAt(_ r: Int, _ p: Int) {
        let base = r * S
        var k = p
        while k < len[r] - 1 { node[base + k] = node[base + k + 1]; k += 1 }
        len[r] -= 1
    }

    mutating func insertAt(_ r: Int, _ p: Int, _ l: Int) {
        let base = r * S
        var k = len[r]
        while k > p { node[base + k] = node[base + k - 1]; k -= 1 }
        node[base + p] = l
        len[r] += 1
    }

    mutating func relocate(_ u: Int, after rv: Int, _ pv: Int) -> Bool {
        let ru = routeOf[u], pu = posOf[u]
        let tu = type[ru], tv = type[rv]
        if pv >= len[rv] - 1 { return false }
        let eps = self.eps
        let a = at(ru, pu - 1), b = at(ru, pu + 1), x = at(rv, pv), y = at(rv, pv + 1)
        if ru != rv {
            if sd.hasRestrictions && !sd.allows(tv, u) { return false }
            let dU = sd.price(sd.arc(a, b) - sd.arc(a, u) - sd.arc(u, b), type: tu)
            let dV = sd.price(sd.arc(x, u) + sd.arc(u, y) - sd.arc(x, y), type: tv)
            var lb = dU + dV
            if sd.hasFixed {
                if clientsIn(ru) == 1 { lb -= sd.fixedCost[tu] }
                if clientsIn(rv) == 0 { lb += sd.fixedCost[tv] }
            }
            if Double(lb) - soft[ru] - soft[rv] >= -eps { return false }
            let newU = sd.merge(prefix(ru, pu - 1), suffix(ru, pu + 1), type: tu)
            let newV = sd.merge(sd.merge(prefix(rv, pv), clientPiece(u), type: tv), suffix(rv, pv + 1), type: tv)
            guard routeCost(newU, ru) + routeCost(newV, rv) - cost[ru] - cost[rv] < -eps else { return false }
            removeAt(ru, pu)
            insertAt(rv, pv + 1, u)
            applied(ru, rv)
            return true
        }
        if pv == pu || pv == pu - 1 { return false }
        let lb = sd.price(sd.arc(a, b) - sd.arc(a, u) - sd.arc(u, b) + sd.arc(x, u) + sd.arc(u, y) - sd.arc(x, y), type: tu)
        if Double(lb) - soft[ru] >= -eps { return false }
        if sd.hasTimes || sd.hasMultiTrip {
            let p: Piece<Trip>
            if pv < pu {
                p = sd.merge(join(sd.merge(prefix(ru, pv), clientPiece(u), type: tu), ru, pv + 1, pu - 1, tu),
                             suffix(ru, pu + 1), type: tu)
            } else {
                p = sd.merge(sd.merge(join(prefix(ru, pu - 1), ru, pu + 1, pv, tu), clientPiece(u), type: tu),
                             suffix(ru, pv + 1), type: tu)
            }
            guard routeCost(p, ru) - cost[ru] < -eps else { return false }
        } else if Double(lb) >= -eps {
            return false  // only the distance changes
        }
        removeAt(ru, pu)
        insertAt(ru, pv < pu ? pv + 1 : pv, u)
        applied(ru)
        return true
    }

    /// Moves u and its successor x (a client) together after position pv of route rv.
    mutating func relocatePair(_ u: Int, after rv: Int, _ pv: Int) -> Bool {
        let ru = routeOf[u], pu = posOf[u]
        guard pu + 1 < len[ru] - 1 else { return false }
        let x = at(ru, pu + 1)
        guard x >= sd.depots, pv < len[rv] - 1 else { return false }
        let tu = type[ru], tv = type[rv]
        let eps = self.eps
        let a = at(ru, pu - 1), b = at(ru, pu + 2), c = at(rv, pv), e = at(rv, pv + 1)
        if ru != rv {
            if sd.hasRestrictions && (!sd.allows(tv, u) || !sd.allows(tv, x)) { return false }
            let dU = sd.price(sd.arc(a, b) - sd.arc(a, u) - sd.arc(x, b) - sd.arc(u, x), type: tu)
            let dV = sd.price(sd.arc(c, u) + sd.arc(x, e) - sd.arc(c, e) + sd.arc(u, x), type: tv)
            var lb = dU + dV
            if sd.hasFixed {
                if clientsIn(ru) == 2 { lb -= sd.fixedCost[tu] }
                if clientsIn(rv) == 0 { lb += sd.fixedCost[tv] }
            }
            if Double(lb) - soft[ru] - soft[rv] >= -eps { return false }
            let newU = sd.merge(prefix(ru, pu - 1), suffix(ru, pu + 2), type: tu)
            let ux = sd.merge(clientPiece(u), clientPiece(x), type: tv)
            let newV = sd.merge(sd.merge(prefix(rv, pv), ux, type: tv), suffix(rv, pv + 1), type: tv)
            guard routeCost(newU, ru) + routeCost(newV, rv) - cost[ru] - cost[rv] < -eps else { return false }
            removeAt(ru, pu); removeAt(ru, pu)
            insertAt(rv, pv + 1, x); insertAt(rv, pv + 1, u)
            applied(ru, rv)
            return true
        }
        if pv >= pu - 1 && pv <= pu + 1 { return false }
        let lb = sd.price(sd.arc(a, b) - sd.arc(a, u) - sd.arc(x, b) + sd.arc(c, u) + sd.arc(x, e) - sd.arc(c, e), type: tu)
        if Double(lb) - soft[ru] >= -eps { return false }
        if sd.hasTimes || sd.hasMultiTrip {
            let ux = sd.merge(clientPiece(u), clientPiece(x), type: tu)
            let p: Piece<Trip>
            if pv < pu {
                p = sd.merge(join(sd.merge(prefix(ru, pv), ux, type: tu), ru, pv + 1, pu - 1, tu), suffix(ru, pu + 2), type: tu)
            } else {
                p = sd.merge(sd.merge(join(prefix(ru, pu - 1), ru, pu + 2, pv, tu), ux, type: tu), suffix(ru, pv + 1), type: tu)
            }
            guard routeCost(p, ru) - cost[ru] < -eps else { return false }
        } else if Double(lb) >= -eps {
            return false
        }
        removeAt(ru, pu); removeAt(ru, pu)
        let q = pv < pu ? pv + 1 : pv - 1
        insertAt(ru, q, x); insertAt(ru, q, u)
        applied(ru)
        return true
    }
}
