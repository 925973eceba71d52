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
///     print/…  printable HTML sheets (`PrintPages`)
///
/// CSV files are UTF-8 with a byte-order mark (so spreadsheet programs show Chinese names),
/// comma-separated, RFC 4180 quoting.
public enum PlanDocuments {
    /// Folders this writer owns inside the output directory; emptied before each write so that a
    /// re-plan leaves no stale sheet behind.
    public static let folders = ["warehouses", "vehicles", "handover", "print"]

    public static func render(plan: Plan, scenario: Scenario, orders: OrderBook,
                              paths: (Coordinate, Coordinate) throws -> [Coordinate]) throws -> [OutputFile] {
        let pts = Dictionary(uniqueKeysWithValues: scenario.pickupPoints.map { ($0.id, $0) })
        let skus = Dictionary(uniqueKeysWithValues: scenario.skus.map { ($0.id, $0) })
        let byId = Dictionary(uniqueKeysWithValues: orders.orders.map { ($0.orderId, $0) })
        var files: [OutputFile] = []

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]  // sorted: byte-stable output (key order is otherwise hash order)
        files.append(OutputFile(path: "plan.json", contents: try encoder.encode(plan) + Data("\n".utf8)))
        files.append(routesCSV(plan, points: pts))
        var unassigned = CSV(["order_id", "pickup_point_id", "reason"])
        for u in plan.unassigned { unassigned.row([u.orderId, u.pickupPointId, u.reason]) }
        files.append(unassigned.file("unassigned.csv"))
        files.append(OutputFile(path: "routes.geojson", contents: Data(try geoJSON(plan: plan, scenario: scenario, paths: paths).utf8)))

        // Per warehouse: batch pick list and sort sheet.
        var pickLists: [String: PickList] = [:]
        for wh in scenario.warehouses {
            let rs = plan.routes.filter { $0.warehouseId == wh.id }
            let list = PickList(routes: rs, orders: byId, skus: skus)
            pickLists[wh.id] = list
            files.append(pickListCSV(list, path: DocumentPath.warehouse(wh.id, "pick-list.csv")))
            files.append(pickListJSON(list, warehouse: wh.id, date: plan.deliveryDate, path: DocumentPath.warehouse(wh.id, "pick-list.json")))
            files.append(sortSheetCSV(rs, points: pts, path: DocumentPath.warehouse(wh.id, "sort-sheet.csv")))
        }
        for (v, trips) in tripsByVehicle(plan) {
            files.append(loadingListCSV(vehicle: v, trips: trips, points: pts))
        }
        // Per pickup point: handover sheet, customer → items.
        let sheets = HandoverSheet.all(plan: plan, scenario: scenario, orders: byId)
        for h in sheets {
            files.append(handoverCSV(h, skus: skus))
            files.append(OutputFile(path: DocumentPath.handover(h.point.id, ext: "txt"),
                                    contents: Data(printableHandover(h, skus: skus, date: plan.deliveryDate).utf8)))
        }
        files += PrintPages.render(plan: plan, scenario: scenario, pickLists: pickLists, handovers: sheets)
        return files
    }

    /// routes.csv: one row per stop; with crate returns, the empties and the load after the stop.
    static func routesCSV(_ plan: Plan, points pts: [String: PickupPoint]) -> OutputFile {
        let returns = plan.totals.returnedCrates != nil
        var routes = CSV(["route_id", "warehouse_id", "vehicle_id", "vehicle_type_id", "trip", "sequence", "pickup_point_id",
                          "pickup_point_name", "address", "lon", "lat", "window_from", "window_to", "arrival", "service_start",
                          "departure", "orders", "crates", "ambient", "chilled", "frozen", "kg", "leg_distance_m", "leg_duration_s"]
                         + (returns ? ["returned_crates", "on_board_crates_after", "on_board_kg_after"] : []))
        for r in plan.routes {
            for s in r.stops {
                let p = pts[s.pickupPointId]!
                routes.row([r.routeId, r.warehouseId, r.vehicleId, r.vehicleTypeId, "\(r.trip)", "\(s.sequence)", p.id, p.name,
                            p.address, fixed6(p.location.lon), fixed6(p.location.lat), "\(s.window.from)", "\(s.window.to)",
                            s.arrival, s.serviceStart, s.departure, "\(s.orderIds.count)", "\(s.load.crates)", "\(s.load.ambient)",
                            "\(s.load.chilled)", "\(s.load.frozen)", kg(s.load.grams), "\(s.legDistanceM)", "\(s.legDurationS)"]
                           + (returns ? returnCells(s) : []))
            }
        }
        return routes.file("routes.csv")
    }

    /// Empties collected at a stop and what the van carries when it leaves.
    static func returnCells(_ s: PlannedStop) -> [String] {
        ["\(s.returnedCrates ?? 0)", "\(s.onBoardAfter?.crates ?? 0)", kg(s.onBoardAfter?.grams ?? 0)]
    }

    /// A warehouse's sort sheet: its stops route by route, in stop order.
    static func sortSheetCSV(_ routes: [PlannedRoute], points pts: [String: PickupPoint], path: String) -> OutputFile {
        var sort = CSV(["vehicle_id", "trip", "departure", "sequence", "pickup_point_id", "pickup_point_name", "address", "arrival",
                        "orders", "ambient", "chilled", "frozen", "crates", "kg"])
        for r in routes {
            for s in r.stops {
                let p = pts[s.pickupPointId]!
                sort.row([r.vehicleId, "\(r.trip)", r.departure, "\(s.sequence)", p.id, p.name, p.address, s.arrival,
                          "\(s.orderIds.count)", "\(s.load.ambient)", "\(s.load.chilled)", "\(s.load.frozen)", "\(s.load.crates)",
                          kg(s.load.grams)])
            }
        }
        return sort.file(path)
    }

    /// A van's loading list, each trip in reverse stop order (last drop loaded first); the van and
    /// the trip's departure are on every row, so a printed page names its van.
    static func loadingListCSV(vehicle v: String, trips: [PlannedRoute], points pts: [String: PickupPoint]) -> OutputFile {
        let returns = trips.contains { $0.returnedCrates != nil }
        var load = CSV(["vehicle_id", "vehicle_type_id", "trip", "departure", "load_order", "sequence", "pickup_point_id",
                        "pickup_point_name", "ambient", "chilled", "frozen", "crates", "kg", "orders"]
                       + (returns ? ["returned_crates"] : []))
        for r in trips {
            for (k, s) in r.loadOrder.enumerated() {
                load.row([v, r.vehicleTypeId, "\(r.trip)", r.departure, "\(k + 1)", "\(s.sequence)", s.pickupPointId,
                          pts[s.pickupPointId]!.name, "\(s.load.ambient)", "\(s.load.chilled)", "\(s.load.frozen)",
                          "\(s.load.crates)", kg(s.load.grams), "\(s.orderIds.count)"]
                         + (returns ? ["\(s.returnedCrates ?? 0)"] : []))
            }
        }
        return load.file(DocumentPath.vehicle(v, "loading-list.csv"))
    }

    /// A pickup point's handover sheet as CSV: one row per order line, with the van that brings it.
    static func handoverCSV(_ h: HandoverSheet, skus: [String: SKU]) -> OutputFile {
        var sheet = CSV(["customer_id", "order_id", "group_id", "sku", "name", "temperature", "qty", "vehicle_id", "arrival"])
        let visitOf = Dictionary(uniqueKeysWithValues: h.visits.flatMap { v in v.stop.orderIds.map { ($0, v) } })
        for o in h.orders {
            let v = visitOf[o.orderId]!
            for l in o.lines {
                let sku = skus[l.sku]!
                sheet.row([o.customerId, o.orderId, o.groupId, l.sku, sku.name, sku.temperature.rawValue, "\(l.qty)",
                           v.route.vehicleId, v.stop.arrival])
            }
        }
        return sheet.file(DocumentPath.handover(h.point.id, ext: "csv"))
    }

    /// Pick list rows per SKU, each temperature class closed by a total row (empty `sku`), the
    /// list by a grand total (empty `temperature` and `sku`).
    static func pickListCSV(_ list: PickList, path: String) -> OutputFile {
        var csv = CSV(["temperature", "sku", "name", "units", "kg", "full_crates", "loose_units", "units_per_crate", "sort_crates"])
        func total(_ t: TemperatureClass?) {
            let x = list.totals(t)
            csv.row([t?.rawValue ?? "", "", t.map { "合计 Total \($0.label)" } ?? "总计 Grand total", "\(x.units)", kg(x.grams),
                     "\(x.fullCrates)", "\(x.looseUnits)", "", "\(x.sortCrates)"])
        }
        for t in TemperatureClass.allCases {
            let lines = list.lines(t)
            for l in lines {
                csv.row([t.rawValue, l.sku.id, l.sku.name, "\(l.units)", kg(l.grams), "\(l.fullCrates)", "\(l.looseUnits)",
                         "\(l.sku.unitsPerCrate)", ""])
            }
            if !lines.isEmpty { total(t) }
        }
        total(nil)
        return csv.file(path)
    }

    static func pickListJSON(_ list: PickList, warehouse: String, date: CalendarDate, path: String) -> OutputFile {
        let items = list.lines.map { l in
            "    {\"temperature\": \(jsonString(l.sku.temperature.rawValue)), \"sku\": \(jsonString(l.sku.id)), \"name\": \(jsonString(l.sku.name)), "
                + "\"units\": \(l.units), \"grams\": \(l.grams), \"full_crates\": \(l.fullCrates), \"loose_units\": \(l.looseUnits)}"
        }
        let totals = TemperatureClass.allCases.filter { !list.lines($0).isEmpty }.map { t in
            let x = list.totals(t)
            return "    {\"temperature\": \(jsonString(t.rawValue)), \"units\": \(x.units), \"grams\": \(x.grams), "
                + "\"full_crates\": \(x.fullCrates), \"loose_units\": \(x.looseUnits), \"sort_crates\": \(x.sortCrates)}"
        }
        func array(_ a: [String]) -> String { "[\n" + a.joined(separator: ",\n") + (a.isEmpty ? "" : "\n") + "  ]" }
        let text = "{\n  \"warehouse_id\": \(jsonString(warehouse)),\n  \"delivery_date\": \"\(date)\",\n  \"items\": \(array(items)),\n"
            + "  \"totals\": \(array(totals))\n}\n"
        return OutputFile(path: path, contents: Data(text.utf8))
    }

    /// Lines of a printed text page (A4 at 10 pt); a customer's block is not split across pages.
    static let linesPerPage = 60

    /// The sheet a group leader prints: who collects what, customer by customer, pages separated
    /// by a form feed with the heading repeated, a signature line at the end.
    static func printableHandover(_ h: HandoverSheet, skus: [String: SKU], date: CalendarDate) -> String {
        let p = h.point
        let heading = "提货单 Handover sheet — \(p.name) (\(p.id)), \(date)"
        var head = [heading, "团长 Leader: \(p.leader.name)\(p.leader.phone.map { "  \($0)" } ?? "")", "地址 Address: \(p.address)"]
        for v in h.visits {
            let l = v.stop.load
            head.append("车辆 Van \(v.route.vehicleId): arrives \(clock(v.stop.arrival)), \(PlanSummary.counted(v.stop.orderIds.count, "order")), "
                        + "\(l.crates) crates (ambient \(l.ambient), chilled \(l.chilled), frozen \(l.frozen))")
        }
        var blocks: [[String]] = []
        var customer: String?
        for o in h.orders {
            if o.customerId != customer {
                customer = o.customerId
                blocks.append(["", "[ ] \(o.customerId)"])
            }
            for l in o.lines {
                let s = skus[l.sku]!
                blocks[blocks.count - 1].append("      \(o.orderId)  \(s.name) × \(l.qty)  (\(s.temperature.rawValue))")
            }
        }
        blocks.append(["", "", "团长签收 Leader's signature ________________    时间 Time ________"])
        var pages = [head]
        for b in blocks {
            if pages[pages.count - 1].count + b.count > linesPerPage && pages[pages.count - 1].count > 1 {
                pages.append([heading + " (续 continued)"])
            }
            pages[pages.count - 1] += b
        }
        return pages.map { $0.joined(separator: "\n") + "\n" }.joined(separator: "\u{0C}")
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
    var out = ""
    appendJSONString(s, to: &out)
    return out
}

/// `jsonString(s)` appended to `out`, without a string of its own (the ingest path writes a
/// canonical body per order with it).
public func appendJSONString(_ s: String, to out: inout String) {
    out.append("\"")
    // Most ids and names need no escape: one scan of the bytes, then a plain append.
    if !s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
        out.append(s)
    } else {
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
    }
    out.append("\"")
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
    /// "plan.json, routes.csv, …, 3 pick lists, 3 sort sheets, 24 loading lists, 148 handover sheets, 183 printable pages".
    public static func inventory(_ files: [OutputFile]) -> String {
        let top = files.map(\.path).filter { !$0.contains("/") }
        func count(_ suffix: String, _ name: String) -> String {
            PlanSummary.counted(files.filter { $0.path.hasSuffix(suffix) }.count, name)
        }
        let handover = files.filter { $0.path.hasPrefix("handover/") && $0.path.hasSuffix(".csv") }.count
        let pages = files.filter { $0.path.hasPrefix("print/") }.count
        return (top + [count("pick-list.csv", "pick list"), count("sort-sheet.csv", "sort sheet"),
                       count("loading-list.csv", "loading list"),
                       PlanSummary.counted(handover, "handover sheet") + " (csv + txt)",
                       PlanSummary.counted(pages, "printable page") + " (print/index.html)"])
            .joined(separator: ", ")
    }
}
