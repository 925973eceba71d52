import Foundation
import Planning
import RoadNetwork
import Testing

@testable import Simulation

@Suite struct VariantTests {
    /// Line (1-based) of the first occurrence of `needle` after `section` (a top-level key).
    func line(of needle: String, in bytes: [UInt8], after section: String = "\"variants\"", occurrence: Int = 1) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        var start = text.range(of: section)!.upperBound
        var hit = start
        for _ in 0..<occurrence {
            hit = text.range(of: needle, range: start..<text.endIndex)!.lowerBound
            start = text.index(after: hit)
        }
        return text[..<hit].filter { $0 == "\n" }.count + 1
    }

    func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try SimulationLoader.parse(bytes, file: "scenario.json")
            return nil
        } catch {
            return error.detail
        }
    }

    @Test func fixtureLoads() throws {
        let s = try Fixture.setup()
        #expect(s.seed == 7)
        #expect(s.startDate == CalendarDate(year: 2025, month: 9, day: 15))
        #expect(s.demand.ordersPerPoint == 5)
        #expect(s.demand.pointFactors == ["P1": 1.5, "P3": 0.6])
        #expect(s.demand.promotions == [.init(name: "mid-autumn", when: .date(CalendarDate(year: 2025, month: 9, day: 17)!), factor: 1.5)])
        #expect(s.demand.temperatureMix == [.ambient: 60, .chilled: 30, .frozen: 10])
        #expect(s.demand.completion == .init(from: LocalTime(8, 0), peak: LocalTime(21, 0), to: LocalTime(24, 0)))
        #expect(s.variants.map(\.name) == ["demand+30%", "new-warehouse-north", "cutoff-21:00", "close-WB"])
        #expect(try s.select(nil).map(\.name) == ["base", "demand+30%", "new-warehouse-north", "cutoff-21:00", "close-WB"])
        #expect(try s.select(["cutoff-21:00", "base"]).map(\.name) == ["cutoff-21:00", "base"])
    }

    /// `lastmile plan` reads the same file and ignores the simulation's sections.
    @Test func plannerIgnoresTheSections() throws {
        let withSections = try ScenarioLoader.parse(Array(Fixture.tinyText.utf8), file: "scenario.json")
        var root = try JSONSerialization.jsonObject(with: Data(Fixture.tinyText.utf8)) as! [String: Any]
        root["simulation"] = nil
        root["variants"] = nil
        let without = try ScenarioLoader.parse(Array(try JSONSerialization.data(withJSONObject: root)), file: "scenario.json")
        #expect(withSections == without)
    }

    @Test func eachChangeKind() throws {
        let base = try Fixture.setup().scenario
        let at = SourcePosition(file: "scenario.json", line: 1, path: "variants[0].changes[0]")
        func apply(_ c: ScenarioChange...) throws -> VariantWorld {
            try Variant(name: "v", changes: c.map { ($0, at) }).apply(to: base)
        }
        var wc = base.warehouses[1]
        wc.id = "WC"
        wc.vehicleTypes[0].id = "WC-VAN"
        let added = try apply(.addWarehouse(wc))
        #expect(added.scenario.warehouses.map(\.id) == ["WA", "WB", "WC"])
        #expect(added.scenario.pickupPoints == base.pickupPoints)

        let moved = try apply(.moveWarehouse(id: "WB", location: Coordinate(lon: 121.52, lat: 31.2), address: "新址"))
        #expect(moved.scenario.warehouses[1].location == Coordinate(lon: 121.52, lat: 31.2))
        #expect(moved.scenario.warehouses[1].address == "新址")
        #expect(moved.scenario.warehouses[0] == base.warehouses[0])

        let closed = try apply(.closeWarehouse(id: "WB"))
        #expect(closed.scenario.warehouses.map(\.id) == ["WA"])
        #expect(closed.scenario.pickupPoints.map(\.previousWarehouseId) == ["WA", "WA", "WA", nil, nil, nil, nil, nil])

        let scaled = try apply(.scaleDemand(factor: 1.3, pickupPoints: nil), .scaleDemand(factor: 2, pickupPoints: ["P2"]))
        #expect(scaled.demandFactors == [1.3, 2.6, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3])
        #expect(scaled.scenario == base)

        #expect(try apply(.cutoff(LocalTime(22, 0))).scenario.cutoff == LocalTime(22, 0))

        let w = TimeWindow(from: LocalTime(7, 0), to: LocalTime(8, 30))
        let windows = try apply(.receivingWindows(w, pickupPoints: ["P1", "P4"]))
        #expect(windows.scenario.pickupPoints.map(\.receivingWindow) == [w, base.pickupPoints[1].receivingWindow,
            base.pickupPoints[2].receivingWindow, w] + base.pickupPoints[4...].map(\.receivingWindow))
        #expect(try apply(.receivingWindows(w, pickupPoints: nil)).scenario.pickupPoints.allSatisfy { $0.receivingWindow == w })

        let vans = try apply(.vehicleCount(vehicleTypeId: "WA-MINI", count: 5))
        #expect(vans.scenario.warehouses[0].vehicleTypes[1].count == 5)
        var truck = base.warehouses[0].vehicleTypes[0]
        truck.id = "WB-TRUCK"
        truck.vehicleClass = .large
        let mix = try apply(.addVehicleType(warehouseId: "WB", truck))
        #expect(mix.scenario.warehouses[1].vehicleTypes.map(\.id) == ["WB-VAN", "WB-TRUCK"])

        let reassigned = try apply(.reassignPoints(pickupPoints: ["P2", "P5"]))
        #expect(reassigned.scenario.pickupPoints.map(\.previousWarehouseId) == ["WA", nil, "WA", "WB", nil, "WB", nil, nil])
        #expect(try apply(.reassignPoints(pickupPoints: nil)).scenario.pickupPoints.allSatisfy { $0.previousWarehouseId == nil })

        // A later change sees an earlier one: add a warehouse, then give it more vans.
        let chained = try apply(.addWarehouse(wc), .vehicleCount(vehicleTypeId: "WC-VAN", count: 9))
        #expect(chained.scenario.warehouses[2].vehicleTypes[0].count == 9)
        #expect(chained.changes == [ScenarioChange.addWarehouse(wc).summary, "WC-VAN: 9 vans"])
    }

    @Test func declaredVariantsApply() throws {
        let s = try Fixture.setup()
        let worlds = try s.variants.map { try $0.apply(to: s.scenario) }
        #expect(worlds[0].demandFactors.allSatisfy { $0 == 1.3 })
        #expect(worlds[1].scenario.warehouses.map(\.id) == ["WA", "WB", "WC"])
        #expect(worlds[1].scenario.warehouses[2].name == "北仓 <新>")
        #expect(worlds[2].scenario.cutoff == LocalTime(21, 0))
        #expect(worlds[3].scenario.warehouses.map(\.id) == ["WA"])
        #expect(worlds[3].scenario.warehouses[0].vehicleTypes[0].count == 4)
    }

    @Test func errorsNameFileLineAndField() throws {
        func check(_ variants: String, marker: String, occurrence: Int = 1, _ expected: (Int) -> String) {
            let bytes = Fixture.withVariants(variants)
            let m = message(bytes)
            #expect(m == expected(line(of: marker, in: bytes, occurrence: occurrence)), "\(variants)")
        }
        check(#"[{"name": "x", "changes": [{"change": "move_warehouse", "warehouse_id": "WH-NOPE", "location": {"lon": 121.5, "lat": 31.2}}]}]"#,
              marker: "WH-NOPE") { #"scenario.json:\#($0): variants[0].changes[0].warehouse_id: unknown warehouse "WH-NOPE""# }
        check(#"[{"name": "x", "changes": [{"change": "close_warehouse", "warehouse_id": "WB"}, {"change": "close_warehouse", "warehouse_id": "WA"}]}]"#,
              marker: #""WA""#) { #"scenario.json:\#($0): variants[0].changes[1].warehouse_id: cannot close "WA", the last warehouse"# }
        check(#"[{"name": "x", "changes": [{"change": "scale_demand", "factor": 1.2, "pickup_points": ["P1", "P99"]}]}]"#,
              marker: #""P99""#) { #"scenario.json:\#($0): variants[0].changes[0].pickup_points[1]: unknown pickup point "P99""# }
        check(#"[{"name": "x", "changes": [{"change": "vehicle_count", "vehicle_type_id": "NOPE-VAN", "count": 3}]}]"#,
              marker: "NOPE-VAN") { #"scenario.json:\#($0): variants[0].changes[0].vehicle_type_id: unknown vehicle type "NOPE-VAN""# }
        check(#"[{"name": "x", "changes": [{"change": "vehicle_count", "vehicle_type_id": "WA-VAN", "count": -1}]}]"#,
              marker: "-1") { #"scenario.json:\#($0): variants[0].changes[0].count: must be an integer ≥ 0, got -1"# }
        check(#"[{"name": "x", "changes": [{"change": "teleport"}]}]"#, marker: "teleport") {
            #"scenario.json:\#($0): variants[0].changes[0].change: unknown change "teleport" (expected one of: add_warehouse, move_warehouse, close_warehouse, scale_demand, cutoff, receiving_windows, vehicle_count, add_vehicle_type, reassign_points)"#
        }
        check(#"[{"name": "x", "changes": [{"change": "cutoff", "cutoff": "25:00"}]}]"#, marker: "25:00") {
            #"scenario.json:\#($0): variants[0].changes[0].cutoff: must be a local time "HH:MM", got "25:00""#
        }
        check(#"[{"name": "x", "changes": [{"change": "cutoff", "cutof": "22:00"}]}]"#, marker: "cutof\"") {
            #"scenario.json:\#($0): variants[0].changes[0].cutof: unknown field (expected one of: change, cutoff)"#
        }
        check(#"[{"name": "x", "changes": [{"change": "receiving_windows", "window": {"from": "09:00", "to": "08:00"}}]}]"#,
              marker: "09:00") { #"scenario.json:\#($0 - 1): variants[0].changes[0].window: window 09:00–08:00 ends before it starts"# }
        check(#"[{"name": "x", "changes": [{"change": "scale_demand", "factor": 1000}]}]"#, marker: "1000") {
            #"scenario.json:\#($0): variants[0].changes[0].factor: must be between 0.0 and 100.0, got 1000"#
        }
        check(#"[{"name": "x", "changes": [{"change": "add_vehicle_type", "warehouse_id": "WB", "vehicle_type": {"id": "WA-VAN", "name": "n", "class": "small", "count": 1, "capacity_crates": 10, "capacity_kg": 100, "cost_per_km_cents": 1, "cost_per_hour_cents": 1, "cost_per_day_cents": 1, "shift_start": "05:00", "shift_length_minutes": 60, "max_trips": 1, "reload_minutes": 0}}]}]"#,
              marker: #""WA-VAN""#) {
            #"scenario.json:\#($0): variants[0].changes[0].vehicle_type.id: duplicate vehicle type id "WA-VAN", first at warehouses[0].vehicle_types[0]"#
        }
        check(#"[{"name": "dup", "changes": [{"change": "cutoff", "cutoff": "22:00"}]}, {"name": "dup", "changes": [{"change": "cutoff", "cutoff": "21:00"}]}]"#,
              marker: #""dup""#, occurrence: 2) { #"scenario.json:\#($0): variants[1].name: duplicate variant name "dup", first at variants[0]"# }
        check(#"[{"name": "base", "changes": [{"change": "cutoff", "cutoff": "22:00"}]}]"#, marker: #""base""#) {
            #"scenario.json:\#($0): variants[0].name: duplicate variant name "base", first at the base scenario"#
        }
        check(#"[{"name": "a,b", "changes": [{"change": "cutoff", "cutoff": "22:00"}]}]"#, marker: "a,b") {
            #"scenario.json:\#($0): variants[0].name: must not contain a comma (--variants takes a comma-separated list)"#
        }
        check(#"[{"name": "x", "changes": []}]"#, marker: #""changes""#) { #"scenario.json:\#($0): variants[0].changes: must not be empty"# }
    }

    @Test func duplicateWarehouseIdWhenAdding() throws {
        let base = try Fixture.setup().scenario
        let at = SourcePosition(file: "scenario.json", line: 40, path: "variants[2].changes[1]", fieldLines: ["warehouse": 40, "warehouse.id": 41])
        #expect(throws: InputError(file: "scenario.json", line: 41, field: "variants[2].changes[1].warehouse.id",
                                   "duplicate warehouse id \"WB\", first at warehouses[1]")) {
            try Variant(name: "v", changes: [(.addWarehouse(base.warehouses[1]), at)]).apply(to: base)
        }
    }

    @Test func unknownVariantSelected() throws {
        #expect(throws: InputError(file: "scenario.json", field: "variants",
                                   #"no variant named "nope" (declared: "base", "demand+30%", "new-warehouse-north", "cutoff-21:00", "close-WB")"#)) {
            try Fixture.setup().select(["base", "nope"])
        }
    }

    @Test func simulationSectionRequired() throws {
        var root = try JSONSerialization.jsonObject(with: Data(Fixture.tinyText.utf8)) as! [String: Any]
        root["simulation"] = nil
        #expect(message(Array(try JSONSerialization.data(withJSONObject: root))) ==
            "scenario.json:1: simulation: required field is missing: lastmile simulate needs the demand model (see docs/simulation.md)")
    }

    @Test func demandSectionErrors() throws {
        func check(_ edit: (inout [String: Any]) -> Void, marker: String, _ expected: (Int) -> String) {
            var root = try! JSONSerialization.jsonObject(with: Data(Fixture.tinyText.utf8)) as! [String: Any]
            var sim = root["simulation"] as! [String: Any]
            var demand = sim["demand"] as! [String: Any]
            edit(&demand)
            sim["demand"] = demand
            root["simulation"] = sim
            let bytes = Array(try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]))
            #expect(message(bytes) == expected(line(of: marker, in: bytes, after: "\"simulation\"")))
        }
        check({ $0["weekday_factors"] = [1, 1, 1] }, marker: "weekday_factors") {
            "scenario.json:\($0): simulation.demand.weekday_factors: must list 7 factors, Monday to Sunday, got 3"
        }
        check({ $0["point_factors"] = ["P77": 2] }, marker: "P77") {
            #"scenario.json:\#($0): simulation.demand.point_factors.P77: unknown pickup point "P77""#
        }
        check({ $0["sku_weights"] = ["CAVIAR": 2] }, marker: "CAVIAR") {
            #"scenario.json:\#($0): simulation.demand.sku_weights.CAVIAR: unknown SKU "CAVIAR""#
        }
        check({ $0["sku_weights"] = ["VEG": 1]; $0["temperature_mix"] = ["ambient": 1, "frozen": 1] }, marker: "\"frozen\"") {
            "scenario.json:\($0): simulation.demand.temperature_mix.frozen: no SKU of class frozen is ordered"
        }
        check({ $0["group_failure_rate"] = 1.5 }, marker: "group_failure_rate") {
            "scenario.json:\($0): simulation.demand.group_failure_rate: must be between 0.0 and 1.0, got 1.5"
        }
        check({ $0["promotions"] = [["name": "x", "factor": 2]] }, marker: "\"x\"") {
            "scenario.json:\($0 - 2): simulation.demand.promotions[0].date: required field is missing (or give day, 1-based in the horizon)"
        }
        check({ $0["lines_per_order"] = [0, 0] }, marker: "lines_per_order") {
            "scenario.json:\($0): simulation.demand.lines_per_order: no weight is positive"
        }
    }
}
