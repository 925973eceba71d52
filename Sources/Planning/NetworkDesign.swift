import Allocation
import Foundation
import RoadNetwork

public struct NetworkDesignOptions: Sendable {
    /// `.single` (default): each pickup point is served by one warehouse, as the daily plan does.
    public var sourcing: FacilityLocationProblem.Sourcing
    /// Seconds per solve; nil: until proven optimal.
    public var timeLimit: Double?
    public var relativeGap: Double?
    /// Also solve the scenario's own network (its warehouses open unless closed, no new site)
    /// with the same demand and costs, for comparison.
    public var compareWithExisting: Bool
    public var log: (@Sendable (String) -> Void)?

    public init(sourcing: FacilityLocationProblem.Sourcing = .single, timeLimit: Double? = nil, relativeGap: Double? = nil,
                compareWithExisting: Bool = true, log: (@Sendable (String) -> Void)? = nil) {
        self.sourcing = sourcing
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.compareWithExisting = compareWithExisting
        self.log = log
    }
}

/// What must fit a site's capacity when the demand spans several days.
public enum CapacityBasis: String, Sendable, Codable, CaseIterable {
    /// Each point's busiest day: every day then fits (the points' peaks need not coincide, so
    /// this is cautious).
    case peak
    /// The average day: busy days may exceed capacity (the report shows by how much).
    case average
}

/// A pickup point with demand that no site (open or candidate) may serve.
public struct UnservedPoint: Sendable, Equatable {
    public var point: Int
    public var reason: String
}

/// The capacitated facility location model of a scenario: sites × pickup points with demand.
///
/// - Demand of customer k (pickup point `customers[k]`), by `CapacityBasis`: `.peak`, its
///   busiest day's crates against capacity `capacityPerDay[i]`; `.average`, its crates summed
///   over the days against `capacityPerDay[i]` × days (an average exact in integers). One day:
///   the same.
/// - Fixed cost: the site's `fixed_cost_cents` (per day). The vans' day cost is not added: the
///   assignment cost already carries it, spread over the crates a van carries, as the daily
///   allocation does, and a plan pays it only for vans used.
/// - Assignment cost c_ij (cents per day): `Context.estimatedDeliveryCost` of each day's crates,
///   averaged over the days, rounded to the cent.
/// - Capacity per day: the smaller of the sorting capacity and the crates its whole fleet
///   carries in a day (count × trips × crates per van).
/// - Forbidden pairs: no van of the site may reach the point (lane class), or none can serve it
///   alone inside its receiving window and shift (`ProblemData.whyUnservableAlone`, the
///   serviceability test of the daily plan).
public struct NetworkDesignModel: Sendable {
    /// The scenario with the sites as its warehouses.
    public let scenario: Scenario
    public let sites: [NetworkSite]
    public let demand: NetworkDemand
    public let capacityBasis: CapacityBasis
    /// What the travel times are based on.
    public let travelNote: String
    /// CFLP customer k is pickup point `customers[k]` (scenario order).
    public let customers: [Int]
    public let problem: FacilityLocationProblem
    public let capacityPerDay: [Int]
    /// Crates a site's whole fleet carries in a day.
    public let fleetCratesPerDay: [Int]
    public let unserved: [UnservedPoint]
    /// `exclusions[i][p]`: why site i may not serve pickup point p (nil: it may, or p has no demand).
    public let exclusions: [[String?]]

    public var customerOfPoint: [Int: Int] { Dictionary(uniqueKeysWithValues: customers.enumerated().map { ($1, $0) }) }
}

/// A solved design, with the scenario's own network solved the same way when asked.
public struct NetworkDesignResult: Sendable {
    public var model: NetworkDesignModel
    /// The model's problem with the sourcing solved for.
    public var problem: FacilityLocationProblem
    public var design: FacilityLocationResult
    /// The scenario's own warehouses open (except those the planner closed), no new site; nil
    /// when not asked or when that is the design itself.
    public var existing: FacilityLocationResult?
}

/// Network design of a scenario: which sites to open and which pickup points each serves
/// (capacitated facility location, `Allocation.FacilityLocationSolver`).
public enum NetworkDesign {
    /// Builds the model: travel times over sites and pickup points, serviceability, costs.
    public static func model(scenario base: Scenario, sites: [NetworkSite], demand: NetworkDemand, travel: TravelTimes,
                             capacityBasis: CapacityBasis = .peak, sourcing: FacilityLocationProblem.Sourcing = .single) throws
        -> NetworkDesignModel {
        precondition(demand.crates.count == base.pickupPoints.count, "demand rows must match the pickup points")
        var scenario = base
        scenario.warehouses = sites.map(\.warehouse)
        let ctx = try context(for: scenario)
        let fleet = ctx.fleet
        let (matrix, snaps) = try ctx.travelMatrix(travel)
        let points = scenario.pickupPoints.indices.filter { demand.totalCrates($0) > 0 }
        let m = sites.count

        // Serviceability: one visit per point with the day's largest drop (a point bigger than a
        // van is split into drops that each fit the largest van reaching it, as the plan does).
        var exclusions = [[String?]](repeating: [String?](repeating: nil, count: scenario.pickupPoints.count), count: m)
        for w in 0..<m {
            let drops = points.map { p -> Drop in
                let peak = demand.peakCrates(p)
                let cap = ctx.largestAllowed(point: p, warehouse: w)
                    .map { scenario.warehouses[w].vehicleTypes[fleet.types[w][$0].type].capacityCrates } ?? peak
                return Drop(point: p, orders: [], load: Load(cratesByClass: [min(peak, cap), 0, 0], grams: 0))
            }
            let data = try ctx.problem(warehouse: w, drops: drops, matrix: matrix)
            for (k, p) in points.enumerated() {
                if let r = data.whyUnservableAlone(k) { exclusions[w][p] = ctx.explain(r, point: p, warehouse: w) }
            }
        }

        var customers: [Int] = []
        var unserved: [UnservedPoint] = []
        for p in points {
            let usable = (0..<m).filter { sites[$0].status != .closed }
            if usable.contains(where: { exclusions[$0][p] == nil }) {
                customers.append(p)
                continue
            }
            let closedOnly = (0..<m).filter { sites[$0].status == .closed && exclusions[$0][p] == nil }
            let reason: String
            if !closedOnly.isEmpty {
                reason = "only closed sites can serve it: " + closedOnly.map { sites[$0].warehouse.id }.joined(separator: ", ")
            } else if let nearest = usable.min(by: {
                (matrix.duration($0, ctx.loc(point: p)), $0) < (matrix.duration($1, ctx.loc(point: p)), $1)
            }) {
                reason = "no site can serve it; from the nearest, \(sites[nearest].warehouse.id): \(exclusions[nearest][p] ?? "")"
            } else {
                reason = "every site is closed"
            }
            unserved.append(UnservedPoint(point: p, reason: reason))
        }

        let fleetCrates = scenario.warehouses.map { w in w.vehicleTypes.reduce(0) { $0 + $1.count * $1.maxTrips * $1.capacityCrates } }
        let capacity = scenario.warehouses.indices.map { min(scenario.warehouses[$0].sortingCapacityCrates, fleetCrates[$0]) }
        var costs = [[Int64?]](repeating: [Int64?](repeating: nil, count: customers.count), count: m)
        for w in 0..<m {
            for (k, p) in customers.enumerated() where exclusions[w][p] == nil {
                var sum = 0.0
                for c in demand.crates[p] where c > 0 {
                    guard let e = ctx.estimatedDeliveryCost(crates: c, point: p, warehouse: w, matrix: matrix) else { sum = .nan; break }
                    sum += e
                }
                if !sum.isNaN { costs[w][k] = Int64((sum / Double(demand.days)).rounded()) }
            }
        }
        let problem: FacilityLocationProblem
        do {
            problem = try FacilityLocationProblem(
                facilities: sites.indices.map {
                    .init(capacity: Int64(capacity[$0]) * Int64(capacityBasis == .peak ? 1 : demand.days), fixedCost: Int64(sites[$0].warehouse.fixedCostCents),
                          status: sites[$0].status.facilityStatus)
                },
                demands: customers.map { Int64(capacityBasis == .peak ? demand.peakCrates($0) : demand.totalCrates($0)) }, sourcing: sourcing, costs: costs)
        } catch {
            throw GeneralError(.planning, "network design: \(error)")
        }
        return NetworkDesignModel(
            scenario: scenario, sites: sites, demand: demand, capacityBasis: capacityBasis, travelNote: travel.note + DailyPlanner.snapNote(snaps),
            customers: customers, problem: problem, capacityPerDay: capacity, fleetCratesPerDay: fleetCrates, unserved: unserved,
            exclusions: exclusions)
    }

    /// The daily plan's lookups for a scenario whose sites are its warehouses: every van of
    /// every site available (no kept routes, none out of service). The clock only dates routes;
    /// serviceability and costs need times of day alone.
    static func context(for scenario: Scenario) throws -> Context {
        guard let tz = TimeZone(identifier: scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(scenario.timeZone)\"")
        }
        let clock = DayClock(date: CalendarDate(daysSinceEpoch: 0), timeZone: tz)
        let fleet = try Fleet.build(scenario: scenario, clock: clock, book: OrderBook(deliveryDate: clock.date, orders: []),
                                    options: .greedy())
        return Context(scenario: scenario, clock: clock, fleet: fleet)
    }

    /// Solves the design (the scenario's own network as the warm start) and, when asked, the
    /// scenario's own network for comparison.
    public static func solve(_ model: NetworkDesignModel, options: NetworkDesignOptions = NetworkDesignOptions()) throws
        -> NetworkDesignResult {
        var fl = FacilityLocationOptions()
        fl.timeLimit = options.timeLimit
        fl.relativeGap = options.relativeGap
        fl.log = options.log
        fl.warmStart = currentNetwork(model)
        let problem: FacilityLocationProblem
        do {
            problem = try model.problem.with(sourcing: options.sourcing)
        } catch {
            throw GeneralError(.planning, "network design: \(error)")
        }
        let design = try solving { () throws(FacilityLocationError) in try FacilityLocationSolver.solve(problem, options: fl) }
        var existing: FacilityLocationResult?
        let statuses = model.sites.map { s -> FacilityLocationProblem.FacilityStatus in
            s.existing && s.status != .closed ? .forcedOpen : .forcedClosed
        }
        if options.compareWithExisting && statuses != problem.facilities.map(\.status) {
            var base = fl
            base.warmStart = nil
            existing = try solving { () throws(FacilityLocationError) in
                try FacilityLocationSolver.solve(try problem.with(statuses: statuses), options: base)
            }
        }
        return NetworkDesignResult(model: model, problem: problem, design: design, existing: existing)
    }

    static func solving(_ body: () throws(FacilityLocationError) -> FacilityLocationResult) throws -> FacilityLocationResult {
        do {
            return try body()
        } catch {
            // The model is built here, so only the solver can fail.
            throw GeneralError(.planning, "network design: \(error)")
        }
    }

    /// Today's network as a first incumbent: the scenario's warehouses open (unless closed),
    /// every point at its previous warehouse where allowed, else at its cheapest open site. The
    /// solver re-assigns the open set exactly when this breaks a capacity.
    static func currentNetwork(_ model: NetworkDesignModel) -> FacilityLocationSolution {
        let p = model.problem
        let open = model.sites.map { ($0.existing && $0.status != .closed) || $0.status == .open }
        let index = Dictionary(model.sites.enumerated().map { ($1.warehouse.id, $0) }) { a, _ in a }
        let facilityOf = model.customers.enumerated().map { k, point -> Int in
            if let prev = model.scenario.pickupPoints[point].previousWarehouseId, let i = index[prev], open[i], p.isAllowed(i, k) {
                return i
            }
            let allowed = (0..<p.facilityCount).filter { p.isAllowed($0, k) }
            return allowed.filter { open[$0] }.min { p.cost($0, k)! < p.cost($1, k)! }
                ?? allowed.min { p.cost($0, k)! < p.cost($1, k)! } ?? 0
        }
        return FacilityLocationSolution(open: open, facilityOf: facilityOf)
    }
}
