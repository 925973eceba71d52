import Routing

/// VROOM's travel cost in the core's integer units, exactly.
///
/// VROOM prices a route at `fixed + round(per_hour·travel_s/3600 + per_km·distance_m/1000)`
/// (rounded once per route), or `fixed + Σ costs[i][j]` with a custom cost matrix. In units of
/// 1/3 600 000 a cost unit every arc is an integer: `per_hour·1000·duration_s +
/// per_km·3600·distance_m`. When every vehicle's (per_hour, per_km) is an integer multiple of one
/// base pair, that sum is the core's one arc matrix times a per-vehicle factor, with common
/// factors divided out so that plain inputs (per_hour 3600) cost exactly their travel seconds.
/// Otherwise (`twoRates`) the core's distance matrix is the distances and each vehicle pays
/// per metre and per second of travel at its own rates (`VehicleType.travelCost`).
struct VroomCostModel: Sendable {
    /// Place × place arc costs, row-major, in the internal unit.
    var matrix: [Int]
    /// Per vehicle (input order): multiplier of `matrix`, and the fixed cost in the internal unit.
    var factor: [Int]
    /// Per vehicle: cost per second of travel in the internal unit (`twoRates` only; 0 otherwise).
    var travelFactor: [Int] = []
    var fixed: [Int]
    /// The fixed costs as given, in VROOM units.
    var userFixed: [Int]
    /// One internal unit is 1/`den` VROOM cost unit.
    var den: Int
    /// `per_hour_on: "route"`: `matrix` is the distances, `factor` the per-metre cost and
    /// `durationFactor` the per-second cost of the route's duration (`VroomVehicle.hourlyOnRoute`).
    var hourlyOnRoute = false
    var durationFactor: [Int] = []

    /// VROOM's cost of a route: fixed cost plus the travel cost rounded to the nearest unit.
    func vroomCost(vehicle v: Int, travel: Int) -> Int {
        let user = (Int128(travel) * 2 + Int128(den)) / (Int128(den) * 2)
        return userFixed[v] + Int(user)
    }

    /// The cost of an evaluated route of vehicle `v` (of core type `type`).
    func vroomCost(vehicle v: Int, _ e: RouteEvaluation, type: VehicleType) -> Int {
        vroomCost(vehicle: v, travel: e.distance * type.distanceCost + e.travel * type.travelCost
                  + (hourlyOnRoute ? e.duration * type.durationCost : 0))
    }

    /// Per-km and per-hour costs as the planner prices them, each vehicle its own.
    static func onRoute(_ vehicles: [VroomVehicle], distances: [Int]?, costs: [Int]?,
                        matricesPointer: String) throws(VroomError) -> VroomCostModel {
        if let k = vehicles.firstIndex(where: { !$0.hourlyOnRoute }) {
            throw VroomError(pointer: "/vehicles/\(k)/lastmile/per_hour_on", "must be \"route\" like the other vehicles'")
        }
        guard costs == nil else { throw VroomError(pointer: matricesPointer + "/costs", "a costs matrix does not go with per_hour_on \"route\"") }
        guard let distances else { throw VroomError(pointer: matricesPointer + "/distances", "missing, and per_hour_on \"route\" needs distances") }
        var model = VroomCostModel(matrix: distances, factor: vehicles.map { $0.costs.perKm * 3600 },
                                   fixed: vehicles.map { $0.costs.fixed * perUnit }, userFixed: vehicles.map(\.costs.fixed), den: perUnit)
        model.hourlyOnRoute = true
        model.durationFactor = vehicles.map { $0.costs.perHour * 1000 }
        return model
    }

    static let perUnit = 3_600_000

    /// Vehicles with per_hour : per_km in different ratios: the core's distance matrix is the
    /// distances, each vehicle pays `per_km·3600` per metre and `per_hour·1000` per second of
    /// travel (1/3 600 000 units), common factors divided out.
    static func twoRates(_ vehicles: [VroomVehicle], durations: [Int], distances: [Int]) throws(VroomError) -> VroomCostModel {
        let longest = Int128(durations.max() ?? 0), farthest = Int128(distances.max() ?? 0)
        var g = perUnit
        for (k, v) in vehicles.enumerated() {
            guard Int128(v.costs.perHour) * 1000 * longest + Int128(v.costs.perKm) * 3600 * farthest < Int128(1) << 52 else {
                throw VroomError(pointer: "/vehicles/\(k)/costs", "costs × matrix entries exceed 2^52")
            }
            g = gcd(gcd(g, v.costs.perHour * 1000), gcd(v.costs.perKm * 3600, v.costs.fixed * perUnit))
        }
        var model = VroomCostModel(matrix: distances, factor: vehicles.map { $0.costs.perKm * 3600 / g },
                                   fixed: vehicles.map { $0.costs.fixed * perUnit / g }, userFixed: vehicles.map(\.costs.fixed),
                                   den: perUnit / g)
        model.travelFactor = vehicles.map { $0.costs.perHour * 1000 / g }
        return model
    }

    static func build(_ vehicles: [VroomVehicle], durations: [Int], distances: [Int]?, costs: [Int]?,
                      matricesPointer: String) throws(VroomError) -> VroomCostModel {
        if vehicles.contains(where: \.hourlyOnRoute) {
            return try onRoute(vehicles, distances: distances, costs: costs, matricesPointer: matricesPointer)
        }
        if let costs {
            for (k, v) in vehicles.enumerated() where v.costs.perHour != 3600 || v.costs.perKm != 0 {
                throw VroomError(pointer: "/vehicles/\(k)/costs",
                                 "per_hour or per_km together with a custom costs matrix is inconsistent (VROOM refuses it too)")
            }
            return VroomCostModel(matrix: costs, factor: vehicles.map { _ in 1 }, fixed: vehicles.map(\.costs.fixed),
                                  userFixed: vehicles.map(\.costs.fixed), den: 1)
        }
        if distances == nil, let k = vehicles.firstIndex(where: { $0.costs.perKm > 0 }) {
            throw VroomError(pointer: matricesPointer + "/distances", "missing, and /vehicles/\(k)/costs/per_km needs distances")
        }
        // The base pair: the first non-zero one, divided by its gcd.
        var h0 = 1, k0 = 0
        if let v = vehicles.first(where: { $0.costs.perHour != 0 || $0.costs.perKm != 0 }) {
            let g = gcd(v.costs.perHour, v.costs.perKm)
            h0 = v.costs.perHour / g
            k0 = v.costs.perKm / g
        }
        var factor: [Int] = []
        for (k, v) in vehicles.enumerated() {
            let f = h0 > 0 ? v.costs.perHour / h0 : v.costs.perKm / k0
            guard f * h0 == v.costs.perHour, f * k0 == v.costs.perKm else {
                // Ratios differ, so some per_km is non-zero and distances were checked above.
                return try twoRates(vehicles, durations: durations, distances: distances ?? [])
            }
            factor.append(f)
        }
        var raw = [Int](repeating: 0, count: durations.count)
        var g1 = 0
        for i in raw.indices {
            let c = Int128(h0) * 1000 * Int128(durations[i]) + Int128(k0) * 3600 * Int128(distances?[i] ?? 0)
            guard c < Int128(1) << 52 else { throw VroomError(pointer: "/vehicles/0/costs", "costs × matrix entries exceed 2^52") }
            raw[i] = Int(c)
            g1 = gcd(g1, raw[i])
        }
        g1 = max(g1, 1)
        var g2 = perUnit
        var scaled: [Int] = []
        for f in factor {
            let (fs, overflow) = f.multipliedReportingOverflow(by: g1)
            guard !overflow, fs < 1 << 52 else { throw VroomError(pointer: "/vehicles/0/costs", "costs × matrix entries exceed 2^52") }
            scaled.append(fs)
            g2 = gcd(g2, fs)
        }
        for v in vehicles { g2 = gcd(g2, v.costs.fixed * perUnit) }
        // g2 divides perUnit: one internal unit is g2/perUnit VROOM units.
        return VroomCostModel(matrix: raw.map { $0 / g1 }, factor: scaled.map { $0 / g2 },
                              fixed: vehicles.map { $0.costs.fixed * perUnit / g2 }, userFixed: vehicles.map(\.costs.fixed),
                              den: perUnit / g2)
    }
}

func gcd(_ a: Int, _ b: Int) -> Int {
    var a = abs(a), b = abs(b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
