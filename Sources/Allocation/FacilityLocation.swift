/// The capacitated facility location problem (CFLP): which candidate facilities to open and
/// which customers each serves, minimising fixed opening costs plus assignment costs, under the
/// facilities' capacities.
///
/// Generic and index-based: facilities `0..<m` with a capacity and a fixed cost, customers
/// `0..<n` with a demand, and `cost(i, j)` = the cost of serving **all** of customer j's demand
/// from facility i (so a fraction x of j served from i costs x·c_ij). Pairs may be forbidden.
/// Every value is an integer in the caller's units (demand and capacity in one unit, fixed and
/// assignment costs in one money unit); the core never rounds.
///
/// With `.split` sourcing a customer's demand may be spread over several facilities (the
/// OR-Library convention); with `.single` each customer is served by exactly one facility.
public struct FacilityLocationProblem: Sendable, Equatable {
    public enum Sourcing: String, Sendable, Codable, CaseIterable {
        case single, split
    }

    /// Whether the solver may decide, or the caller already has.
    public enum FacilityStatus: String, Sendable, Codable {
        case candidate
        case forcedOpen = "open"
        case forcedClosed = "closed"
    }

    public struct Facility: Sendable, Equatable {
        public var capacity: Int64
        public var fixedCost: Int64
        public var status: FacilityStatus

        public init(capacity: Int64, fixedCost: Int64, status: FacilityStatus = .candidate) {
            self.capacity = capacity
            self.fixedCost = fixedCost
            self.status = status
        }
    }

    /// Sentinel for a forbidden pair in `costs`.
    static let forbidden = Int64.max

    public let facilities: [Facility]
    public let demands: [Int64]
    public let sourcing: Sourcing
    /// Row-major by facility: `costs[i * n + j]`, `forbidden` for a pair that is not allowed.
    let costs: [Int64]

    /// Largest magnitude allowed for totals, so that every integer objective is exact in a Double.
    public static let maxTotal: Int64 = 1 << 53

    /// - Parameter cost: `cost(i, j)` for facility i and customer j, `nil` when the pair is not
    ///   allowed.
    public init(
        facilities: [Facility], demands: [Int64], sourcing: Sourcing = .split,
        cost: (Int, Int) -> Int64?
    ) throws(FacilityLocationError) {
        let m = facilities.count, n = demands.count
        var flat = [Int64](repeating: Self.forbidden, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                if let c = cost(i, j) {
                    guard c != Self.forbidden else { throw .invalidProblem("cost(\(i), \(j)) is too large") }
                    flat[i * n + j] = c
                }
            }
        }
        try self.init(facilities: facilities, demands: demands, sourcing: sourcing, flatCosts: flat)
    }

    /// - Parameter costs: `costs[i][j]` for facility i and customer j, `nil` when not allowed.
    public init(
        facilities: [Facility], demands: [Int64], sourcing: Sourcing = .split, costs: [[Int64?]]
    ) throws(FacilityLocationError) {
        guard costs.count == facilities.count, costs.allSatisfy({ $0.count == demands.count }) else {
            throw .invalidProblem("the cost matrix must be \(facilities.count) × \(demands.count) (facilities × customers)")
        }
        try self.init(facilities: facilities, demands: demands, sourcing: sourcing, cost: { costs[$0][$1] })
    }

    init(facilities: [Facility], demands: [Int64], sourcing: Sourcing, flatCosts: [Int64]) throws(FacilityLocationError) {
        self.facilities = facilities
        self.demands = demands
        self.sourcing = sourcing
        self.costs = flatCosts
        try validate()
    }

    public var facilityCount: Int { facilities.count }
    public var customerCount: Int { demands.count }
    public var totalDemand: Int64 { demands.reduce(0, +) }

    /// The cost of serving all of customer j from facility i, nil when the pair is forbidden.
    @inline(__always) public func cost(_ i: Int, _ j: Int) -> Int64? {
        let c = costs[i * demands.count + j]
        return c == Self.forbidden ? nil : c
    }

    @inline(__always) public func isAllowed(_ i: Int, _ j: Int) -> Bool {
        costs[i * demands.count + j] != Self.forbidden
    }

    /// The same problem with other sourcing or facility statuses.
    public func with(sourcing: Sourcing? = nil, statuses: [FacilityStatus]? = nil) throws(FacilityLocationError) -> FacilityLocationProblem {
        var fs = facilities
        if let statuses {
            guard statuses.count == fs.count else {
                throw .invalidProblem("\(statuses.count) statuses for \(fs.count) facilities")
            }
            for i in fs.indices { fs[i].status = statuses[i] }
        }
        return try FacilityLocationProblem(facilities: fs, demands: demands, sourcing: sourcing ?? self.sourcing, flatCosts: costs)
    }

    private func validate() throws(FacilityLocationError) {
        let n = demands.count
        var fixedTotal: Int64 = 0
        for (i, f) in facilities.enumerated() {
            guard f.capacity >= 0 else { throw .invalidProblem("facility \(i): negative capacity \(f.capacity)") }
            guard f.fixedCost >= 0 else { throw .invalidProblem("facility \(i): negative fixed cost \(f.fixedCost)") }
            guard f.capacity <= Self.maxTotal, f.fixedCost <= Self.maxTotal else {
                throw .invalidProblem("facility \(i): capacity or fixed cost above 2^53")
            }
            fixedTotal += f.fixedCost
            guard fixedTotal <= Self.maxTotal else { throw .invalidProblem("total fixed cost above 2^53") }
        }
        var demandTotal: Int64 = 0
        for (j, d) in demands.enumerated() {
            guard d >= 0 else { throw .invalidProblem("customer \(j): negative demand \(d)") }
            guard d <= Self.maxTotal else { throw .invalidProblem("customer \(j): demand above 2^53") }
            demandTotal += d
            guard demandTotal <= Self.maxTotal else { throw .invalidProblem("total demand above 2^53") }
        }
        // Every solution's cost is at most Σ f + Σ_j max_i c_ij: keep it exact in a Double.
        var worst = fixedTotal
        for j in 0..<n {
            var most: Int64 = 0
            for i in facilities.indices {
                let c = costs[i * n + j]
                if c == Self.forbidden { continue }
                guard c >= 0 else { throw .invalidProblem("cost(\(i), \(j)) is negative (\(c))") }
                guard c <= Self.maxTotal else { throw .invalidProblem("cost(\(i), \(j)) is above 2^53") }
                most = max(most, c)
            }
            worst += most
            guard worst <= Self.maxTotal else { throw .invalidProblem("total cost may exceed 2^53; use a coarser cost unit") }
        }
    }
}

public enum FacilityLocationError: Error, Equatable, CustomStringConvertible {
    /// The data do not describe a problem (sizes, signs, magnitudes).
    case invalidProblem(String)
    /// A solution handed in (a warm start) does not fit the problem.
    case invalidSolution(String)
    /// GLPK failed (not the data).
    case solver(String)

    public var description: String {
        switch self {
        case .invalidProblem(let m): "invalid facility location problem: \(m)"
        case .invalidSolution(let m): "invalid facility location solution: \(m)"
        case .solver(let m): "facility location solver failed: \(m)"
        }
    }
}

/// Which facilities are open and how each customer's demand is split over them.
public struct FacilityLocationSolution: Sendable, Equatable {
    /// One share of a customer's demand.
    public struct Share: Sendable, Equatable {
        public var facility: Int
        /// Fraction of the customer's demand, in (0, 1].
        public var fraction: Double
        public init(facility: Int, fraction: Double) {
            self.facility = facility
            self.fraction = fraction
        }
    }

    public var open: [Bool]
    /// Per customer, its shares (sorted by facility; fractions sum to 1).
    public var assignment: [[Share]]

    public init(open: [Bool], assignment: [[Share]]) {
        self.open = open
        self.assignment = assignment
    }

    /// Single-sourced: each customer to one facility.
    public init(open: [Bool], facilityOf: [Int]) {
        self.open = open
        self.assignment = facilityOf.map { [Share(facility: $0, fraction: 1)] }
    }

    public var openFacilities: [Int] { open.indices.filter { open[$0] } }
}

extension FacilityLocationProblem {
    /// Fixed costs of the open facilities (exact).
    public func fixedCost(of s: FacilityLocationSolution) -> Int64 {
        var z: Int64 = 0
        for i in facilities.indices where s.open[i] { z += facilities[i].fixedCost }
        return z
    }

    /// Σ c_ij · fraction_ij (exact for single sourcing; a sum of products for split demand).
    public func assignmentCost(of s: FacilityLocationSolution) -> Double {
        var z = 0.0
        for (j, shares) in s.assignment.enumerated() {
            for sh in shares { z += Double(cost(sh.facility, j) ?? 0) * sh.fraction }
        }
        return z
    }

    /// Total cost in the problem's money unit.
    public func objective(of s: FacilityLocationSolution) -> Double {
        Double(fixedCost(of: s)) + assignmentCost(of: s)
    }

    /// Every way `s` breaks the problem, as messages; empty for a feasible solution. Capacities and
    /// fractions are checked to `tolerance` (relative to the capacity / to 1).
    public func violations(of s: FacilityLocationSolution, tolerance: Double = 1e-6) -> [String] {
        var out: [String] = []
        let m = facilities.count, n = demands.count
        guard s.open.count == m else { return ["\(s.open.count) open flags for \(m) facilities"] }
        guard s.assignment.count == n else { return ["\(s.assignment.count) assignments for \(n) customers"] }
        for i in 0..<m {
            if facilities[i].status == .forcedOpen && !s.open[i] { out.append("facility \(i) must be open") }
            if facilities[i].status == .forcedClosed && s.open[i] { out.append("facility \(i) must be closed") }
        }
        var load = [Double](repeating: 0, count: m)
        for j in 0..<n {
            let shares = s.assignment[j]
            if shares.isEmpty { out.append("customer \(j) is not served"); continue }
            if sourcing == .single && shares.count > 1 { out.append("customer \(j) is served by \(shares.count) facilities") }
            var total = 0.0
            var seen = Set<Int>()
            for sh in shares {
                guard sh.facility >= 0 && sh.facility < m else { out.append("customer \(j): facility \(sh.facility) out of range"); continue }
                if !seen.insert(sh.facility).inserted { out.append("customer \(j): facility \(sh.facility) listed twice") }
                if !(sh.fraction > 0 && sh.fraction <= 1 + tolerance) { out.append("customer \(j): fraction \(sh.fraction) out of (0, 1]") }
                if !s.open[sh.facility] { out.append("customer \(j) is served by closed facility \(sh.facility)") }
                if !isAllowed(sh.facility, j) { out.append("customer \(j) may not be served by facility \(sh.facility)") }
                total += sh.fraction
                load[sh.facility] += sh.fraction * Double(demands[j])
            }
            if abs(total - 1) > tolerance { out.append("customer \(j): fractions sum to \(total)") }
        }
        for i in 0..<m where load[i] > Double(facilities[i].capacity) * (1 + tolerance) + tolerance {
            out.append("facility \(i): load \(load[i]) exceeds capacity \(facilities[i].capacity)")
        }
        return out
    }
}
