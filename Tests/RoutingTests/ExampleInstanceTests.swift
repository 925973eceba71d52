import Testing

@testable import Routing

/// The instances of examples/ (the README's `lastmile solve` examples) read, and the solver
/// reaches the exact optimum on them, so the examples cannot rot unnoticed.
@Test(arguments: [("ring-12.vrp", InstanceFormat.vrplib), ("window-8.txt", InstanceFormat.solomon)])
func exampleInstancesSolveToTheExactOptimum(file: String, format: InstanceFormat) throws {
    let inst = try BenchmarkInstance.read(path: packageRoot + "/examples/" + file, format: format)
    let r = MetaheuristicSolver().solve(inst.data, parameters: SolveParameters(seed: 1, maxIterations: 300))
    #expect(Checker(data: inst.data).check(r.solution).feasible)
    #expect(r.unassigned.isEmpty)
    #expect(r.evaluation.cost == (try ExactSolver().solve(inst.data)).cost)
}
