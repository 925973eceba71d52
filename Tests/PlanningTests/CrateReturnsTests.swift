import Foundation
import PlanCheck
import Testing

@testable import Planning

/// Returnable crates (周转筐): the vans bring the empties of the previous delivery back, so the
/// load on board is checked after every stop, not only at departure.
@Suite struct CrateReturnsTests {
    /// The small city with crate returns: `rate` per cent of the crates come back, a crate weighs
    /// `grams` empty, and P2 has its own count of `p2` empties.
    func scenario(rate: Int, grams: Int = 1_500, p2: Int? = nil) throws -> Scenario {
        var s = try Fixture.scenario()
        s.crateReturns = CrateReturns(ratePercent: rate, emptyCrateGrams: grams)
        if let p2 { s.pickupPoints[s.pickupPoints.firstIndex { $0.id == "P2" }!].returnedCrates = p2 }
        return s
    }

    @Test(arguments: [(7, [3, 3, 4]), (10, [1, 0, 9]), (0, [5, 5]), (9, [0, 0]), (1, [4])])
    func sharesAreProportionalAndAddUp(total: Int, crates: [Int]) {
        let shares = emptyCrateShares(total, over: crates)
        #expect(shares.reduce(0, +) == total)
        let sum = crates.reduce(0, +)
        for (share, c) in zip(shares, crates) where sum > 0 {
            #expect(abs(share * sum - total * c) < sum)   // within one crate of the exact share
        }
    }

    @Test func loadAfterEachStop() {
        // Leaves with 10 + 6 crates; drops 10 and takes 8 empties, then drops 6 and takes 9.
        let (after, peak) = OnBoard.along([(10, 50_000, 8), (6, 30_000, 9)], emptyCrateGrams: 1_000)
        #expect(after == [OnBoard(crates: 14, grams: 38_000), OnBoard(crates: 17, grams: 17_000)])
        #expect(peak == OnBoard(crates: 17, grams: 80_000))
    }

    @Test func emptiesFollowThePreviousDeliveryOrTheirOwnCount() throws {
        let s = try scenario(rate: 80, p2: 5)
        var p1 = s.pickupPoints[0]
        #expect(s.emptyCrates(at: p1, deliveredToday: 10) == 8)          // today's crates stand in
        p1.previousDeliveryCrates = 21
        #expect(s.emptyCrates(at: p1, deliveredToday: 10) == 16)         // 80 % of 21, rounded down
        #expect(s.emptyCrates(at: s.pickupPoints[1], deliveredToday: 10) == 5)
        #expect(try Fixture.scenario().emptyCrates(at: p1, deliveredToday: 10) == 0)
    }

    /// The whole day with returns: every stop's empties and load after it are in plan.json,
    /// routes.csv and the loading lists; the independent checker agrees; each point's empties
    /// are the scenario's.
    @Test func aDayWithCrateReturnsPassesTheChecker() throws {
        let s = try scenario(rate: 100, p2: 6)
        let (plan, dir, report) = try planAndCheck(s, try Fixture.orders(Fixture.ordersText, scenario: s),
                                                   options: .routing(iterations: 300), name: "crates")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        let stops = plan.routes.flatMap(\.stops)
        #expect(stops.allSatisfy { $0.returnedCrates != nil && $0.onBoardAfter != nil })
        var byPoint: [String: (empties: Int, crates: Int)] = [:]
        for st in stops {
            byPoint[st.pickupPointId, default: (0, 0)].empties += st.returnedCrates!
            byPoint[st.pickupPointId, default: (0, 0)].crates += st.load.crates
        }
        #expect(byPoint["P2"]?.empties == 6)
        for (p, v) in byPoint where p != "P2" { #expect(v.empties == v.crates, "\(p)") }
        #expect(plan.totals.returnedCrates == stops.reduce(0) { $0 + $1.returnedCrates! })
        #expect(plan.warehouses.reduce(0) { $0 + ($1.returnedCrates ?? 0) } == plan.totals.returnedCrates)
        // The van never carries more than it can, after any stop.
        let types = Dictionary(uniqueKeysWithValues: s.warehouses.flatMap(\.vehicleTypes).map { ($0.id, $0) })
        for r in plan.routes {
            for st in r.stops { #expect(st.onBoardAfter!.crates <= types[r.vehicleTypeId]!.capacityCrates) }
        }
        let csv = Fixture.text(dir + "/routes.csv")
        #expect(csv.components(separatedBy: "\r\n")[0].hasSuffix(",leg_duration_s,returned_crates,on_board_crates_after,on_board_kg_after"))
        let van = plan.routes[0].vehicleId
        #expect(Fixture.text(dir + "/vehicles/\(van)/loading-list.csv").components(separatedBy: "\r\n")[0].hasSuffix(",orders,returned_crates"))
        #expect(Fixture.text(dir + "/print/vehicles/\(van)/loading-list.html").contains("回收空筐 Empty crates back"))
    }

    /// Empties take room: with many of them a trip that fits at departure would not fit after
    /// its first stops, and the planner must route around it (the checker verifies every stop).
    @Test func emptiesThatFillTheVanChangeThePlanNotTheRules() throws {
        let s = try scenario(rate: 100, p2: 25)
        let (plan, dir, report) = try planAndCheck(s, try Fixture.orders(Fixture.ordersText, scenario: s),
                                                   options: .routing(iterations: 300), name: "crates-full")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        let p2 = plan.routes.flatMap { r in r.stops.filter { $0.pickupPointId == "P2" }.map { (r, $0) } }
        #expect(p2.reduce(0) { $0 + ($1.1.returnedCrates ?? 0) } == 25)
    }

    @Test func withoutReturnsPlanJSONIsUnchanged() throws {
        let s = try Fixture.scenario()
        let (plan, dir, report) = try planAndCheck(s, try Fixture.orders(Fixture.ordersText, scenario: s), name: "no-crates")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.isValid)
        #expect(plan.totals.returnedCrates == nil)
        let json = Fixture.text(dir + "/plan.json")
        #expect(!json.contains("returned_crates") && !json.contains("on_board_after"))
        #expect(!Fixture.text(dir + "/routes.csv").contains("returned_crates"))
    }

    /// The checker recomputes the load after every stop and fails a plan that states it wrongly
    /// or whose empties are not the scenario's.
    @Test func theCheckerCatchesWrongEmpties() throws {
        let s = try scenario(rate: 100)
        let (plan, dir, report) = try planAndCheck(s, try Fixture.orders(Fixture.ordersText, scenario: s), name: "crates-tamper")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.isValid)
        let st = try #require(plan.routes.first { $0.stops.count >= 2 }?.stops[0])
        let path = dir + "/plan.json"
        let text = Fixture.text(path)
        let old = "\"returned_crates\" : \(st.returnedCrates!),"
        let range = try #require(text.range(of: old))
        try Data(text.replacingCharacters(in: range, with: "\"returned_crates\" : \(st.returnedCrates! + 1),").utf8)
            .write(to: URL(fileURLWithPath: path))
        let v = PlanChecker.check(outputDirectory: dir, scenarioFile: dir + "/scenario.input.json", ordersFile: dir + "/orders.input.jsonl").violations
        #expect(v.contains { $0.contains("on_board_after says") })
        #expect(v.contains { $0.hasPrefix("\(st.pickupPointId): its stops collect \(st.returnedCrates! + 1) empty crates") })
    }

    @Test func rateOutOfRangeIsRefused() throws {
        var text = Fixture.scenarioText
        let anchor = "\"stability_penalty_cents\": 2000,"
        let range = try #require(text.range(of: anchor))
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 2
        text.replaceSubrange(range, with: anchor + "\n  \"crate_returns\": {\"rate_percent\": 101, \"empty_crate_g\": 1500},")
        do {
            _ = try ScenarioLoader.parse(Array(text.utf8), file: "scenario.json")
            Issue.record("no error")
        } catch {
            #expect(String(describing: error) == "scenario.json:\(line): crate_returns.rate_percent: must be at most 100, got 101")
        }
    }
}
