import Foundation

/// An independent checker of a written plan. It reads the output directory, the scenario and the
/// orders as raw JSON and CSV with its own code (nothing from the planner), and lists every
/// broken promise:
/// - every order is in exactly one handover sheet, or in `unassigned` with a reason;
/// - stop loads match the orders (crate rule re-implemented here) and trips fit their van;
/// - service starts inside the pickup point's receiving window, vans only where they fit;
/// - trips respect shifts, dock hours, trip counts, reload and service times;
/// - pick lists total exactly what the delivered orders ordered, per warehouse and SKU, split
///   into full crates and loose units, with class totals that add up and match the stops' crates;
/// - loading lists are the exact reverse of each trip's stop order and name van and departure.
/// - with crate returns, the van's load after every stop (deliveries ahead plus empties collected)
///   fits it and matches plan.json, and each point's empties are what the scenario says.
public struct PlanCheckReport: Sendable {
    public var violations: [String] = []
    public var orders = 0
    public var stops = 0
    public var trips = 0
    public var isValid: Bool { violations.isEmpty }
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    public var summary: String {
        "checked \(Self.counted(orders, "order")), \(Self.counted(trips, "trip")), \(Self.counted(stops, "stop")): "
            + (isValid ? "no violations" : "\(violations.count) violation\(violations.count == 1 ? "" : "s")")
    }
}

public enum PlanChecker {
    public static func check(outputDirectory out: String, scenarioFile: String, ordersFile: String) -> PlanCheckReport {
        var c = Checker(out: out)
        c.run(scenarioFile: scenarioFile, ordersFile: ordersFile)
        return c.report
    }
}

private typealias Object = [String: Any]

private struct Checker {
    let out: String
    var report = PlanCheckReport()

    init(out: String) { self.out = out }

    mutating func fail(_ s: String) { report.violations.append(s) }

    func read(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    mutating func json(_ path: String) -> Object? {
        guard let d = read(path) else { fail("\(path): missing"); return nil }
        guard let o = (try? JSONSerialization.jsonObject(with: d)) as? Object else { fail("\(path): not a JSON object"); return nil }
        return o
    }

    /// Rows of a CSV file as dictionaries keyed by the header.
    mutating func csv(_ path: String) -> [[String: String]]? {
        guard let d = read(path) else { fail("\(path): missing"); return nil }
        var text = String(decoding: d, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = []
        var row: [String] = [], field = "", quoted = false, afterQuote = false
        var it = text.unicodeScalars.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(ch) }
                continue
            }
            switch ch {
            case "\"": if afterQuote { field += "\"" }; quoted = true
            case ",": row.append(field); field = ""
            case "\r": break
            case "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.unicodeScalars.append(ch)
            }
            afterQuote = false
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        guard let header = rows.first else { fail("\(path): empty"); return nil }
        var result: [[String: String]] = []
        for (i, r) in rows.dropFirst().enumerated() {
            guard r.count == header.count else { fail("\(path): row \(i + 2) has \(r.count) fields, header has \(header.count)"); continue }
            result.append(Dictionary(uniqueKeysWithValues: zip(header, r)))
        }
        return result
    }

    mutating func run(scenarioFile: String, ordersFile: String) {
        guard let scenario = json(scenarioFile), let plan = json(out + "/plan.json") else { return }
        guard let tzName = scenario["time_zone"] as? String, let tz = TimeZone(identifier: tzName),
              let date = plan["delivery_date"] as? String, let day = Day(date, tz) else {
            fail("scenario time_zone or plan delivery_date unreadable")
            return
        }
        let tables = ScenarioTables(scenario)
        guard let orders = readOrders(ordersFile) else { return }
        report.orders = orders.count
        let unassigned = checkUnassigned(plan, orders: orders)

        // Routes: loads, windows, vans, shifts.
        var facts = RouteFacts()
        let routes = plan["routes"] as? [Object] ?? []
        report.trips = routes.count
        for r in routes { checkRoute(r, tables, orders: orders, day: day, facts: &facts) }
        checkShifts(facts, tables, day: day)

        let handed = checkHandoverSheets(orders: orders)
        for id in orders.keys.sorted() {
            let inSheet = handed[id] != nil, out = unassigned.contains(id)
            if inSheet && out { fail("order \(id) is both in a handover sheet and unassigned") }
            if !inSheet && !out { fail("order \(id) is neither in a handover sheet nor unassigned") }
            if inSheet != (facts.routeStopOf[id] != nil) { fail("order \(id): handover sheets and route stops disagree") }
        }
        checkPickLists(tables, facts, orders: orders, unassigned: unassigned)
        checkLoadingLists(facts)
        let unassignedPoints = Set(unassigned.compactMap { orders[$0]?["pickup_point_id"] as? String })
        checkCrateReturns(facts, tables, unassignedPoints: unassignedPoints)
    }

    /// The orders file (JSON lines) by order id; nil when it is missing.
    mutating func readOrders(_ ordersFile: String) -> [String: Object]? {
        guard let ordersData = read(ordersFile) else { fail("\(ordersFile): missing"); return nil }
        var orders: [String: Object] = [:]
        for line in String(decoding: ordersData, as: UTF8.self).split(whereSeparator: \.isNewline)
        where !line.allSatisfy(\.isWhitespace) {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? Object, let id = o["order_id"] as? String else {
                fail("\(ordersFile): unreadable line")
                continue
            }
            orders[id] = o
        }
        return orders
    }

    /// Each unassigned order exists, once, with a reason and its own pickup point; returns their ids.
    mutating func checkUnassigned(_ plan: Object, orders: [String: Object]) -> Set<String> {
        var unassigned: Set<String> = []
        for u in plan["unassigned"] as? [Object] ?? [] {
            let id = u["order_id"] as? String ?? "?"
            if orders[id] == nil { fail("unassigned: order \(id) is not in the orders file") }
            if !unassigned.insert(id).inserted { fail("unassigned: order \(id) listed twice") }
            if ((u["reason"] as? String) ?? "").trimmingCharacters(in: .whitespaces).isEmpty { fail("unassigned: order \(id) has no reason") }
            if let o = orders[id], u["pickup_point_id"] as? String != o["pickup_point_id"] as? String {
                fail("unassigned: order \(id) has the wrong pickup point")
            }
        }
        return unassigned
    }

    /// One trip of plan.json: its van type and dock hours, each stop, and the van's capacity.
    mutating func checkRoute(_ r: Object, _ tables: ScenarioTables, orders: [String: Object], day: Day, facts: inout RouteFacts) {
        let rid = r["route_id"] as? String ?? "?"
        let vid = r["vehicle_id"] as? String ?? "?"
        let trip = int(r["trip"])
        guard let (wid, type) = tables.types[r["vehicle_type_id"] as? String ?? ""], wid == r["warehouse_id"] as? String,
              let wh = tables.warehouses[wid] else {
            fail("\(rid): vehicle type \(r["vehicle_type_id"] ?? "?") is not a type of warehouse \(r["warehouse_id"] ?? "?")")
            return
        }
        facts.vehiclesOfType[str(type["id"]), default: []].insert(vid)
        guard let dep = iso(r["departure"]), let ret = iso(r["return"]) else { fail("\(rid): unreadable departure or return"); return }
        facts.vehicleTrips[vid, default: []].append((trip, dep, ret, type))
        facts.departures[vid, default: [:]][trip] = str(r["departure"])
        facts.tripNumbers[vid, default: []].append(trip)
        let dock = window(wh["dock_hours"], day)
        if dep < dock.from { fail("\(rid): departs before the dock opens") }
        if ret > dock.to { fail("\(rid): returns after the dock closes") }

        var progress = TripProgress(clock: dep)
        for (k, s) in (r["stops"] as? [Object] ?? []).enumerated() {
            checkStop(s, number: k + 1, route: rid, warehouse: wid, type: type, tables, orders: orders, day: day,
                      trip: &progress, facts: &facts)
        }
        if ret < progress.clock { fail("\(rid): returns before leaving the last stop") }
        facts.stopOrder[vid, default: []].append(progress.sequence)
        if progress.crates > int(type["capacity_crates"]) { fail("\(rid): \(progress.crates) crates on a van for \(int(type["capacity_crates"]))") }
        if progress.grams > int(type["capacity_kg"]) * 1000 { fail("\(rid): \(progress.grams) g on a van for \(int(type["capacity_kg"])) kg") }
        checkLoadAfterEachStop(progress, route: rid, type: type, emptyCrateGrams: tables.emptyCrateGrams)
    }

    /// With crate returns the van drops and collects at every stop: it leaves with the trip's
    /// deliveries, and after each stop carries the deliveries still ahead plus the empties so far.
    /// That load must fit the van after every stop and match plan.json's `on_board_after`.
    mutating func checkLoadAfterEachStop(_ trip: TripProgress, route rid: String, type: Object, emptyCrateGrams: Int) {
        var crates = trip.crates, grams = trip.grams
        for s in trip.stops {
            crates += s.empties - s.crates
            grams += s.empties * emptyCrateGrams - s.grams
            if crates > int(type["capacity_crates"]) { fail("\(s.label): \(crates) crates on board after the stop, on a van for \(int(type["capacity_crates"]))") }
            if grams > int(type["capacity_kg"]) * 1000 { fail("\(s.label): \(grams) g on board after the stop, on a van for \(int(type["capacity_kg"])) kg") }
            if let after = s.after, int(after["crates"]) != crates || int(after["grams"]) != grams {
                fail("\(s.label): on_board_after says \(after["crates"] ?? "?") crates / \(after["grams"] ?? "?") g, the loads make \(crates) crates / \(grams) g")
            }
        }
    }

    /// Each point's empties over its stops: what the scenario says it hands back, or (when some of
    /// its orders are not delivered) at most that.
    mutating func checkCrateReturns(_ facts: RouteFacts, _ tables: ScenarioTables, unassignedPoints: Set<String>) {
        guard tables.hasCrateReturns else { return }
        for (pid, returned) in facts.pointEmpties.sorted(by: { $0.key < $1.key }) {
            guard let p = tables.points[pid] else { continue }
            let expected = tables.emptyCrates(p, delivered: facts.pointCrates[pid, default: 0])
            if unassignedPoints.contains(pid) ? returned > expected : returned != expected {
                fail("\(pid): its stops collect \(returned) empty crates, the scenario makes \(expected)")
            }
        }
    }

    /// One stop: sequence, van class, load against its orders, times against window and service.
    mutating func checkStop(_ s: Object, number: Int, route rid: String, warehouse wid: String, type: Object,
                            _ tables: ScenarioTables, orders: [String: Object], day: Day,
                            trip: inout TripProgress, facts: inout RouteFacts) {
        report.stops += 1
        let pid = s["pickup_point_id"] as? String ?? "?"
        let label = "\(rid) stop \(number) (\(pid))"
        trip.sequence.append("\(int(s["sequence"])):\(pid)")
        if int(s["sequence"]) != number { fail("\(label): sequence \(int(s["sequence"])), expected \(number)") }
        guard let p = tables.points[pid] else { fail("\(label): unknown pickup point"); return }
        if rank(type["class"]) > rank(p["max_vehicle"]) { fail("\(label): a \(type["class"] ?? "?") van cannot reach it") }
        // Load from the orders.
        var units: [String: Int] = [:]
        for id in s["order_ids"] as? [String] ?? [] {
            guard let o = orders[id] else { fail("\(label): order \(id) does not exist"); continue }
            if o["pickup_point_id"] as? String != pid { fail("\(label): order \(id) belongs to \(o["pickup_point_id"] ?? "?")") }
            if facts.routeStopOf[id] != nil { fail("\(label): order \(id) is on two stops") }
            facts.routeStopOf[id] = pid
            for l in orderLines(o) {
                units[l.sku, default: 0] += l.qty
                facts.warehouseUnits[wid, default: [:]][l.sku, default: 0] += l.qty
            }
        }
        let load = crates(units, tables.skus)
        let reported = s["load"] as? Object ?? [:]
        if load.total != int(reported["crates"]) || load.grams != int(reported["grams"])
            || load.byClass["ambient"] != int(reported["ambient"]) || load.byClass["chilled"] != int(reported["chilled"])
            || load.byClass["frozen"] != int(reported["frozen"]) {
            fail("\(label): load \(reported["crates"] ?? "?") crates / \(reported["grams"] ?? "?") g, the orders make \(load.total) crates / \(load.grams) g")
        }
        trip.crates += load.total
        for (k, n) in load.byClass { facts.warehouseCrates[wid, default: [:]][k, default: 0] += n }
        trip.grams += load.grams
        var empties = s["returned_crates"] == nil ? 0 : int(s["returned_crates"])
        if tables.hasCrateReturns && (s["returned_crates"] == nil || s["on_board_after"] == nil) {
            fail("\(label): the scenario has crate returns; returned_crates or on_board_after is missing")
        }
        if empties < 0 || empties > 1_000_000 {
            fail("\(label): returned_crates \(s["returned_crates"] ?? "?") is not a count of crates")
            empties = 0
        }
        trip.stops.append((load.total, load.grams, empties, s["on_board_after"] as? Object, label))
        facts.pointEmpties[pid, default: 0] += empties
        facts.pointCrates[pid, default: 0] += load.total
        // Times.
        guard let arrival = iso(s["arrival"]), let start = iso(s["service_start"]), let leave = iso(s["departure"]) else {
            fail("\(label): unreadable times")
            return
        }
        let w = window(p["receiving_window"], day)
        if arrival < trip.clock { fail("\(label): arrives before leaving the previous stop") }
        if start < arrival { fail("\(label): service starts before arrival") }
        if start < w.from || start > w.to { fail("\(label): service starts at \(s["service_start"] ?? "?"), outside the window") }
        if arrival > w.to { fail("\(label): arrives after the window closes") }
        let service = (p["service"] as? Object) ?? tables.defaultService
        // Crates handed over and empties loaded both take the per-crate time.
        let need = int(service["fixed_seconds"]) + int(service["per_crate_seconds"]) * (load.total + empties)
        if leave - start < need { fail("\(label): \(leave - start) s of service, needs \(need) s") }
        trip.clock = leave
    }

    /// Shifts, trip numbers and reloads per van, and vans used per type within the fleet.
    mutating func checkShifts(_ facts: RouteFacts, _ tables: ScenarioTables, day: Day) {
        for (vid, trips) in facts.vehicleTrips {
            let ts = trips.sorted { $0.trip < $1.trip }
            let type = ts[0].type
            guard let shiftStart = day.local(type["shift_start"] as? String) else { fail("\(vid): unreadable shift start"); continue }
            let length = int(type["shift_length_minutes"]) * 60
            if ts.map(\.trip) != Array(1...ts.count) { fail("\(vid): trips are \(ts.map(\.trip)), expected 1…\(ts.count)") }
            if ts.count > int(type["max_trips"]) { fail("\(vid): \(ts.count) trips, at most \(int(type["max_trips"]))") }
            if ts[0].dep < shiftStart { fail("\(vid): leaves before its shift starts") }
            if ts.last!.ret > shiftStart + length { fail("\(vid): back after its shift ends") }
            if ts.last!.ret - ts[0].dep > length { fail("\(vid): works \(ts.last!.ret - ts[0].dep) s, shift is \(length) s") }
            for k in 1..<ts.count where ts[k].dep < ts[k - 1].ret + int(type["reload_minutes"]) * 60 {
                fail("\(vid): trip \(ts[k].trip) leaves before the reload after trip \(ts[k - 1].trip) is done")
            }
        }
        for (tid, vs) in facts.vehiclesOfType where vs.count > int(tables.types[tid]!.type["count"]) {
            fail("vehicle type \(tid): \(vs.count) vehicles used, the fleet has \(int(tables.types[tid]!.type["count"]))")
        }
    }

    /// Each handover sheet lists existing orders of its own point with their customer and exact
    /// lines; returns the sheet (pickup point) of each order listed.
    mutating func checkHandoverSheets(orders: [String: Object]) -> [String: String] {
        var handed: [String: String] = [:]
        let sheets = (try? FileManager.default.contentsOfDirectory(atPath: out + "/handover")) ?? []
        for f in sheets.sorted() where f.hasSuffix(".csv") {
            let pid = String(f.dropLast(4)).removingPercentEncoding ?? "?"
            guard let rows = csv(out + "/handover/" + f) else { continue }
            var got: [String: [String: Int]] = [:]
            for row in rows {
                let id = row["order_id"] ?? "?"
                guard let o = orders[id] else { fail("handover \(pid): order \(id) does not exist"); continue }
                if let other = handed[id], other != pid { fail("order \(id) is in handover sheets \(other) and \(pid)") }
                handed[id] = pid
                if o["pickup_point_id"] as? String != pid { fail("handover \(pid): order \(id) belongs to \(o["pickup_point_id"] ?? "?")") }
                if row["customer_id"] != o["customer_id"] as? String { fail("handover \(pid): order \(id) shows the wrong customer") }
                got[id, default: [:]][row["sku"] ?? "?", default: 0] += Int(row["qty"] ?? "") ?? -1
            }
            for (id, items) in got {
                let want = Dictionary(orderLines(orders[id]!).map { ($0.sku, $0.qty) }, uniquingKeysWith: +)
                if items != want { fail("handover \(pid): order \(id) lists \(items), ordered \(want)") }
            }
        }
        return handed
    }

    /// Pick lists total what the routes of their warehouse carry, and all of them what was planned.
    mutating func checkPickLists(_ tables: ScenarioTables, _ facts: RouteFacts, orders: [String: Object], unassigned: Set<String>) {
        var picked: [String: Int] = [:]
        for wid in tables.warehouses.keys.sorted() {
            guard let rows = csv("\(out)/warehouses/\(fileName(wid))/pick-list.csv") else { continue }
            var listed: [String: Int] = [:]
            for row in rows where row["sku"] != "" {
                let sku = row["sku"] ?? "?"
                if tables.skus[sku]?.temp != row["temperature"] { fail("pick list \(wid): \(sku) under the wrong temperature class") }
                let units = Int(row["units"] ?? "") ?? -1
                listed[sku, default: 0] += units
                picked[sku, default: 0] += max(0, units)
                if let s = tables.skus[sku], Int(row["full_crates"] ?? "") != units / s.perCrate || Int(row["loose_units"] ?? "") != units % s.perCrate {
                    fail("pick list \(wid): \(sku) full crates and loose units do not make \(units) units of \(s.perCrate) a crate")
                }
            }
            if listed != facts.warehouseUnits[wid, default: [:]] { fail("pick list \(wid): totals differ from the orders on its routes") }
            checkPickTotals(rows, warehouse: wid, crates: facts.warehouseCrates[wid, default: [:]])
        }
        var ordered: [String: Int] = [:]
        for (id, o) in orders where !unassigned.contains(id) { for l in orderLines(o) { ordered[l.sku, default: 0] += l.qty } }
        if picked != ordered { fail("pick lists: totals over all warehouses differ from the ordered totals of planned orders") }
    }

    /// Loading lists: the reverse of each trip's stops, naming van and departure.
    mutating func checkLoadingLists(_ facts: RouteFacts) {
        let vehicleDirs = ((try? FileManager.default.contentsOfDirectory(atPath: out + "/vehicles")) ?? []).map { $0.removingPercentEncoding ?? $0 }
        for v in Set(vehicleDirs).subtracting(facts.stopOrder.keys) { fail("vehicles/\(v): loading list for a vehicle without routes") }
        for (vid, trips) in facts.stopOrder {
            guard let rows = csv("\(out)/vehicles/\(fileName(vid))/loading-list.csv") else { continue }
            let numbers = facts.tripNumbers[vid]!
            for row in rows where row["vehicle_id"] != vid || facts.departures[vid]?[Int(row["trip"] ?? "") ?? 0] != row["departure"] {
                fail("\(vid) trip \(row["trip"] ?? "?"): loading list names vehicle \(row["vehicle_id"] ?? "?") departing \(row["departure"] ?? "?")")
            }
            for (k, seq) in trips.enumerated() {
                let listed = rows.filter { $0["trip"] == "\(numbers[k])" }.map { "\($0["sequence"] ?? "?"):\($0["pickup_point_id"] ?? "?")" }
                if listed != Array(seq.reversed()) { fail("\(vid) trip \(numbers[k]): loading list is not the reverse of the stop order") }
                let order = rows.filter { $0["trip"] == "\(numbers[k])" }.map { Int($0["load_order"] ?? "") ?? -1 }
                if !order.isEmpty && order != Array(1...order.count) { fail("\(vid) trip \(numbers[k]): load_order is not 1, 2, …") }
            }
        }
    }
}

private typealias SKUFacts = (temp: String, grams: Int, perCrate: Int)

/// The scenario's SKUs, pickup points, warehouses and van types by id, as the checks look them up.
private struct ScenarioTables {
    var skus: [String: SKUFacts] = [:]
    var points: [String: Object] = [:]
    var types: [String: (warehouse: String, type: Object)] = [:]
    var warehouses: [String: Object] = [:]
    let defaultService: Object
    /// `crate_returns` of the scenario (nil: none) and whether any point has its own empties.
    let crateReturns: Object?
    let pointsReturnCrates: Bool

    init(_ scenario: Object) {
        for s in scenario["skus"] as? [Object] ?? [] {
            skus[str(s["id"])] = (str(s["temperature"]), int(s["weight_g"]), max(1, int(s["units_per_crate"])))
        }
        for p in scenario["pickup_points"] as? [Object] ?? [] { points[str(p["id"])] = p }
        for w in scenario["warehouses"] as? [Object] ?? [] {
            warehouses[str(w["id"])] = w
            for t in w["vehicle_types"] as? [Object] ?? [] { types[str(t["id"])] = (str(w["id"]), t) }
        }
        defaultService = scenario["service"] as? Object ?? [:]
        crateReturns = scenario["crate_returns"] as? Object
        pointsReturnCrates = points.values.contains { $0["returned_crates"] != nil }
    }

    var hasCrateReturns: Bool { crateReturns != nil || pointsReturnCrates }
    var emptyCrateGrams: Int { int(crateReturns?["empty_crate_g"]) }

    /// Empty crates point `p` hands back when `delivered` crates reach it.
    func emptyCrates(_ p: Object, delivered: Int) -> Int {
        if let n = p["returned_crates"] { return max(0, int(n)) }
        guard let r = crateReturns else { return 0 }
        return (p["previous_delivery_crates"].map(int) ?? delivered) * int(r["rate_percent"]) / 100
    }
}

/// What the routes of plan.json carry, gathered for the checks of shifts, sheets and lists.
private struct RouteFacts {
    var pointEmpties: [String: Int] = [:]                // pickup point → empty crates its stops collect
    var pointCrates: [String: Int] = [:]                 // pickup point → crates delivered there
    var routeStopOf: [String: String] = [:]              // order → pickup point of its stop
    var stopOrder: [String: [[String]]] = [:]            // vehicle → trips → "seq:point"
    var tripNumbers: [String: [Int]] = [:]
    var vehicleTrips: [String: [(trip: Int, dep: Int, ret: Int, type: Object)]] = [:]
    var vehiclesOfType: [String: Set<String>] = [:]
    var warehouseUnits: [String: [String: Int]] = [:]
    var warehouseCrates: [String: [String: Int]] = [:]  // warehouse → temperature class → crates of its stops
    var departures: [String: [Int: String]] = [:]       // vehicle → trip → departure
}

/// A trip's running totals while its stops are checked.
private struct TripProgress {
    var crates = 0, grams = 0
    /// Per stop: crates and grams delivered, empty crates collected, and plan.json's load after it.
    var stops: [(crates: Int, grams: Int, empties: Int, after: Object?, label: String)] = []
    /// When the van left the previous stop (the depot at first).
    var clock: Int
    /// "sequence:pickup point" of each stop.
    var sequence: [String] = []
}

private func orderLines(_ o: Object) -> [(sku: String, qty: Int)] {
    (o["lines"] as? [Object] ?? []).map { (str($0["sku"]), int($0["qty"])) }
}

extension Checker {
    /// Total rows (empty `sku`) of a pick list: one per temperature class listed and a grand total
    /// (empty `temperature`), each the sum of its item rows; `sort_crates` the crates of the stops.
    mutating func checkPickTotals(_ rows: [[String: String]], warehouse wid: String, crates: [String: Int]) {
        let items = rows.filter { $0["sku"] != "" }
        let classes = Set(items.map { $0["temperature"] ?? "" })
        let totals = rows.filter { $0["sku"] == "" }
        if Set(totals.map { $0["temperature"] ?? "" }) != classes.union([""]) || totals.count != classes.count + 1 {
            fail("pick list \(wid): expected one total row per temperature class and a grand total")
        }
        for t in totals {
            let cls = t["temperature"] ?? ""
            let mine = items.filter { cls == "" || $0["temperature"] == cls }
            for col in ["units", "full_crates", "loose_units"] where Int(t[col] ?? "") != mine.reduce(0, { $0 + (Int($1[col] ?? "") ?? 0) }) {
                fail("pick list \(wid): total \(col) of \(cls.isEmpty ? "all classes" : cls) is not the sum of its rows")
            }
            let want = cls.isEmpty ? crates.values.reduce(0, +) : crates[cls, default: 0]
            if Int(t["sort_crates"] ?? "") != want { fail("pick list \(wid): sort_crates of \(cls.isEmpty ? "all classes" : cls) is not \(want), the crates of its stops") }
        }
    }
}

// MARK: - Helpers (deliberately separate from the planner's code)

private func int(_ v: Any?) -> Int {
    if let n = v as? NSNumber { return n.intValue }
    if let i = v as? Int { return i }
    return Int.min
}

private func str(_ v: Any?) -> String { v as? String ?? "?" }

/// An id as the file or folder name the plan writer uses (docs/scenario-format.md, "File names"):
/// every byte outside A–Z a–z 0–9 . _ - as %XX, and "." or ".." with their dots encoded too.
private func fileName(_ id: String) -> String {
    let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
    var out = ""
    for b in id.utf8 {
        if plain.contains(b) && !(id == "." || id == "..") { out.unicodeScalars.append(UnicodeScalar(b)) }
        else { out += "%" + String(format: "%02X", b) }
    }
    return out
}

private func rank(_ c: Any?) -> Int { ["small", "medium", "large"].firstIndex(of: c as? String ?? "") ?? Int.max }

/// Crates per temperature class = ⌈Σ qty / units_per_crate⌉ over the SKUs of the class, exact:
/// with L the least common multiple of the class's units_per_crate, the fractional parts sum to
/// (Σ r·L/u) / L, both in decimal big integers (base 10^9), since L outgrows 64 bits.
private func crates(_ units: [String: Int], _ skus: [String: SKUFacts])
    -> (total: Int, byClass: [String: Int], grams: Int) {
    var whole: [String: Int] = ["ambient": 0, "chilled": 0, "frozen": 0]
    var parts: [String: [(r: Int, u: Int)]] = [:]
    var grams = 0
    for (sku, q) in units.sorted(by: { $0.key < $1.key }) {
        guard let s = skus[sku] else { continue }
        grams += q * s.grams
        whole[s.temp, default: 0] += q / s.perCrate
        if q % s.perCrate != 0 { parts[s.temp, default: []].append((q % s.perCrate, s.perCrate)) }
    }
    var by: [String: Int] = [:]
    for (k, w) in whole { by[k] = w + Decimal9.ceilingOfSum(parts[k] ?? []) }
    return (by.values.reduce(0, +), by, grams)
}

/// Unsigned integers as base-10^9 digits, least significant first (checker-only arithmetic).
private enum Decimal9 {
    static let base: UInt64 = 1_000_000_000

    /// ⌈Σ r/u⌉ for 0 < r < u ≤ 10^9.
    static func ceilingOfSum(_ fractions: [(r: Int, u: Int)]) -> Int {
        guard !fractions.isEmpty else { return 0 }
        var l: [UInt64] = [1]
        for f in fractions {
            let g = gcdSmall(mod(l, UInt64(f.u)), UInt64(f.u))
            l = times(l, UInt64(f.u) / g)
        }
        var n: [UInt64] = [0]
        for f in fractions { n = plus(n, times(over(l, UInt64(f.u)), UInt64(f.r))) }
        var count = 0
        while isPositive(n) {
            count += 1
            if !atLeast(n, l) { break }
            n = minus(n, l)
        }
        return count
    }

    static func gcdSmall(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : gcdSmall(b, a % b) }

    static func times(_ a: [UInt64], _ m: UInt64) -> [UInt64] {
        var out = a, carry: UInt64 = 0
        for i in out.indices {
            let p = out[i] * m + carry
            out[i] = p % base
            carry = p / base
        }
        while carry > 0 { out.append(carry % base); carry /= base }
        return out
    }

    static func over(_ a: [UInt64], _ d: UInt64) -> [UInt64] {
        var out = a, rest: UInt64 = 0
        for i in out.indices.reversed() {
            let cur = rest * base + out[i]
            out[i] = cur / d
            rest = cur % d
        }
        return out
    }

    static func mod(_ a: [UInt64], _ d: UInt64) -> UInt64 {
        a.reversed().reduce(0) { ($0 * base + $1) % d }
    }

    static func plus(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = a.count >= b.count ? a : b
        let other = a.count >= b.count ? b : a
        var carry: UInt64 = 0
        for i in out.indices {
            let s = out[i] + (i < other.count ? other[i] : 0) + carry
            out[i] = s % base
            carry = s / base
        }
        if carry > 0 { out.append(carry) }
        return out
    }

    static func minus(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = a, borrow: UInt64 = 0
        for i in out.indices {
            let sub = (i < b.count ? b[i] : 0) + borrow
            if out[i] >= sub { out[i] -= sub; borrow = 0 } else { out[i] = out[i] + base - sub; borrow = 1 }
        }
        return out
    }

    static func isPositive(_ a: [UInt64]) -> Bool { a.contains { $0 != 0 } }

    static func atLeast(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        for i in (0..<max(a.count, b.count)).reversed() {
            let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
            if x != y { return x > y }
        }
        return true
    }
}

/// The delivery day in the scenario's zone: local "HH:MM" → seconds since the epoch.
private struct Day {
    let midnight: Date
    let tz: TimeZone
    var calendar: Calendar

    init?(_ date: String, _ tz: TimeZone) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let p = date.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, let m = cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2])) else { return nil }
        midnight = m
        self.tz = tz
        calendar = cal
    }

    func local(_ hhmm: String?) -> Int? {
        guard let p = hhmm?.split(separator: ":").compactMap({ Int($0) }), p.count == 2,
              let d = calendar.date(bySettingHour: p[0] % 24, minute: p[1], second: 0, of: midnight) else { return nil }
        return Int(d.timeIntervalSince1970) + (p[0] == 24 ? 86_400 : 0)
    }
}

private func window(_ w: Any?, _ day: Day) -> (from: Int, to: Int) {
    let o = w as? [String: Any] ?? [:]
    return (day.local(o["from"] as? String) ?? Int.max, day.local(o["to"] as? String) ?? Int.min)
}

/// ISO 8601 with offset → seconds since the epoch.
private func iso(_ v: Any?) -> Int? {
    guard let s = v as? String else { return nil }
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s).map { Int($0.timeIntervalSince1970) }
}
