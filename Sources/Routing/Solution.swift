/// One vehicle's work: one or more trips from its depot and back, in order. Clients are client
/// indices (`0 ..< data.clients.count`).
public struct Route: Sendable, Hashable {
    public var vehicleType: Int
    public var trips: [[Int]]

    public init(vehicleType: Int, trips: [[Int]]) {
        self.vehicleType = vehicleType
        self.trips = trips
    }

    public init(vehicleType: Int, clients: [Int]) {
        self.init(vehicleType: vehicleType, trips: [clients])
    }

    public var clients: [Int] { trips.flatMap { $0 } }
    public var isEmpty: Bool { trips.allSatisfy(\.isEmpty) }
}

/// A solution as a value: routes (empty ones dropped) and the clients left out.
public struct Solution: Sendable, Hashable {
    public var routes: [Route]

    public init(routes: [Route]) {
        self.routes = routes.compactMap { r in
            let trips = r.trips.filter { !$0.isEmpty }
            return trips.isEmpty ? nil : Route(vehicleType: r.vehicleType, trips: trips)
        }
    }

    /// Clients not in any route, in increasing order.
    public func unvisited(in data: ProblemData) -> [Int] {
        var seen = [Bool](repeating: false, count: data.clients.count)
        for r in routes { for c in r.clients where c >= 0 && c < seen.count { seen[c] = true } }
        return seen.indices.filter { !seen[$0] }
    }
}

/// Timing of one stop in a scheduled route.
public struct Visit: Sendable, Hashable {
    public var client: Int
    public var trip: Int
    public var arrival: Int
    /// Service start: max(arrival, earliest), pulled back to `latest` when late (time warp).
    public var serviceStart: Int
    public var departure: Int
    /// Load on board when arriving, per dimension.
    public var loadOnArrival: [Int]
}

/// A route's schedule and totals, computed from scratch (O(route length)).
public struct RouteEvaluation: Sendable, Hashable {
    public var vehicleType: Int
    public var visits: [Visit]
    /// Departure from the depot of each trip, and return to it.
    public var tripStarts: [Int]
    public var tripEnds: [Int]
    /// Deliveries of each trip per dimension (on board when it leaves the depot).
    public var tripLoads: [[Int]]
    public var distance: Int
    /// Travel time over the route's arcs (service, waiting and reloads not included).
    public var travel: Int
    /// First departure to last return, waiting included.
    public var duration: Int
    public var waiting: Int
    /// Sum over stops and depot returns of lateness beyond the window (Vidal et al. 2013).
    /// Route duration above `maxDuration` counts as time warp too.
    public var timeWarp: Int
    /// Sum over trips and dimensions of the peak load on board above capacity.
    public var excessLoad: Int
    /// fixed + distance·distanceCost + travel·travelCost + duration·durationCost.
    public var cost: Int

    public var isFeasible: Bool { timeWarp == 0 && excessLoad == 0 }
}

public struct SolutionEvaluation: Sendable, Hashable {
    public var routes: [RouteEvaluation]
    public var distance: Int
    public var duration: Int
    /// Route costs plus penalties of unvisited optional clients.
    public var cost: Int
    public var timeWarp: Int
    public var excessLoad: Int
    public var unvisited: [Int]
    /// Problems that make the solution infeasible, in words (empty when feasible).
    public var violations: [String]

    public var isFeasible: Bool { violations.isEmpty }
}

extension ProblemData {
    /// Schedules a route: departs as early as it can without avoidable waiting, computed with the
    /// time-window segment concatenation of Vidal et al. (2013), then replays it stop by stop.
    public func evaluate(_ route: Route) -> RouteEvaluation {
        let vt = vehicleTypes[route.vehicleType]
        let depot = depots[vt.depot]
        let depotLoc = location(ofDepot: vt.depot)
        let open = max(vt.shiftStart, depot.earliest)
        let close = min(vt.shiftEnd, depot.latest)

        // Pass 1: the duration-minimal departure time E of the whole route.
        var seg = TimeSegment(first: depotLoc, last: depotLoc, duration: 0, timeWarp: 0, earliest: open, latest: close)
        for (k, trip) in route.trips.enumerated() {
            for c in trip {
                let cl = clients[c]
                let node = TimeSegment(first: location(ofClient: c), last: location(ofClient: c),
                                       duration: cl.serviceDuration, timeWarp: 0, earliest: cl.earliest, latest: cl.latest)
                seg = seg.merged(with: node, duration: self.duration)
            }
            let back = TimeSegment(first: depotLoc, last: depotLoc,
                                   duration: k + 1 < route.trips.count ? vt.reloadDuration : 0,
                                   timeWarp: 0, earliest: open, latest: close)
            seg = seg.merged(with: back, duration: self.duration)
        }
        let departure = seg.earliest

        // Pass 2: replay.
        var visits: [Visit] = []
        var tripStarts: [Int] = [], tripEnds: [Int] = [], tripLoads: [[Int]] = []
        var t = departure
        var prev = depotLoc
        var dist = 0, travel = 0, warp = 0, wait = 0, excess = 0
        for (k, trip) in route.trips.enumerated() {
            tripStarts.append(t)
            var load = [Int](repeating: 0, count: dimensions)
            for c in trip { for d in 0..<dimensions { load[d] += clients[c].demand[d] } }
            tripLoads.append(load)
            // Deliveries leave the depot on board; each stop drops its delivery and takes its
            // pickup on. Capacity must hold at every point: the peak counts.
            var peak = load, after = load
            for c in trip { for d in 0..<dimensions { after[d] += clients[c].pickup[d] - clients[c].demand[d]; peak[d] = max(peak[d], after[d]) } }
            for d in 0..<dimensions { excess += max(0, peak[d] - vt.capacity[d]) }
            var onBoard = load
            for c in trip {
                let loc = location(ofClient: c)
                let cl = clients[c]
                dist += distance[prev, loc]
                travel += duration[prev, loc]
                let arrival = t + duration[prev, loc]
                var start = max(arrival, cl.earliest)
                wait += start - arrival
                if start > cl.latest {
                    warp += start - cl.latest
                    start = cl.latest
                }
                visits.append(Visit(client: c, trip: k, arrival: arrival, serviceStart: start,
                                    departure: start + cl.serviceDuration, loadOnArrival: onBoard))
                for d in 0..<dimensions { onBoard[d] += cl.pickup[d] - cl.demand[d] }
                t = start + cl.serviceDuration
                prev = loc
            }
            dist += distance[prev, depotLoc]
            travel += duration[prev, depotLoc]
            var back = t + duration[prev, depotLoc]
            if back < open { wait += open - back; back = open }
            if back > close { warp += back - close; back = close }
            tripEnds.append(back)
            t = back + (k + 1 < route.trips.count ? vt.reloadDuration : 0)
            prev = depotLoc
        }
        let total = (tripEnds.last ?? departure) - departure
        warp += max(0, total - vt.maxDuration)
        let used = !route.isEmpty
        let cost = (used ? vt.fixedCost : 0) + dist * vt.distanceCost + travel * vt.travelCost + total * vt.durationCost
        return RouteEvaluation(
            vehicleType: route.vehicleType, visits: visits, tripStarts: tripStarts, tripEnds: tripEnds,
            tripLoads: tripLoads, distance: dist, travel: travel, duration: total, waiting: wait, timeWarp: warp,
            excessLoad: excess, cost: cost)
    }

    /// Evaluates a whole solution and lists everything that makes it infeasible: a client
    /// visited twice or by a vehicle type it does not allow, too many vehicles of a type, too
    /// many trips, load or time violations, a required client left out.
    public func evaluate(_ solution: Solution) -> SolutionEvaluation {
        var violations: [String] = []
        var count = [Int](repeating: 0, count: clients.count)
        var used = [Int](repeating: 0, count: vehicleTypes.count)
        var evals: [RouteEvaluation] = []
        for (r, route) in solution.routes.enumerated() {
            guard route.vehicleType >= 0, route.vehicleType < vehicleTypes.count else {
                violations.append("route \(r): vehicle type \(route.vehicleType) does not exist")
                continue
            }
            used[route.vehicleType] += 1
            if route.trips.count > vehicleTypes[route.vehicleType].maxTrips {
                violations.append("route \(r): \(route.trips.count) trips, at most \(vehicleTypes[route.vehicleType].maxTrips)")
            }
            var ok = true
            for c in route.clients {
                guard c >= 0, c < clients.count else {
                    violations.append("route \(r): client \(c) does not exist")
                    ok = false
                    continue
                }
                count[c] += 1
                if !allows(route.vehicleType, c) {
                    violations.append("route \(r): client \(c) does not allow vehicle type \(route.vehicleType)")
                }
            }
            guard ok else { continue }
            let e = evaluate(route)
            if e.excessLoad > 0 { violations.append("route \(r): load exceeds capacity by \(e.excessLoad)") }
            if e.timeWarp > 0 { violations.append("route \(r): late by \(e.timeWarp) (time windows, shift or duration)") }
            evals.append(e)
        }
        for (t, n) in used.enumerated() where n > vehicleTypes[t].count {
            violations.append("vehicle type \(t): \(n) routes, only \(vehicleTypes[t].count) vehicles")
        }
        for (c, n) in count.enumerated() where n > 1 { violations.append("client \(c) visited \(n) times") }
        let unvisited = count.indices.filter { count[$0] == 0 }
        var cost = evals.reduce(0) { $0 + $1.cost }
        for c in unvisited { cost += clients[c].penalty }
        return SolutionEvaluation(
            routes: evals, distance: evals.reduce(0) { $0 + $1.distance },
            duration: evals.reduce(0) { $0 + $1.duration }, cost: cost,
            timeWarp: evals.reduce(0) { $0 + $1.timeWarp }, excessLoad: evals.reduce(0) { $0 + $1.excessLoad },
            unvisited: unvisited, violations: violations)
    }
}

/// Time-window segment of Vidal et al. (2013), "A hybrid genetic algorithm with adaptive
/// diversity management for a large class of vehicle routing problems with time-windows":
/// minimal duration, unavoidable time warp, and the window of start times achieving them.
/// Concatenation is O(1).
public struct TimeSegment: Sendable, Hashable {
    public var first: Int
    public var last: Int
    public var duration: Int
    public var timeWarp: Int
    public var earliest: Int
    public var latest: Int

    @inline(__always)
    public func merged(with other: TimeSegment, duration matrix: Matrix) -> TimeSegment {
        let travel = matrix[last, other.first]
        let delta = duration - timeWarp + travel
        let deltaWait = max(other.earliest - delta - latest, 0)
        let deltaWarp = max(earliest + delta - other.latest, 0)
        return TimeSegment(
            first: first, last: other.last,
            duration: duration + other.duration + travel + deltaWait,
            timeWarp: timeWarp + other.timeWarp + deltaWarp,
            earliest: max(other.earliest - delta, earliest) - deltaWait,
            latest: min(other.latest - delta, latest) + deltaWarp)
    }
}
