import Routing

/// Travel between coordinates when the input has no matrices: durations (s) and distances (m)
/// for the points in order ([lon, lat] each). Supplied by the caller from its road map.
public typealias VroomTravel = @Sendable (_ points: [[Double]]) throws -> VroomMatrices

/// A VROOM input as the core's `ProblemData`, with what it takes to speak VROOM again.
///
/// Depots are the distinct (start, end) places of vehicles; vehicles with the same ones, capacity,
/// skills, costs, shift and trips form one vehicle type. Every job is optional with a penalty
/// above any route cost, growing with priority (docs/vroom.md, "Priorities").
public struct VroomProblem: Sendable {
    public let input: VroomInput
    public let data: ProblemData
    /// Vehicle indices (input order) of each vehicle type, and the type of each vehicle.
    public let vehiclesOfType: [[Int]]
    public let typeOfVehicle: [Int]
    /// Travel between places (matrix rows): jobs and vehicles refer to places.
    let places: VroomMatrices
    let jobPlace: [Int]
    let vehiclePlace: [VehicleEnds]
    let costs: VroomCostModel
    /// Time spent asking the road map for travel (VROOM's `computing_times.routing`).
    public let routingSeconds: Double

    public init(_ input: VroomInput, travel: VroomTravel? = nil) throws(VroomError) {
        self.input = input
        let profile = input.vehicles[0].profile
        if let k = input.vehicles.firstIndex(where: { $0.profile != profile }) {
            throw VroomError.notYet("/vehicles/\(k)/profile", "vehicles of several routing profiles are")
        }
        var matricesPointer = "/matrices/" + profile
        let located: (VroomMatrices, [Int], [VehicleEnds], Double)
        if input.matrices.isEmpty {
            located = try Self.placesFromCoordinates(input, travel: travel)
            matricesPointer = "/matrices"
        } else {
            guard let m = input.matrices[profile] else {
                throw VroomError(pointer: "/matrices", "no matrices for profile \"\(profile)\" of the vehicles")
            }
            let (jobs, vehicles) = try Self.placesFromIndices(input, size: m.size)
            located = (m, jobs, vehicles, 0)
        }
        places = located.0
        jobPlace = located.1
        vehiclePlace = located.2
        routingSeconds = located.3
        costs = try VroomCostModel.build(input.vehicles, durations: places.durations, distances: places.distances,
                                         costs: places.costs, matricesPointer: matricesPointer)
        let dims = try Self.dimensions(input)
        try Self.checkLimits(input, places)
        try Self.checkSetups(input, jobPlace: jobPlace, vehiclePlace: vehiclePlace)

        // Vehicle types and depots, in order of first appearance.
        var depotOfPlace: [VehicleEnds: Int] = [:]
        var depots: [Depot] = [], depotEnds: [VehicleEnds] = []
        var typeOfKey: [VehicleKey: Int] = [:]
        var types: [VehicleType] = [], members: [[Int]] = [], typeOf: [Int] = [], typeSkills: [Set<Int>] = []
        for (k, v) in input.vehicles.enumerated() {
            let place = vehiclePlace[k]
            let depot: Int
            if let d = depotOfPlace[place] { depot = d } else {
                depot = depots.count
                depotOfPlace[place] = depot
                depotEnds.append(place)
                let at = v.start ?? v.end
                depots.append(Depot(x: at?[0] ?? 0, y: at?[1] ?? 0, name: "vehicle \(v.id)'s depot"))
            }
            let capacity = v.capacity.map { $0.isEmpty ? [Int](repeating: 0, count: dims) : $0 } ?? [Int](repeating: 0, count: dims)
            let hourly = costs.hourlyOnRoute ? costs.durationFactor[k] : 0
            let perSecond = costs.travelFactor.isEmpty ? 0 : costs.travelFactor[k]
            let key = VehicleKey(depot: depot, capacity: capacity, skills: v.skills, factor: costs.factor[k],
                                 travelFactor: perSecond, hourly: hourly,
                                 fixed: costs.fixed[k],
                                 window: v.timeWindow, maxTrips: v.maxTrips, reload: v.reloadDuration)
            if let t = typeOfKey[key] {
                types[t].count += 1
                members[t].append(k)
                typeOf.append(t)
                continue
            }
            typeOfKey[key] = types.count
            typeOf.append(types.count)
            members.append([k])
            typeSkills.append(v.skills)
            types.append(VehicleType(count: 1, capacity: capacity, depot: depot, fixedCost: costs.fixed[k],
                                     distanceCost: costs.factor[k], durationCost: hourly, travelCost: perSecond,
                                     shiftStart: v.timeWindow?.lowerBound ?? 0, shiftEnd: v.timeWindow?.upperBound ?? .max / 4,
                                     maxTrips: v.maxTrips, reloadDuration: v.reloadDuration, name: "vehicle \(v.id)"))
        }
        vehiclesOfType = members
        typeOfVehicle = typeOf

        var clients: [Client] = []
        for j in input.jobs {
            let allowed = types.indices.filter { j.skills.isSubset(of: typeSkills[$0]) }
            clients.append(Client(
                x: j.location?[0] ?? 0, y: j.location?[1] ?? 0,
                demand: j.delivery.isEmpty ? [Int](repeating: 0, count: dims) : j.delivery,
                pickup: j.pickup.isEmpty ? [Int](repeating: 0, count: dims) : j.pickup,
                serviceDuration: j.setup + j.service,
                earliest: j.timeWindow?.lowerBound ?? 0, latest: j.timeWindow?.upperBound ?? .max / 4,
                required: false, penalty: 0, allowedVehicleTypes: allowed.count == types.count ? nil : allowed,
                name: "job \(j.id)"))
        }
        // Location l of the core leaves from place from[l] and arrives at place to[l]; nil: open.
        let from: [Int?] = depotEnds.map(\.start) + jobPlace
        let to: [Int?] = depotEnds.map(\.end) + jobPlace
        let n = places.size
        let cost = costs.matrix, dur = places.durations
        func entry(_ m: [Int], _ a: Int, _ b: Int) -> Int {
            guard let i = from[a], let j = to[b] else { return 0 }
            return m[i * n + j]
        }
        let distance = Matrix(size: from.count) { entry(cost, $0, $1) }
        let duration = Matrix(size: from.count) { entry(dur, $0, $1) }
        do {
            var d = try ProblemData(depots: depots, clients: clients, vehicleTypes: types, distance: distance, duration: duration,
                                    dimensions: dims)
            let penalties = try Self.penalties(d, priorities: input.jobs.map(\.priority))
            clients = d.clients
            for c in clients.indices { clients[c].penalty = penalties[c] }
            d = try ProblemData(depots: depots, clients: clients, vehicleTypes: types, distance: distance, duration: duration,
                                dimensions: dims)
            data = d
        } catch let e as VroomError {
            throw e
        } catch {
            throw VroomError(pointer: "", "\(error)")
        }
    }

    private struct VehicleKey: Hashable {
        var depot: Int
        var capacity: [Int]
        var skills: Set<Int>
        var factor: Int
        var travelFactor: Int
        var hourly: Int
        var fixed: Int
        var window: ClosedRange<Int>?
        var maxTrips: Int
        var reload: Int
    }
}
