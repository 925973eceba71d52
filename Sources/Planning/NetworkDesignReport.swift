import Allocation
import Foundation

/// The JSON answer of `lastmile allocate --format scenario` (docs/network-design.md): the
/// fields of the OR-Library answer (`status`, `objective`, `bound`, `gap`, `sourcing`,
/// `seconds`, `open`, `assignment`) plus ids, the cost breakdown and the figures per site.
/// Money in cents per day; `warehouse` indices point into `warehouses` (the sites), `customer`
/// indices into the scenario's `pickup_points` (file order), both 0-based.
public struct NetworkDesignReport: Codable, Sendable, Equatable {
    public var format = "lastmile-network-design/1"
    public var scenario: String
    public var city: String
    public var currency = "CNY"
    public var demand: DemandFigures
    public var capacityBasis: CapacityBasis
    public var travelTimes: String
    public var status: FacilityLocationResult.Status
    /// Fixed plus assignment cost, cents per day (fractional cents only with split demand).
    public var objective: Double?
    public var bound: Double?
    public var gap: Double?
    public var sourcing: FacilityLocationProblem.Sourcing
    public var seconds: Double
    public var open: [Int]
    public var openIds: [String]
    public var cost: CostFigures?
    public var warehouses: [SiteFigures]
    public var assignment: [Entry]
    public var unserved: [Unserved]
    /// The scenario's own warehouses with the same demand and costs (nil: not solved).
    public var existingNetwork: Comparison?

    public struct DemandFigures: Codable, Sendable, Equatable {
        public var source: String
        public var days: Int
        /// Pickup points with demand, of which some may be unserved.
        public var pickupPoints: Int
        public var ordersPerDay: Double
        public var cratesPerDay: Double
        /// Crates a day that the open sites must hold, by the capacity basis (each point's
        /// busiest day summed, or the average day).
        public var capacityCratesPerDay: Double
        enum CodingKeys: String, CodingKey {
            case source, days
            case capacityCratesPerDay = "capacity_crates_per_day"
            case pickupPoints = "pickup_points"
            case ordersPerDay = "orders_per_day"
            case cratesPerDay = "crates_per_day"
        }
    }

    /// Cents per day, rounded to the cent.
    public struct CostFigures: Codable, Sendable, Equatable {
        public var fixed: Int
        public var assignment: Int
        public var total: Int
    }

    public struct SiteFigures: Codable, Sendable, Equatable {
        public var index: Int
        public var warehouseId: String
        public var name: String
        /// Where the site is declared (`warehouses[0]`, `network_design.candidate_warehouses[0]`, …).
        public var origin: String
        public var variant: String?
        public var existing: Bool
        public var status: SiteStatus
        public var open: Bool
        public var sortingCapacityCrates: Int
        public var fleetCratesPerDay: Int
        public var capacityCratesPerDay: Int
        public var fixedCost: Int
        public var pickupPoints: Int
        public var cratesPerDay: Double
        public var utilisationPercent: Double
        /// The busiest day's crates: the model holds the average to capacity, so over several
        /// days this may exceed it (docs/network-design.md).
        public var peakCratesPerDay: Double
        public var peakUtilisationPercent: Double
        public var assignmentCost: Int
        /// Fixed plus assignment cost when open; 0 when closed.
        public var cost: Int
        enum CodingKeys: String, CodingKey {
            case index, name, origin, variant, existing, status, open, cost
            case warehouseId = "warehouse_id"
            case sortingCapacityCrates = "sorting_capacity_crates"
            case fleetCratesPerDay = "fleet_crates_per_day"
            case capacityCratesPerDay = "capacity_crates_per_day"
            case fixedCost = "fixed_cost"
            case pickupPoints = "pickup_points"
            case cratesPerDay = "crates_per_day"
            case utilisationPercent = "utilisation_percent"
            case peakCratesPerDay = "peak_crates_per_day"
            case peakUtilisationPercent = "peak_utilisation_percent"
            case assignmentCost = "assignment_cost"
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var customer: Int
        public var warehouse: Int
        public var fraction: Double
        public var pickupPointId: String
        public var warehouseId: String
        public var cratesPerDay: Double
        /// Cents per day of this share (c_ij × fraction, rounded).
        public var cost: Int
        enum CodingKeys: String, CodingKey {
            case customer, warehouse, fraction, cost
            case pickupPointId = "pickup_point_id"
            case warehouseId = "warehouse_id"
            case cratesPerDay = "crates_per_day"
        }
    }

    public struct Unserved: Codable, Sendable, Equatable {
        public var customer: Int
        public var pickupPointId: String
        public var cratesPerDay: Double
        public var reason: String
        enum CodingKeys: String, CodingKey {
            case customer, reason
            case pickupPointId = "pickup_point_id"
            case cratesPerDay = "crates_per_day"
        }
    }

    public struct Comparison: Codable, Sendable, Equatable {
        public var status: FacilityLocationResult.Status
        public var objective: Double?
        public var openIds: [String]
        public var cost: CostFigures?
        enum CodingKeys: String, CodingKey {
            case status, objective, cost
            case openIds = "open_ids"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, scenario, city, currency, demand, status, objective, bound, gap, sourcing, seconds, open, cost, warehouses,
             assignment, unserved
        case travelTimes = "travel_times"
        case capacityBasis = "capacity_basis"
        case openIds = "open_ids"
        case existingNetwork = "existing_network"
    }

    public init(_ r: NetworkDesignResult) {
        let model = r.model
        let p = r.problem
        let days = Double(model.demand.days)
        let points = model.scenario.pickupPoints
        scenario = model.scenario.name
        city = model.scenario.city
        let withDemand = points.indices.filter { model.demand.totalCrates($0) > 0 }
        demand = DemandFigures(
            source: model.demand.source, days: model.demand.days, pickupPoints: withDemand.count,
            ordersPerDay: Self.hundredths(Double(model.demand.orders.reduce(0, +)) / days),
            cratesPerDay: Self.hundredths(Double(withDemand.reduce(0) { $0 + model.demand.totalCrates($1) }) / days),
            capacityCratesPerDay: Self.hundredths(Double(model.problem.totalDemand)
                                                  / (model.capacityBasis == .peak ? 1 : days)))
        travelTimes = model.travelNote
        capacityBasis = model.capacityBasis
        status = r.design.status
        objective = r.design.objective
        bound = r.design.bound
        gap = r.design.gap
        sourcing = p.sourcing
        seconds = r.design.seconds
        let solution = r.design.solution
        open = solution?.openFacilities ?? []
        openIds = open.map { model.sites[$0].warehouse.id }
        cost = solution.map { Self.costs($0, p) }
        var entries: [Entry] = []
        var load = [Double](repeating: 0, count: model.sites.count)
        var daily = [[Double]](repeating: [Double](repeating: 0, count: model.demand.days), count: model.sites.count)
        var assigned = [Double](repeating: 0, count: model.sites.count)
        var served = [Set<Int>](repeating: [], count: model.sites.count)
        for (k, shares) in (solution?.assignment ?? []).enumerated() {
            let point = model.customers[k]
            for sh in shares {
                let c = Double(p.cost(sh.facility, k) ?? 0) * sh.fraction
                let crates = model.demand.cratesPerDay(point) * sh.fraction
                entries.append(Entry(customer: point, warehouse: sh.facility, fraction: sh.fraction, pickupPointId: points[point].id,
                                     warehouseId: model.sites[sh.facility].warehouse.id, cratesPerDay: Self.hundredths(crates),
                                     cost: Int(c.rounded())))
                load[sh.facility] += crates
                for (d, c) in model.demand.crates[point].enumerated() { daily[sh.facility][d] += Double(c) * sh.fraction }
                assigned[sh.facility] += c
                served[sh.facility].insert(point)
            }
        }
        assignment = entries
        warehouses = model.sites.enumerated().map { i, s in
            let isOpen = solution?.open[i] ?? false
            let cap = model.capacityPerDay[i]
            let peak = daily[i].max() ?? 0
            return SiteFigures(
                index: i, warehouseId: s.warehouse.id, name: s.warehouse.name, origin: s.origin, variant: s.variant,
                existing: s.existing, status: s.status, open: isOpen, sortingCapacityCrates: s.warehouse.sortingCapacityCrates,
                fleetCratesPerDay: model.fleetCratesPerDay[i], capacityCratesPerDay: cap, fixedCost: s.warehouse.fixedCostCents,
                pickupPoints: served[i].count, cratesPerDay: Self.hundredths(load[i]),
                utilisationPercent: Self.percent(load[i], of: cap), peakCratesPerDay: Self.hundredths(peak),
                peakUtilisationPercent: Self.percent(peak, of: cap),
                assignmentCost: Int(assigned[i].rounded()),
                cost: isOpen ? s.warehouse.fixedCostCents + Int(assigned[i].rounded()) : 0)
        }
        unserved = model.unserved.map {
            Unserved(customer: $0.point, pickupPointId: points[$0.point].id,
                     cratesPerDay: Self.hundredths(model.demand.cratesPerDay($0.point)), reason: $0.reason)
        }
        existingNetwork = r.existing.map { e in
            Comparison(status: e.status, objective: e.objective,
                       openIds: model.sites.filter { $0.existing && $0.status != .closed }.map(\.warehouse.id),
                       cost: e.solution.map { Self.costs($0, p) })
        }
    }

    static func costs(_ s: FacilityLocationSolution, _ p: FacilityLocationProblem) -> CostFigures {
        let fixed = Int(p.fixedCost(of: s))
        let assignment = Int(p.assignmentCost(of: s).rounded())
        return CostFigures(fixed: fixed, assignment: assignment, total: fixed + assignment)
    }

    static func hundredths(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    /// Percent with one decimal; 0 for no capacity.
    static func percent(_ x: Double, of capacity: Int) -> Double {
        capacity > 0 ? (x * 1000 / Double(capacity)).rounded() / 10 : 0
    }

    /// Sorted keys, so the same design gives the same bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> NetworkDesignReport {
        try JSONDecoder().decode(NetworkDesignReport.self, from: data)
    }

    /// The solution this report describes, in the model's indices (customers in model order);
    /// nil when an id or index does not fit the model.
    public func solution(in model: NetworkDesignModel) -> FacilityLocationSolution? {
        let customerOf = model.customerOfPoint
        var flags = [Bool](repeating: false, count: model.sites.count)
        for i in open {
            guard model.sites.indices.contains(i) else { return nil }
            flags[i] = true
        }
        var shares = [[FacilityLocationSolution.Share]](repeating: [], count: model.customers.count)
        for e in assignment {
            guard let k = customerOf[e.customer], model.sites.indices.contains(e.warehouse),
                  model.sites[e.warehouse].warehouse.id == e.warehouseId,
                  model.scenario.pickupPoints[e.customer].id == e.pickupPointId else { return nil }
            shares[k].append(.init(facility: e.warehouse, fraction: e.fraction))
        }
        return FacilityLocationSolution(open: flags, assignment: shares)
    }
}
