import Foundation
import Planning

/// What `lastmile simulate` reads from scenario.json: the scenario itself, the `simulation`
/// section (start date, seed, demand model) and the declared `variants`.
public struct SimulationSetup: Sendable {
    public var scenario: Scenario
    public var file: String
    public var startDate: CalendarDate
    public var seed: UInt64
    public var demand: DemandModel
    /// Declared variants in file order (not including the base).
    public var variants: [Variant]

    /// The base followed by the declared variants, or those named (in the order named).
    public func select(_ names: [String]?) throws -> [Variant] {
        let all = [Variant.base] + variants
        guard let names else { return all }
        var out: [Variant] = []
        for n in names {
            guard let v = all.first(where: { $0.name == n }) else {
                throw InputError(file: file, field: "variants",
                                 "no variant named \"\(n)\" (declared: \(all.map { "\"\($0.name)\"" }.joined(separator: ", ")))")
            }
            if !out.contains(where: { $0.name == n }) { out.append(v) }
        }
        return out
    }
}

/// Reads the `simulation` and `variants` sections with the scenario's own positioned errors
/// (`scenario.json:412: simulation.demand.weekday_factors: …`). Every variant is applied once
/// here, so a bad change is reported before any day is simulated.
public enum SimulationLoader {
    public static func load(path: String) throws -> SimulationSetup {
        try read(try ScenarioLoader.loadDocument(path: path))
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> SimulationSetup {
        try read(try ScenarioLoader.parseDocument(bytes, file: file))
    }

    /// The sections of an already parsed scenario.json.
    public static func read(_ document: ScenarioDocument) throws(InputError) -> SimulationSetup {
        let (scenario, file) = (document.scenario, document.file)
        let top = try document.top()
        guard top.optional("simulation") != nil else {
            throw top.fail("simulation", nil, "required field is missing: lastmile simulate needs the demand model (see docs/simulation.md)")
        }
        let sim = try top.object("simulation")
        try sim.rejectUnknown(["start_date", "seed", "demand"])
        let seed = sim.optional("seed") == nil ? 1 : UInt64(try sim.int("seed", in: 0...Int.max))
        let demand = try demandModel(try sim.object("demand"), scenario: scenario)

        var variants: [Variant] = []
        if top.optional("variants") != nil {
            var seen: [String: String] = [Variant.baseName: "the base scenario"]
            for (path, node) in try top.array("variants", nonEmpty: false, max: 100) {
                let f = try Fields(node, path: path, file: file)
                let v = try variant(f)
                if let first = seen[v.name] {
                    throw f.fail("name", f.optional("name"), "duplicate variant name \"\(v.name)\", first at \(first)")
                }
                seen[v.name] = path
                _ = try v.apply(to: scenario)
                variants.append(v)
            }
        }
        return SimulationSetup(scenario: scenario, file: file, startDate: try sim.date("start_date"), seed: seed,
                               demand: demand, variants: variants)
    }

    static func demandModel(_ f: Fields, scenario: Scenario) throws(InputError) -> DemandModel {
        try f.rejectUnknown(["orders_per_point", "point_factors", "weekday_factors", "promotions", "weekly_growth_percent",
                             "sku_weights", "temperature_mix", "lines_per_order", "units_per_line", "groups_per_point",
                             "group_failure_rate", "completion"])
        var m = DemandModel(ordersPerPoint: try f.double("orders_per_point", in: 0...100_000))
        let pointIds = Set(scenario.pickupPoints.map(\.id))
        if let pf = try f.optionalObject("point_factors") {
            for k in pf.keys {
                guard pointIds.contains(k) else { throw pf.fail(k, pf.optional(k), "unknown pickup point \"\(k)\"") }
                m.pointFactors[k] = try pf.double(k, in: 0...1000)
            }
        }
        if f.optional("weekday_factors") != nil {
            let items = try f.array("weekday_factors", max: 7)
            guard items.count == 7 else {
                throw f.fail("weekday_factors", f.optional("weekday_factors"), "must list 7 factors, Monday to Sunday, got \(items.count)")
            }
            m.weekdayFactors = try items.map { (p, n) throws(InputError) in try number(n, path: p, file: f.file, in: 0...1000) }
        }
        if f.optional("promotions") != nil {
            for (path, node) in try f.array("promotions", nonEmpty: false, max: 1_000) {
                let p = try Fields(node, path: path, file: f.file)
                try p.rejectUnknown(["name", "date", "day", "factor"])
                let when: DemandModel.Promotion.When
                switch (p.optional("date"), p.optional("day")) {
                case (_?, nil): when = .date(try p.date("date"))
                case (nil, _?): when = .day(try p.int("day", in: 1...3_660))
                case (_?, _?): throw p.fail("day", p.optional("day"), "give either date or day, not both")
                case (nil, nil): throw p.fail("date", nil, "required field is missing (or give day, 1-based in the horizon)")
                }
                m.promotions.append(.init(name: try p.string("name"), when: when, factor: try p.double("factor", in: 0...1000)))
            }
        }
        if f.optional("weekly_growth_percent") != nil {
            m.weeklyGrowthPercent = try f.double("weekly_growth_percent", in: -99...1000)
        }
        if let sw = try f.optionalObject("sku_weights") {
            let skuIds = Set(scenario.skus.map(\.id))
            var w: [String: Double] = [:]
            for k in sw.keys {
                guard skuIds.contains(k) else { throw sw.fail(k, sw.optional(k), "unknown SKU \"\(k)\"") }
                w[k] = try sw.double(k, in: 0...1_000_000)
            }
            guard w.values.contains(where: { $0 > 0 }) else {
                throw f.fail("sku_weights", f.optional("sku_weights"), "no SKU has a positive weight")
            }
            m.skuWeights = w
        }
        if let tm = try f.optionalObject("temperature_mix") {
            var mix: [TemperatureClass: Double] = [:]
            for k in tm.keys {
                guard let t = TemperatureClass(rawValue: k) else {
                    throw tm.fail(k, tm.optional(k), "unknown temperature class (expected one of: ambient, chilled, frozen)")
                }
                let share = try tm.double(k, in: 0...1_000_000)
                let sold = scenario.skus.contains { sku in sku.temperature == t && (m.skuWeights.map { ($0[sku.id] ?? 0) > 0 } ?? true) }
                if share > 0 && !sold { throw tm.fail(k, tm.optional(k), "no SKU of class \(k) is ordered") }
                mix[t] = share
            }
            guard mix.values.contains(where: { $0 > 0 }) else {
                throw f.fail("temperature_mix", f.optional("temperature_mix"), "no class has a positive share")
            }
            m.temperatureMix = mix
        }
        for (key, keyPath) in [("lines_per_order", \DemandModel.linesPerOrder), ("units_per_line", \DemandModel.unitsPerLine)] {
            guard f.optional(key) != nil else { continue }
            let w = try f.array(key, max: InputLimits.pickupPoints).map { (p, n) throws(InputError) in try number(n, path: p, file: f.file, in: 0...1_000_000) }
            guard w.contains(where: { $0 > 0 }) else { throw f.fail(key, f.optional(key), "no weight is positive") }
            m[keyPath: keyPath] = w
        }
        if f.optional("groups_per_point") != nil { m.groupsPerPoint = try f.int("groups_per_point", in: 1...1_000) }
        if f.optional("group_failure_rate") != nil { m.groupFailureRate = try f.double("group_failure_rate", in: 0...1) }
        if let c = try f.optionalObject("completion") {
            try c.rejectUnknown(["from", "peak", "to"])
            let from = try c.time("from"), peak = try c.time("peak"), to = try c.time("to")
            guard from <= peak, peak <= to, from < to else {
                throw InputError(file: f.file, line: c.node.line, field: c.path, "needs from ≤ peak ≤ to and from < to, got \(from), \(peak), \(to)")
            }
            m.completion = .init(from: from, peak: peak, to: to)
        }
        return m
    }

    static func variant(_ f: Fields) throws(InputError) -> Variant {
        try f.rejectUnknown(["name", "description", "changes"])
        let name = try f.string("name")
        guard !name.contains(",") else { throw f.fail("name", f.optional("name"), "must not contain a comma (--variants takes a comma-separated list)") }
        var v = Variant(name: name, description: try f.optionalString("description"))
        for (path, node) in try f.array("changes", max: 1_000) {
            let c = try Fields(node, path: path, file: f.file)
            v.changes.append((try change(c), position(c)))
        }
        return v
    }

    /// The change's position with the line of every value inside it (`warehouse.id`, `pickup_points[1]`).
    static func position(_ f: Fields) -> SourcePosition {
        var lines: [String: Int] = [:]
        func walk(_ n: JSONNode, _ path: String) {
            if !path.isEmpty { lines[path] = n.line }
            switch n.value {
            case .object(let members): for (k, v) in members { walk(v, path.isEmpty ? k : "\(path).\(k)") }
            case .array(let items): for (i, v) in items.enumerated() { walk(v, "\(path)[\(i)]") }
            default: break
            }
        }
        walk(f.node, "")
        return SourcePosition(file: f.file, line: f.node.line, path: f.path, fieldLines: lines)
    }

    static func change(_ f: Fields) throws(InputError) -> ScenarioChange {
        let kind = try f.string("change")
        func only(_ keys: String...) throws(InputError) { try f.rejectUnknown(["change"] + keys) }
        func points() throws(InputError) -> [String]? {
            guard f.optional("pickup_points") != nil else { return nil }
            return try f.array("pickup_points", max: InputLimits.pickupPoints).map { (p, n) throws(InputError) in
                guard case .string(let s) = n.value else {
                    throw InputError(file: f.file, line: n.line, field: p, "must be a string, got \(n.shortDescription)")
                }
                return s
            }
        }
        switch kind {
        case "add_warehouse":
            try only("warehouse")
            var seen: [String: String] = [:]
            return .addWarehouse(try ScenarioLoader.warehouse(try f.object("warehouse"), seenVehicleTypes: &seen))
        case "move_warehouse":
            try only("warehouse_id", "location", "address")
            return .moveWarehouse(id: try f.string("warehouse_id"), location: try f.coordinate("location"),
                                  address: try f.optionalString("address"))
        case "close_warehouse":
            try only("warehouse_id")
            return .closeWarehouse(id: try f.string("warehouse_id"))
        case "scale_demand":
            try only("factor", "pickup_points")
            return .scaleDemand(factor: try f.double("factor", in: 0...100), pickupPoints: try points())
        case "cutoff":
            try only("cutoff")
            return .cutoff(try f.time("cutoff"))
        case "receiving_windows":
            try only("window", "pickup_points")
            return .receivingWindows(try f.window("window"), pickupPoints: try points())
        case "vehicle_count":
            try only("vehicle_type_id", "count")
            return .vehicleCount(vehicleTypeId: try f.string("vehicle_type_id"), count: try f.int("count", in: InputLimits.vehicleCount))
        case "add_vehicle_type":
            try only("warehouse_id", "vehicle_type")
            return .addVehicleType(warehouseId: try f.string("warehouse_id"), try ScenarioLoader.vehicleType(try f.object("vehicle_type")))
        case "reassign_points":
            try only("pickup_points")
            return .reassignPoints(pickupPoints: try points())
        default:
            throw f.fail("change", f.optional("change"),
                         "unknown change \"\(kind)\" (expected one of: \(ScenarioChange.kinds.joined(separator: ", ")))")
        }
    }

    /// A number inside an array, with the scenario's wording for a bad one.
    static func number(_ n: JSONNode, path: String, file: String, in range: ClosedRange<Double>) throws(InputError) -> Double {
        guard case .number(let text) = n.value, let v = Double(text) else {
            throw InputError(file: file, line: n.line, field: path, "must be a number, got \(n.shortDescription)")
        }
        guard range.contains(v) else {
            throw InputError(file: file, line: n.line, field: path, "must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
        }
        return v
    }
}
