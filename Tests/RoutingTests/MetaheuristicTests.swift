import Foundation
import Testing
@testable import Routing

/// Solves with MetaheuristicSolver for a fixed number of iterations (deterministic).
func metaheuristic(_ data: ProblemData, iterations: Int = 200, seed: UInt64 = 1,
         strategy: MetaheuristicSolver.Strategy = .automatic) -> SolveResult {
    var options = MetaheuristicSolver.Options()
    options.strategy = strategy
    return MetaheuristicSolver(options: options).solve(data, parameters: SolveParameters(seed: seed, maxIterations: iterations))
}

@Test(arguments: [1, 2, 3], [MetaheuristicSolver.Strategy.genetic, .iterated])
func searchMatchesExactOptimumOnCVRP(seed: UInt64, strategy: MetaheuristicSolver.Strategy) throws {
    let data = try RandomInstance(n: 8 + Int(seed) * 1, capacity: 25, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = metaheuristic(data, iterations: strategy == .genetic ? 200 : 1000, strategy: strategy)
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

@Test(arguments: [4, 5, 6], [MetaheuristicSolver.Strategy.genetic, .iterated])
func searchMatchesExactOptimumOnVRPTW(seed: UInt64, strategy: MetaheuristicSolver.Strategy) throws {
    let data = try RandomInstance(n: 9 + Int(seed % 3), capacity: 30, windows: true, service: 50, seed: seed).make()
    let exact = try ExactSolver().solve(data)
    let r = metaheuristic(data, iterations: strategy == .genetic ? 200 : 1000, strategy: strategy)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(r.evaluation.cost == exact.cost)
    #expect(r.unassigned.map(\.client) == exact.solution.unvisited(in: data))
}

@Test(arguments: [MetaheuristicSolver.Strategy.genetic, .iterated])
func searchIsDeterministicForSeedAndIterations(strategy: MetaheuristicSolver.Strategy) throws {
    let data = try RandomInstance(n: 25, capacity: 40, windows: true, service: 20, seed: 9).make()
    let a = metaheuristic(data, iterations: 100, seed: 5, strategy: strategy), b = metaheuristic(data, iterations: 100, seed: 5, strategy: strategy)
    #expect(a.solution == b.solution)
    #expect(a.iterations == 100)
}

/// A local search holding the greedy solution of a random instance with windows, penalties 100.
func searchFromGreedy(n: Int, capacity: Int, granularity: Int, seed: UInt64) throws -> (SearchData, LocalSearch<DeliveryLoad>) {
    let data = try RandomInstance(n: n, capacity: capacity, windows: true, service: 10, seed: seed).make()
    let sd = SearchData(data, granularity: granularity)
    let start = GreedySolver().solve(data, parameters: SolveParameters(seed: seed)).solution
    let routes = try #require(slotRoutes(of: start, sd))
    var ls = LocalSearch<DeliveryLoad>(sd, rng: RNG(seed: seed))
    ls.setPenalties(Penalties(load: 100, time: 100))
    let routed = Set(routes.joined())
    ls.load(routes, unrouted: sd.active.filter { !routed.contains($0) })
    return (sd, ls)
}

/// Every client once (routed or left out), and the cached route costs equal to a fresh evaluation.
func expectConsistent(_ sd: SearchData, _ ls: LocalSearch<DeliveryLoad>, sourceLocation: SourceLocation = #_sourceLocation) {
    let out = ls.export()
    #expect((out.joined().filter { $0 >= sd.depots } + ls.unrouted).sorted() == sd.active.sorted(), sourceLocation: sourceLocation)
    let fresh = Individual(sd, routes: out, unrouted: [], Penalties(load: 100, time: 100))
    let cached = (0..<ls.R).reduce(0.0) { $0 + ls.cost[$1] }
    #expect(abs(fresh.penalised - cached) < 1e-6 * max(1, abs(cached)), sourceLocation: sourceLocation)
}

/// Ruin and recreate keeps every client in exactly one route and the caches consistent: after
/// perturbing, the local search's route costs equal a fresh evaluation of the exported routes.
@Test(arguments: [1, 2, 3])
func perturbationKeepsEveryClientOnce(seed: UInt64) throws {
    var (sd, ls) = try searchFromGreedy(n: 40, capacity: 50, granularity: 20, seed: seed)
    for k in 1...30 {
        ls.markConverged()
        ls.perturb(count: 1 + k % 12)
        ls.run(incremental: true, swapStar: false)
        expectConsistent(sd, ls)
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
    let r = MetaheuristicSolver().solve(inst.data, parameters: SolveParameters(seed: 1, maxIterations: 300))
    #expect(Checker(data: inst.data).check(r.solution).feasible)
    #expect(r.evaluation.cost == cost)
}

/// Data beyond the search's buffers is routed by the greedy construction, and the result says
/// why; data within them is searched and carries no reason.
@Test(arguments: [(dimensions: 5, types: 1), (dimensions: 1, types: 65), (dimensions: 4, types: 64)])
func fallbackToGreedyIsReported(dimensions: Int, types: Int) throws {
    let (m, clients) = line(6)
    let data = try ProblemData(
        depots: [Depot()], clients: clients.map { Client(x: $0.x, demand: [Int](repeating: 1, count: dimensions)) },
        vehicleTypes: (0..<types).map { _ in VehicleType(count: 1, capacity: [Int](repeating: 6, count: dimensions)) },
        distance: m, duration: m)
    let r = metaheuristic(data, iterations: 50)
    expectValid(data, r)
    #expect(r.unassigned.isEmpty)
    if dimensions > MetaheuristicSolver.maxDimensions || types > MetaheuristicSolver.maxVehicleTypes {
        let reason = try #require(r.fallbackReason)
        #expect(reason.hasPrefix("greedy construction: "))
    } else {
        #expect(r.fallbackReason == nil)
    }
}
