/// SWAP* (Vidal 2022, "Hybrid genetic search for the CVRP: open-source implementation and
/// SWAP* neighborhood", §4): exchange u ∈ r1 and v ∈ r2, each reinserted at its best position
/// in the other route rather than in place. Only pairs of routes whose polar sectors overlap are
/// tried; the three best insertion positions of each client in each route are cached, so a pair
/// (u, v) is evaluated in O(1). The best candidate is then re-evaluated exactly (time windows,
/// fixed costs) before it is applied.
struct ThreeBest {
    var cost: (Int, Int, Int) = (.max, .max, .max)
    var pos: (Int, Int, Int) = (-1, -1, -1)
    var stamp = -1

    mutating func add(_ c: Int, _ p: Int) {
        if c >= cost.2 { return }
        if c >= cost.1 {
            cost.2 = c; pos.2 = p
        } else if c >= cost.0 {
            cost.2 = cost.1; pos.2 = pos.1; cost.1 = c; pos.1 = p
        } else {
            cost.2 = cost.1; pos.2 = pos.1; cost.1 = cost.0; pos.1 = pos.0; cost.0 = c; pos.0 = p
        }
    }
}

extension LocalSearch {
    mutating func swapStarPass() -> Bool {
        var improved = false
        for r1 in 0..<R where len[r1] > 2 {
            let last = lastSwapStar[r1]
            lastSwapStar[r1] = moves
            for r2 in (r1 + 1)..<max(r1 + 1, R) where len[r2] > 2 && len[r1] > 2 {
                if max(modified[r1], modified[r2]) <= last { continue }
                if !CircleSector.overlap(sector[r1], sector[r2]) { continue }
                if swapStar(r1, r2) { improved = true }
            }
        }
        return improved
    }

    /// Best three positions (insert after p) of client u in route r, by r's arc cost.
    mutating func bestInsertions(_ u: Int, _ r: Int) -> ThreeBest {
        let key = r * sd.locations + u
        if insertCache[key].stamp == modified[r] { return insertCache[key] }
        var best = ThreeBest()
        best.stamp = modified[r]
        let t = type[r]
        var a = at(r, 0)
        for p in 0..<(len[r] - 1) {
            let b = at(r, p + 1)
            best.add(sd.price(sd.arc(a, u) + sd.arc(u, b) - sd.arc(a, b), type: t), p)
            a = b
        }
        insertCache[key] = best
        return best
    }

    /// Cheapest arc cost to insert u into route r while v (at pv) leaves it.
    @inline(__always)
    func insertReplacing(_ u: Int, _ r: Int, _ pv: Int, _ best: ThreeBest) -> (Int, Int) {
        let a = at(r, pv - 1), b = at(r, pv + 1), t = type[r]
        var c = sd.price(sd.arc(a, u) + sd.arc(u, b) - sd.arc(a, b), type: t), p = pv - 1   // in v's place
        // The first cached position not next to v is the best one left.
        if best.pos.0 >= 0 && best.pos.0 != pv - 1 && best.pos.0 != pv {
            if best.cost.0 < c { c = best.cost.0; p = best.pos.0 }
        } else if best.pos.1 >= 0 && best.pos.1 != pv - 1 && best.pos.1 != pv {
            if best.cost.1 < c { c = best.cost.1; p = best.pos.1 }
        } else if best.pos.2 >= 0 && best.pos.2 != pv - 1 && best.pos.2 != pv {
            if best.cost.2 < c { c = best.cost.2; p = best.pos.2 }
        }
        return (c, p)
    }

    mutating func swapStar(_ r1: Int, _ r2: Int) -> Bool {
        let t1 = type[r1], t2 = type[r2]
        let cap1 = sd.capacity[t1], cap2 = sd.capacity[t2]
        let load1 = total(r1).load.head.peak, load2 = total(r2).load.head.peak
        let pen1 = w.load * Double(excess(load1, cap1)), pen2 = w.load * Double(excess(load2, cap2))
        var bestCost = -self.eps
        var bu = -1, bv = -1, bpu = -1, bpv = -1   // u goes after bpu in r2, v after bpv in r1
        for pu in 1..<(len[r1] - 1) {
            let u = at(r1, pu)
            if sd.hasRestrictions && !sd.allows(t2, u) { continue }
            let remU = Double(sd.price(sd.arc(at(r1, pu - 1), at(r1, pu + 1)) - sd.arc(at(r1, pu - 1), u) - sd.arc(u, at(r1, pu + 1)), type: t1))
            let insU = bestInsertions(u, r2)
            let du = sd.demand[u]
            // Relocation of u alone.
            let relocate = remU + Double(insU.cost.0)
                + w.load * Double(excess(load1 &- du, cap1) + excess(load2 &+ du, cap2)) - pen1 - pen2
            if relocate < bestCost { bestCost = relocate; bu = u; bv = -1; bpu = insU.pos.0 }
            for pv in 1..<(len[r2] - 1) {
                let v = at(r2, pv)
                if sd.hasRestrictions && !sd.allows(t1, v) { continue }
                let dv = sd.demand[v]
                let penDelta = w.load * Double(excess(load1 &- du &+ dv, cap1) + excess(load2 &+ du &- dv, cap2)) - pen1 - pen2
                let remV = Double(sd.price(sd.arc(at(r2, pv - 1), at(r2, pv + 1)) - sd.arc(at(r2, pv - 1), v) - sd.arc(v, at(r2, pv + 1)), type: t2))
                if penDelta + remU + remV > 0 { continue }
                let (cu, ppu) = insertReplacing(u, r2, pv, insU)
                let insV = bestInsertions(v, r1)
                let (cv, ppv) = insertReplacing(v, r1, pu, insV)
                let c = penDelta + remU + remV + Double(cu) + Double(cv)
                if c < bestCost { bestCost = c; bu = u; bv = v; bpu = ppu; bpv = ppv }
            }
        }
        // Relocation of v alone into r1.
        for pv in 1..<(len[r2] - 1) {
            let v = at(r2, pv)
            if sd.hasRestrictions && !sd.allows(t1, v) { continue }
            let dv = sd.demand[v]
            let remV = Double(sd.price(sd.arc(at(r2, pv - 1), at(r2, pv + 1)) - sd.arc(at(r2, pv - 1), v) - sd.arc(v, at(r2, pv + 1)), type: t2))
            let insV = bestInsertions(v, r1)
            let c = remV + Double(insV.cost.0)
                + w.load * Double(excess(load1 &+ dv, cap1) + excess(load2 &- dv, cap2)) - pen1 - pen2
            if c < bestCost { bestCost = c; bu = -1; bv = v; bpv = insV.pos.0 }
        }
        guard bu >= 0 || bv >= 0 else { return false }

        // Build both new routes and check them exactly.
        var seq1: [Int] = [], seq2: [Int] = []
        seq1.reserveCapacity(len[r1] + 1); seq2.reserveCapacity(len[r2] + 1)
        // r1: remove u, insert v after position bpv (positions of the old route).
        if bv >= 0 && bpv == 0 { seq1.append(bv) }
        for p in 1..<(len[r1] - 1) {
            let l = at(r1, p)
            if l != bu { seq1.append(l) }
            if bv >= 0 && p == bpv { seq1.append(bv) }
        }
        if bu >= 0 && bpu == 0 { seq2.append(bu) }
        for p in 1..<(len[r2] - 1) {
            let l = at(r2, p)
            if l != bv { seq2.append(l) }
            if bu >= 0 && p == bpu { seq2.append(bu) }
        }
        let new1 = evaluate(seq1, type: t1), new2 = evaluate(seq2, type: t2)
        guard routeCost(new1, r1) + routeCost(new2, r2) - cost[r1] - cost[r2] < -self.eps else { return false }
        write(r1, seq1); write(r2, seq2)
        applied(r1, r2)
        return true
    }

    /// A whole route of type t from its stops, in O(length).
    func evaluate(_ seq: [Int], type t: Int) -> Piece<Trip> { sd.routePiece(seq, type: t) }
}
