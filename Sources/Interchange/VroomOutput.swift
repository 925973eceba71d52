/// An answer in VROOM's (and vroom-express's) shape. Times in seconds, distances in metres,
/// costs in VROOM units; `distance` only when distances are known. `reason` of unassigned jobs
/// and `reload` steps are our additions (a VROOM client ignores unknown keys).
public struct VroomAnswer: Sendable, Encodable {
    /// 0 ok, 1 internal error, 2 input error, 3 routing error (VROOM's codes).
    public var code: Int
    public var error: String?
    public var summary: VroomSummary?
    public var unassigned: [VroomUnassigned]?
    public var routes: [VroomRoute]?

    public init(code: Int, error: String? = nil, summary: VroomSummary? = nil, unassigned: [VroomUnassigned]? = nil,
                routes: [VroomRoute]? = nil) {
        self.code = code
        self.error = error
        self.summary = summary
        self.unassigned = unassigned
        self.routes = routes
    }

    public init(failure: VroomError) { self.init(code: failure.code, error: failure.description) }
}

public struct VroomViolation: Sendable, Encodable, Hashable {
    public var cause: String
    public var duration: Int?
}

/// Totals shared by the summary and each route.
public struct VroomTotals: Sendable, Hashable {
    public var cost = 0
    public var setup = 0
    public var service = 0
    /// Travel time only, as VROOM's `duration`.
    public var duration = 0
    public var waitingTime = 0
    public var priority = 0
    public var delivery: [Int] = []
    public var pickup: [Int] = []
    public var distance: Int?

    mutating func add(_ o: VroomTotals) {
        cost += o.cost
        setup += o.setup
        service += o.service
        duration += o.duration
        waitingTime += o.waitingTime
        priority += o.priority
        delivery = zip(delivery, o.delivery).map { $0 + $1 }
        pickup = zip(pickup, o.pickup).map { $0 + $1 }
        if let d = o.distance { distance = (distance ?? 0) + d }
    }
}

public struct VroomComputingTimes: Sendable, Encodable {
    /// Milliseconds.
    public var loading: Int
    public var solving: Int
    public var routing: Int
}

public struct VroomSummary: Sendable, Encodable {
    public var routes: Int
    public var unassigned: Int
    public var totals: VroomTotals
    public var computingTimes: VroomComputingTimes

    enum CodingKeys: String, CodingKey {
        case cost, routes, unassigned, setup, service, duration, priority, violations, delivery, pickup, distance
        case waitingTime = "waiting_time", computingTimes = "computing_times"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(totals.cost, forKey: .cost)
        try c.encode(routes, forKey: .routes)
        try c.encode(unassigned, forKey: .unassigned)
        try totals.encode(into: &c)
        try c.encode([VroomViolation](), forKey: .violations)
        try c.encode(computingTimes, forKey: .computingTimes)
    }
}

public struct VroomRoute: Sendable, Encodable {
    public var vehicle: Int
    public var description: String?
    public var totals: VroomTotals
    public var steps: [VroomStep]

    enum CodingKeys: String, CodingKey {
        case vehicle, description, steps, cost, setup, service, duration, priority, violations, delivery, pickup, distance
        case waitingTime = "waiting_time"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vehicle, forKey: .vehicle)
        try c.encode(totals.cost, forKey: .cost)
        try c.encodeIfPresent(description, forKey: .description)
        try totals.encode(into: &c)
        try c.encode([VroomViolation](), forKey: .violations)
        try c.encode(steps, forKey: .steps)
    }
}

/// The keys VroomSummary and VroomRoute share.
protocol VroomTotalsKeys: CodingKey {
    static var setup: Self { get }
    static var service: Self { get }
    static var duration: Self { get }
    static var waitingTime: Self { get }
    static var priority: Self { get }
    static var delivery: Self { get }
    static var pickup: Self { get }
    static var distance: Self { get }
}

extension VroomSummary.CodingKeys: VroomTotalsKeys {}
extension VroomRoute.CodingKeys: VroomTotalsKeys {}

extension VroomTotals {
    func encode<K: VroomTotalsKeys>(into c: inout KeyedEncodingContainer<K>) throws {
        try c.encode(setup, forKey: .setup)
        try c.encode(service, forKey: .service)
        try c.encode(duration, forKey: .duration)
        try c.encode(waitingTime, forKey: .waitingTime)
        try c.encode(priority, forKey: .priority)
        try c.encode(delivery, forKey: .delivery)
        try c.encode(pickup, forKey: .pickup)
        try c.encodeIfPresent(distance, forKey: .distance)
    }
}

public struct VroomStep: Sendable, Encodable {
    /// start, job, end; `reload` between trips of a multi-trip vehicle (our extension).
    public var type: String
    public var id: Int?
    public var description: String?
    public var location: [Double]?
    public var locationIndex: Int?
    public var setup: Int
    public var service: Int
    public var waitingTime: Int
    /// Load on board after the step, per dimension.
    public var load: [Int]
    public var arrival: Int
    /// Travel time so far (VROOM's cumulated `duration`), and distance so far when known.
    public var duration: Int
    public var distance: Int?
    public var violations: [VroomViolation] = []

    enum CodingKeys: String, CodingKey {
        case type, id, description, location, setup, service, load, arrival, duration, distance, violations
        case locationIndex = "location_index", waitingTime = "waiting_time"
    }
}

public struct VroomUnassigned: Sendable, Encodable {
    public var id: Int
    public var type = "job"
    public var description: String?
    public var location: [Double]?
    public var locationIndex: Int?
    /// Our addition: why the job is left out.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case id, type, description, location, reason
        case locationIndex = "location_index"
    }
}
