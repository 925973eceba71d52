import ArgumentParser
import Foundation
import Planning
import Routing

extension InstanceFormat: ExpressibleByArgument {}
extension MetaheuristicSolver.Strategy: ExpressibleByArgument {}

/// `lastmile solve`: one benchmark instance, one thread, a wall-clock budget and a seed.
struct Solve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a VRPLIB, Solomon or Cordeau instance (iterated local search by default, or the hybrid genetic search).")

    @Argument(help: "Instance file.") var instance: String
    @Option(help: "vrplib | solomon | cordeau") var format: InstanceFormat = .vrplib
    @Option(parsing: .unconditional, help: "Wall-clock budget in seconds.") var seconds: Double = 10
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Stop after this many iterations instead (deterministic for a seed).") var iterations: Int?
    @Option(help: "Write the solution in CVRPLIB .sol form to this file.") var out: String?
    @Flag(help: "Print each improvement as it is found.") var verbose = false
    @Flag(help: "Do not recombine the route pool with GLPK.") var noPool = false
    @Option(help: "iterated | genetic | automatic (the solver's choice: iterated).") var strategy: MetaheuristicSolver.Strategy = .automatic
    @Option(parsing: .unconditional, help: "Iterated local search: clients ruined per iteration at most.") var maxPerturbation: Int?
    @Option(parsing: .unconditional, help: "Iterated local search: history length of the late-acceptance criterion.") var history: Int?

    /// Option ranges (docs/scenario-format.md, "Benchmark files").
    func validate() throws {
        try OptionRange.checkSeconds("--seconds", seconds)
        try OptionRange.check("--iterations", iterations, in: OptionRange.iterations)
        try OptionRange.check("--max-perturbation", maxPerturbation, in: 1...1_000)
        try OptionRange.check("--history", history, in: 1...100_000)
    }

    func run() async throws {
        try await reportingErrors {
            try GeneralError.requireInput(instance)
            let inst: BenchmarkInstance
            do { inst = try BenchmarkInstance.read(path: instance, format: format) } catch let e as InstanceError {
                throw InputError(file: e.file, line: e.line, e.reason)
            }
            var options = MetaheuristicSolver.Options()
            options.setPartitioning = !noPool
            options.strategy = strategy
            if let maxPerturbation { options.maxPerturbation = maxPerturbation }
            if let history { options.historyLength = history }
            if verbose {
                let scale = inst.scale
                options.onImprovement = { t, it, c in
                    FileHandle.standardError.write(Data(String(format: "%8.2fs %8d  %.4f\n", t, it, Double(c) / Double(scale)).utf8))
                }
            }
            let params = SolveParameters(seed: seed, timeLimit: iterations == nil ? seconds : nil, maxIterations: iterations)
            let result = MetaheuristicSolver(options: options).solve(inst.data, parameters: params)
            let sol = inst.solFile(result.solution)
            print(sol, terminator: "")
            print("Time \(String(format: "%.2f", result.seconds))")
            print("Iterations \(result.iterations)")
            if let reason = result.fallbackReason { FileHandle.standardError.write(Data("note: \(reason)\n".utf8)) }
            if let lb = result.lowerBound { print("Lower bound \(inst.printed(cost: lb)) (LP relaxation of the exact model)") }
            if !result.evaluation.isFeasible {
                FileHandle.standardError.write(Data("warning: infeasible: \(result.evaluation.violations.joined(separator: "; "))\n".utf8))
            }
            for u in result.unassigned {
                FileHandle.standardError.write(Data("unassigned customer \(inst.customerIDs[u.client]): \(u.reason)\n".utf8))
            }
            if let out {
                do {
                    try createParentDirectory(of: out)
                    try sol.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw GeneralError(.output, "\(out): \(error.localizedDescription)")
                }
            }
        }
    }
}
