/// Parameters every routing solver understands.
public struct SolveParameters: Sendable {
    public var seed: UInt64
    /// Wall-clock budget in seconds; nil: the solver's own default.
    public var timeLimit: Double?
    /// Iteration budget; with a fixed seed and no time limit the result is deterministic.
    public var maxIterations: Int?

    public init(seed: UInt64 = 1, timeLimit: Double? = nil, maxIterations: Int? = nil) {
        self.seed = seed
        self.timeLimit = timeLimit
        self.maxIterations = maxIterations
    }
}

public struct SolveResult: Sendable {
    public var solution: Solution
    public var evaluation: SolutionEvaluation
    /// Every client not in a route, with a reason a dispatcher can act on.
    public var unassigned: [UnassignedClient]
    public var iterations: Int
    public var seconds: Double
    /// A proven lower bound on the cost, when one was cheap to get.
    public var lowerBound: Int?
    /// Set when the solver fell back to a simpler method than its own: which one, and why
    /// (callers show it beside the solver's name).
    public var fallbackReason: String?

    public init(solution: Solution, evaluation: SolutionEvaluation, unassigned: [UnassignedClient],
                iterations: Int, seconds: Double, lowerBound: Int? = nil) {
        self.solution = solution
        self.evaluation = evaluation
        self.unassigned = unassigned
        self.iterations = iterations
        self.seconds = seconds
        self.lowerBound = lowerBound
    }
}

/// A routing solver: data in, a solution that respects every hard constraint out. Clients it
/// cannot serve are left out and explained, never a reason to fail.
public protocol RoutingSolver: Sendable {
    func solve(_ data: ProblemData, parameters: SolveParameters) -> SolveResult
}

public struct UnassignedClient: Sendable, Hashable {
    public var client: Int
    public var reason: UnassignedReason
}

public enum UnassignedReason: Sendable, Hashable, CustomStringConvertible {
    /// No vehicle type is allowed at this client (or the allowed types have no vehicles).
    case noAllowedVehicle
    /// The delivery or the pickup in one dimension exceeds the capacity of every allowed vehicle.
    case exceedsCapacity(dimension: Int, demand: Int, largestCapacity: Int)
    /// Even driving straight from the depot at the earliest departure, service cannot start by
    /// the end of the window.
    case windowUnreachable(earliestServiceStart: Int, windowEnd: Int)
    /// The client can be served, but the vehicle cannot get back within its shift or maximum
    /// route duration.
    case shiftTooShort(shortBy: Int)
    /// Served alone it fits, but no vehicle had room or time left for it.
    case fleetExhausted
    /// Optional, and serving it would cost more than leaving it out.
    case notWorthServing(penalty: Int)

    public var description: String {
        switch self {
        case .noAllowedVehicle:
            "no vehicle allowed at this stop is available"
        case .exceedsCapacity(let d, let demand, let cap):
            "demand \(demand) in dimension \(d) exceeds the largest allowed vehicle capacity \(cap)"
        case .windowUnreachable(let start, let end):
            "cannot reach the stop within its time window: earliest possible service start \(start) is after the window end \(end)"
        case .shiftTooShort(let by):
            "a vehicle serving this stop cannot return within its shift (short by \(by))"
        case .fleetExhausted:
            "no vehicle had capacity or time left for this stop; add a vehicle or widen the window"
        case .notWorthServing(let p):
            "optional stop left out: serving it costs more than its penalty \(p)"
        }
    }
}

extension ProblemData {
    /// Why client `c` cannot be served even on a route of its own, or nil if some vehicle can
    /// serve it alone.
    public func whyUnservableAlone(_ c: Int) -> UnassignedReason? {
        let types = vehicleTypes.indices.filter { vehicleTypes[$0].count > 0 && allows($0, c) }
        guard !types.isEmpty else { return .noAllowedVehicle }
        var capacityReason: UnassignedReason?
        var bestStart = Int.max
        var shortBy = Int.max
        for t in types {
            let vt = vehicleTypes[t]
            let amount = (0..<dimensions).map { max(clients[c].demand[$0], clients[c].pickup[$0]) }
            if let d = (0..<dimensions).first(where: { amount[$0] > vt.capacity[$0] }) {
                let largest = types.map { vehicleTypes[$0].capacity[d] }.max() ?? 0
                capacityReason = .exceedsCapacity(dimension: d, demand: amount[d], largestCapacity: largest)
                continue
            }
            let e = evaluate(Route(vehicleType: t, clients: [c]))
            if e.timeWarp == 0 { return nil }
            let depart = max(vt.shiftStart, depots[vt.depot].earliest)
            let arrival = depart + duration[location(ofDepot: vt.depot), location(ofClient: c)]
            let start = max(arrival, clients[c].earliest)
            if start > clients[c].latest {
                bestStart = min(bestStart, start)
            } else {
                shortBy = min(shortBy, e.timeWarp)
            }
        }
        if shortBy != .max { return .shiftTooShort(shortBy: shortBy) }
        if bestStart != .max { return .windowUnreachable(earliestServiceStart: bestStart, windowEnd: clients[c].latest) }
        return capacityReason ?? .noAllowedVehicle
    }

    /// Reasons for every client left out of a solution.
    public func explainUnassigned(_ solution: Solution) -> [UnassignedClient] {
        solution.unvisited(in: self).map { c in
            if let r = whyUnservableAlone(c) { return UnassignedClient(client: c, reason: r) }
            return UnassignedClient(client: c, reason: clients[c].required ? .fleetExhausted : .notWorthServing(penalty: clients[c].penalty))
        }
    }
}
