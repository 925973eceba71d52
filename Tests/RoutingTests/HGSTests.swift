import Foundation
import Testing
@testable import Routing

/// Solves with the HGS for a fixed number of iterations (deterministic).
func hgs(_ data: ProblemData, iterations: Int = 200, seed: UInt64 = 1) -> SolveResult {
    HGSSolver().solve(data, parameters: SolveParameters(seed: seed, maxIterations: iterations))
}

@Test(arguments: [1, 2, 3])
func hgsMatchesExactOptimumOnCVRP(seed: UInt64) throws {
    let data = try RandomInstance(n: 8 + Int(seed) * 1, capacity: 25, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = hgs(data)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(Checker(data: data).check(exact.solution).cost == exact.cost)
    #expect(r.evaluation.cost == exact.cost)
    #expect(exact.lpBound <= Double(exact.cost) + 1e-6)
}

@Test(arguments: [4, 5, 6])
func hgsMatchesExactOptimumOnVRPTW(seed: UInt64) throws {
    let data = try RandomInstance(n: 9 + Int(seed % 3), capacity: 30, windows: true, service: 50, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = hgs(data)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(r.evaluation.cost == exact.cost)
    #expect(r.unassigned.map(\.client) == exact.solution.unvisited(in: data))
}

@Test func hgsIsDeterministicForSeedAndIterations() throws {
    let data = try RandomInstance(n: 25, capacity: 40, windows: true, service: 20, seed: 9).make()
    let a = hgs(data, iterations: 100, seed: 5), b = hgs(data, iterations: 100, seed: 5)
    #expect(a.solution == b.solution)
    #expect(a.iterations == 100)
}

/// Package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let sharedBenchmarks = packageRoot + "/../shared/benchmarks"

@Test(.enabled(if: FileManager.default.fileExists(atPath: sharedBenchmarks + "/cvrp-small/P-n16-k8.vrp")),
      arguments: [("P-n16-k8.vrp", 450), ("A-n32-k5.vrp", 784), ("B-n31-k5.vrp", 672)])
func goldenCostsOnSmallCVRPLIB(file: String, cost: Int) throws {
    let inst = try BenchmarkInstance.read(path: sharedBenchmarks + "/cvrp-small/" + file, format: .vrplib)
    let r = HGSSolver().solve(inst.data, parameters: SolveParameters(seed: 1, maxIterations: 300))
    #expect(Checker(data: inst.data).check(r.solution).feasible)
    #expect(r.evaluation.cost == cost)
}
