/// Vehicle change: a whole route moves to an idle vehicle of another type, or two routes become
/// the trips of one vehicle (theirs or an idle one), when that is cheaper. Client moves change a
/// heterogeneous fleet's mix only one client at a time, through penalised states, so a van and a
/// minivan seldom become one large van that way; this is the route-level move of the
/// heterogeneous fleet searches (the vehicle-type change of Penna, Subramanian and Ochi 2013,
/// "An iterated local search heuristic for the heterogeneous fleet vehicle routing problem",
/// with route merging). A candidate costs O(route length) to evaluate.
extension LocalSearch {
    mutating func vehicleChangePass() -> Bool {
        var improved = false
        var idle = idleSlots()
        for r1 in 0..<R where len[r1] > 2 {
            let last = lastVehicleChange[r1]
            lastVehicleChange[r1] = moves
            if modified[r1] > last, changeVehicle(of: r1, idle: idle) { improved = true; idle = idleSlots(); continue }
            for r3 in 0..<R where r3 != r1 && len[r3] > 2 && len[r1] > 2 {
                if max(modified[r1], modified[r3]) <= last { continue }
                if mergeRoutes(r1, r3, idle: idle) { improved = true; idle = idleSlots(); break }
            }
        }
        return improved
    }

    /// The first idle vehicle of each type, by type (−1: none idle). An array, not a dictionary,
    /// so that candidates come in the same order in every process (seeded runs repeat).
    func idleSlots() -> [Int] {
        var idle = [Int](repeating: -1, count: sd.types)
        for r in 0..<R where len[r] == 2 && idle[type[r]] < 0 { idle[type[r]] = r }
        return idle
    }

    /// Whether every client of `seq` allows type t and its trips fit t's limit.
    func fits(_ seq: [Int], type t: Int) -> Bool {
        var trips = 1
        for l in seq {
            if l < sd.depots { trips += 1 } else if sd.hasRestrictions && !sd.allows(t, l) { return false }
        }
        return trips <= sd.maxTrips[t]
    }

    /// `seq` with its reloads at type t's depot.
    func relocated(_ seq: [Int], type t: Int) -> [Int] {
        seq.map { $0 < sd.depots ? sd.typeDepot[t] : $0 }
    }

    /// Route r1's stops on an idle vehicle of another type.
    mutating func changeVehicle(of r1: Int, idle: [Int]) -> Bool {
        let seq = stops(r1, 1, len[r1] - 2)
        var best = cost[r1] - eps, target = -1
        for (t, r2) in idle.enumerated() where r2 >= 0 && t != type[r1] && fits(seq, type: t) {
            let c = sd.cost(sd.routePiece(relocated(seq, type: t), type: t) as Piece<Trip>, type: t, w)
            if c < best { best = c; target = r2 }
        }
        guard target >= 0 else { return false }
        write(target, relocated(seq, type: type[target]))
        write(r1, [])
        applied(r1, target)
        return true
    }

    /// Ways to run routes a and b (stops, reloads at type t's depot) as one vehicle's day: with
    /// `reload`, either first and a reload between, each with its own trips or with them joined
    /// into one (a larger vehicle needs fewer trips); with `joined`, everything in one trip.
    func merges(_ a: [Int], _ b: [Int], type t: Int, reload: Bool, joined: Bool) -> [[Int]] {
        let dep = sd.typeDepot[t]
        let joinedA = a.filter { $0 >= sd.depots }, joinedB = b.filter { $0 >= sd.depots }
        var out: [[Int]] = []
        if reload {
            let formsA = joinedA.count == a.count ? [a] : [a, joinedA]
            let formsB = joinedB.count == b.count ? [b] : [b, joinedB]
            for x in formsA { for y in formsB { out.append(x + [dep] + y); out.append(y + [dep] + x) } }
        }
        if joined {
            out.append(joinedA + joinedB)
            out.append(joinedB + joinedA)
        }
        return out
    }

    /// Routes r1 and r3 as the trips of one vehicle: r1's, r3's or an idle one (`merges`).
    mutating func mergeRoutes(_ r1: Int, _ r3: Int, idle: [Int]) -> Bool {
        let now = cost[r1] + cost[r3]
        var candidates = [r1, r3]
        for (t, r2) in idle.enumerated() where r2 >= 0 && t != type[r1] && t != type[r3] { candidates.append(r2) }
        var best = now - eps, bestSlot = -1, bestSeq: [Int] = []
        var first: [Int]?, second: [Int]?
        // Two single trips: their loads bound the load penalty of either way of merging them.
        let a = total(r1).load, b = total(r3).load
        let singleTrips = !a.reload && !b.reload
        for slot in candidates {
            let t = type[slot], cap = sd.capacity[t]
            // Joined trips skip depot returns, so beside the load only the fixed cost bounds a merge.
            var reloadBound = Double(sd.fixedCost[t]), joinedBound = reloadBound
            if singleTrips {
                reloadBound += w.load * Double(excess(a.head.peak, cap) + excess(b.head.peak, cap))
                joinedBound += w.load * Double(min(excess(Trip.merge(a.head, b.head).peak, cap),
                                                   excess(Trip.merge(b.head, a.head).peak, cap)))
            }
            let withReload = sd.maxTrips[t] >= 2 && reloadBound < best, joined = joinedBound < best
            if !withReload && !joined { continue }
            if first == nil { first = stops(r1, 1, len[r1] - 2); second = stops(r3, 1, len[r3] - 2) }
            let forms = merges(relocated(first!, type: t), relocated(second!, type: t), type: t, reload: withReload, joined: joined)
            for seq in forms where fits(seq, type: t) {
                let c = sd.cost(sd.routePiece(seq, type: t) as Piece<Trip>, type: t, w)
                if c < best { best = c; bestSlot = slot; bestSeq = seq }
            }
        }
        guard bestSlot >= 0 else { return false }
        for r in [r1, r3] where r != bestSlot { write(r, []) }
        write(bestSlot, bestSeq)
        if bestSlot == r1 || bestSlot == r3 { applied(r1, r3) } else { applied(r1, r3, bestSlot) }
        return true
    }
}
