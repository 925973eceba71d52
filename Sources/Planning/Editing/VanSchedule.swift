import RoadNetwork
import Routing

/// The day of one van as a dispatcher edited it: its trips timed the way the planner times them,
/// with lateness shown as it would happen (no time warp), costed the way plan.json costs them.
struct VanSchedule {
    let ctx: Context
    let matrix: TravelMatrix
    let warehouse: Int
    let type: VehicleType
    let vehicleId: String

    struct Trip {
        var route: PlannedRoute
        var violations: [EditViolation]
    }

    /// The departure the planner would choose: the routing core's duration-minimal start of the
    /// whole multi-trip route (Vidal et al. 2013 time-window segments).
    func plannedDeparture(_ trips: [[Drop]], shiftStart: Int, shiftEnd: Int) -> Int? {
        let wh = ctx.scenario.warehouses[warehouse]
        let stops = trips.flatMap { $0 }
        let (distance, duration) = Context.routingMatrices([ctx.loc(warehouse: warehouse)] + stops.map { ctx.loc(point: $0.point) }, matrix)
        let clients = stops.map { s in
            let p = ctx.scenario.pickupPoints[s.point]
            return Client(x: p.location.lon, y: p.location.lat, demand: [s.load.crates, s.load.grams],
                          pickup: [s.empties, s.empties * ctx.scenario.emptyCrateGrams], serviceDuration: ctx.serviceSeconds(s),
                          earliest: p.receivingWindow.from.seconds, latest: p.receivingWindow.to.seconds)
        }
        let vehicle = Routing.VehicleType(
            count: 1, capacity: [type.capacityCrates, type.capacityKg * 1000], depot: 0, shiftStart: shiftStart, shiftEnd: shiftEnd,
            maxDuration: shiftEnd - shiftStart, maxTrips: max(1, trips.count), reloadDuration: type.reloadMinutes * 60)
        guard let data = try? ProblemData(
            depots: [Depot(x: wh.location.lon, y: wh.location.lat, earliest: wh.dockHours.from.seconds, latest: wh.dockHours.to.seconds)],
            clients: clients, vehicleTypes: [vehicle], distance: distance, duration: duration,
            dimensions: 2) else { return nil }
        var next = 1
        let route = Route(vehicleType: 0, trips: trips.map { t in t.map { _ in defer { next += 1 }; return next - 1 } })
        return data.evaluate(route).tripStarts.first
    }

    /// Times and costs `trips` after the van's `kept` (dispatched) trips, which stay as they are.
    func schedule(kept: [PlannedRoute], trips: [[Drop]]) -> [Trip] {
        let wh = ctx.scenario.warehouses[warehouse]
        let clock = ctx.clock
        let dockOpen = wh.dockHours.from.seconds, dockClose = wh.dockHours.to.seconds
        let shiftLength = type.shiftLengthMinutes * 60
        let reload = type.reloadMinutes * 60
        let keptSeconds = kept.map { r in (start: seconds(r.departure), end: seconds(r.returnTime)) }
        let firstKept = keptSeconds.first?.start
        let shiftStart = type.shiftStart.seconds
        var t: Int
        if let last = keptSeconds.last?.end {
            t = last + reload
        } else {
            t = plannedDeparture(trips, shiftStart: shiftStart, shiftEnd: shiftStart + shiftLength)
                ?? max(shiftStart, dockOpen)
        }
        var out: [Trip] = []
        var previousEnd = keptSeconds.last?.end
        let home = ctx.loc(warehouse: warehouse)
        for (k, trip) in trips.enumerated() {
            let tripNumber = kept.count + k + 1
            let routeId = "\(vehicleId)-T\(tripNumber)"
            var violations: [EditViolation] = []
            let start = t
            var prev = home
            var dist = 0
            var load = Load()
            var stops: [PlannedStop] = []
            for (s, stop) in trip.enumerated() {
                let p = ctx.scenario.pickupPoints[stop.point]
                let here = ctx.loc(point: stop.point)
                let leg = (d: legDistance(prev, here), s: legDuration(prev, here))
                dist += leg.d
                let arrival = t + leg.s
                let serviceStart = max(arrival, p.receivingWindow.from.seconds)
                let departure = serviceStart + ctx.serviceSeconds(stop)
                if serviceStart > p.receivingWindow.to.seconds {
                    let late = (serviceStart - p.receivingWindow.to.seconds + 59) / 60
                    violations.append(EditViolation(
                        .late, "\(p.id) (\(vehicleId) trip \(tripNumber)): arrives \(LocalTime.format(seconds: arrival)), "
                            + "\(late) min after its receiving window \(p.receivingWindow) closes",
                        routeId: routeId, vehicleId: vehicleId, pickupPointId: p.id))
                }
                if type.vehicleClass > p.maxVehicle {
                    violations.append(EditViolation(
                        .vehicleClass, "\(p.id) takes vans up to \(p.maxVehicle); \(vehicleId) is \(type.vehicleClass)",
                        routeId: routeId, vehicleId: vehicleId, pickupPointId: p.id))
                }
                stops.append(PlannedStop(
                    sequence: s + 1, pickupPointId: p.id, arrival: clock.iso(arrival), serviceStart: clock.iso(serviceStart),
                    departure: clock.iso(departure), window: p.receivingWindow, orderIds: stop.orders.map(\.orderId),
                    load: LoadFigures(stop.load), legDistanceM: leg.d, legDurationS: leg.s))
                load = load + stop.load
                t = departure
                prev = here
            }
            dist += legDistance(prev, home)
            var end = t + legDuration(prev, home)
            if end < dockOpen { end = dockOpen }
            if end > dockClose {
                violations.append(EditViolation(
                    .dock, "\(vehicleId) trip \(tripNumber) is back at \(LocalTime.format(seconds: end)), after \(wh.id)'s dock closes at \(wh.dockHours.to)",
                    routeId: routeId, vehicleId: vehicleId, warehouseId: wh.id))
            }
            let (returned, peak) = ctx.recordCrateReturns(&stops, drops: trip)
            violations += capacityViolations(peak, routeId: routeId, trip: tripNumber)
            let reloadBefore = previousEnd.map { start - $0 } ?? 0
            let chargesDay = kept.isEmpty && k == 0
            let units = dist * type.costPerKmCents * 3600 + (end - start + reloadBefore) * type.costPerHourCents * 1000
                + (chargesDay ? type.costPerDayCents * DailyPlanner.costScale : 0)
            out.append(Trip(route: PlannedRoute(
                routeId: routeId, warehouseId: wh.id, vehicleId: vehicleId, vehicleTypeId: type.id, trip: tripNumber,
                departure: clock.iso(start), returnTime: clock.iso(end), stops: stops, load: LoadFigures(load), distanceM: dist,
                durationS: end - start, cost: (units + DailyPlanner.costScale / 2) / DailyPlanner.costScale, returnedCrates: returned),
                violations: violations))
            previousEnd = end
            t = end + reload
        }
        if let last = out.last {
            out[out.count - 1].violations += dayViolations(
                first: firstKept ?? (out.first.map { seconds($0.route.departure) } ?? 0),
                end: seconds(last.route.returnTime), trips: kept.count + out.count, routeId: last.route.routeId)
        }
        return out
    }

    /// `load`: the most the van carries on the trip (with crate returns, not always at departure).
    func capacityViolations(_ load: OnBoard, routeId: String, trip: Int) -> [EditViolation] {
        var out: [EditViolation] = []
        if load.crates > type.capacityCrates {
            out.append(EditViolation(
                .capacity, "\(vehicleId) trip \(trip) carries \(load.crates) crates; its capacity is \(type.capacityCrates) (\(load.crates - type.capacityCrates) over)",
                routeId: routeId, vehicleId: vehicleId))
        }
        if load.grams > type.capacityKg * 1000 {
            out.append(EditViolation(
                .capacity, "\(vehicleId) trip \(trip) carries \(kg(load.grams)) kg; its capacity is \(type.capacityKg) kg",
                routeId: routeId, vehicleId: vehicleId))
        }
        return out
    }

    /// Shift and trip count over the van's whole day (counted from its first departure).
    func dayViolations(first: Int, end: Int, trips: Int, routeId: String) -> [EditViolation] {
        var out: [EditViolation] = []
        let shiftEnd = min(type.shiftStart.seconds + type.shiftLengthMinutes * 60, first + type.shiftLengthMinutes * 60)
        if end > shiftEnd {
            out.append(EditViolation(
                .shift, "\(vehicleId) is back at \(LocalTime.format(seconds: end)), \((end - shiftEnd + 59) / 60) min after its shift ends at \(LocalTime.format(seconds: shiftEnd))",
                routeId: routeId, vehicleId: vehicleId))
        }
        if trips > type.maxTrips {
            out.append(EditViolation(.trips, "\(vehicleId) makes \(trips) trips; it may make \(type.maxTrips)",
                                     routeId: routeId, vehicleId: vehicleId))
        }
        return out
    }

    func legDistance(_ a: Int, _ b: Int) -> Int { a == b ? 0 : (matrix.isReachable(a, b) ? matrix.distance(a, b) : DailyPlanner.unreachable) }
    func legDuration(_ a: Int, _ b: Int) -> Int { a == b ? 0 : (matrix.isReachable(a, b) ? matrix.duration(a, b) : DailyPlanner.unreachable) }

    /// Seconds after local midnight of an ISO time of this plan.
    func seconds(_ iso: String) -> Int { (Timestamp.parse(iso)?.epochSeconds ?? 0) - ctx.clock.epochSeconds(at: 0) }
}
