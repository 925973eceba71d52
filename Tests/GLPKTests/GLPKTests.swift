import Foundation
import Testing

@testable import GLPK

@Suite struct LinearPrograms {
    // max 3x + 2y  s.t. x + y ≤ 4, x + 3y ≤ 9, x ≤ 3  →  x = 3, y = 1, z = 11.
    @Test func knownLPOptimum() throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable("x", objective: 3)
        let y = m.addVariable("y", objective: 2)
        m.addConstraint([(x, 1), (y, 1)], lessOrEqual: 4, name: "c1")
        let c2 = m.addConstraint([(x, 1), (y, 3)], lessOrEqual: 9, name: "c2")
        let c3 = m.addConstraint([(x, 1)], lessOrEqual: 3, name: "c3")
        let s = try m.solve()
        #expect(s.status == .optimal)
        #expect(abs(s.objective! - 11) < 1e-9)
        #expect(abs(s[x] - 3) < 1e-9)
        #expect(abs(s[y] - 1) < 1e-9)
        #expect(abs(s.bound! - 11) < 1e-9)
        // c2 is slack at the optimum (dual 0); c1 prices y (2), c3 the rest of x (3 − 2).
        #expect(abs(s.dual(c2)) < 1e-9)
        #expect(abs(s.dual(c3) - 1) < 1e-9)
        #expect(m.maxViolation(s.values) < 1e-9)
    }

    @Test func lpRelaxationOfIntegerModel() throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable(kind: .integer, objective: 1)
        m.addConstraint([(x, 2)], lessOrEqual: 3)
        var options = SolveOptions()
        options.integer = false
        let relaxed = try m.solve(options)
        #expect(relaxed.status == .optimal)
        #expect(abs(relaxed.objective! - 1.5) < 1e-9)
        let integral = try m.solve()
        #expect(abs(integral.objective! - 1) < 1e-9)
    }

    @Test func objectiveConstantAndNoRows() throws {
        var m = Model()
        m.objectiveConstant = 10
        let x = m.addVariable(lower: 2, upper: 5, objective: 1)
        let s = try m.solve()
        #expect(s.status == .optimal)
        #expect(abs(s[x] - 2) < 1e-9)
        #expect(abs(s.objective! - 12) < 1e-9)
    }

    @Test(arguments: [true, false]) func infeasible(presolve: Bool) throws {
        var m = Model()
        let x = m.addVariable(objective: 1)
        m.addConstraint([(x, 1)], greaterOrEqual: 5)
        m.addConstraint([(x, 1)], lessOrEqual: 3)
        var o = SolveOptions()
        o.presolve = presolve
        let s = try m.solve(o)
        #expect(s.status == .infeasible)
        #expect(!s.hasPoint)
        #expect(s.objective == nil)
    }

    @Test(arguments: [true, false]) func unbounded(presolve: Bool) throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable(objective: 1)
        let y = m.addVariable(objective: 1)
        m.addConstraint([(x, 1), (y, -1)], lessOrEqual: 1)
        var o = SolveOptions()
        o.presolve = presolve
        #expect(try m.solve(o).status == .unbounded)
    }

    @Test func duplicateTermsAreMerged() throws {
        var m = Model()
        let x = m.addVariable(objective: 1)
        // x + x ≥ 4 must mean 2x ≥ 4, not a GLPK duplicate-index error.
        m.addConstraint([(x, 1), (x, 1)], greaterOrEqual: 4)
        let s = try m.solve()
        #expect(abs(s[x] - 2) < 1e-9)
        #expect(m.nonzeroCount == 1)
    }
}

@Suite struct MixedIntegerPrograms {
    // 0/1 knapsack, checked against enumeration of all 2^6 subsets.
    @Test func knapsackOptimumMatchesEnumeration() throws {
        let value: [Double] = [10, 13, 7, 8, 4, 9]
        let weight: [Double] = [5, 6, 3, 4, 2, 5]
        let cap = 12.0
        var m = Model(sense: .maximize)
        let x = value.indices.map { m.addVariable("x\($0)", kind: .binary, objective: value[$0]) }
        m.addConstraint(x.indices.map { (x[$0], weight[$0]) }, lessOrEqual: cap, name: "cap")
        let s = try m.solve()
        var best = 0.0
        for mask in 0..<(1 << value.count) {
            var v = 0.0, w = 0.0
            for i in value.indices where mask & (1 << i) != 0 { v += value[i]; w += weight[i] }
            if w <= cap { best = max(best, v) }
        }
        #expect(s.status == .optimal)
        #expect(abs(s.objective! - best) < 1e-6)
        #expect(m.maxViolation(s.values) < 1e-6)
    }

    @Test func integerInfeasible() throws {
        // 2x = 3 has no integer solution although the relaxation does.
        var m = Model()
        let x = m.addVariable(kind: .integer, lower: 0, upper: 10, objective: 1)
        m.addConstraint([(x, 2)], equal: 3)
        #expect(try m.solve().status == .infeasible)
    }

    @Test func integerUnbounded() throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable(kind: .integer, objective: 1)
        m.addConstraint([(x, 1)], greaterOrEqual: 1)
        #expect(try m.solve().status == .unbounded)
    }

    /// A hard MIP under a time limit returns its incumbent and a status that matches it, on any
    /// machine: `.feasible` when the limit struck (then at least the limit has passed and the gap
    /// is open), `.optimal` on a machine fast enough to prove it (then the gap is closed). The
    /// start point guarantees an incumbent however slow the machine.
    @Test func timeLimitReturnsIncumbent() throws {
        let m = hardMarketSplit(rows: 5, columns: 40, seed: 7)
        var o = SolveOptions()
        o.timeLimit = 0.5
        o.start = feasibleSlackStart(m)
        let s = try m.solve(o)
        try #require(s.status == .feasible || s.status == .optimal)
        #expect(s.hasPoint)
        #expect(m.maxViolation(s.values) < 1e-6)
        #expect(abs(m.objectiveValue(s.values) - s.objective!) < 1e-6)
        let gap = try #require(s.gap)
        if s.status == .feasible {
            #expect(s.seconds >= 0.45, "stopped as feasible after \(s.seconds) s, before its 0.5 s limit")
            #expect(gap > 0)
        } else {
            #expect(gap < 1e-9)
        }
    }

    @Test func startPointIsUsedAsIncumbent() throws {
        // With a tiny budget the search may find nothing itself; the offered start guarantees a point.
        let m = hardMarketSplit(rows: 5, columns: 40, seed: 7)
        let start = feasibleSlackStart(m)
        #expect(m.maxViolation(start) < 1e-9)
        var o = SolveOptions()
        o.start = start
        o.timeLimit = 0.3
        let s = try m.solve(o)
        #expect(s.hasPoint)
        #expect(s.objective! <= m.objectiveValue(start) + 1e-9)
    }

    @Test func gapStopsEarly() throws {
        let m = multiKnapsack(items: 60, dimensions: 5, seed: 11)
        var o = SolveOptions()
        o.relativeGap = 0.05
        o.timeLimit = 30
        let s = try m.solve(o)
        #expect(s.status == .feasible || s.status == .optimal)
        #expect(m.maxViolation(s.values) < 1e-6)
        if s.status == .feasible, let gap = s.gap { #expect(gap <= 0.05 + 1e-9) }
    }

    /// Lazy rows: x + y ≤ 1 is only added when a relaxation violates it.
    @Test func lazyRowsAreEnforced() throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable("x", kind: .binary, objective: 2)
        let y = m.addVariable("y", kind: .binary, objective: 3)
        let z = m.addVariable("z", kind: .binary, objective: 1)
        m.addConstraint([(x, 1), (y, 1), (z, 1)], lessOrEqual: 3)
        var o = SolveOptions()
        var added = 0
        var incumbents = 0
        o.callback = { ctx in
            switch ctx.reason {
            case .relaxation:
                let v = ctx.values
                if v[x.index] + v[y.index] > 1 + 1e-6 {
                    if ctx.addRow([(x, 1), (y, 1)], lower: nil, upper: 1) { added += 1 }
                }
            case .incumbent: incumbents += 1
            }
            return false
        }
        let s = try m.solve(o)
        #expect(s.status == .optimal)
        #expect(abs(s.objective! - 4) < 1e-9)  // y + z
        #expect(added >= 1)
        #expect(incumbents >= 1)
    }
}

@Suite struct ErrorsAndIO {
    /// GLPK's fatal path (here: a column name over 255 characters) becomes a Swift error and the
    /// process, and later solves on this thread, carry on.
    @Test func fatalErrorBecomesSwiftError() throws {
        var m = Model()
        m.addVariable(String(repeating: "n", count: 300), objective: 1)
        #expect(throws: GLPKError.self) { try m.solve() }
        do {
            _ = try m.solve()
        } catch {
            guard case .fatal(let text) = error else {
                Issue.record("expected fatal, got \(error)")
                return
            }
            #expect(text.contains("name too long"))
        }
        // The thread's GLPK environment was rebuilt: a normal solve works.
        var ok = Model()
        let x = ok.addVariable(lower: 1, objective: 1)
        #expect(try ok.solve()[x] == 1)
    }

    @Test func nestedSolveIsRefused() throws {
        var m = Model(sense: .maximize)
        let x = m.addVariable(kind: .integer, lower: 0, upper: 3, objective: 1)
        m.addConstraint([(x, 2)], lessOrEqual: 5)
        var inner: GLPKError?
        var o = SolveOptions()
        o.callback = { _ in
            do { _ = try m.solve() } catch let e as GLPKError { inner = e } catch {}
            return false
        }
        let s = try m.solve(o)
        #expect(s.status == .optimal)
        #expect(inner == .nestedSolve)
    }

    @Test func crossingBoundsAreRejected() throws {
        var m = Model()
        m.addVariable("bad", lower: 3, upper: 1)
        #expect(throws: GLPKError.self) { try m.solve() }
    }

    @Test func writesCPLEXLP() throws {
        var m = Model(name: "demo", sense: .maximize)
        let x = m.addVariable("x", kind: .integer, lower: 0, upper: 4, objective: 3)
        let y = m.addVariable("y", objective: 2)
        m.addConstraint([(x, 1), (y, 1)], lessOrEqual: 4, name: "cap")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-\(UUID()).lp").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.writeCPLEXLP(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("Maximize"))
        #expect(text.contains("cap:"))
        #expect(text.contains("Generals"))
        #expect(text.contains("+ 3 x"))
    }

    @Test func writeToBadPathIsIOError() throws {
        var m = Model()
        m.addVariable(objective: 1)
        #expect(throws: GLPKError.self) { try m.writeCPLEXLP(to: "/nonexistent-dir/x.lp") }
    }

    @Test func logReceivesOutput() throws {
        var m = Model()
        let x = m.addVariable(kind: .integer, lower: 0, upper: 10, objective: 1)
        m.addConstraint([(x, 2)], greaterOrEqual: 3)
        var lines: [String] = []
        var o = SolveOptions()
        o.log = { lines.append($0) }
        o.verbose = true
        _ = try m.solve(o)
        #expect(!lines.isEmpty)
    }

    @Test func parallelSolvesOnSeparateThreads() async throws {
        #expect(GLPKLibrary.isThreadLocal)
        let models = (0..<4).map { hardMarketSplit(rows: 3, columns: 16, seed: UInt64($0)) }
        let results = try await withThrowingTaskGroup(of: (Int, Double?).self) { group in
            for (k, m) in models.enumerated() {
                group.addTask { (k, try m.solve().objective) }
            }
            var out: [Int: Double?] = [:]
            for try await (k, z) in group { out[k] = z }
            return out
        }
        for (k, m) in models.enumerated() {
            let serial = try m.solve().objective
            #expect(results[k]! == serial)
        }
    }
}

/// Cornuéjols–Dawande market split in slack form: Σ a_ij x_j + s⁺_i − s⁻_i = d_i, minimise Σ s.
/// Notoriously hard for branch-and-bound, so a short time limit always stops it early.
func hardMarketSplit(rows: Int, columns: Int, seed: UInt64) -> Model {
    var rng = SplitMix(seed: seed)
    var m = Model(name: "market_split")
    let x = (0..<columns).map { m.addVariable("x\($0)", kind: .binary) }
    for i in 0..<rows {
        let a = (0..<columns).map { _ in Double(rng.next() % 100) }
        let d = (a.reduce(0, +) / 2).rounded(.down)
        let sp = m.addVariable("sp\(i)", lower: 0, upper: d, objective: 1)
        let sm = m.addVariable("sm\(i)", lower: 0, upper: d, objective: 1)
        m.addConstraint(x.indices.map { (x[$0], a[$0]) } + [(sp, 1), (sm, -1)], equal: d, name: "r\(i)")
    }
    return m
}

/// A multi-dimensional 0/1 knapsack (maximise), whose LP bound is tight enough for a gap stop.
func multiKnapsack(items: Int, dimensions: Int, seed: UInt64) -> Model {
    var rng = SplitMix(seed: seed)
    var m = Model(name: "mkp", sense: .maximize)
    let x = (0..<items).map { _ in m.addVariable(kind: .binary, objective: Double(10 + rng.next() % 90)) }
    for _ in 0..<dimensions {
        let w = (0..<items).map { _ in Double(5 + rng.next() % 45) }
        m.addConstraint(x.indices.map { (x[$0], w[$0]) }, lessOrEqual: (w.reduce(0, +) / 3).rounded())
    }
    return m
}

/// x = 0 with every s⁺ at d: feasible for `hardMarketSplit`.
func feasibleSlackStart(_ m: Model) -> [Double] {
    var start = [Double](repeating: 0, count: m.variableCount)
    var j = 0
    while j < m.variableCount {
        if m.kind(of: Model.Variable(index: j)) == .continuous {
            start[j] = m.bounds(of: Model.Variable(index: j)).upper!
            j += 2
        } else {
            j += 1
        }
    }
    return start
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
