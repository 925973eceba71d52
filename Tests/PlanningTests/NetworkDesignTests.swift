import Allocation
import Foundation
import RoadNetwork
import Testing

@testable import Planning

/// The network-design fixture: WA and WB in the scenario, WC in `network_design`, WD added by
/// the variant "north-site"; P3 and P8 are narrow lanes (small vans only) and WB has none.
enum DesignFixture {
    static let dir = Paths.packageRoot + "/Tests/PlanningTests/Fixtures/network-design"
    static var text: String { Fixture.text(dir + "/scenario.json") }

    static func load(_ text: String = text) throws -> (Scenario, NetworkDesignDeclarations) {
        let bytes = Array(text.utf8)
        let document = try ScenarioLoader.parseDocument(bytes, file: "scenario.json")
        return (document.scenario, try NetworkDesignDeclarations.read(document))
    }

    /// Two days of crates per point (71 a day in all: only WC could hold it alone).
    static let crates = [[10, 12], [8, 6], [5, 7], [12, 10], [9, 11], [14, 12], [6, 8], [7, 5]]

    static func demand(_ crates: [[Int]] = crates) -> NetworkDemand {
        NetworkDemand(source: "test", crates: crates, orders: crates.map { $0.reduce(0, +) })
    }

    static func model(selection: [String]? = nil, open: [String] = [], close: [String] = [], text: String = text,
                      crates: [[Int]] = crates, basis: CapacityBasis = .peak) throws -> NetworkDesignModel {
        let (s, d) = try load(text)
        let sites = try d.sites(for: s, selection: selection, open: open, close: close)
        return try NetworkDesign.model(scenario: s, sites: sites, demand: demand(crates), travel: TravelTimes.straightLines(for: s),
                                       capacityBasis: basis)
    }

    /// 1-based line of the first line containing `needle` after the first line containing `after`.
    static func line(of needle: String, after: String? = nil, in text: String = text) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = after.map { a in lines.firstIndex { $0.contains(a) }! } ?? 0
        return lines[start...].firstIndex { $0.contains(needle) }! + 1
    }
}

/// Exhaustive single-sourcing optimum: every open set allowed by the statuses, every
/// assignment of the points to its open sites. Costs recomputed from the shared estimate.
struct BruteForce {
    var cost: [[Int64?]]      // [site][customer]
    var demand: [Int64]
    var capacity: [Int64]
    var fixed: [Int64]
    var status: [SiteStatus]

    init(_ model: NetworkDesignModel) {
        let s = model.scenario
        let ctx = try! NetworkDesign.context(for: s)
        let (matrix, _) = try! ctx.travelMatrix(TravelTimes.straightLines(for: s))
        let days = model.demand.days
        cost = s.warehouses.indices.map { w in
            model.customers.map { p -> Int64? in
                guard model.exclusions[w][p] == nil else { return nil }
                let sum = model.demand.crates[p].filter { $0 > 0 }.reduce(0.0) {
                    $0 + ctx.estimatedDeliveryCost(crates: $1, point: p, warehouse: w, matrix: matrix)!
                }
                return Int64((sum / Double(days)).rounded())
            }
        }
        let peak = model.capacityBasis == .peak
        demand = model.customers.map { Int64(peak ? model.demand.crates[$0].max()! : model.demand.crates[$0].reduce(0, +)) }
        capacity = s.warehouses.map { w in
            Int64(min(w.sortingCapacityCrates, w.vehicleTypes.reduce(0) { $0 + $1.count * $1.maxTrips * $1.capacityCrates }) * (peak ? 1 : days))
        }
        fixed = s.warehouses.map { Int64($0.fixedCostCents) }
        status = model.sites.map(\.status)
    }

    /// Best cost per open set (nil: infeasible), by bit mask of open sites.
    func bestPerOpenSet() -> [Int: Int64] {
        let m = fixed.count, n = demand.count
        var out: [Int: Int64] = [:]
        for mask in 0..<(1 << m) {
            let open = (0..<m).filter { mask & (1 << $0) != 0 }
            if status.indices.contains(where: { (status[$0] == .open && !open.contains($0)) || (status[$0] == .closed && open.contains($0)) }) {
                continue
            }
            var best: Int64?
            var load = [Int64](repeating: 0, count: m)
            func place(_ j: Int, _ z: Int64) {
                if j == n {
                    best = min(best ?? .max, z)
                    return
                }
                for i in open {
                    guard let c = cost[i][j], load[i] + demand[j] <= capacity[i] else { continue }
                    load[i] += demand[j]
                    place(j + 1, z + c)
                    load[i] -= demand[j]
                }
            }
            place(0, open.reduce(0) { $0 + fixed[$1] })
            if let best { out[mask] = best }
        }
        return out
    }
}

@Suite struct NetworkDesignTests {
    @Test func sitesAreTheWarehousesThenTheDeclaredCandidates() throws {
        let (s, d) = try DesignFixture.load()
        let sites = try d.sites(for: s)
        #expect(sites.map(\.warehouse.id) == ["WA", "WB", "WC", "WD"])
        #expect(sites.map(\.origin) == ["warehouses[0]", "warehouses[1]", "network_design.candidate_warehouses[0]",
                                        "variants[0].changes[0].warehouse"])
        #expect(sites.map(\.existing) == [true, true, false, false])
        #expect(sites[3].variant == "north-site")
        #expect(sites.allSatisfy { $0.status == .candidate })
        #expect(try d.sites(for: s, selection: ["none"]).map(\.warehouse.id) == ["WA", "WB"])
        #expect(try d.sites(for: s, selection: ["north-site"]).map(\.warehouse.id) == ["WA", "WB", "WD"])
        #expect(try d.sites(for: s, selection: ["WD", "WC"]).map(\.warehouse.id) == ["WA", "WB", "WC", "WD"])
        let forced = try d.sites(for: s, open: ["WD"], close: ["WA"])
        #expect(forced.map(\.status) == [.closed, .candidate, .candidate, .open])
        // A variant's world already holds its site: the same site, not a second one.
        var world = s
        world.warehouses.append(sites[3].warehouse)
        let inWorld = try d.sites(for: world)
        #expect(inWorld.map(\.warehouse.id) == ["WA", "WB", "WD", "WC"])
        #expect(inWorld[2].origin == "variants[0].changes[0].warehouse" && inWorld[2].existing)
        // The planner accepts (and ignores) the section.
        #expect(s.warehouses.map(\.id) == ["WA", "WB"])
    }

    @Test(arguments: CapacityBasis.allCases)
    func designIsTheBruteForceOptimum(basis: CapacityBasis) throws {
        let model = try DesignFixture.model(basis: basis)
        let result = try NetworkDesign.solve(model)
        let brute = BruteForce(model).bestPerOpenSet()
        let sorted = brute.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        let (bestMask, bestCost) = (sorted[0].key, sorted[0].value)
        #expect(sorted[1].value > bestCost, "the fixture's optimum should be unique")
        #expect(result.design.status == .optimal)
        #expect(result.design.objective == Double(bestCost))
        let open = result.design.solution!.openFacilities
        #expect(open.reduce(0) { $0 | (1 << $1) } == bestMask)
        #expect(result.problem.violations(of: result.design.solution!).isEmpty)
        // The candidates matter here: the best design is not the scenario's own network…
        #expect(bestMask != 0b0011)
        // …which is solved too, and matches the brute force restricted to WA and WB open.
        #expect(result.existing?.objective == Double(brute[0b0011]!))
        let report = NetworkDesignReport(result)
        #expect(report.cost?.total == Int(bestCost))
        #expect(report.cost.map { $0.fixed + $0.assignment } == Int(bestCost))
        #expect(report.existingNetwork?.openIds == ["WA", "WB"])
    }

    /// Every day's crates fit each open site when the busiest days are designed for; the
    /// average basis holds only the mean, and the report's peak figures show the busiest day.
    @Test(arguments: CapacityBasis.allCases)
    func capacityIsRespected(basis: CapacityBasis) throws {
        let model = try DesignFixture.model(basis: basis)
        let result = try NetworkDesign.solve(model)
        let solution = try #require(result.design.solution)
        let report = NetworkDesignReport(result)
        for i in solution.openFacilities {
            let cap = model.capacityPerDay[i]
            let daily = (0..<model.demand.days).map { d in
                model.customers.indices.filter { solution.assignment[$0].contains { $0.facility == i } }
                    .reduce(0) { $0 + model.demand.crates[model.customers[$1]][d] }
            }
            #expect(report.warehouses[i].peakCratesPerDay == Double(daily.max()!))
            if basis == .peak {
                #expect(daily.allSatisfy { $0 <= cap })
            } else {
                #expect(daily.reduce(0, +) <= cap * model.demand.days)
            }
        }
    }

    @Test func forcedStatusesAreRespected() throws {
        let model = try DesignFixture.model(open: ["WB"], close: ["WC"])
        let result = try NetworkDesign.solve(model)
        let best = BruteForce(model).bestPerOpenSet().values.min()!
        #expect(result.design.objective == Double(best))
        let open = Set(result.design.solution!.openFacilities.map { model.sites[$0].warehouse.id })
        #expect(open.contains("WB") && !open.contains("WC"))
    }

    @Test func narrowLanePointsAreForbiddenFromASiteWithoutSmallVans() throws {
        let model = try DesignFixture.model()
        let wb = model.sites.firstIndex { $0.warehouse.id == "WB" }!
        let pointIndex = Dictionary(uniqueKeysWithValues: model.scenario.pickupPoints.enumerated().map { ($1.id, $0) })
        let customer = model.customerOfPoint
        for id in ["P3", "P8"] {
            #expect(model.exclusions[wb][pointIndex[id]!] == "only small vehicles can reach it and WB has none")
            #expect(!model.problem.isAllowed(wb, customer[pointIndex[id]!]!))
        }
        #expect(model.exclusions[wb][pointIndex["P4"]!] == nil)
        // Even with WB forced open and the rest closed but WD, the narrow lanes go to WD.
        let forced = try NetworkDesign.solve(try DesignFixture.model(open: ["WB", "WD"], close: ["WA", "WC"]))
        let report = NetworkDesignReport(forced)
        for id in ["P3", "P8"] {
            #expect(report.assignment.first { $0.pickupPointId == id }?.warehouseId == "WD")
        }
        // With only WB open (and half the demand, so that it fits), they cannot be served at
        // all: reported, not an infeasible model.
        let half = DesignFixture.crates.map { $0.map { $0 / 2 } }
        let only = try NetworkDesign.solve(try DesignFixture.model(selection: ["none"], close: ["WA"], crates: half))
        let r = NetworkDesignReport(only)
        #expect(r.status == .optimal)
        #expect(r.unserved.map(\.pickupPointId) == ["P3", "P8"])
        #expect(r.unserved.first?.reason == "only closed sites can serve it: WA")
        #expect(r.assignment.count == 6 && r.assignment.allSatisfy { $0.warehouseId == "WB" })
        // Without WA's small van, no site at all can: the reason names the nearest site's.
        let noMini = DesignFixture.text.replacingOccurrences(of: "\"count\": 1,", with: "\"count\": 0,")
        let none = try DesignFixture.model(selection: ["none"], text: noMini, crates: half)
        #expect(none.unserved.map { none.scenario.pickupPoints[$0.point].id } == ["P3", "P8"])
        #expect(none.unserved.first?.reason == "no site can serve it; from the nearest, WA: only small vehicles can reach it and WA has none")
    }

    @Test func pointsOnlyAClosedSiteCanServeAreUnserved() throws {
        let only = try NetworkDesign.solve(try DesignFixture.model(selection: ["none"], close: ["WA"]))
        #expect(only.model.unserved.count == 2)
        let closedOnly = try DesignFixture.model(selection: ["none"], close: ["WB"])
        #expect(closedOnly.unserved.isEmpty)
        let m = try DesignFixture.model(selection: ["WD"], close: ["WA", "WD"])
        #expect(m.unserved.map { m.scenario.pickupPoints[$0.point].id } == ["P3", "P8"])
        #expect(m.unserved[0].reason == "only closed sites can serve it: WA, WD")
    }

    @Test func splitDemandIsAllowedAndNoDearer() throws {
        let model = try DesignFixture.model()
        let single = try NetworkDesign.solve(model)
        let split = try NetworkDesign.solve(model, options: NetworkDesignOptions(sourcing: .split))
        #expect(split.problem.sourcing == .split)
        #expect(split.problem.violations(of: split.design.solution!).isEmpty)
        #expect(split.design.objective! <= single.design.objective! + 1e-6)
        #expect(NetworkDesignReport(split).sourcing == .split)
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let result = try NetworkDesign.solve(try DesignFixture.model())
        let report = NetworkDesignReport(result)
        let data = try report.json()
        let back = try NetworkDesignReport.decode(data)
        #expect(back == report)
        #expect(try back.json() == data)
        let s = try #require(back.solution(in: result.model))
        #expect(result.problem.violations(of: s).isEmpty)
        #expect(result.problem.objective(of: s) == back.objective)
        // The fields of the OR-Library answer are there, with ids beside the indices.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["status", "objective", "bound", "gap", "sourcing", "seconds", "open", "assignment", "open_ids", "cost",
                    "warehouses", "existing_network"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(back.openIds == back.open.map { result.model.sites[$0].warehouse.id })
        for e in back.assignment {
            #expect(result.model.scenario.pickupPoints[e.customer].id == e.pickupPointId)
            #expect(back.warehouses[e.warehouse].warehouseId == e.warehouseId)
        }
        // Per-site figures add up to the totals.
        #expect(back.warehouses.filter(\.open).reduce(0) { $0 + $1.cost } == back.cost?.total)
        #expect(back.warehouses.reduce(0) { $0 + $1.pickupPoints } == 8)
        #expect(abs(back.warehouses.reduce(0) { $0 + $1.cratesPerDay } - 71) < 1e-9)
    }

    @Test func demandFromAnOrdersFileFollowsTheCrateRule() throws {
        let (s, _) = try DesignFixture.load()
        let book = try OrderLoader.load(path: DesignFixture.dir + "/orders.jsonl", scenario: s)
        let demand = NetworkDemand(books: [book], scenario: s, source: "orders.jsonl")
        #expect(demand.days == 1)
        let expected = Aggregation.demand(of: book.orders, scenario: s)
        #expect(demand.crates.map { $0[0] } == s.pickupPoints.indices.map { p in expected.first { $0.point == p }?.load.crates ?? 0 })
        #expect(demand.orders.reduce(0, +) == book.orders.count)
        // P1: one order of 7 units at 10 per crate → 1 crate; P8: 2 orders, 14+19 units → 4 crates.
        #expect(demand.crates[0] == [1] && demand.crates[7] == [4])
    }

    @Test func summaryTableListsEverySiteAndTheComparison() throws {
        let report = NetworkDesignReport(try NetworkDesign.solve(try DesignFixture.model()))
        let text = report.summary()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Network design network-design (Shanghai (test)): 8 pickup points, 71.0 crates/day, 71.0 orders/day (test)")
        #expect(lines.contains { $0.hasPrefix("warehouse ") && $0.hasSuffix("total ¥/day") })
        for id in ["WA", "WB", "WC", "WD"] { #expect(lines.contains { $0.hasPrefix(id + " ") }) }
        #expect(lines.contains { $0.hasPrefix("total ") && $0.contains("\(report.open.count) of 4") })
        #expect(lines.contains { $0.hasPrefix("existing network (WA, WB): ") })
    }
}

@Suite struct NetworkDesignValidationTests {
    func error(_ text: String, selection: [String]? = nil, open: [String] = [], close: [String] = []) -> String? {
        do {
            let (s, d) = try DesignFixture.load(text)
            _ = try d.sites(for: s, selection: selection, open: open, close: close)
            return nil
        } catch let e as LastmileError {
            return e.detail
        } catch {
            return "\(error)"
        }
    }

    func replacing(_ old: String, _ new: String, after anchor: String? = nil) -> String {
        var t = DesignFixture.text
        let from = anchor.map { t.range(of: $0)!.upperBound } ?? t.startIndex
        let r = t.range(of: old, range: from..<t.endIndex)!
        t.replaceSubrange(r, with: new)
        return t
    }

    @Test func candidateIdMustBeNew() {
        let t = replacing(#""id": "WC""#, #""id": "WA""#)
        let line = DesignFixture.line(of: #""id": "WA""#, after: "candidate_warehouses", in: t)
        #expect(error(t) == "scenario.json:\(line): network_design.candidate_warehouses[0].id: duplicate warehouse id \"WA\", first at warehouses[0]")
    }

    @Test func candidateVehicleTypeIdMustBeNew() {
        let t = replacing(#""id": "WC-VAN""#, #""id": "WA-VAN""#)
        let line = DesignFixture.line(of: #""id": "WA-VAN""#, after: "candidate_warehouses", in: t)
        #expect(error(t) == "scenario.json:\(line): network_design.candidate_warehouses[0].vehicle_types[0].id: duplicate vehicle type id \"WA-VAN\", first at warehouses[0].vehicle_types[0]")
    }

    @Test func candidateNeedsEveryWarehouseField() {
        let t = replacing(#""sorting_capacity_crates": 80,"#, "", after: "candidate_warehouses")
        let line = DesignFixture.line(of: #""id": "WC""#, in: t) - 1
        #expect(error(t) == "scenario.json:\(line): network_design.candidate_warehouses[0].sorting_capacity_crates: required field is missing")
    }

    @Test func statusNamesAKnownSite() {
        let t = replacing(#""status": {}"#, #""status": {"WX": "open"}"#)
        let line = DesignFixture.line(of: #""WX": "open""#, in: t)
        #expect(error(t) == "scenario.json:\(line): network_design.status.WX: unknown warehouse \"WX\" (not in warehouses, network_design.candidate_warehouses or a variant's add_warehouse)")
    }

    @Test func statusIsCandidateOpenOrClosed() {
        let t = replacing(#""status": {}"#, #""status": {"WD": "maybe"}"#)
        let line = DesignFixture.line(of: #""WD": "maybe""#, in: t)
        #expect(error(t) == "scenario.json:\(line): network_design.status.WD: must be one of \"candidate\", \"open\", \"closed\", got \"maybe\"")
    }

    @Test func statusFromTheFileApplies() throws {
        let t = replacing(#""status": {}"#, #""status": {"WA": "open", "WD": "closed"}"#)
        let (s, d) = try DesignFixture.load(t)
        #expect(try d.sites(for: s).map(\.status) == [.open, .candidate, .candidate, .closed])
        // The command line overrides the file.
        #expect(try d.sites(for: s, open: ["WD"]).map(\.status) == [.open, .candidate, .candidate, .open])
    }

    @Test func sectionRejectsUnknownFields() {
        let t = replacing(#""status": {}"#, #""candidates": []"#)
        let line = DesignFixture.line(of: #""candidates": []"#, in: t)
        #expect(error(t) == "scenario.json:\(line): network_design.candidates: unknown field (expected one of: candidate_warehouses, status)")
    }

    @Test func variantSiteThatDiffersFromAWarehouseIsAnErrorWhenSelected() {
        let t = replacing(#""id": "WD""#, #""id": "WA""#)
        let line = DesignFixture.line(of: #""id": "WA""#, after: "north-site", in: t)
        #expect(error(t) == "scenario.json:\(line): variants[0].changes[0].warehouse.id: warehouse \"WA\" differs from the one at warehouses[0]; choose one site with --candidates (a variant name or a site id)")
        #expect(error(t, selection: ["WC"]) == nil)
    }

    @Test func commandLineNamesMustExist() {
        #expect(error(DesignFixture.text, selection: ["WZ"])
                == "--candidates: no candidate site or variant named \"WZ\" (candidate sites: WC, WD; variants that add sites: north-site)")
        #expect(error(DesignFixture.text, open: ["WZ"]) == "--open: no site \"WZ\" (sites: WA, WB, WC, WD)")
        #expect(error(DesignFixture.text, selection: ["none"], close: ["WC"]) == "--close: no site \"WC\" (sites: WA, WB)")
        #expect(error(DesignFixture.text, open: ["WA"], close: ["WA"]) == "--close: \"WA\" is also in --open")
    }
}

@Suite struct NetworkDesignInfeasibleTests {
    /// Demand beyond every site's capacity: no design, and the summary says how much must fit
    /// into how much; the existing network is named all the same.
    @Test func demandBeyondCapacityIsExplained() throws {
        let big = DesignFixture.crates.map { $0.map { $0 * 5 } }
        let model = try DesignFixture.model(crates: big)
        let report = NetworkDesignReport(try NetworkDesign.solve(model))
        #expect(report.status == .infeasible && report.objective == nil)
        let peakSum = big.reduce(0) { $0 + $1.max()! }
        #expect(report.demand.capacityCratesPerDay == Double(peakSum))
        let lines = report.summary().split(separator: "\n").map(String.init)
        #expect(lines.contains("no design: \(peakSum).0 crates a day must fit (each point's busiest day) into sites that are not closed "
                               + "with 230 crates a day of capacity, one warehouse per pickup point; --capacity-basis average holds the mean day instead"))
        #expect(report.existingNetwork?.openIds == ["WA", "WB"])
    }
}
