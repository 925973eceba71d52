import Testing
@testable import Routing

@Test func hgsSolvesSmallCVRP() throws {
    let data = try RandomInstance(n: 20, seed: 3).make()
    let r = HGSSolver().solve(data, parameters: SolveParameters(seed: 1, maxIterations: 50))
    #expect(r.evaluation.isFeasible, "\(r.evaluation.violations)")
    #expect(r.evaluation.unvisited.isEmpty)
}
