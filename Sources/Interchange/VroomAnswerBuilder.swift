import Routing

extension VroomProblem {
    /// The VROOM answer of a core solution: routes go to the vehicles of their type in input order.
    public func answer(_ solution: Solution, times: VroomComputingTimes) -> VroomAnswer {
        var next = [Int](repeating: 0, count: vehiclesOfType.count)
        var routes: [VroomRoute] = []
        for r in solution.routes where !r.isEmpty {
            let v = vehiclesOfType[r.vehicleType][next[r.vehicleType]]
            next[r.vehicleType] += 1
            routes.append(route(r, vehicle: v))
        }
        routes.sort { $0.vehicle < $1.vehicle }
        var totals = VroomTotals(delivery: zeros, pickup: zeros, distance: places.distances == nil ? nil : 0)
        for r in routes { totals.add(r.totals) }
        let unassigned = data.explainUnassigned(solution).map { u in
            let j = input.jobs[u.client]
            return VroomUnassigned(id: j.id, description: j.description, location: j.location, locationIndex: j.locationIndex,
                                   reason: reason(u))
        }
        return VroomAnswer(code: 0, summary: VroomSummary(routes: routes.count, unassigned: unassigned.count, totals: totals,
                                                          computingTimes: times),
                           unassigned: unassigned, routes: routes)
    }

    var zeros: [Int] { [Int](repeating: 0, count: data.dimensions) }

    /// Every job's penalty outweighs any route cost, so a job left out is one no route could take.
    func reason(_ u: UnassignedClient) -> String {
        if case .notWorthServing = u.reason {
            return "no vehicle had capacity or time left for this job (higher-priority jobs first, then as many as fit)"
        }
        return u.reason.description
    }

    /// One route of vehicle `v` (input index) with its steps, replayed with the core's schedule.
    func route(_ r: Route, vehicle v: Int) -> VroomRoute {
        let e = data.evaluate(r)
        let vehicle = input.vehicles[v]
        let n = places.size
        let ends = vehiclePlace[v]
        var travel = 0
        var distance: Int? = places.distances == nil ? nil : 0
        var prev = ends.start
        // An open start or end travels nothing (VROOM's route then begins or stops at a job).
        func move(to p: Int?) {
            if let a = prev, let b = p {
                travel += places.durations[a * n + b]
                if let d = places.distances { distance! += d[a * n + b] }
            }
            prev = p
        }
        let first = r.clients.first.map { input.jobs[$0] }, last = r.clients.last.map { input.jobs[$0] }
        func depotStep(_ type: String, arrival: Int, service: Int, load: [Int]) -> VroomStep {
            var location = vehicle.start, index = vehicle.startIndex
            if type == "end" { (location, index) = (vehicle.end, vehicle.endIndex) }
            if type == "start", ends.start == nil { (location, index) = (first?.location, first?.locationIndex) }
            if type == "end", ends.end == nil { (location, index) = (last?.location, last?.locationIndex) }
            return VroomStep(type: type, location: location, locationIndex: index, setup: 0, service: service,
                             waitingTime: 0, load: load, arrival: arrival, duration: travel, distance: distance)
        }
        var totals = VroomTotals(delivery: zeros, pickup: zeros, distance: nil)
        var steps = [depotStep("start", arrival: e.tripStarts.first ?? 0, service: 0, load: e.tripLoads.first ?? zeros)]
        var onBoard = zeros
        var visit = 0
        for (k, trip) in r.trips.enumerated() {
            onBoard = e.tripLoads[k]
            for c in trip {
                let j = input.jobs[c], x = e.visits[visit]
                visit += 1
                move(to: jobPlace[c])
                for d in onBoard.indices {
                    onBoard[d] += data.clients[c].pickup[d] - data.clients[c].demand[d]
                    totals.delivery[d] += data.clients[c].demand[d]
                    totals.pickup[d] += data.clients[c].pickup[d]
                }
                totals.setup += j.setup
                totals.service += j.service
                totals.waitingTime += x.serviceStart - x.arrival
                totals.priority += j.priority
                steps.append(VroomStep(type: "job", id: j.id, description: j.description, location: j.location,
                                       locationIndex: j.locationIndex, setup: j.setup, service: j.service,
                                       waitingTime: max(0, x.serviceStart - x.arrival), load: onBoard, arrival: x.arrival,
                                       duration: travel, distance: distance))
            }
            move(to: ends.end)
            if k + 1 < r.trips.count { prev = ends.start }
            if k + 1 < r.trips.count {
                steps.append(depotStep("reload", arrival: e.tripEnds[k], service: data.vehicleTypes[r.vehicleType].reloadDuration,
                                       load: e.tripLoads[k + 1]))
            }
        }
        steps.append(depotStep("end", arrival: e.tripEnds.last ?? 0, service: 0, load: onBoard))
        totals.duration = travel
        totals.distance = distance
        totals.cost = costs.vroomCost(vehicle: v, e, type: data.vehicleTypes[r.vehicleType])
        return VroomRoute(vehicle: vehicle.id, description: vehicle.description, totals: totals, steps: steps)
    }
}
