import Foundation
import Testing
@testable import Routing

/// Solves with HGSSolver for a fixed number of iterations (deterministic).
func hgs(_ data: ProblemData, iterations: Int = 200, seed: UInt64 = 1,
         strategy: HGSSolver.Strategy = .automatic) -> SolveResult {
    var o = HGSSolver.Options()
    o.strategy = strategy
    return HGSSolver(options: o).solve(data, parameters: SolveParameters(seed: seed, maxIterations: iterations))
}

@Test(arguments: [1, 2, 3], [HGSSolver.Strategy.genetic, .iterated])
func hgsMatchesExactOptimumOnCVRP(seed: UInt64, strategy: HGSSolver.Strategy) throws {
    let data = try RandomInstance(n: 8 + Int(seed) * 1, capacity: 25, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = hgs(data, iterations: strategy == .genetic ? 200 : 1000, strategy: strategy)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(Checker(data: data).check(exact.solution).cost == exact.cost)
    #expect(r.evaluation.cost == exact.cost)
    #expect(exact.lpBound <= Double(exact.cost) + 1e-6)
    // The solver reports the LP bound on instances this small.
    let lb = try #require(r.lowerBound)
    #expect(lb <= exact.cost && Double(lb) >= exact.lpBound - 1)
}

@Test(arguments: [4, 5, 6], [HGSSolver.Strategy.genetic, .iterated])
func hgsMatchesExactOptimumOnVRPTW(seed: UInt64, strategy: HGSSolver.Strategy) throws {
    let data = try RandomInstance(n: 9 + Int(seed % 3), capacity: 30, windows: true, service: 50, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = hgs(data, iterations: strategy == .genetic ? 200 : 1000, strategy: strategy)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(r.evaluation.cost == exact.cost)
    #expect(r.unassigned.map(\.client) == exact.solution.unvisited(in: data))
}

@Test(arguments: [HGSSolver.Strategy.genetic, .iterated])
func hgsIsDeterministicForSeedAndIterations(strategy: HGSSolver.Strategy) throws {
    let data = try RandomInstance(n: 25, capacity: 40, windows: true, service: 20, seed: 9).make()
    let a = hgs(data, iterations: 100, seed: 5, strategy: strategy), b = hgs(data, iterations: 100, seed: 5, strategy: strategy)
    #expect(a.solution == b.solution)
    #expect(a.iterations == 100)
}

/// Ruin and recreate keeps every client in exactly one route and the caches consistent: after
/// perturbing, the local search's route costs equal a fresh evaluation of the exported routes.
@Test(arguments: [1, 2, 3])
func perturbationKeepsEveryClientOnce(seed: UInt64) throws {
    let data = try RandomInstance(n: 40, capacity: 50, windows: true, service: 10, seed: seed).make()
    let sd = SearchData(data, granularity: 20)
    let start = GreedySolver().solve(data, parameters: SolveParameters(seed: seed)).solution
    let routes = try #require(slotRoutes(of: start, sd))
    var ls = LocalSearch(sd, rng: RNG(seed: seed))
    ls.setPenalties(Penalties(load: 100, time: 100))
    let routed = Set(routes.joined())
    ls.load(routes, unrouted: sd.active.filter { !routed.contains($0) })
    for k in 1...30 {
        ls.markConverged()
        ls.perturb(count: 1 + k % 12)
        ls.run(incremental: true, swapStar: false)
        let out = ls.export()
        let clients = out.joined().filter { $0 >= sd.depots } + ls.unrouted
        #expect(clients.sorted() == sd.active.sorted())
        let fresh = Individual(sd, routes: out, unrouted: [], Penalties(load: 100, time: 100))
        let cached = (0..<ls.R).reduce(0.0) { $0 + ls.cost[$1] }
        #expect(abs(fresh.penalised - cached) < 1e-6 * max(1, abs(cached)))
    }
}

/// Package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let sharedBenchmarks = packageRoot + "/../shared/benchmarks"

let smallCVRPGoldenCosts = [("P-n16-k8.vrp", 450), ("A-n32-k5.vrp", 784), ("B-n31-k5.vrp", 672)]

@Test(.enabled(if: smallCVRPGoldenCosts.allSatisfy { FileManager.default.fileExists(atPath: sharedBenchmarks + "/cvrp-small/" + $0.0) },
               "../shared/benchmarks/cvrp-small lacks one of the instances"),
      arguments: smallCVRPGoldenCosts)
func goldenCostsOnSmallCVRPLIB(file: String, cost: Int) throws {
    let inst = try BenchmarkInstance.read(path: sharedBenchmarks + "/cvrp-small/" + file, format: .vrplib)
    let r = HGSSolver().solve(inst.data, parameters: SolveParameters(seed: 1, maxIterations: 300))
    #expect(Checker(data: inst.data).check(r.solution).feasible)
    #expect(r.evaluation.cost == cost)
}
