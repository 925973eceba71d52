import Routing

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// Where jobs and vehicles are: rows of the given matrices, or distinct coordinates whose
/// travel the caller's road map provides.
extension VroomProblem {
    static func placesFromIndices(_ input: VroomInput, size: Int) throws(VroomError) -> ([Int], [VehicleEnds]) {
        var jobs: [Int] = []
        for (k, j) in input.jobs.enumerated() {
            guard let i = j.locationIndex else {
                throw VroomError(pointer: "/jobs/\(k)/location_index", "missing (mandatory with custom matrices)")
            }
            guard i < size else { throw VroomError(pointer: "/jobs/\(k)/location_index", "\(i) is out of range 0...\(size - 1)") }
            jobs.append(i)
        }
        var vehicles: [VehicleEnds] = []
        for (k, v) in input.vehicles.enumerated() {
            if v.start != nil, v.startIndex == nil {
                throw VroomError(pointer: "/vehicles/\(k)/start_index", "missing (mandatory with custom matrices)")
            }
            if v.end != nil, v.endIndex == nil {
                throw VroomError(pointer: "/vehicles/\(k)/end_index", "missing (mandatory with custom matrices)")
            }
            for (key, i) in [("start_index", v.startIndex), ("end_index", v.endIndex)] {
                if let i, i >= size { throw VroomError(pointer: "/vehicles/\(k)/\(key)", "\(i) is out of range 0...\(size - 1)") }
            }
            vehicles.append(try VehicleEnds(start: v.startIndex, end: v.endIndex, vehicle: v, k))
        }
        return (jobs, vehicles)
    }

    static func placesFromCoordinates(_ input: VroomInput, travel: VroomTravel?) throws(VroomError) -> (VroomMatrices, [Int], [VehicleEnds], Double) {
        var points: [[Double]] = []
        var index: [[Double]: Int] = [:]
        func place(_ p: [Double]) -> Int {
            if let i = index[p] { return i }
            index[p] = points.count
            points.append(p)
            return points.count - 1
        }
        var vehicles: [VehicleEnds] = []
        for (k, v) in input.vehicles.enumerated() {
            vehicles.append(try VehicleEnds(start: v.start.map(place), end: v.end.map(place), vehicle: v, k))
        }
        var jobs: [Int] = []
        for (k, j) in input.jobs.enumerated() {
            guard let l = j.location else { throw VroomError(pointer: "/jobs/\(k)/location", "missing (mandatory without matrices)") }
            jobs.append(place(l))
        }
        guard let travel else {
            throw VroomError(pointer: "/matrices", "missing, and no road map is configured to compute travel between coordinates", code: 3)
        }
        let m: VroomMatrices
        let clock = ContinuousClock.now
        do { m = try travel(points) } catch let e as VroomError { throw e } catch { throw VroomError(pointer: "", "routing: \(error)", code: 3) }
        guard m.size == points.count, m.durations.count == m.size * m.size else {
            throw VroomError(pointer: "", "routing: the road map answered a \(m.size)×\(m.size) matrix for \(points.count) points", code: 1)
        }
        return (m, jobs, vehicles, (ContinuousClock.now - clock).inSeconds)
    }

    /// Load dimensions: every non-empty amount and capacity must have the same length.
    static func dimensions(_ input: VroomInput) throws(VroomError) -> Int {
        var dims: Int?
        var amounts = false
        func check(_ a: [Int], _ pointer: String) throws(VroomError) {
            guard !a.isEmpty else { return }
            if let dims, a.count != dims { throw VroomError(pointer: pointer, "\(a.count) dimensions, expected \(dims) as elsewhere") }
            dims = a.count
        }
        for (k, j) in input.jobs.enumerated() {
            try check(j.delivery, "/jobs/\(k)/delivery")
            try check(j.pickup, "/jobs/\(k)/pickup")
            if !j.delivery.isEmpty || !j.pickup.isEmpty { amounts = true }
        }
        for (k, v) in input.vehicles.enumerated() {
            if let c = v.capacity { try check(c, "/vehicles/\(k)/capacity") }
            else if amounts { throw VroomError(pointer: "/vehicles/\(k)/capacity", "missing while jobs have amounts") }
        }
        return dims ?? 1
    }

    /// max_tasks, max_travel_time and max_distance have no exact counterpart in the core: they
    /// are taken only when no route could reach them anyway.
    static func checkLimits(_ input: VroomInput, _ m: VroomMatrices) throws(VroomError) {
        // Any route has at most jobs + trips arcs, none longer than the longest entry.
        let longestDuration = m.durations.max() ?? 0
        let longestDistance = m.distances?.max()
        func bound(_ longest: Int?, trips: Int) -> Int {
            guard let longest else { return .max }
            return longest * (input.jobs.count + trips)
        }
        for (k, v) in input.vehicles.enumerated() {
            if let t = v.maxTasks, t < input.jobs.count {
                throw VroomError.notYet("/vehicles/\(k)/max_tasks", "a task limit below the number of jobs is")
            }
            if let t = v.maxTravelTime, t < bound(longestDuration, trips: v.maxTrips) {
                throw VroomError.notYet("/vehicles/\(k)/max_travel_time", "a travel time limit that a route could reach is")
            }
            if let d = v.maxDistance, d < bound(longestDistance, trips: v.maxTrips) {
                throw VroomError.notYet("/vehicles/\(k)/max_distance", "a distance limit that a route could reach is")
            }
        }
    }

    /// A setup is paid on arrival from another place. Folded into the service time it is exact
    /// only when no other job and no vehicle start shares the job's place.
    static func checkSetups(_ input: VroomInput, jobPlace: [Int], vehiclePlace: [VehicleEnds]) throws(VroomError) {
        var uses: [Int: Int] = [:]
        for p in jobPlace { uses[p, default: 0] += 1 }
        let starts = Set(vehiclePlace.compactMap(\.start))
        for (k, j) in input.jobs.enumerated() where j.setup > 0 {
            if uses[jobPlace[k]]! > 1 || starts.contains(jobPlace[k]) {
                throw VroomError.notYet("/jobs/\(k)/setup", "a setup time at a place shared with another job or a vehicle start is")
            }
        }
    }

    /// Penalty of leaving job c out: (U + 1)·(1 + (p − p_min)·(n + 1)) where U bounds the cost of
    /// any set of routes. So serving more priority always wins, then serving more jobs, then
    /// cost: VROOM's order. When that exceeds 2^52 (exact doubles in the search), the priority
    /// step shrinks to (U + 1)·(1 + p − p_min); beyond that the problem is refused.
    /// per_hour_on "route": no route of type t lasts longer than its shift, nor longer than every
    /// client and every trip's depot visit at their farthest, plus waiting up to the latest window.
    static func routeDurationBound(_ d: ProblemData, _ t: VehicleType, farthest: [Int]) -> Int {
        var bound = Int128(t.maxTrips) * Int128(farthest[d.location(ofDepot: t.depot)] + t.reloadDuration)
        var latest = 0
        for c in d.clients.indices {
            bound += Int128(farthest[d.location(ofClient: c)] + d.clients[c].serviceDuration)
            if d.clients[c].latest < Int.max / 8 { latest = max(latest, d.clients[c].latest) }
        }
        bound += Int128(latest)
        return Int(min(bound, Int128(min(t.maxDuration, t.shiftEnd - t.shiftStart))))
    }

    static func penalties(_ d: ProblemData, priorities: [Int]) throws(VroomError) -> [Int] {
        let n = d.locationCount
        var rowMax = [Int](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { rowMax[i] = max(rowMax[i], d.distance[i, j]) } }
        var u = Int128(0)
        // Per location, the longest travel from it; only per_hour_on "route" needs it.
        let farthest = d.vehicleTypes.contains { $0.durationCost > 0 }
            ? (0..<n).map { i in (0..<n).reduce(0) { max($0, d.duration[i, $1]) } } : []
        let factor = Int128(d.vehicleTypes.map(\.distanceCost).max() ?? 0)
        for c in d.clients.indices { u += factor * Int128(rowMax[d.location(ofClient: c)]) }
        for t in d.vehicleTypes {
            u += Int128(t.count) * (Int128(t.fixedCost) + factor * Int128(t.maxTrips) * Int128(rowMax[d.location(ofDepot: t.depot)]))
            if t.durationCost > 0 { u += Int128(t.count) * Int128(t.durationCost) * Int128(routeDurationBound(d, t, farthest: farthest)) }
        }
        let limit = Int128(1) << 52
        let low = priorities.min() ?? 0
        let high = priorities.max() ?? 0
        let b = u + 1
        var step = Int128(d.clients.count + 1)
        if b * (1 + Int128(high - low) * step) >= limit { step = 1 }
        guard b * (1 + Int128(high - low) * step) < limit else {
            throw VroomError(pointer: "/jobs", "costs and priorities too large for exact integer penalties (above 2^52)")
        }
        return priorities.map { Int(b * (1 + Int128($0 - low) * step)) }
    }
}

/// The places a vehicle leaves from and returns to; nil: VROOM's open start or end (the route
/// starts at its first job, ends at its last). One depot of the core per distinct pair: its
/// matrix row is the start, its column the end, an open side costs nothing.
struct VehicleEnds: Hashable, Sendable {
    var start: Int?
    var end: Int?

    init(start: Int?, end: Int?, vehicle v: VroomVehicle, _ k: Int) throws(VroomError) {
        guard start != nil || end != nil else {
            throw VroomError(pointer: "/vehicles/\(k)", "a vehicle needs a start or an end")
        }
        // Reloads happen where a trip ends and the next begins: one place.
        if v.maxTrips > 1, start == nil || start != end {
            throw VroomError.notYet("/vehicles/\(k)/lastmile/max_trips", "several trips of a vehicle whose end is not its start are")
        }
        self.start = start
        self.end = end
    }
}
