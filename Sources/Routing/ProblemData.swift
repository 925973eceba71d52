/// Immutable, index-based data of a vehicle-routing problem (after PyVRP's `ProblemData`).
///
/// Locations are numbered depots first (`0 ..< depots.count`), then clients
/// (`depots.count ..< depots.count + clients.count`); the matrices use these location numbers.
/// Routes refer to clients by *client index* (`0 ..< clients.count`); `location(ofClient:)`
/// converts. Every quantity is an integer in the caller's units (metres, seconds, grams, crates,
/// cost units); the core never rounds.
public struct ProblemData: Sendable {
    public let depots: [Depot]
    public let clients: [Client]
    public let vehicleTypes: [VehicleType]
    /// Number of load dimensions (e.g. 2: crates and grams). Every demand and capacity has it.
    public let dimensions: Int
    public let distance: Matrix
    public let duration: Matrix

    public init(
        depots: [Depot], clients: [Client], vehicleTypes: [VehicleType],
        distance: Matrix, duration: Matrix, dimensions: Int? = nil
    ) throws(ProblemDataError) {
        let dims = dimensions ?? vehicleTypes.first?.capacity.count ?? clients.first?.demand.count ?? 1
        self.depots = depots
        // No pickup given: nothing to pick up, in every dimension.
        self.clients = clients.map { c in
            var c = c
            if c.pickup.isEmpty { c.pickup = [Int](repeating: 0, count: dims) }
            return c
        }
        self.vehicleTypes = vehicleTypes
        self.dimensions = dims
        self.distance = distance
        self.duration = duration
        try validate()
    }

    public var locationCount: Int { depots.count + clients.count }
    @inline(__always) public func location(ofClient c: Int) -> Int { depots.count + c }
    @inline(__always) public func location(ofDepot d: Int) -> Int { d }

    /// Whether some client has something to pick up (simultaneous delivery and pickup).
    public var hasPickups: Bool { clients.contains { $0.pickup.contains { $0 > 0 } } }

    /// Total number of vehicles over all types.
    public var fleetSize: Int { vehicleTypes.reduce(0) { $0 + $1.count } }

    /// Whether vehicle type `t` may visit client `c`.
    @inline(__always) public func allows(_ t: Int, _ c: Int) -> Bool {
        clients[c].allowedVehicleTypes?.contains(t) ?? true
    }

    private func validate() throws(ProblemDataError) {
        let n = locationCount
        guard !depots.isEmpty else { throw .invalid("at least one depot is needed") }
        guard dimensions >= 1 else { throw .invalid("dimensions must be at least 1") }
        guard distance.size == n, duration.size == n else {
            throw .invalid("matrices are \(distance.size)×\(distance.size) and \(duration.size)×\(duration.size), expected \(n)×\(n)")
        }
        for (k, c) in clients.enumerated() {
            guard c.demand.count == dimensions else {
                throw .invalid("client \(k): demand has \(c.demand.count) dimensions, expected \(dimensions)")
            }
            guard c.demand.allSatisfy({ $0 >= 0 }) else { throw .invalid("client \(k): negative demand") }
            guard c.pickup.count == dimensions else {
                throw .invalid("client \(k): pickup has \(c.pickup.count) dimensions, expected \(dimensions)")
            }
            guard c.pickup.allSatisfy({ $0 >= 0 }) else { throw .invalid("client \(k): negative pickup") }
            guard c.serviceDuration >= 0 else { throw .invalid("client \(k): negative service duration") }
            guard c.earliest <= c.latest else { throw .invalid("client \(k): time window [\(c.earliest), \(c.latest)] is empty") }
            guard c.penalty >= 0 else { throw .invalid("client \(k): negative penalty") }
            if let allowed = c.allowedVehicleTypes, allowed.contains(where: { $0 < 0 || $0 >= vehicleTypes.count }) {
                throw .invalid("client \(k): allowed vehicle type out of range")
            }
        }
        for (k, d) in depots.enumerated() where d.earliest > d.latest {
            throw .invalid("depot \(k): opening window [\(d.earliest), \(d.latest)] is empty")
        }
        for (k, t) in vehicleTypes.enumerated() {
            guard t.capacity.count == dimensions else {
                throw .invalid("vehicle type \(k): capacity has \(t.capacity.count) dimensions, expected \(dimensions)")
            }
            guard t.depot >= 0, t.depot < depots.count else { throw .invalid("vehicle type \(k): depot \(t.depot) out of range") }
            guard t.count >= 0 else { throw .invalid("vehicle type \(k): negative count") }
            guard t.maxTrips >= 1 else { throw .invalid("vehicle type \(k): maxTrips must be at least 1") }
            guard t.shiftStart <= t.shiftEnd else { throw .invalid("vehicle type \(k): shift [\(t.shiftStart), \(t.shiftEnd)] is empty") }
            guard t.maxDuration >= 0, t.reloadDuration >= 0 else { throw .invalid("vehicle type \(k): negative duration") }
            guard t.fixedCost >= 0, t.distanceCost >= 0, t.durationCost >= 0, t.travelCost >= 0 else { throw .invalid("vehicle type \(k): negative cost") }
        }
        for i in 0..<n {
            for j in 0..<n where distance[i, j] < 0 || duration[i, j] < 0 {
                throw .invalid("negative matrix entry at (\(i), \(j))")
            }
        }
    }
}

public enum ProblemDataError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let m): "invalid routing problem: \(m)" }
    }
}

/// A start and end point of vehicles, with its opening hours.
public struct Depot: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var earliest: Int
    public var latest: Int
    public var name: String?

    public init(x: Double = 0, y: Double = 0, earliest: Int = 0, latest: Int = .max / 4, name: String? = nil) {
        self.x = x
        self.y = y
        self.earliest = earliest
        self.latest = latest
        self.name = name
    }
}

/// A stop to deliver to.
public struct Client: Sendable, Hashable {
    /// Planar coordinates, used only by geometric heuristics (neighbour lists, sectors).
    public var x: Double
    public var y: Double
    /// Delivery amount per load dimension: loaded at the depot, dropped here.
    public var demand: [Int]
    /// Pickup amount per load dimension (empty crates, returns): taken on here, unloaded at the
    /// depot. Capacity holds at every point of a trip. Empty: nothing (zeros once in `ProblemData`).
    public var pickup: [Int]
    public var serviceDuration: Int
    /// Service must start within `earliest ... latest`; arriving early means waiting.
    public var earliest: Int
    public var latest: Int
    /// A required client must be visited when it can be; an optional one may be left out at
    /// the cost of `penalty`. The solver never fails on a required client it cannot serve: it
    /// reports it in `unassigned` with a reason.
    public var required: Bool
    public var penalty: Int
    /// Vehicle types that may visit (e.g. only small vans reach a lane); nil: every type.
    public var allowedVehicleTypes: [Int]?
    public var name: String?

    public init(
        x: Double = 0, y: Double = 0, demand: [Int], pickup: [Int] = [], serviceDuration: Int = 0,
        earliest: Int = 0, latest: Int = .max / 4, required: Bool = true, penalty: Int = 0,
        allowedVehicleTypes: [Int]? = nil, name: String? = nil
    ) {
        self.x = x
        self.y = y
        self.demand = demand
        self.pickup = pickup
        self.serviceDuration = serviceDuration
        self.earliest = earliest
        self.latest = latest
        self.required = required
        self.penalty = penalty
        self.allowedVehicleTypes = allowedVehicleTypes
        self.name = name
    }
}

/// A group of identical vehicles based at one depot.
public struct VehicleType: Sendable, Hashable {
    public var count: Int
    public var capacity: [Int]
    public var depot: Int
    /// Cost of using one vehicle of this type (once per route, however many trips).
    public var fixedCost: Int
    /// Cost per unit of distance and per unit of route duration (waiting included).
    public var distanceCost: Int
    public var durationCost: Int
    /// Cost per unit of travel time: the duration matrix summed over the route's arcs, without
    /// service and waiting (VROOM's `per_hour`). Vehicle types may weigh distance and travel
    /// time in different ratios.
    public var travelCost: Int
    /// Earliest departure and latest return.
    public var shiftStart: Int
    public var shiftEnd: Int
    /// Longest route duration (first departure to last return).
    public var maxDuration: Int
    /// Trips per vehicle: after a trip the vehicle reloads at its depot and leaves again.
    public var maxTrips: Int
    /// Time spent at the depot between two trips.
    public var reloadDuration: Int
    public var name: String?

    public init(
        count: Int, capacity: [Int], depot: Int = 0, fixedCost: Int = 0, distanceCost: Int = 1,
        durationCost: Int = 0, travelCost: Int = 0, shiftStart: Int = 0, shiftEnd: Int = .max / 4,
        maxDuration: Int = .max / 4, maxTrips: Int = 1, reloadDuration: Int = 0, name: String? = nil
    ) {
        self.count = count
        self.capacity = capacity
        self.depot = depot
        self.fixedCost = fixedCost
        self.distanceCost = distanceCost
        self.durationCost = durationCost
        self.travelCost = travelCost
        self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd
        self.maxDuration = maxDuration
        self.maxTrips = maxTrips
        self.reloadDuration = reloadDuration
        self.name = name
    }
}

/// A dense square matrix of integers, row = from, column = to.
public struct Matrix: Sendable, Hashable {
    public let size: Int
    public private(set) var storage: [Int]

    public init(size: Int, repeating value: Int = 0) {
        self.size = size
        storage = [Int](repeating: value, count: size * size)
    }

    public init(size: Int, storage: [Int]) {
        precondition(storage.count == size * size, "matrix storage must hold size² values")
        self.size = size
        self.storage = storage
    }

    public init(size: Int, _ entry: (Int, Int) -> Int) {
        self.size = size
        var s = [Int](repeating: 0, count: size * size)
        for i in 0..<size { for j in 0..<size { s[i * size + j] = entry(i, j) } }
        storage = s
    }

    @inline(__always) public subscript(i: Int, j: Int) -> Int {
        get { storage[i * size + j] }
        set { storage[i * size + j] = newValue }
    }
}
