import Foundation

/// The subset of VROOM's input (docs/vroom.md) that the routing core represents exactly.
/// Read with `VroomInput.decode`, which refuses everything else with the field's pointer.
public struct VroomInput: Sendable, Decodable {
    public var jobs: [VroomJob]
    public var vehicles: [VroomVehicle]
    /// Per routing profile ("car" by default).
    public var matrices: [String: VroomMatrices]
    /// Our own top-level extension: solver budget for `POST /v1/solve`.
    public var options: VroomSolveOptions

    public init(from decoder: any Decoder) throws {
        self = try Self.read(Node(value: JSONValue(from: decoder), pointer: ""))
    }

    public init(jobs: [VroomJob], vehicles: [VroomVehicle], matrices: [String: VroomMatrices], options: VroomSolveOptions) {
        self.jobs = jobs
        self.vehicles = vehicles
        self.matrices = matrices
        self.options = options
    }

    /// Strict decoding with typed errors carrying the JSON pointer.
    public static func decode(_ data: Data) throws(VroomError) -> VroomInput {
        try read(Node(value: try JSONValue.parse(data), pointer: ""))
    }
}

/// A VROOM job: one stop that delivers and picks up.
public struct VroomJob: Sendable {
    public var id: Int
    public var description: String?
    /// [lon, lat], kept to echo in the answer and to build a road matrix when there are no matrices.
    public var location: [Double]?
    public var locationIndex: Int?
    public var setup: Int
    public var service: Int
    public var delivery: [Int]
    public var pickup: [Int]
    public var skills: Set<Int>
    public var priority: Int
    /// Service start window [start, end]; nil: any time.
    public var timeWindow: ClosedRange<Int>?
}

public struct VroomVehicle: Sendable {
    public var id: Int
    public var profile: String
    public var description: String?
    public var start: [Double]?
    public var startIndex: Int?
    /// nil start or end: an open route (at least one of them is given).
    public var end: [Double]?
    public var endIndex: Int?
    public var capacity: [Int]?
    public var skills: Set<Int>
    public var costs: VroomCosts
    public var timeWindow: ClosedRange<Int>?
    public var maxTasks: Int?
    public var maxTravelTime: Int?
    public var maxDistance: Int?
    /// Our extension `"lastmile": {"max_trips": N, "reload_s": S}` (VROOM ignores unknown keys).
    public var maxTrips: Int
    public var reloadDuration: Int
    /// Extension `"per_hour_on": "route"`: `per_hour` prices the route's whole duration (first
    /// departure to last return, service, waiting and reloads included) as Lastmile's planner
    /// does, not VROOM's travel time; then each vehicle may have its own per_hour/per_km ratio.
    public var hourlyOnRoute = false
}

/// VROOM's `costs` object; `per_hour` defaults to 3600 (cost = travel seconds).
public struct VroomCosts: Sendable, Hashable {
    public var fixed: Int = 0
    public var perHour: Int = 3600
    public var perKm: Int = 0
}

public struct VroomMatrices: Sendable {
    public var size: Int
    /// Row-major, size × size.
    public var durations: [Int]
    public var distances: [Int]?
    public var costs: [Int]?

    public init(size: Int, durations: [Int], distances: [Int]?, costs: [Int]?) {
        self.size = size
        self.durations = durations
        self.distances = distances
        self.costs = costs
    }
}

/// Our top-level extension `"lastmile": {"seconds": S, "seed": N}`.
public struct VroomSolveOptions: Sendable {
    public var seconds: Double?
    public var seed: UInt64?
}
