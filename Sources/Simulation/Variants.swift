import Planning
import RoadNetwork

/// Where a declaration sits in scenario.json, so that errors found when a variant is applied
/// name the file, the line and the field like every other scenario error.
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int
    /// E.g. `variants[1].changes[0]`.
    public var path: String
    /// Lines of the declaration's own fields.
    public var fieldLines: [String: Int]

    public init(file: String, line: Int, path: String, fieldLines: [String: Int] = [:]) {
        self.file = file
        self.line = line
        self.path = path
        self.fieldLines = fieldLines
    }

    func fail(_ field: String?, _ reason: String) -> InputError {
        InputError(file: file, line: field.flatMap { fieldLines[$0] } ?? line,
                   field: field.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? path, reason)
    }
}

/// One change a variant makes to the base scenario (docs/simulation.md, "Variants").
public enum ScenarioChange: Sendable, Equatable {
    case addWarehouse(Warehouse)
    case moveWarehouse(id: String, location: Coordinate, address: String?)
    case closeWarehouse(id: String)
    /// Demand × factor, at the listed pickup points (nil: all).
    case scaleDemand(factor: Double, pickupPoints: [String]?)
    case cutoff(LocalTime)
    /// The receiving window of the listed pickup points (nil: all).
    case receivingWindows(TimeWindow, pickupPoints: [String]?)
    case vehicleCount(vehicleTypeId: String, count: Int)
    case addVehicleType(warehouseId: String, VehicleType)
    /// Forget the listed pickup points' previous warehouse (nil: all), so the first day's
    /// allocation is free of the stability penalty: the network is re-cut at once (leaders
    /// agreed to a new delivery time) instead of point by point.
    case reassignPoints(pickupPoints: [String]?)

    /// The change in words, for the report.
    public var summary: String {
        func points(_ ids: [String]?) -> String {
            guard let ids else { return "all pickup points" }
            return ids.count <= 5 ? ids.joined(separator: ", ") : "\(ids.count) pickup points"
        }
        switch self {
        case .addWarehouse(let w):
            let vans = w.vehicleTypes.reduce(0) { $0 + $1.count }
            return "add warehouse \(w.id) (\(w.name)) at \(w.location.lon), \(w.location.lat): sorting \(w.sortingCapacityCrates) crates, \(vans) vans"
        case .moveWarehouse(let id, let c, _): return "move warehouse \(id) to \(c.lon), \(c.lat)"
        case .closeWarehouse(let id): return "close warehouse \(id)"
        case .scaleDemand(let f, let ids): return "demand × \(f) at \(points(ids))"
        case .cutoff(let t): return "cut-off \(t)"
        case .receivingWindows(let w, let ids): return "receiving window \(w) at \(points(ids))"
        case .vehicleCount(let id, let n): return "\(id): \(n) vans"
        case .addVehicleType(let wid, let t): return "add \(t.count) × \(t.id) (\(t.name), \(t.vehicleClass), \(t.capacityCrates) crates) at \(wid)"
        case .reassignPoints(let ids): return "reassign \(points(ids)) freely on the first day"
        }
    }

    /// The `change` names of the file format.
    public static let kinds = ["add_warehouse", "move_warehouse", "close_warehouse", "scale_demand", "cutoff",
                               "receiving_windows", "vehicle_count", "add_vehicle_type", "reassign_points"]
}

/// A named what-if: changes applied in order to a copy of the base scenario.
public struct Variant: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var changes: [(change: ScenarioChange, at: SourcePosition)]

    public static let baseName = "base"

    public init(name: String, description: String? = nil, changes: [(change: ScenarioChange, at: SourcePosition)] = []) {
        self.name = name
        self.description = description
        self.changes = changes
    }

    public static func == (a: Variant, b: Variant) -> Bool {
        a.name == b.name && a.description == b.description && a.changes.count == b.changes.count
            && zip(a.changes, b.changes).allSatisfy { $0.change == $1.change && $0.at == $1.at }
    }

    /// The base scenario as a variant: no changes.
    public static let base = Variant(name: baseName, description: "the scenario as it is")

    /// The world the variant describes. Pure: the base scenario is not touched. Errors are the
    /// scenario file's (file, line, field), e.g. a change that names an unknown warehouse.
    public func apply(to base: Scenario) throws(InputError) -> VariantWorld {
        var s = base
        var factors = [Double](repeating: 1, count: base.pickupPoints.count)
        func warehouseIndex(_ id: String, _ at: SourcePosition, field: String) throws(InputError) -> Int {
            guard let i = s.warehouses.firstIndex(where: { $0.id == id }) else {
                throw at.fail(field, "unknown warehouse \"\(id)\"")
            }
            return i
        }
        func pointIndices(_ ids: [String]?, _ at: SourcePosition) throws(InputError) -> [Int] {
            guard let ids else { return Array(s.pickupPoints.indices) }
            var out: [Int] = []
            for (k, id) in ids.enumerated() {
                guard let i = s.pickupPoints.firstIndex(where: { $0.id == id }) else {
                    throw at.fail("pickup_points[\(k)]", "unknown pickup point \"\(id)\"")
                }
                out.append(i)
            }
            return out
        }
        func checkNewVehicleType(_ t: VehicleType, _ at: SourcePosition, field: String) throws(InputError) {
            for (w, wh) in s.warehouses.enumerated() {
                if let v = wh.vehicleTypes.firstIndex(where: { $0.id == t.id }) {
                    throw at.fail(field, "duplicate vehicle type id \"\(t.id)\", first at warehouses[\(w)].vehicle_types[\(v)]")
                }
            }
        }

        for (change, at) in changes {
            switch change {
            case .addWarehouse(let w):
                if let first = s.warehouses.firstIndex(where: { $0.id == w.id }) {
                    throw at.fail("warehouse.id", "duplicate warehouse id \"\(w.id)\", first at warehouses[\(first)]")
                }
                for (k, t) in w.vehicleTypes.enumerated() {
                    try checkNewVehicleType(t, at, field: "warehouse.vehicle_types[\(k)].id")
                }
                s.warehouses.append(w)
            case .moveWarehouse(let id, let location, let address):
                let i = try warehouseIndex(id, at, field: "warehouse_id")
                s.warehouses[i].location = location
                if let address { s.warehouses[i].address = address }
            case .closeWarehouse(let id):
                let i = try warehouseIndex(id, at, field: "warehouse_id")
                guard s.warehouses.count > 1 else { throw at.fail("warehouse_id", "cannot close \"\(id)\", the last warehouse") }
                s.warehouses.remove(at: i)
                // Its pickup points had no other warehouse yesterday: none to prefer now.
                for p in s.pickupPoints.indices where s.pickupPoints[p].previousWarehouseId == id {
                    s.pickupPoints[p].previousWarehouseId = nil
                }
            case .scaleDemand(let factor, let ids):
                for p in try pointIndices(ids, at) { factors[p] *= factor }
            case .cutoff(let t):
                s.cutoff = t
            case .receivingWindows(let window, let ids):
                for p in try pointIndices(ids, at) { s.pickupPoints[p].receivingWindow = window }
            case .vehicleCount(let typeId, let count):
                guard let w = s.warehouses.firstIndex(where: { $0.vehicleTypes.contains { $0.id == typeId } }) else {
                    throw at.fail("vehicle_type_id", "unknown vehicle type \"\(typeId)\"")
                }
                let v = s.warehouses[w].vehicleTypes.firstIndex { $0.id == typeId }!
                s.warehouses[w].vehicleTypes[v].count = count
            case .addVehicleType(let warehouseId, let t):
                let w = try warehouseIndex(warehouseId, at, field: "warehouse_id")
                try checkNewVehicleType(t, at, field: "vehicle_type.id")
                s.warehouses[w].vehicleTypes.append(t)
            case .reassignPoints(let ids):
                for p in try pointIndices(ids, at) { s.pickupPoints[p].previousWarehouseId = nil }
            }
        }
        return VariantWorld(name: name, description: description, changes: changes.map(\.change.summary), scenario: s,
                            demandFactors: factors)
    }
}

/// A variant applied: the scenario to plan with and the demand factor of every pickup point.
public struct VariantWorld: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// What the variant changes, in words.
    public var changes: [String]
    public var scenario: Scenario
    /// Per pickup point (scenario order): multiplies the base demand.
    public var demandFactors: [Double]
}
