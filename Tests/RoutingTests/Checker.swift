@testable import Routing

/// An independent solution checker for the tests: recomputes every route's schedule, load,
/// distance and cost from the raw problem data by plain simulation, without the time-window
/// segments that both `ProblemData.evaluate` and the search use.
struct Checker {
    let data: ProblemData

    struct Report {
        var cost = 0
        var violations: [String] = []
        var feasible: Bool { violations.isEmpty }
    }

    /// Simulates a route leaving the depot at `departure`: returns (end time, lateness) or nil.
    func simulate(_ route: Route, departure: Int) -> (end: Int, late: Int) {
        let vt = data.vehicleTypes[route.vehicleType]
        let depot = vt.depot
        let open = max(vt.shiftStart, data.depots[depot].earliest)
        let close = min(vt.shiftEnd, data.depots[depot].latest)
        var t = departure, at = depot, late = 0
        for (k, trip) in route.trips.enumerated() {
            if k > 0 { t = max(t, open) + vt.reloadDuration }
            for c in trip {
                let loc = data.depots.count + c
                t += data.duration[at, loc]
                t = max(t, data.clients[c].earliest)
                if t > data.clients[c].latest { late += t - data.clients[c].latest }
                t += data.clients[c].serviceDuration
                at = loc
            }
            t += data.duration[at, depot]
            at = depot
            if t > close { late += t - close }
        }
        return (t, late)
    }

    func check(_ s: Solution) -> Report {
        var rep = Report()
        var seen = [Int](repeating: 0, count: data.clients.count)
        var used = [Int](repeating: 0, count: data.vehicleTypes.count)
        for (r, route) in s.routes.enumerated() {
            let vt = data.vehicleTypes[route.vehicleType]
            used[route.vehicleType] += 1
            if route.trips.count > vt.maxTrips { rep.violations.append("route \(r): too many trips") }
            var dist = 0, travel = 0
            for trip in route.trips {
                // On board leaving the depot: every delivery of the trip; then at each stop its
                // delivery off, its pickup on. Checked at every point.
                var load = [Int](repeating: 0, count: data.dimensions)
                for c in trip { for d in 0..<data.dimensions { load[d] += data.clients[c].demand[d] } }
                var points = [load]
                var at = vt.depot
                for c in trip {
                    seen[c] += 1
                    if let allowed = data.clients[c].allowedVehicleTypes, !allowed.contains(route.vehicleType) {
                        rep.violations.append("route \(r): client \(c) not allowed")
                    }
                    for d in 0..<data.dimensions { load[d] += data.clients[c].pickup[d] - data.clients[c].demand[d] }
                    points.append(load)
                    dist += data.distance[at, data.depots.count + c]
                    travel += data.duration[at, data.depots.count + c]
                    at = data.depots.count + c
                }
                dist += data.distance[at, vt.depot]
                travel += data.duration[at, vt.depot]
                for d in 0..<data.dimensions {
                    let most = points.map { $0[d] }.max()!
                    if most > vt.capacity[d] { rep.violations.append("route \(r): load \(most) over \(vt.capacity[d])") }
                }
            }
            // Candidate departures: the opening, and every departure that arrives exactly at the
            // start of some window; the shortest feasible schedule is among them.
            let open = max(vt.shiftStart, data.depots[vt.depot].earliest)
            var candidates = [open]
            var offset = 0, at = vt.depot
            if let first = route.trips.first {
                for c in first {
                    offset += data.duration[at, data.depots.count + c]
                    at = data.depots.count + c
                    if data.clients[c].earliest - offset > open { candidates.append(data.clients[c].earliest - offset) }
                    offset += data.clients[c].serviceDuration
                }
            }
            var bestDuration: Int?
            for d in candidates {
                let (end, late) = simulate(route, departure: d)
                if late == 0 && end - d <= vt.maxDuration { bestDuration = min(bestDuration ?? .max, end - d) }
            }
            if let dur = bestDuration {
                rep.cost += vt.fixedCost + vt.distanceCost * dist + vt.travelCost * travel + vt.durationCost * dur
            } else {
                rep.violations.append("route \(r): no schedule meets the windows, shift and duration")
                rep.cost += vt.fixedCost + vt.distanceCost * dist + vt.travelCost * travel
            }
        }
        for (t, n) in used.enumerated() where n > data.vehicleTypes[t].count {
            rep.violations.append("type \(t): \(n) vehicles used")
        }
        for c in data.clients.indices {
            if seen[c] > 1 { rep.violations.append("client \(c) visited \(seen[c]) times") }
            if seen[c] == 0 {
                if data.clients[c].required && data.whyUnservableAlone(c) == nil {
                    // Allowed only when reported (fleet exhausted); the tests check reasons.
                }
                if !data.clients[c].required { rep.cost += data.clients[c].penalty }
            }
        }
        return rep
    }
}
