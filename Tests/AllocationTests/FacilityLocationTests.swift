import Foundation
import GLPK
import Routing
import Testing

@testable import Allocation

extension RNG {
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(below(Int(range.upperBound - range.lowerBound + 1)))
    }
}

/// A random network on a 100 × 100 square: cost = demand × distance (integer), capacities
/// summing to 1.3–2.5 × demand, fixed costs comparable to assignment costs.
func randomNetwork(
    m: Int, n: Int, seed: UInt64, sourcing: FacilityLocationProblem.Sourcing,
    forbidSome: Bool = false, statuses: Bool = false
) throws -> FacilityLocationProblem {
    var rng = RNG(seed: seed)
    let fac = (0..<m).map { _ in (rng.int(0...100), rng.int(0...100)) }
    let cus = (0..<n).map { _ in (rng.int(0...100), rng.int(0...100)) }
    let demands = (0..<n).map { _ in rng.int(1...20) }
    let total = demands.reduce(0, +)
    let slack = Double(rng.int(130...250)) / 100
    let maxDemand = demands.max()!
    var facilities = (0..<m).map { _ in
        FacilityLocationProblem.Facility(
            capacity: max(maxDemand, Int64(Double(total) * slack / Double(m) * Double(rng.int(60...140)) / 100)),
            fixedCost: rng.int(100...900))
    }
    if statuses && m >= 3 {
        facilities[0].status = .forcedOpen
        facilities[m - 1].status = .forcedClosed
    }
    var forbidden = Set<Int>()
    if forbidSome {
        for k in 0..<(m * n) where rng.int(0...9) == 0 { forbidden.insert(k) }
        // Keep every customer servable by facility 0 or 1.
        for j in 0..<n { forbidden.remove(j % min(2, m) * n + j) }
    }
    return try FacilityLocationProblem(facilities: facilities, demands: demands, sourcing: sourcing) { i, j in
        if forbidden.contains(i * n + j) { return nil }
        let dx = Double(fac[i].0 - cus[j].0), dy = Double(fac[i].1 - cus[j].1)
        return Int64((dx * dx + dy * dy).squareRoot().rounded()) * demands[j] / 4
    }
}

/// Exact optimum by enumeration of every open set; for each, the assignment is a
/// transportation LP solved here with GLPK (split), or every assignment is enumerated (single).
func bruteForce(_ p: FacilityLocationProblem) throws -> Double? {
    let m = p.facilityCount, n = p.customerCount
    var best: Double?
    for mask in 0..<(1 << m) {
        let open = (0..<m).map { mask & (1 << $0) != 0 }
        if zip(open, p.facilities).contains(where: { $0.0 && $0.1.status == .forcedClosed || !$0.0 && $0.1.status == .forcedOpen }) { continue }
        var fixed = 0.0
        for i in 0..<m where open[i] { fixed += Double(p.facilities[i].fixedCost) }
        if let b = best, fixed >= b { continue }
        let assign: Double?
        switch p.sourcing {
        case .split: assign = try transportationLP(p, open: open)
        case .single: assign = enumerateSingle(p, open: open)
        }
        if let a = assign, best == nil || fixed + a < best! { best = fixed + a }
    }
    _ = n
    return best
}

func transportationLP(_ p: FacilityLocationProblem, open: [Bool]) throws -> Double? {
    let m = p.facilityCount, n = p.customerCount
    var model = Model()
    var byFacility: [[(Model.Variable, Double)]] = Array(repeating: [], count: m)
    for j in 0..<n {
        var row: [(Model.Variable, Double)] = []
        for i in 0..<m where open[i] {
            guard let c = p.cost(i, j) else { continue }
            let v = model.addVariable(lower: 0, upper: 1, objective: Double(c))
            row.append((v, 1))
            byFacility[i].append((v, Double(p.demands[j])))
        }
        if row.isEmpty { return nil }
        model.addConstraint(row, equal: 1)
    }
    for i in 0..<m where open[i] { model.addConstraint(byFacility[i], lessOrEqual: Double(p.facilities[i].capacity)) }
    let s = try model.solve()
    return s.status == .optimal ? s.objective : nil
}

func enumerateSingle(_ p: FacilityLocationProblem, open: [Bool]) -> Double? {
    let m = p.facilityCount, n = p.customerCount
    let opened = (0..<m).filter { open[$0] }
    guard !opened.isEmpty else { return n == 0 ? 0 : nil }
    var best: Double?
    var choice = [Int](repeating: 0, count: n)
    var load = [Int64](repeating: 0, count: m)
    func go(_ j: Int, _ cost: Double) {
        if let b = best, cost >= b { return }
        if j == n { best = cost; return }
        for i in opened {
            guard let c = p.cost(i, j), load[i] + p.demands[j] <= p.facilities[i].capacity else { continue }
            load[i] += p.demands[j]
            choice[j] = i
            go(j + 1, cost + Double(c))
            load[i] -= p.demands[j]
        }
    }
    go(0, 0)
    return best
}

func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }

@Suite struct FacilityLocationBruteForce {
    @Test(arguments: 0..<24)
    func splitMatchesEnumeration(seed: Int) throws {
        let p = try randomNetwork(m: 3 + seed % 4, n: 6 + seed % 5, seed: UInt64(seed), sourcing: .split,
                                  forbidSome: seed % 3 == 1, statuses: seed % 4 == 3)
        try checkAgainstEnumeration(p)
    }

    @Test(arguments: 0..<16)
    func singleMatchesEnumeration(seed: Int) throws {
        let p = try randomNetwork(m: 2 + seed % 3, n: 4 + seed % 4, seed: UInt64(1000 + seed), sourcing: .single,
                                  forbidSome: seed % 3 == 2, statuses: seed % 5 == 4)
        try checkAgainstEnumeration(p)
    }

    /// The solver's status, solution and objective against enumeration; returns the result.
    @discardableResult
    func checkAgainstEnumeration(_ p: FacilityLocationProblem, options: FacilityLocationOptions = .init()) throws -> FacilityLocationResult {
        let expected = try bruteForce(p)
        let r = try FacilityLocationSolver.solve(p, options: options)
        guard let expected else {
            #expect(r.status == .infeasible)
            return r
        }
        #expect(r.status == .optimal)
        let s = try #require(r.solution)
        #expect(p.violations(of: s).isEmpty)
        if p.sourcing == .single { #expect(s.assignment.allSatisfy { $0.count == 1 && $0[0].fraction == 1 }) }
        #expect(close(p.objective(of: s), expected), "got \(p.objective(of: s)), enumeration \(expected)")
        #expect(close(r.objective!, expected))
        if let lb = r.statistics.lagrangianBound { #expect(lb <= expected + 1e-6 * expected) }
        return r
    }

    /// Every stage switched on or off gives the same optimum.
    @Test(arguments: [(false, FacilityLocationOptions.Linking.explicit), (true, .lazy), (false, .lazy), (true, .explicit)])
    func configurationsAgree(lagrangian: Bool, linking: FacilityLocationOptions.Linking) throws {
        var o = FacilityLocationOptions()
        o.lagrangian = lagrangian
        o.linking = linking
        var reachedMIP = 0, fixedSome = 0
        for seed in 50..<62 {
            // Single sourcing is enumerated assignment by assignment: keep it small.
            let single = seed % 3 == 0
            let p = try randomNetwork(m: single ? 5 : 6, n: single ? 7 : 10, seed: UInt64(seed), sourcing: single ? .single : .split)
            let r = try checkAgainstEnumeration(p, options: o)
            if r.statistics.mipVariables > 0 { reachedMIP += 1 }
            if r.statistics.fixedOpen + r.statistics.fixedClosed > 0 { fixedSome += 1 }
        }
        // Not every instance is closed by the Lagrangian stage: the MIP (after fixing) is tested too.
        #expect(reachedMIP >= (lagrangian ? 2 : 12))
        if lagrangian { #expect(fixedSome >= 2) }
    }
}

@Suite struct FacilityLocationPieces {
    /// The covering knapsack's DP equals enumeration of all subsets.
    @Test func coverKnapsackIsExact() throws {
        var rng = RNG(seed: 9)
        for _ in 0..<40 {
            let m = 6
            let facilities = (0..<m).map { _ in FacilityLocationProblem.Facility(capacity: rng.int(1...9) * 10, fixedCost: 0) }
            let p = try FacilityLocationProblem(facilities: facilities, demands: [rng.int(20...150)]) { _, _ in 0 }
            let value = (0..<m).map { _ in Double(rng.int(-5...40)) }
            let lr = FacilityLocationLagrangian(p, fixed: Array(repeating: nil, count: m))
            var best = Double.infinity
            for mask in 0..<(1 << m) {
                var cap: Int64 = 0, v = 0.0
                for i in 0..<m where mask & (1 << i) != 0 { cap += facilities[i].capacity; v += value[i] }
                if cap >= p.totalDemand { best = min(best, v) }
            }
            let got = lr.coverKnapsack(value)
            if best.isInfinite { #expect(got == nil); continue }
            let (v, open) = try #require(got)
            #expect(abs(v - best) < 1e-9)
            let cap = (0..<m).filter { open[$0] }.reduce(Int64(0)) { $0 + facilities[$1].capacity }
            #expect(cap >= p.totalDemand)
            #expect(abs((0..<m).filter { open[$0] }.reduce(0.0) { $0 + value[$1] } - best) < 1e-9)
        }
    }

    /// The successive-shortest-path transportation solver reaches the LP optimum for a fixed
    /// open set, including forbidden pairs, zero demands and infeasible sets.
    @Test func transportationMatchesLP() throws {
        var rng = RNG(seed: 4)
        var compared = 0
        for seed in 0..<60 {
            let m = 2 + seed % 6, n = 5 + seed % 17
            let p0 = try randomNetwork(m: m, n: n, seed: UInt64(500 + seed), sourcing: .split, forbidSome: seed % 2 == 0)
            let demands = p0.demands.map { rng.int(0...9) == 0 ? 0 : $0 }
            let p = try FacilityLocationProblem(facilities: p0.facilities, demands: demands, sourcing: .split) { p0.cost($0, $1) }
            let open = (0..<m).map { _ in rng.int(0...3) > 0 }
            let lp = try transportationLP(p, open: open)
            var t = TransportationSolver(p, open: open)
            let s = t.solve()
            guard let lp else {
                #expect(s == nil)
                continue
            }
            let got = try #require(s)
            #expect(p.violations(of: got).isEmpty)
            #expect(close(p.assignmentCost(of: got), lp), "transportation \(p.assignmentCost(of: got)) vs LP \(lp)")
            compared += 1
        }
        #expect(compared > 30)
    }

    @Test func infeasibleProblems() throws {
        let tooSmall = try FacilityLocationProblem(
            facilities: [.init(capacity: 5, fixedCost: 1), .init(capacity: 5, fixedCost: 1)], demands: [4, 4, 4]) { _, _ in 1 }
        #expect(try FacilityLocationSolver.solve(tooSmall).status == .infeasible)
        let unreachable = try FacilityLocationProblem(
            facilities: [.init(capacity: 50, fixedCost: 1)], demands: [4, 4]) { _, j in j == 0 ? 1 : nil }
        #expect(try FacilityLocationSolver.solve(unreachable).status == .infeasible)
        // Enough capacity in total, but no single facility holds the big customer.
        let single = try FacilityLocationProblem(
            facilities: [.init(capacity: 5, fixedCost: 1), .init(capacity: 5, fixedCost: 1)], demands: [8], sourcing: .single) { _, _ in 1 }
        #expect(try FacilityLocationSolver.solve(single).status == .infeasible)
        #expect(try FacilityLocationSolver.solve(single.with(sourcing: .split)).status == .optimal)
    }

    @Test func invalidDataIsRejected() {
        #expect(throws: FacilityLocationError.invalidProblem("customer 1: negative demand -2")) {
            try FacilityLocationProblem(facilities: [.init(capacity: 5, fixedCost: 1)], demands: [1, -2]) { _, _ in 1 }
        }
        #expect(throws: FacilityLocationError.invalidProblem("the cost matrix must be 1 × 2 (facilities × customers)")) {
            try FacilityLocationProblem(facilities: [.init(capacity: 5, fixedCost: 1)], demands: [1, 2], costs: [[1]])
        }
    }

    /// A warm start that no longer fits (capacity shrank) is repaired, not trusted.
    @Test func warmStartIsCheckedAndRepaired() throws {
        let p = try randomNetwork(m: 5, n: 9, seed: 77, sourcing: .split)
        let expected = try #require(try bruteForce(p))
        let everything = FacilityLocationSolution(open: Array(repeating: true, count: 5), facilityOf: Array(repeating: 0, count: 9))
        #expect(!p.violations(of: everything).isEmpty || p.facilities[0].capacity >= p.totalDemand)
        var o = FacilityLocationOptions()
        o.warmStart = everything
        let r = try FacilityLocationSolver.solve(p, options: o)
        #expect(r.status == .optimal)
        #expect(close(r.objective!, expected))
        o.warmStart = FacilityLocationSolution(open: [true], assignment: [])
        #expect(throws: FacilityLocationError.self) { try FacilityLocationSolver.solve(p, options: o) }
    }
}

@Suite struct ORLibCapFiles {
    static let text = """
         3 4
         capacity 100.50
         capacity 0.
         capacity 20.25
         10 1.5 2.25 3
         20 4 5 6.125
         30 7 8 9
         40 10.5 11 12
        """

    @Test func readsCapacityWordAndScalesExactly() throws {
        let inst = try ORLibCapReader.parse(Self.text, capacity: "60")
        let p = inst.problem
        #expect(inst.usesCapacityWord)
        #expect(inst.costScale == 1000)   // 6.125 needs three decimals
        #expect(inst.demandScale == 1)
        #expect(p.facilityCount == 3 && p.customerCount == 4)
        #expect(p.facilities.map(\.capacity) == [60, 60, 60])
        #expect(p.facilities.map(\.fixedCost) == [100_500, 0, 20_250])
        #expect(p.demands == [10, 20, 30, 40])
        // Customer j's line lists c_1j … c_mj.
        #expect(p.cost(0, 0) == 1500 && p.cost(1, 0) == 2250 && p.cost(2, 0) == 3000)
        #expect(p.cost(2, 1) == 6125 && p.cost(0, 3) == 10_500)
        #expect(p.sourcing == .split)
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: ORLibError(line: 2, field: "warehouses[0].capacity", "the file writes the word 'capacity'; give its value (--capacity N)")) {
            try ORLibCapReader.parse(Self.text)
        }
        #expect(throws: ORLibError(field: "--capacity", "the file gives numeric capacities; --capacity only replaces the word 'capacity'")) {
            try ORLibCapReader.parse("1 1\n5 1\n2 3\n", capacity: "7")
        }
        #expect(throws: ORLibError(line: 3, field: "customers[0].cost[0]", "expected a number, got '3x'")) {
            try ORLibCapReader.parse("1 1\n5 1\n2 3x\n")
        }
        #expect(throws: ORLibError(field: "customers[1].demand", "file ends early")) {
            try ORLibCapReader.parse("1 2\n5 1\n2 3\n")
        }
        #expect(throws: ORLibError(line: 4, "unexpected data after the last customer: '9'")) {
            try ORLibCapReader.parse("1 1\n5 1\n2 3\n9\n")
        }
        #expect(throws: ORLibError(line: 2, field: "warehouses[0].fixed_cost", "must not be negative, got -1")) {
            try ORLibCapReader.parse("1 1\n5 -1\n2 3\n")
        }
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let inst = try ORLibCapReader.parse(Self.text, capacity: "60")
        let r = try FacilityLocationSolver.solve(inst.problem)
        #expect(r.status == .optimal)
        let report = FacilityLocationReport(r, problem: inst.problem, costScale: inst.costScale)
        let back = try FacilityLocationReport.decode(try report.json())
        #expect(back == report)
        let s = try #require(back.solution(facilities: 3, customers: 4))
        #expect(s == r.solution)
        #expect(inst.problem.violations(of: s).isEmpty)
        #expect(abs(inst.fileUnits(inst.problem.objective(of: s)) - back.objective!) < 1e-9)
        // The keys the CLI promises.
        let object = try JSONSerialization.jsonObject(with: try report.json()) as! [String: Any]
        #expect(Set(object.keys).isSuperset(of: ["objective", "open", "assignment", "status", "bound"]))
        let first = (object["assignment"] as! [[String: Any]])[0]
        #expect(Set(first.keys) == ["customer", "warehouse", "fraction"])
    }

    static let shared: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("../shared/benchmarks/cflp-orlib").standardized.path
    }()

    /// cap41 (16 × 50) to Beasley's optimum 1040444.375, when ../shared is present.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared + "/cap41.txt")))
    func cap41ReachesItsOptimum() throws {
        let inst = try ORLibCapReader.read(path: Self.shared + "/cap41.txt")
        #expect(inst.problem.facilityCount == 16 && inst.problem.customerCount == 50)
        let r = try FacilityLocationSolver.solve(inst.problem)
        #expect(r.status == .optimal)
        let s = try #require(r.solution)
        #expect(inst.problem.violations(of: s).isEmpty)
        #expect(abs(inst.fileUnits(inst.problem.objective(of: s)) - 1_040_444.375) <= 0.001)
    }
}

/// examples/cap-3x8.txt (the README's `lastmile allocate` example): read, and solved to the
/// optimum that enumerating the 7 non-empty open sets gives.
@Test func exampleCapInstanceReachesTheEnumeratedOptimum() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let inst = try ORLibCapReader.read(path: root.path + "/examples/cap-3x8.txt", sourcing: .single)
    #expect(inst.problem.facilityCount == 3 && inst.problem.customerCount == 8)
    let r = try FacilityLocationSolver.solve(inst.problem)
    #expect(r.status == .optimal)
    let s = try #require(r.solution)
    #expect(inst.problem.violations(of: s).isEmpty)
    // Single sourcing: every assignment of 8 customers to the 3 sites, fixed costs of the used sites.
    let p = inst.problem
    var best = Int64.max
    for code in 0..<Int(pow(3.0, 8.0)) {
        var c = code, used = Set<Int>(), load = [Int64](repeating: 0, count: 3), cost: Int64 = 0, fits = true
        for j in 0..<8 {
            let i = c % 3
            c /= 3
            used.insert(i)
            load[i] += p.demands[j]
            guard let a = p.cost(i, j) else { fits = false; break }
            cost += a
        }
        guard fits, (0..<3).allSatisfy({ load[$0] <= p.facilities[$0].capacity }) else { continue }
        best = min(best, cost + used.reduce(0) { $0 + p.facilities[$1].fixedCost })
    }
    #expect(p.objective(of: s) == Double(best))
    #expect(inst.fileUnits(p.objective(of: s)) == 3345.5)   // what the README's example prints
}
