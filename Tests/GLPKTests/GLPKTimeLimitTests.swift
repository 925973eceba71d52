import Testing

@testable import GLPK

/// A time limit that strikes inside the presolved LP (GLPK cannot map the presolved point
/// back) is a stop without a point, not a failure.
@Suite struct TimeLimitInPresolvedLP {
    /// An assignment-like LP of 150 × 150 columns: far more than a millisecond of simplex.
    static func bigLP(integer: Bool) -> Model {
        var m = Model()
        let k = 150
        var state: UInt64 = 1
        var x: [[Model.Variable]] = []
        for _ in 0..<k {
            x.append((0..<k).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return m.addVariable(kind: integer ? .binary : .continuous, lower: 0, upper: 1,
                                     objective: Double((state >> 33) % 1000))
            })
        }
        for j in 0..<k { m.addConstraint((0..<k).map { (x[$0][j], 1.0) }, equal: 1) }
        for i in 0..<k { m.addConstraint((0..<k).map { (x[i][$0], 1.0) }, lessOrEqual: 1.5) }
        return m
    }

    @Test(arguments: [false, true]) func stopsWithoutPoint(integer: Bool) throws {
        let m = Self.bigLP(integer: integer)
        var o = SolveOptions()
        o.integer = integer
        o.presolve = true
        o.timeLimit = 0.001
        if integer {
            // A start point turns the MIP presolver off, so the root LP runs through glp_simplex.
            var start = [Double](repeating: 0, count: m.variableCount)
            for j in 0..<150 { start[j * 150 + j] = 1 }
            o.start = start
        }
        let s = try m.solve(o)
        #expect(s.status == .noSolution || s.status == .feasible)
        if s.status == .feasible { #expect(m.maxViolation(s.values) < 1e-6) }
    }
}
