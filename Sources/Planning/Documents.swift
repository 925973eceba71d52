import Foundation
import RoadNetwork

/// A file of the plan's output directory, path relative to it.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }
}

/// Renders the plan's documents (pure) and writes them (the only step that touches disk).
///
///     plan.json  routes.csv  routes.geojson  unassigned.csv
///     warehouses/<id>/pick-list.csv|json   warehouses/<id>/sort-sheet.csv
///     vehicles/<vehicle_id>/loading-list.csv
///     handover/<pickup_point_id>.csv|txt
///
/// CSV files are UTF-8 with a byte-order mark (so spreadsheet programs show Chinese names),
/// comma-separated, RFC 4180 quoting.
public enum PlanDocuments {
    /// Folders this writer owns inside the output directory; emptied before each write so that a
    /// re-plan leaves no stale sheet behind.
    public static let folders = ["warehouses", "vehicles", "handover"]

    public static func render(plan: Plan, scenario: Scenario, orders: OrderBook,
                              paths: (Coordinate, Coordinate) throws -> [Coordinate]) throws -> [OutputFile] {
        let pts = Dictionary(uniqueKeysWithValues: scenario.pickupPoints.map { ($0.id, $0) })
        let skus = Dictionary(uniqueKeysWithValues: scenario.skus.map { ($0.id, $0) })
        let byId = Dictionary(uniqueKeysWithValues: orders.orders.map { ($0.orderId, $0) })
        var files: [OutputFile] = []

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]  // sorted: byte-stable output (key order is otherwise hash order)
        files.append(OutputFile(path: "plan.json", contents: try encoder.encode(plan) + Data("\n".utf8)))

        // routes.csv: one row per stop.
        var routes = CSV(["route_id", "warehouse_id", "vehicle_id", "vehicle_type_id", "trip", "sequence", "pickup_point_id",
                          "pickup_point_name", "address", "lon", "lat", "window_from", "window_to", "arrival", "service_start",
                          "departure", "orders", "crates", "ambient", "chilled", "frozen", "kg", "leg_distance_m", "leg_duration_s"])
        for r in plan.routes {
            for s in r.stops {
                let p = pts[s.pickupPointId]!
                routes.row([r.routeId, r.warehouseId, r.vehicleId, r.vehicleTypeId, "\(r.trip)", "\(s.sequence)", p.id, p.name,
                            p.address, fixed6(p.location.lon), fixed6(p.location.lat), "\(s.window.from)", "\(s.window.to)",
                            s.arrival, s.serviceStart, s.departure, "\(s.orderIds.count)", "\(s.load.crates)", "\(s.load.ambient)",
                            "\(s.load.chilled)", "\(s.load.frozen)", kg(s.load.grams), "\(s.legDistanceM)", "\(s.legDurationS)"])
            }
        }
        files.append(routes.file("routes.csv"))

        var unassigned = CSV(["order_id", "pickup_point_id", "reason"])
        for u in plan.unassigned { unassigned.row([u.orderId, u.pickupPointId, u.reason]) }
        files.append(unassigned.file("unassigned.csv"))

        files.append(OutputFile(path: "routes.geojson", contents: Data(try geoJSON(plan: plan, scenario: scenario, paths: paths).utf8)))

        // Per warehouse: batch pick list and sort sheet.
        for wh in scenario.warehouses {
            let rs = plan.routes.filter { $0.warehouseId == wh.id }
            var units: [String: Int] = [:]
            for r in rs { for s in r.stops { for id in s.orderIds { for l in byId[id]!.lines { units[l.sku, default: 0] += l.qty } } } }
            let items = units.keys.sorted { (skus[$0]!.temperature, $0) < (skus[$1]!.temperature, $1) }
            var pick = CSV(["temperature", "sku", "name", "units", "kg", "full_crates", "units_per_crate"])
            var json: [String] = []
            for id in items {
                let s = skus[id]!
                let q = units[id]!
                pick.row([s.temperature.rawValue, id, s.name, "\(q)", kg(q * s.weightGrams), "\(q / s.unitsPerCrate)", "\(s.unitsPerCrate)"])
                json.append("    {\"temperature\": \(jsonString(s.temperature.rawValue)), \"sku\": \(jsonString(id)), \"name\": \(jsonString(s.name)), \"units\": \(q), \"grams\": \(q * s.weightGrams)}")
            }
            files.append(pick.file(DocumentPath.warehouse(wh.id, "pick-list.csv")))
            let pickJSON = "{\n  \"warehouse_id\": \(jsonString(wh.id)),\n  \"delivery_date\": \"\(plan.deliveryDate)\",\n  \"items\": [\n"
                + json.joined(separator: ",\n") + (json.isEmpty ? "" : "\n") + "  ]\n}\n"
            files.append(OutputFile(path: DocumentPath.warehouse(wh.id, "pick-list.json"), contents: Data(pickJSON.utf8)))

            var sort = CSV(["vehicle_id", "trip", "departure", "sequence", "pickup_point_id", "pickup_point_name", "address", "arrival",
                            "orders", "ambient", "chilled", "frozen", "crates", "kg"])
            for r in rs {
                for s in r.stops {
                    let p = pts[s.pickupPointId]!
                    sort.row([r.vehicleId, "\(r.trip)", r.departure, "\(s.sequence)", p.id, p.name, p.address, s.arrival,
                              "\(s.orderIds.count)", "\(s.load.ambient)", "\(s.load.chilled)", "\(s.load.frozen)", "\(s.load.crates)",
                              kg(s.load.grams)])
                }
            }
            files.append(sort.file(DocumentPath.warehouse(wh.id, "sort-sheet.csv")))
        }

        // Per vehicle: loading list, each trip in reverse stop order (last drop loaded first).
        var vehicles: [String] = []
        for r in plan.routes where !vehicles.contains(r.vehicleId) { vehicles.append(r.vehicleId) }
        for v in vehicles {
            var load = CSV(["trip", "load_order", "sequence", "pickup_point_id", "pickup_point_name", "ambient", "chilled", "frozen",
                            "crates", "kg", "orders"])
            for r in plan.routes where r.vehicleId == v {
                for (k, s) in r.stops.reversed().enumerated() {
                    load.row(["\(r.trip)", "\(k + 1)", "\(s.sequence)", s.pickupPointId, pts[s.pickupPointId]!.name, "\(s.load.ambient)",
                              "\(s.load.chilled)", "\(s.load.frozen)", "\(s.load.crates)", kg(s.load.grams), "\(s.orderIds.count)"])
                }
            }
            files.append(load.file(DocumentPath.vehicle(v, "loading-list.csv")))
        }

        // Per pickup point: handover sheet, customer → items.
        var delivered: [String: [(route: PlannedRoute, stop: PlannedStop)]] = [:]
        for r in plan.routes { for s in r.stops { delivered[s.pickupPointId, default: []].append((r, s)) } }
        for p in scenario.pickupPoints {
            guard let visits = delivered[p.id] else { continue }
            var rows: [(key: [String], row: [String])] = []
            for (r, s) in visits {
                for id in s.orderIds {
                    let o = byId[id]!
                    for l in o.lines {
                        let sku = skus[l.sku]!
                        rows.append(([o.customerId, o.orderId], [o.customerId, o.orderId, o.groupId, l.sku, sku.name,
                                                               sku.temperature.rawValue, "\(l.qty)", r.vehicleId, s.arrival]))
                    }
                }
            }
            rows.sort { $0.key.lexicographicallyPrecedes($1.key) }
            var sheet = CSV(["customer_id", "order_id", "group_id", "sku", "name", "temperature", "qty", "vehicle_id", "arrival"])
            for r in rows { sheet.row(r.row) }
            files.append(sheet.file(DocumentPath.handover(p.id, ext: "csv")))
            files.append(OutputFile(path: DocumentPath.handover(p.id, ext: "txt"), contents: Data(printableHandover(
                point: p, visits: visits.map { ($0.route.vehicleId, $0.stop) }, rows: rows.map(\.row), date: plan.deliveryDate).utf8)))
        }
        return files
    }

    /// The sheet a group leader prints: who collects what, customer by customer.
    static func printableHandover(point p: PickupPoint, visits: [(vehicle: String, stop: PlannedStop)], rows: [[String]],
                                  date: CalendarDate) -> String {
        var out = ["提货单 Handover sheet — \(p.name) (\(p.id)), \(date)",
                   "团长 Leader: \(p.leader.name)\(p.leader.phone.map { "  \($0)" } ?? "")",
                   "地址 Address: \(p.address)"]
        for v in visits {
            out.append("车辆 Van \(v.vehicle): arrives \(v.stop.arrival.dropFirst(11).prefix(5)), \(v.stop.orderIds.count) orders, "
                       + "\(v.stop.load.crates) crates (ambient \(v.stop.load.ambient), chilled \(v.stop.load.chilled), frozen \(v.stop.load.frozen))")
        }
        // rows: customer, order, group, sku, name, temperature, qty, …
        var customer = ""
        for r in rows {
            if r[0] != customer {
                customer = r[0]
                out.append("")
                out.append("[ ] \(customer)")
            }
            out.append("      \(r[1])  \(r[4]) × \(r[6])  (\(r[5]))")
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func write(_ files: [OutputFile], to dir: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for f in folders {
                let p = (dir as NSString).appendingPathComponent(f)
                if fm.fileExists(atPath: p) { try fm.removeItem(atPath: p) }
            }
            for f in files {
                // Paths come from `DocumentPath`; this is the last line of defence against a path
                // that would leave `dir`.
                let parts = f.path.split(separator: "/", omittingEmptySubsequences: false)
                guard !f.path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                    throw GeneralError(.output, "refusing to write \"\(f.path)\": it would leave \(dir)")
                }
                let p = (dir as NSString).appendingPathComponent(f.path)
                try fm.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try f.contents.write(to: URL(fileURLWithPath: p))
            }
        } catch let e as GeneralError {
            throw e
        } catch {
            throw GeneralError(.output, "writing \(dir): \(error.localizedDescription)")
        }
    }

    /// Warehouses and stops as Points, each leg as a LineString drawn by the travel-time provider.
    static func geoJSON(plan: Plan, scenario: Scenario, paths: (Coordinate, Coordinate) throws -> [Coordinate]) throws -> String {
        let pts = Dictionary(uniqueKeysWithValues: scenario.pickupPoints.map { ($0.id, $0) })
        var features: [String] = []
        func props(_ kv: [(String, String)]) -> String {
            "{" + kv.map { "\(jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        func point(_ c: Coordinate) -> String { "{\"type\": \"Point\", \"coordinates\": [\(fixed6(c.lon)), \(fixed6(c.lat))]}" }
        for w in scenario.warehouses {
            features.append("{\"type\": \"Feature\", \"geometry\": \(point(w.location)), \"properties\": "
                + props([("kind", "\"warehouse\""), ("id", jsonString(w.id)), ("name", jsonString(w.name))]) + "}")
        }
        for r in plan.routes {
            guard let wh = scenario.warehouse(r.warehouseId) else { continue }
            var prev = (id: wh.id, at: wh.location)
            for s in r.stops.map({ Optional($0) }) + [nil] {
                let next = s.map { (id: $0.pickupPointId, at: pts[$0.pickupPointId]!.location) } ?? (id: wh.id, at: wh.location)
                let line = try paths(prev.at, next.at).map { "[\(fixed6($0.lon)), \(fixed6($0.lat))]" }.joined(separator: ", ")
                features.append("{\"type\": \"Feature\", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [\(line)]}, \"properties\": "
                    + props([("kind", "\"leg\""), ("route_id", jsonString(r.routeId)), ("vehicle_id", jsonString(r.vehicleId)),
                             ("trip", "\(r.trip)"), ("from", jsonString(prev.id)), ("to", jsonString(next.id))]) + "}")
                if let s {
                    features.append("{\"type\": \"Feature\", \"geometry\": \(point(next.at)), \"properties\": "
                        + props([("kind", "\"stop\""), ("route_id", jsonString(r.routeId)), ("vehicle_id", jsonString(r.vehicleId)),
                                 ("trip", "\(r.trip)"), ("sequence", "\(s.sequence)"), ("pickup_point_id", jsonString(s.pickupPointId)),
                                 ("name", jsonString(pts[s.pickupPointId]!.name)), ("arrival", jsonString(s.arrival)),
                                 ("orders", "\(s.orderIds.count)"), ("crates", "\(s.load.crates)")]) + "}")
                }
                prev = next
            }
        }
        return "{\"type\": \"FeatureCollection\", \"features\": [\n" + features.joined(separator: ",\n") + "\n]}\n"
    }
}

/// Rows of an RFC 4180 CSV file (public: the simulation writes its tables the same way).
public struct CSV {
    private var text: String
    public init(_ header: [String]) {
        text = ""
        row(header)
    }
    public mutating func row(_ fields: [String]) {
        text += fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }
    public func file(_ path: String) -> OutputFile {
        OutputFile(path: path, contents: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
    }
}

/// A JSON string literal (RFC 8259 escaping).
public func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

/// A number with exactly six decimals (about 0.1 m in degrees), without floating-point noise.
func fixed6(_ x: Double) -> String {
    let v = Int((x * 1_000_000).rounded())
    let a = abs(v)
    let frac = String(a % 1_000_000)
    return (v < 0 ? "-" : "") + "\(a / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
}

/// Grams as kilograms with up to three decimals ("12.5", "0.25", "3").
func kg(_ grams: Int) -> String {
    let whole = grams / 1000, rest = abs(grams % 1000)
    guard rest != 0 else { return "\(whole)" }
    var frac = String(rest)
    frac = String(repeating: "0", count: 3 - frac.count) + frac
    while frac.hasSuffix("0") { frac.removeLast() }
    return "\(whole).\(frac)"
}

extension PlanDocuments {
    /// "plan.json, routes.csv, …, 3 pick lists, 3 sort sheets, 24 loading lists, 148 handover sheets".
    public static func inventory(_ files: [OutputFile]) -> String {
        let top = files.map(\.path).filter { !$0.contains("/") }
        func count(_ suffix: String, _ name: String) -> String {
            "\(files.filter { $0.path.hasSuffix(suffix) }.count) \(name)"
        }
        return (top + [count("pick-list.csv", "pick lists"), count("sort-sheet.csv", "sort sheets"),
                       count("loading-list.csv", "loading lists"),
                       "\(files.filter { $0.path.hasPrefix("handover/") && $0.path.hasSuffix(".csv") }.count) handover sheets (csv + txt)"])
            .joined(separator: ", ")
    }
}
