import Foundation
import RoadNetwork

/// scenario.json parsed once: the planner's scenario and the JSON tree, from which `lastmile
/// simulate` and `lastmile allocate` read their own sections (`simulation`, `variants`,
/// `network_design`) with the same positioned errors.
public struct ScenarioDocument: Sendable {
    /// The path as given (errors name it).
    public var file: String
    public var root: JSONNode
    public var scenario: Scenario

    /// The top-level object's fields.
    public func top() throws(InputError) -> Fields { try Fields(root, path: "", file: file) }
}

/// Reads and validates scenario.json. The first problem is reported precisely (file, line,
/// field); a scenario is edited by hand and fixed one error at a time.
public enum ScenarioLoader {
    /// `path` is scenario.json or a directory holding it. Errors name the file as given.
    public static func load(path: String) throws -> (scenario: Scenario, file: String) {
        let document = try loadDocument(path: path)
        return (document.scenario, document.file)
    }

    /// The scenario and the parsed file, for the commands that read more sections of it.
    public static func loadDocument(path: String) throws -> ScenarioDocument {
        let file = resolve(path)
        guard let data = FileManager.default.contents(atPath: file) else { throw GeneralError.noSuchFile(file) }
        return try parseDocument(Array(data), file: file)
    }

    /// orders.jsonl beside scenario.json.
    public static func defaultOrdersPath(scenarioFile: String) -> String {
        let dir = (scenarioFile as NSString).deletingLastPathComponent
        return dir.isEmpty ? "orders.jsonl" : dir + "/orders.jsonl"
    }

    /// scenario.json inside a directory, else the path itself.
    public static func resolve(_ path: String) -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return (path.hasSuffix("/") ? path : path + "/") + "scenario.json"
        }
        return path
    }

    static let keys = ["name", "city", "time_zone", "map", "cutoff", "travel", "service", "stability_penalty_cents", "crate_returns",
                       "warehouses", "pickup_points", "skus"] + extensionSections

    /// Top-level sections that belong to other commands (`lastmile simulate` reads the first two,
    /// see docs/simulation.md; `lastmile allocate` the last, docs/network-design.md); the planner
    /// accepts and ignores them, so one file serves every command.
    public static let extensionSections = ["simulation", "variants", "network_design"]

    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> Scenario {
        try parseDocument(bytes, file: file).scenario
    }

    /// Parses the JSON once; the scenario is read from the tree, which the document keeps.
    public static func parseDocument(_ bytes: [UInt8], file: String) throws(InputError) -> ScenarioDocument {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw InputError(file: file, line: error.line, "malformed JSON: \(error.message) (column \(error.column))")
        }
        return ScenarioDocument(file: file, root: root, scenario: try scenario(root, file: file))
    }

    static func scenario(_ root: JSONNode, file: String) throws(InputError) -> Scenario {
        let o = try Fields(root, path: "", file: file)
        try o.rejectUnknown(keys)
        let tzName = try o.string("time_zone")
        guard TimeZone(identifier: tzName) != nil else {
            throw o.fail("time_zone", o.optional("time_zone"), "unknown time zone \"\(tzName)\" (expected an IANA name such as \"Asia/Shanghai\")")
        }
        let travelF = try o.object("travel")
        try travelF.rejectUnknown(["circuity", "speed_kmh"])
        let travel = TravelSettings(circuity: try travelF.double("circuity", in: 1...5),
                                    speedKmh: try travelF.double("speed_kmh", in: 1...150))
        let service = try serviceTime(try o.object("service"))

        var warehouses: [Warehouse] = []
        var seenVehicleTypes: [String: String] = [:]
        var seenWarehouses: [String: String] = [:]
        for (path, node) in try o.array("warehouses", max: InputLimits.warehouses) {
            let w = try warehouse(try Fields(node, path: path, file: file), seenVehicleTypes: &seenVehicleTypes)
            if let first = seenWarehouses[w.id] {
                throw InputError(file: file, line: node.line, field: path + ".id", "duplicate warehouse id \"\(w.id)\", first at \(first)")
            }
            seenWarehouses[w.id] = path
            warehouses.append(w)
        }

        var skus: [SKU] = []
        var seenSKUs: [String: String] = [:]
        for (path, node) in try o.array("skus", max: InputLimits.skus) {
            let f = try Fields(node, path: path, file: file)
            try f.rejectUnknown(["id", "name", "weight_g", "temperature", "units_per_crate"])
            let s = SKU(id: try f.id("id"), name: try f.string("name"), weightGrams: try f.int("weight_g", in: InputLimits.weightGrams),
                        temperature: try f.oneOf("temperature", TemperatureClass.self),
                        unitsPerCrate: try f.int("units_per_crate", in: InputLimits.unitsPerCrate))
            if let first = seenSKUs[s.id] {
                throw f.fail("id", f.optional("id"), "duplicate SKU id \"\(s.id)\", first at \(first)")
            }
            seenSKUs[s.id] = path
            skus.append(s)
        }

        var points: [PickupPoint] = []
        var seenPoints: [String: String] = [:]
        for (path, node) in try o.array("pickup_points", max: InputLimits.pickupPoints) {
            let f = try Fields(node, path: path, file: file)
            try f.rejectUnknown(["id", "name", "leader", "address", "location", "receiving_window", "max_vehicle", "service",
                                 "previous_warehouse_id", "returned_crates", "previous_delivery_crates"])
            let leaderF = try f.object("leader")
            try leaderF.rejectUnknown(["name", "phone"])
            let p = PickupPoint(
                id: try f.id("id"), name: try f.string("name"),
                leader: Leader(name: try leaderF.string("name"), phone: try leaderF.optionalString("phone")),
                address: try f.string("address"), location: try f.coordinate("location"),
                receivingWindow: try f.window("receiving_window"), maxVehicle: try f.oneOf("max_vehicle", VehicleClass.self),
                service: try f.optionalObject("service").map { (s: Fields) throws(InputError) in try serviceTime(s) },
                previousWarehouseId: try f.optionalId("previous_warehouse_id"),
                returnedCrates: try f.optionalInt("returned_crates", in: InputLimits.returnedCrates),
                previousDeliveryCrates: try f.optionalInt("previous_delivery_crates", in: InputLimits.previousDeliveryCrates))
            if let first = seenPoints[p.id] {
                throw f.fail("id", f.optional("id"), "duplicate pickup point id \"\(p.id)\", first at \(first)")
            }
            if let prev = p.previousWarehouseId, seenWarehouses[prev] == nil {
                throw f.fail("previous_warehouse_id", f.optional("previous_warehouse_id"), "unknown warehouse \"\(prev)\"")
            }
            seenPoints[p.id] = path
            points.append(p)
        }

        return Scenario(
            name: try o.string("name"), city: try o.string("city"), timeZone: tzName, map: try o.optionalString("map"),
            cutoff: try o.time("cutoff"), travel: travel, service: service,
            stabilityPenaltyCents: try o.int("stability_penalty_cents", in: InputLimits.stabilityPenaltyCents),
            crateReturns: try o.optionalObject("crate_returns").map { (f: Fields) throws(InputError) in try crateReturns(f) },
            warehouses: warehouses, pickupPoints: points, skus: skus)
    }

    static func crateReturns(_ f: Fields) throws(InputError) -> CrateReturns {
        try f.rejectUnknown(["rate_percent", "empty_crate_g"])
        return CrateReturns(ratePercent: try f.int("rate_percent", in: InputLimits.crateReturnPercent),
                            emptyCrateGrams: try f.int("empty_crate_g", in: InputLimits.emptyCrateGrams))
    }

    static func serviceTime(_ f: Fields) throws(InputError) -> ServiceTime {
        try f.rejectUnknown(["fixed_seconds", "per_crate_seconds"])
        return ServiceTime(fixedSeconds: try f.int("fixed_seconds", in: InputLimits.fixedSeconds),
                           perCrateSeconds: try f.int("per_crate_seconds", in: InputLimits.perCrateSeconds))
    }

    /// One `warehouses[]` object; `seenVehicleTypes` maps the vehicle type ids seen so far to
    /// their paths (ids are unique in the whole scenario).
    public static func warehouse(_ f: Fields, seenVehicleTypes: inout [String: String]) throws(InputError) -> Warehouse {
        try f.rejectUnknown(["id", "name", "address", "location", "sorting_capacity_crates", "dock_hours", "fixed_cost_cents",
                             "vehicle_types"])
        var types: [VehicleType] = []
        for (path, node) in try f.array("vehicle_types", nonEmpty: false, max: InputLimits.vehicleTypesPerWarehouse) {
            let v = try Fields(node, path: path, file: f.file)
            let t = try vehicleType(v)
            if let first = seenVehicleTypes[t.id] {
                throw v.fail("id", v.optional("id"), "duplicate vehicle type id \"\(t.id)\", first at \(first)")
            }
            seenVehicleTypes[t.id] = path
            types.append(t)
        }
        return Warehouse(
            id: try f.id("id"), name: try f.string("name"), address: try f.string("address"),
            location: try f.coordinate("location"),
            sortingCapacityCrates: try f.int("sorting_capacity_crates", in: InputLimits.sortingCapacityCrates),
            dockHours: try f.window("dock_hours"), fixedCostCents: try f.int("fixed_cost_cents", in: InputLimits.fixedCostCents),
            vehicleTypes: types)
    }

    /// One `vehicle_types[]` object (its id is not checked for uniqueness here).
    public static func vehicleType(_ v: Fields) throws(InputError) -> VehicleType {
        try v.rejectUnknown(["id", "name", "class", "count", "capacity_crates", "capacity_kg", "cost_per_km_cents",
                             "cost_per_hour_cents", "cost_per_day_cents", "shift_start", "shift_length_minutes", "max_trips",
                             "reload_minutes"])
        return VehicleType(
            id: try v.id("id"), name: try v.string("name"), vehicleClass: try v.oneOf("class", VehicleClass.self),
            count: try v.int("count", in: InputLimits.vehicleCount), capacityCrates: try v.int("capacity_crates", in: InputLimits.capacityCrates),
            capacityKg: try v.int("capacity_kg", in: InputLimits.capacityKg),
            costPerKmCents: try v.int("cost_per_km_cents", in: InputLimits.costPerKmCents),
            costPerHourCents: try v.int("cost_per_hour_cents", in: InputLimits.costPerHourCents),
            costPerDayCents: try v.int("cost_per_day_cents", in: InputLimits.costPerDayCents),
            shiftStart: try v.time("shift_start"), shiftLengthMinutes: try v.int("shift_length_minutes", in: InputLimits.shiftLengthMinutes),
            maxTrips: try v.int("max_trips", in: InputLimits.maxTrips), reloadMinutes: try v.int("reload_minutes", in: InputLimits.reloadMinutes))
    }
}

/// Reads and validates the orders of one delivery day (JSON Lines, one order a line). Every bad
/// line is reported (its first problem), so a whole export can be fixed in one pass.
public enum OrderLoader {
    public static func load(path: String, scenario: Scenario) throws -> OrderBook {
        guard let data = FileManager.default.contents(atPath: path) else { throw GeneralError.noSuchFile(path) }
        return try parse(Array(data), file: path, scenario: scenario)
    }

    /// Stops collecting after this many bad lines.
    static let maxErrors = 1000

    public static func parse(_ bytes: [UInt8], file: String, scenario: Scenario) throws(InputErrors) -> OrderBook {
        let catalogue = Catalogue(scenario)
        var errors: [InputError] = []
        var orders: [Order] = []
        var firstLine: [String: Int] = [:]
        var date: (CalendarDate, Int)?
        var lineNumber = 0
        var start = 0
        while start <= bytes.count && errors.count < maxErrors {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var slice = bytes[start..<end]
            if slice.last == 0x0D { slice = slice.dropLast() }
            start = end + 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do throws(InputError) {
                let node: JSONNode
                do {
                    node = try JSONParser.parse(Array(slice), firstLine: lineNumber)
                } catch {
                    throw InputError(file: file, line: lineNumber, "malformed JSON: \(error.message) (column \(error.column))")
                }
                guard orders.count < InputLimits.ordersPerDay else {
                    throw InputError(file: file, line: lineNumber, "more than \(InputLimits.ordersPerDay) orders (the limit of one delivery day)")
                }
                let order = try parseOrder(node, file: file, catalogue: catalogue)
                if let first = firstLine[order.orderId] {
                    throw InputError(file: file, line: lineNumber, field: "order_id", "duplicate order id \"\(order.orderId)\", first on line \(first)")
                }
                if let (d, l) = date, d != order.deliveryDate {
                    throw InputError(file: file, line: lineNumber, field: "delivery_date",
                                     "\(order.deliveryDate) differs from \(d) on line \(l) (a file holds one delivery day)")
                }
                if date == nil { date = (order.deliveryDate, lineNumber) }
                firstLine[order.orderId] = lineNumber
                orders.append(order)
            } catch {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw InputErrors(errors) }
        guard let (d, _) = date else { throw InputErrors([InputError(file: file, "no orders (the file holds the completed orders of one delivery day)")]) }
        return OrderBook(deliveryDate: d, orders: orders)
    }

    /// One order object, checked against the scenario (the daemon reads the same objects).
    public static func parseOrder(_ node: JSONNode, file: String?, scenario: Scenario) throws(InputError) -> Order {
        try parseOrder(node, file: file, catalogue: Catalogue(scenario))
    }

    /// The scenario's pickup point and SKU ids, built once for many `parseOrder` calls.
    public struct Catalogue: Sendable {
        let points: Set<String>
        let skus: Set<String>
        let grams: [String: Int]
        public init(_ s: Scenario) {
            points = Set(s.pickupPoints.map(\.id))
            skus = Set(s.skus.map(\.id))
            grams = Dictionary(s.skus.map { ($0.id, $0.weightGrams) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public static func parseOrder(_ node: JSONNode, file: String?, catalogue: Catalogue) throws(InputError) -> Order {
        let f: Fields
        do {
            f = try Fields(node, path: "", file: file ?? "")
        } catch {
            throw InputError(file: file, line: node.line, "an order must be a JSON object, got \(node.shortDescription)")
        }
        func located(_ e: InputError) -> InputError {
            var e = e
            e.file = file
            return e
        }
        do throws(InputError) {
            try f.rejectUnknown(["order_id", "group_id", "pickup_point_id", "customer_id", "delivery_date", "completed_at", "lines"])
            let id = try f.id("order_id", bytes: InputLimits.orderIdBytes)
            let group = try f.id("group_id", bytes: InputLimits.orderIdBytes)
            let point = try f.string("pickup_point_id")
            guard catalogue.points.contains(point) else {
                throw f.fail("pickup_point_id", f.optional("pickup_point_id"), "unknown pickup point \"\(point)\"")
            }
            let customer = try f.id("customer_id", bytes: InputLimits.orderIdBytes)
            let date = try f.date("delivery_date")
            guard InputLimits.years.contains(date.year) else {
                throw f.fail("delivery_date", f.optional("delivery_date"),
                             "must be a date in \(InputLimits.years.lowerBound)…\(InputLimits.years.upperBound), got \(date)")
            }
            let completed = try f.timestamp("completed_at")
            guard let year = Int(completed.text.prefix(4)), InputLimits.years.contains(year) else {
                throw f.fail("completed_at", f.optional("completed_at"),
                             "must be a time in the years \(InputLimits.years.lowerBound)…\(InputLimits.years.upperBound), got \"\(completed.text)\"")
            }
            var lines: [OrderLine] = []
            var seen: [String: String] = [:]
            var grams = 0
            for (path, item) in try f.array("lines", max: InputLimits.linesPerOrder) {
                let l = try Fields(item, path: path, file: f.file)
                try l.rejectUnknown(["sku", "qty"])
                let sku = try l.string("sku")
                guard catalogue.skus.contains(sku) else { throw l.fail("sku", l.optional("sku"), "unknown SKU \"\(sku)\"") }
                if let first = seen[sku] { throw l.fail("sku", l.optional("sku"), "SKU \"\(sku)\" is already in \(first)") }
                seen[sku] = path
                let qty = try l.int("qty", in: InputLimits.qty)
                grams += qty * catalogue.grams[sku]!
                lines.append(OrderLine(sku: sku, qty: qty))
            }
            guard grams <= InputLimits.orderGrams else {
                throw f.fail("lines", f.optional("lines"),
                             "the order weighs \(grams / 1000) kg, more than the limit of \(InputLimits.orderGrams / 1000) kg")
            }
            return Order(orderId: id, groupId: group, pickupPointId: point, customerId: customer, deliveryDate: date,
                         completedAt: completed, lines: lines)
        } catch {
            throw located(error)
        }
    }
}
