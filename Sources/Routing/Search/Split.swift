/// Split (Prins 2004; Vidal 2016 "Split algorithm in O(n) for the capacitated vehicle routing
/// problem"): cuts a giant tour into routes at minimum cost by a shortest path over the tour.
/// This version is the Bellman form, O(n·B) with B the longest route allowed (1.5× the largest
/// capacity, as in HGS-CVRP), and chooses for each route the cheapest vehicle type that may
/// serve all its clients. Time windows are left to the local search.
struct Splitter {
    let sd: SearchData
    /// Types that have route slots.
    let usable: [Int]

    init(_ sd: SearchData) {
        self.sd = sd
        usable = Array(Set(sd.slotType)).sorted()
    }

    /// `load`: the search's trip load summary (plain deliveries keep the cheap sum).
    func split<Trip: TripLoad>(_ giant: [Int], _ w: Penalties, load: Trip.Type) -> SlotRoutes {
        let n = giant.count
        var best = [Double](repeating: .infinity, count: n + 1)
        var from = [Int](repeating: 0, count: n + 1)
        var typeOf = [Int](repeating: usable.first ?? 0, count: n + 1)
        best[0] = 0
        var maxCap = Load.zero
        for t in usable { maxCap = pointwiseMax(maxCap, sd.capacity[t]) }
        let limit = Load(maxCap.indices.map { maxCap[$0] >= Int.max / 8 ? Int.max / 4 : maxCap[$0] + maxCap[$0] / 2 })
        for i in 0..<n where best[i] < .infinity {
            var trip = Trip.zero
            var inner = 0, innerTravel = 0
            var mask: UInt64 = ~0
            for j in i..<n {
                let c = giant[j]
                trip = .merge(trip, Trip(delivery: sd.demand[c], pickup: sd.pickup[c]))
                let load = trip.peak
                if j > i {
                    inner += sd.d(giant[j - 1], c)
                    innerTravel += sd.t(giant[j - 1], c)
                    if any(load .> limit) { break }
                }
                mask &= sd.allowed[c]
                var bc = Double.infinity, bt = -1
                for t in usable where mask & (1 << UInt64(t)) != 0 {
                    let dep = sd.typeDepot[t]
                    let dist = sd.d(dep, giant[i]) + inner + sd.d(c, dep)
                    let travel = sd.hasTravelCost ? sd.t(dep, giant[i]) + innerTravel + sd.t(c, dep) : 0
                    let cost = Double(sd.fixedCost[t] + sd.arcCost(distance: dist, travel: travel, type: t))
                        + w.load * Double(excess(load, sd.capacity[t]))
                    if cost < bc { bc = cost; bt = t }
                }
                if bt < 0 { break }
                if best[i] + bc < best[j + 1] {
                    best[j + 1] = best[i] + bc
                    from[j + 1] = i
                    typeOf[j + 1] = bt
                }
            }
        }
        var cuts: [(Int, Int, Int)] = []
        var j = n
        while j > 0 { cuts.append((from[j], j, typeOf[j])); j = from[j] }
        cuts.reverse()
        return assign(cuts.map { (Array(giant[$0.0..<$0.1]), $0.2) })
    }

    /// Puts split routes into vehicle slots: its own type when free, another allowed type, an
    /// extra trip of a vehicle that may reload, or (last resort) appended to the emptiest route.
    func assign(_ trips: [([Int], Int)]) -> SlotRoutes {
        var routes = SlotRoutes(repeating: [], count: sd.slotType.count)
        var freeSlots: [[Int]] = [[Int]](repeating: [], count: sd.types)
        for (s, t) in sd.slotType.enumerated().reversed() { freeSlots[t].append(s) }
        var tripsOf = [Int](repeating: 0, count: sd.slotType.count)
        var leftovers: [[Int]] = []
        for (clients, t) in trips {
            var mask: UInt64 = ~0
            for c in clients { mask &= sd.allowed[c] }
            var slot = freeSlots[t].popLast()
            if slot == nil {
                for t2 in usable where mask & (1 << UInt64(t2)) != 0 && !freeSlots[t2].isEmpty {
                    slot = freeSlots[t2].popLast(); break
                }
            }
            if let s = slot { routes[s] = clients; tripsOf[s] = 1; continue }
            // A vehicle that can take another trip from the same kind.
            var target = -1, fewest = Int.max
            for (s, t2) in sd.slotType.enumerated() where mask & (1 << UInt64(t2)) != 0 && tripsOf[s] < sd.maxTrips[t2] {
                if routes[s].count < fewest { fewest = routes[s].count; target = s }
            }
            if target >= 0 {
                if !routes[target].isEmpty { routes[target].append(sd.typeDepot[sd.slotType[target]]) }
                routes[target] += clients
                tripsOf[target] += 1
            } else {
                leftovers.append(clients)
            }
        }
        for clients in leftovers {
            for c in clients {
                var target = -1, fewest = Int.max
                for (s, t2) in sd.slotType.enumerated() where sd.allows(t2, c) && routes[s].count < fewest {
                    fewest = routes[s].count; target = s
                }
                if target >= 0 { routes[target].append(c) }
            }
        }
        return routes
    }
}
