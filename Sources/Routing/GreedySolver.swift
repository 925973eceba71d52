/// Cheapest feasible insertion followed by best-improvement relocation. Simple and exact in its
/// checks (every candidate is scheduled in full), O(n³·L) — meant for construction and for
/// small daily instances, not for benchmarks.
public struct GreedySolver: RoutingSolver {
    public init() {}

    public func solve(_ data: ProblemData, parameters: SolveParameters) -> SolveResult {
        let clock = ContinuousClock()
        let started = clock.now
        var routes: [Route] = []
        var costs: [Int] = []
        var used = [Int](repeating: 0, count: data.vehicleTypes.count)

        // Most constrained first (fewest vehicles allowed, so that vans a lane needs are not used
        // up elsewhere), then far clients: they seed routes, near ones fill in.
        let allowedVehicles = data.clients.indices.map { c in
            data.vehicleTypes.indices.reduce(0) { $0 + (data.allows($1, c) ? data.vehicleTypes[$1].count : 0) }
        }
        let order = data.clients.indices
            .filter { data.whyUnservableAlone($0) == nil }
            .sorted { a, b in
                let da = data.vehicleTypes.map { data.distance[data.location(ofDepot: $0.depot), data.location(ofClient: a)] }.min() ?? 0
                let db = data.vehicleTypes.map { data.distance[data.location(ofDepot: $0.depot), data.location(ofClient: b)] }.min() ?? 0
                if data.clients[a].required != data.clients[b].required { return data.clients[a].required }
                if allowedVehicles[a] != allowedVehicles[b] { return allowedVehicles[a] < allowedVehicles[b] }
                return da != db ? da > db : a < b
            }

        for c in order {
            guard let move = bestInsertion(of: c, into: routes, costs: costs, used: used, data: data) else { continue }
            if !data.clients[c].required && move.delta >= data.clients[c].penalty { continue }
            apply(move, routes: &routes, costs: &costs, used: &used, data: data)
        }

        // Relocation: take each client out and put it back at its best place while that pays.
        var iterations = 0
        var improved = true
        while improved && iterations < (parameters.maxIterations ?? 50) {
            if let limit = parameters.timeLimit, (clock.now - started) > .seconds(limit) { break }
            improved = false
            iterations += 1
            for r in routes.indices.reversed() {
                for c in routes[r].clients {
                    guard let removed = removing(c, from: routes[r]) else { continue }
                    let removedCost = removed.isEmpty ? 0 : data.evaluate(removed).cost
                    var trial = routes, trialCosts = costs, trialUsed = used
                    trial[r] = removed
                    trialCosts[r] = removedCost
                    if removed.isEmpty { trialUsed[removed.vehicleType] -= 1 }
                    let saving = costs[r] - removedCost
                    guard let move = bestInsertion(of: c, into: trial, costs: trialCosts, used: trialUsed, data: data),
                          move.delta < saving else { continue }
                    apply(move, routes: &trial, costs: &trialCosts, used: &trialUsed, data: data)
                    routes = trial; costs = trialCosts; used = trialUsed
                    improved = true
                    break
                }
                if improved { break }
            }
            // Drop emptied routes.
            let keep = routes.indices.filter { !routes[$0].isEmpty }
            routes = keep.map { routes[$0] }
            costs = keep.map { costs[$0] }
        }

        let solution = Solution(routes: routes)
        return SolveResult(
            solution: solution, evaluation: data.evaluate(solution),
            unassigned: data.explainUnassigned(solution), iterations: iterations,
            seconds: (clock.now - started).secondsDouble)
    }

    struct Insertion {
        var route: Int?        // nil: a new route
        var vehicleType: Int
        var trip: Int
        var position: Int
        var delta: Int
        var newRoute: Route
        var newCost: Int
    }

    func bestInsertion(of c: Int, into routes: [Route], costs: [Int], used: [Int], data: ProblemData) -> Insertion? {
        var best: Insertion?
        func consider(_ candidate: Route, route: Int?, trip: Int, position: Int, base: Int) {
            let e = data.evaluate(candidate)
            guard e.isFeasible else { return }
            let delta = e.cost - base
            if best == nil || delta < best!.delta {
                best = Insertion(route: route, vehicleType: candidate.vehicleType, trip: trip, position: position,
                                 delta: delta, newRoute: candidate, newCost: e.cost)
            }
        }
        for (r, route) in routes.enumerated() where data.allows(route.vehicleType, c) {
            for (k, trip) in route.trips.enumerated() {
                for p in 0...trip.count {
                    var candidate = route
                    candidate.trips[k].insert(c, at: p)
                    consider(candidate, route: r, trip: k, position: p, base: costs[r])
                }
            }
            if route.trips.count < data.vehicleTypes[route.vehicleType].maxTrips {
                var candidate = route
                candidate.trips.append([c])
                consider(candidate, route: r, trip: route.trips.count, position: 0, base: costs[r])
            }
        }
        for (t, vt) in data.vehicleTypes.enumerated() where used[t] < vt.count && data.allows(t, c) {
            consider(Route(vehicleType: t, clients: [c]), route: nil, trip: 0, position: 0, base: 0)
        }
        return best
    }

    func apply(_ m: Insertion, routes: inout [Route], costs: inout [Int], used: inout [Int], data: ProblemData) {
        if let r = m.route {
            routes[r] = m.newRoute
            costs[r] = m.newCost
        } else {
            routes.append(m.newRoute)
            costs.append(m.newCost)
            used[m.vehicleType] += 1
        }
    }

    func removing(_ c: Int, from route: Route) -> Route? {
        var r = route
        for k in r.trips.indices {
            if let p = r.trips[k].firstIndex(of: c) {
                r.trips[k].remove(at: p)
                r.trips = r.trips.filter { !$0.isEmpty }
                return r
            }
        }
        return nil
    }
}

extension Duration {
    public var secondsDouble: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
    }
}
