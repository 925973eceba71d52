/// Vehicle change: a whole route moves to an idle vehicle of another type, or two routes become
/// the trips of one vehicle (theirs or an idle one), when that is cheaper. Client moves change a
/// heterogeneous fleet's mix only one client at a time, through penalised states, so a van and a
/// minivan seldom become one large van that way; this is the route-level move of the
/// heterogeneous fleet searches (the vehicle-type change of Penna, Subramanian and Ochi 2013,
/// "An iterated local search heuristic for the heterogeneous fleet vehicle routing problem",
/// with route merging). Each route is made into pieces for a type once per pass, in O(length);
/// every way of merging two is then priced in O(1).
extension LocalSearch {
    mutating func vehicleChangePass() -> Bool {
        var improved = false
        var idle = idleSlots()
        var shapes = [RouteAsType?](repeating: nil, count: R * sd.types)
        for r1 in 0..<R where len[r1] > 2 {
            let last = lastVehicleChange[r1]
            lastVehicleChange[r1] = moves
            if modified[r1] > last, changeVehicle(of: r1, idle: idle, shapes: &shapes) {
                improved = true; idle = idleSlots(); shapes = shapes.map { _ in nil }; continue
            }
            for r3 in 0..<R where r3 != r1 && len[r3] > 2 && len[r1] > 2 {
                if max(modified[r1], modified[r3]) <= last { continue }
                if mergeRoutes(r1, r3, idle: idle, shapes: &shapes) {
                    improved = true; idle = idleSlots(); shapes = shapes.map { _ in nil }; break
                }
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

    /// Route r1's stops on an idle vehicle of another type.
    mutating func changeVehicle(of r1: Int, idle: [Int], shapes: inout [RouteAsType?]) -> Bool {
        var best = cost[r1] - eps, target = -1
        for (t, r2) in idle.enumerated() where r2 >= 0 && t != type[r1] {
            let shape = cachedShape(r1, t, &shapes)
            guard shape.allowed && shape.trips <= sd.maxTrips[t] else { continue }
            let end = depotPiece(type: t, reload: false)
            let c = sd.cost(sd.merge(sd.merge(end, shape.kept, type: t), end, type: t), type: t, w)
            if c < best { best = c; target = r2 }
        }
        guard target >= 0 else { return false }
        write(target, stops(of: r1, type: type[target], joined: false))
        write(r1, [])
        applied(r1, target)
        return true
    }

    /// Route r's stops as type t would run them, as pieces without the depots at either end:
    /// `kept` with its reloads (at t's depot), `joined` with its trips made one.
    struct RouteAsType {
        var kept: Piece<Trip>
        var joined: Piece<Trip>
        var trips: Int
        /// Type t may serve every stop.
        var allowed: Bool
    }

    /// `RouteAsType` of route r (clients, len > 2) for type t, in O(length).
    func asType(_ r: Int, _ t: Int) -> RouteAsType {
        var kept = clientPiece(at(r, 1)) as Piece<Trip>, joined = kept
        var trips = 1, allowed = !sd.hasRestrictions || sd.allows(t, at(r, 1))
        for p in 2..<(len[r] - 1) {
            let l = at(r, p)
            if l < sd.depots {
                trips += 1
                kept = sd.merge(kept, depotPiece(type: t, reload: true), type: t)
                continue
            }
            if sd.hasRestrictions && !sd.allows(t, l) { allowed = false }
            let c = clientPiece(l)
            kept = sd.merge(kept, c, type: t)
            joined = sd.merge(joined, c, type: t)
        }
        return RouteAsType(kept: kept, joined: joined, trips: trips, allowed: allowed)
    }

    /// `asType(r, t)` from the pass's cache, computed on first use.
    func cachedShape(_ r: Int, _ t: Int, _ shapes: inout [RouteAsType?]) -> RouteAsType {
        let k = r * sd.types + t
        if let s = shapes[k] { return s }
        let s = asType(r, t)
        shapes[k] = s
        return s
    }

    /// A route's stops for type t: reloads at t's depot, or none when `joined`.
    func stops(of r: Int, type t: Int, joined: Bool) -> [Int] {
        var out: [Int] = []
        for p in 1..<(len[r] - 1) {
            let l = at(r, p)
            if l >= sd.depots { out.append(l) } else if !joined { out.append(sd.typeDepot[t]) }
        }
        return out
    }

    /// Routes r1 and r3 as the trips of one vehicle: r1's, r3's or an idle one. Either goes
    /// first with a reload between, each with its own trips or with them joined (a larger vehicle
    /// needs fewer trips), or everything is one trip. Each way is priced in O(1) from the routes'
    /// pieces for the vehicle's type (`asType`, cached per pass in `shapes`).
    mutating func mergeRoutes(_ r1: Int, _ r3: Int, idle: [Int], shapes: inout [RouteAsType?]) -> Bool {
        let now = cost[r1] + cost[r3]
        var candidates = [r1, r3]
        for (t, r2) in idle.enumerated() where r2 >= 0 && t != type[r1] && t != type[r3] { candidates.append(r2) }
        var best = now - eps, bestSlot = -1
        var bestForm = (firstIs1: true, joined1: false, joined3: false, oneTrip: false)
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
            let s1 = cachedShape(r1, t, &shapes), s3 = cachedShape(r3, t, &shapes)
            guard s1.allowed && s3.allowed else { continue }
            let start = depotPiece(type: t, reload: false), reload = depotPiece(type: t, reload: true)
            func price(_ x: Piece<Trip>, _ y: Piece<Trip>, reload withStop: Bool) -> Double {
                let middle = withStop ? sd.merge(sd.merge(x, reload, type: t), y, type: t) : sd.merge(x, y, type: t)
                return sd.cost(sd.merge(sd.merge(start, middle, type: t), start, type: t), type: t, w)
            }
            func consider(_ c: Double, _ form: (Bool, Bool, Bool, Bool)) {
                if c < best { best = c; bestSlot = slot; bestForm = form }
            }
            if withReload {
                for j1 in [false, true] where !j1 || s1.trips > 1 {
                    for j3 in [false, true] where !j3 || s3.trips > 1 {
                        guard (j1 ? 1 : s1.trips) + (j3 ? 1 : s3.trips) <= sd.maxTrips[t] else { continue }
                        let x = j1 ? s1.joined : s1.kept, y = j3 ? s3.joined : s3.kept
                        consider(price(x, y, reload: true), (true, j1, j3, false))
                        consider(price(y, x, reload: true), (false, j1, j3, false))
                    }
                }
            }
            if joined {
                consider(price(s1.joined, s3.joined, reload: false), (true, true, true, true))
                consider(price(s3.joined, s1.joined, reload: false), (false, true, true, true))
            }
        }
        guard bestSlot >= 0 else { return false }
        let t = type[bestSlot]
        let x = stops(of: r1, type: t, joined: bestForm.joined1), y = stops(of: r3, type: t, joined: bestForm.joined3)
        let between = bestForm.oneTrip ? [] : [sd.typeDepot[t]]
        let seq = bestForm.firstIs1 ? x + between + y : y + between + x
        assert(abs(sd.cost(sd.routePiece(seq, type: t) as Piece<Trip>, type: t, w) - best) < 1e-6 * max(1, abs(best)),
               "a merge priced from pieces costs what its route costs")
        for r in [r1, r3] where r != bestSlot { write(r, []) }
        write(bestSlot, seq)
        if bestSlot == r1 || bestSlot == r3 { applied(r1, r3) } else { applied(r1, r3, bestSlot) }
        return true
    }
}
