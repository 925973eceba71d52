import Foundation
import Testing

@testable import Planning

/// Regression tests of issue 11 ("Hostile input"): every number has a range checked at load,
/// ids are safe as file names, the crate rule is exact whatever units_per_crate are.
@Suite struct HostileInputTests {
    static let huge = "4611686018427387904"  // 2^62

    /// The scenario text with the number after the first `"key": ` replaced by `value`, and the
    /// line of that key.
    func scenario(setting key: String, to value: String, in text: String = Fixture.scenarioText) throws -> (text: String, line: Int) {
        let start = try #require(text.range(of: "\"\(key)\": "))
        var end = start.upperBound
        while end < text.endIndex, "-0123456789.eE".contains(text[end]) { end = text.index(after: end) }
        let line = text[..<start.lowerBound].filter { $0 == "\n" }.count + 1
        return (text.replacingCharacters(in: start.upperBound..<end, with: value), line)
    }

    func scenarioError(_ text: String) -> String {
        do {
            _ = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
        } catch {
            return String(describing: error)
        }
        return "no error"
    }

    /// Defect 2 and 3: each number that overflowed `lastmile plan` (or allocated without bound) is
    /// refused at load with its file, line, field and limit.
    @Test(arguments: [
        ("stability_penalty_cents", "stability_penalty_cents", 100_000_000),
        ("per_crate_seconds", "service.per_crate_seconds", 600),
        ("fixed_seconds", "service.fixed_seconds", 14_400),
        ("sorting_capacity_crates", "warehouses[0].sorting_capacity_crates", 10_000_000),
        ("fixed_cost_cents", "warehouses[0].fixed_cost_cents", 10_000_000_000),
        ("count", "warehouses[0].vehicle_types[0].count", 1_000),
        ("capacity_crates", "warehouses[0].vehicle_types[0].capacity_crates", 10_000),
        ("capacity_kg", "warehouses[0].vehicle_types[0].capacity_kg", 100_000),
        ("cost_per_km_cents", "warehouses[0].vehicle_types[0].cost_per_km_cents", 100_000),
        ("cost_per_hour_cents", "warehouses[0].vehicle_types[0].cost_per_hour_cents", 1_000_000),
        ("cost_per_day_cents", "warehouses[0].vehicle_types[0].cost_per_day_cents", 100_000_000),
        ("shift_length_minutes", "warehouses[0].vehicle_types[0].shift_length_minutes", 1_440),
        ("max_trips", "warehouses[0].vehicle_types[0].max_trips", 20),
        ("reload_minutes", "warehouses[0].vehicle_types[0].reload_minutes", 1_440),
        ("weight_g", "skus[0].weight_g", 1_000_000),
        ("units_per_crate", "skus[0].units_per_crate", 10_000),
    ])
    func everyScenarioNumberHasAnUpperBound(key: String, field: String, max: Int) throws {
        for value in [Self.huge, "\(max + 1)", "99999999999999999999999"] {
            let (text, line) = try scenario(setting: key, to: value)
            #expect(scenarioError(text) == "scenario.json:\(line): \(field): must be at most \(max), got \(value)")
        }
        let (text, _) = try scenario(setting: key, to: "\(max)")
        #expect(scenarioError(text) == "no error")
    }

    /// Defect 3: a vehicle count of 10^9 is refused before any van is numbered.
    @Test func billionVansAreRefused() throws {
        let (text, line) = try scenario(setting: "count", to: "1000000000")
        #expect(scenarioError(text) == "scenario.json:\(line): warehouses[0].vehicle_types[0].count: must be at most 1000, got 1000000000")
    }

    func orderError(_ text: String, scenario: Scenario? = nil) throws -> String {
        do {
            _ = try Fixture.orders(text, scenario: scenario)
        } catch let e as InputErrors {
            return e.detail
        }
        return "no error"
    }

    /// Defect 1 and 2: a quantity near 2^62 is refused at load (the daemon's ingest uses the same
    /// `OrderLoader.parseOrder`, see the server's tests).
    @Test func hugeQuantityIsRefused() throws {
        #expect(try orderError(Fixture.order("O-1", lines: #"[{"sku":"VEG","qty":\#(Self.huge)}]"#))
            == "orders.jsonl:1: lines[0].qty: must be at most 10000, got \(Self.huge)")
        #expect(try orderError(Fixture.order("O-1", lines: #"[{"sku":"VEG","qty":10000}]"#)) == "no error")
    }

    @Test func heavyOrderIsRefused() throws {
        let (text, _) = try scenario(setting: "weight_g", to: "1000000")
        let s = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
        #expect(try orderError(Fixture.order("O-1", lines: #"[{"sku":"VEG","qty":1001}]"#), scenario: s)
            == "orders.jsonl:1: lines: the order weighs 1001000 kg, more than the limit of 1000000 kg")
    }

    /// Defect 9: dates far from now.
    @Test func datesOutsideTheCenturyAreRefused() throws {
        #expect(try orderError(Fixture.order("O-1", date: "9999-12-31"))
            == "orders.jsonl:1: delivery_date: must be a date in 2000…2099, got 9999-12-31")
        #expect(try orderError(Fixture.order("O-1", completed: "0001-01-01T00:00:00+00:00"))
            == #"orders.jsonl:1: completed_at: must be a time in the years 2000…2099, got "0001-01-01T00:00:00+00:00""#)
    }

    /// Defect 4: long ids are refused naming the id's field.
    @Test func longIdsAreRefused() throws {
        let long = String(repeating: "x", count: 65)
        let text = Fixture.scenarioText.replacingOccurrences(of: #""id": "P1""#, with: #""id": "\#(long)""#)
        let line = try #require(Fixture.scenarioText.components(separatedBy: "\n").firstIndex { $0.contains(#""id": "P1""#) }) + 1
        #expect(scenarioError(text) == "scenario.json:\(line): pickup_points[0].id: must be at most 64 bytes of UTF-8, got 65")
        #expect(try orderError(Fixture.order(String(repeating: "o", count: 129)))
            == "orders.jsonl:1: order_id: must be at most 128 bytes of UTF-8, got 129")
    }

    @Test func fileNamesAreSafeAndReversible() {
        #expect(DocumentPath.segment("P1") == "P1")
        #expect(DocumentPath.segment("../../../x") == "..%2F..%2F..%2Fx")
        #expect(DocumentPath.segment("..") == "%2E%2E")
        #expect(DocumentPath.segment(".") == "%2E")
        #expect(DocumentPath.segment("a b\"%") == "a%20b%22%25")
        #expect(DocumentPath.segment("中") == "%E4%B8%AD")
        for id in ["P1", "../../../x", "..", ".", "a b\"%", "中 心/仓", "x.y-z_"] {
            #expect(DocumentPath.id(ofSegment: DocumentPath.segment(id)) == id)
            #expect(!DocumentPath.segment(id).contains("/"))
        }
        #expect(DocumentPath.handover("../x", ext: "csv") == "handover/..%2Fx.csv")
        #expect(DocumentPath.normalized("handover/%E4%B8%AD%201.json") == "handover/%E4%B8%AD%201.json")
        #expect(DocumentPath.normalized("handover/中 1.json") == "handover/%E4%B8%AD%201.json")
        #expect(DocumentPath.normalized("handover/%ZZ.json") == nil)
    }

    /// Defect 4: ids that are paths stay inside --out, and the checker finds every sheet.
    @Test func pathLikeIdsStayInsideTheOutputDirectory() throws {
        var text = Fixture.scenarioText
        let ids = ["P1": "../../../x", "P2": "中 心", "WA": "..", "WA-VAN": "/etc/passwd"]
        for (old, new) in ids { text = text.replacingOccurrences(of: "\"\(old)\"", with: "\"\(new)\"") }
        var orders = Fixture.ordersText
        for (old, new) in ids { orders = orders.replacingOccurrences(of: "\"\(old)\"", with: "\"\(new)\"") }
        let s = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
        let book = try Fixture.orders(orders, scenario: s)
        let (plan, dir, report) = try planAndCheck(s, book, name: "hostile-ids")
        #expect(report.violations == [])
        #expect(plan.routes.contains { $0.stops.contains { $0.pickupPointId == "../../../x" } })
        let parent = (dir as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("../../../x.csv")))
        #expect(FileManager.default.fileExists(atPath: dir + "/handover/..%2F..%2F..%2Fx.csv"))
        #expect(FileManager.default.fileExists(atPath: dir + "/warehouses/%2E%2E/pick-list.csv"))
        #expect(!FileManager.default.fileExists(atPath: parent + "/pick-list.csv"))
    }

    @Test func writerRefusesAPathThatLeavesTheDirectory() throws {
        let dir = try temporaryDirectory("hostile-write")
        #expect(throws: GeneralError(.output, "refusing to write \"handover/../../x.csv\": it would leave \(dir)")) {
            try PlanDocuments.write([OutputFile(path: "handover/../../x.csv", contents: Data())], to: dir)
        }
    }

    /// Defect 9: a map path that is a directory or a device says so (it used to say "not found").
    @Test(arguments: [".", "/dev/null"])
    func aMapThatIsNoFileSaysWhatItIs(map: String) throws {
        var s = try Fixture.scenario()
        s.map = map
        let dir = try temporaryDirectory("hostile-map")
        do {
            _ = try TravelTimes.choose(for: s, scenarioFile: dir + "/scenario.json")
            Issue.record("no error")
        } catch let e as LastmileError {
            #expect(e.kind == .input)
            #expect(e.detail.hasSuffix(map == "." ? "the map is a directory, not an OpenStreetMap file" : "the map is a device, not an OpenStreetMap file"))
        }
    }

    func tally(_ parts: [(units: Int, perCrate: Int)]) -> Load {
        var skus: [String: SKU] = [:]
        var t = UnitTally()
        var lines: [OrderLine] = []
        for (k, p) in parts.enumerated() {
            let id = String(format: "S%03d", k)
            skus[id] = SKU(id: id, name: id, weightGrams: 1, temperature: .ambient, unitsPerCrate: p.perCrate)
            lines.append(OrderLine(sku: id, qty: p.units))
        }
        t.add(Order(orderId: "O", groupId: "G", pickupPointId: "P", customerId: "C", deliveryDate: CalendarDate(year: 2025, month: 9, day: 16)!,
                    completedAt: Timestamp.parse("2025-09-15T20:00:00+08:00")!, lines: lines))
        return t.load(skus: skus)
    }

    /// Defect 5: the crate rule is exact when the fractions' common denominator outgrows 64
    /// bits (the old rule counted such a partial crate whole, and the checker differently).
    @Test func crateRuleIsExactBeyondSixtyFourBits() {
        let primes = [9973, 9967, 9949, 9941, 9931, 9929, 9923, 9907, 9901, 9887]   // lcm ≈ 10^40
        // (p−1)/p + 1/p for each p: exactly one crate per prime.
        #expect(tally(primes.flatMap { [(units: $0 - 1, perCrate: $0), (units: 1, perCrate: $0)] }).crates == primes.count)
        // Σ (p−1)/p = 10 − Σ 1/p, a little under 10: 10 crates.
        #expect(tally(primes.map { (units: $0 - 1, perCrate: $0) }).crates == 10)
        // 1/2 + 1/3 + 1/6 = 1.
        #expect(tally([(1, 2), (1, 3), (1, 6)]).crates == 1)
        #expect(tally([(1, 2), (1, 3), (1, 7)]).crates == 1)
        #expect(tally([(1, 2), (1, 3), (1, 5)]).crates == 2)
    }

    /// Defect 5: a plan with large coprime units_per_crate agrees with the checker.
    @Test func largeUnitsPerCratePassesTheChecker() throws {
        var text = Fixture.scenarioText
        for (old, new) in [("20", "9973"), ("10", "9967"), ("4", "9949"), ("30", "9941"), ("16", "9931")] {
            text = text.replacingOccurrences(of: "\"units_per_crate\": \(old)\n", with: "\"units_per_crate\": \(new)\n")
        }
        let s = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
        #expect(Set(s.skus.map(\.unitsPerCrate)).count >= 5)
        let orders = Fixture.ordersText.replacingOccurrences(of: "\"qty\": 1}", with: "\"qty\": 7}")
        let book = try Fixture.orders(orders, scenario: s)
        let (plan, _, report) = try planAndCheck(s, book, name: "hostile-crates")
        #expect(report.violations == [])
        #expect(plan.totals.ordersPlanned > 0)
    }

    /// Found by tools/fuzz: when no order fits any van, the plan lists them all as unassigned
    /// (the allocation MIP used to stop with a GLPK fatal error on a model GLPK's presolver emptied).
    @Test func aDayNoVanCanCarryIsAllUnassigned() throws {
        let orders = Fixture.ordersText.replacingOccurrences(of: "\"qty\": 1}", with: "\"qty\": 9000}")
        let book = try Fixture.orders(orders)
        let (plan, _, report) = try planAndCheck(try Fixture.scenario(), book, name: "hostile-heavy")
        #expect(report.violations == [])
        #expect(plan.totals.ordersPlanned == 0 && plan.unassigned.count == book.orders.count)
    }

    /// Sums that grow with the number of orders: a point too big for any fleet is an input error,
    /// not a trap or an unbounded allocation.
    @Test func aPointOfTooManyVanLoadsIsAnInputError() throws {
        let (text, _) = try scenario(setting: "units_per_crate", to: "1")
        let s = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
        let orders = (1...17).map { Fixture.order("BIG-\($0)", lines: #"[{"sku":"VEG","qty":10000}]"#) }.joined(separator: "\n")
        let book = try Fixture.orders(orders, scenario: s)
        do {
            _ = try DailyPlanner.plan(scenario: s, orders: book, travel: try TravelTimes.choose(for: s, scenarioFile: nil), options: .greedy())
            Issue.record("planned")
        } catch let e as GeneralError {
            #expect(e.kind == .input && e.detail.hasSuffix("more than the limit of 5000 drops per warehouse"))
        }
    }
}
