import ArgumentParser
import Foundation
import Interchange
import Planning
import Routing
import Server

/// The instance formats of `lastmile solve`: the benchmark readers, and VROOM JSON.
enum SolveFormat: String, ExpressibleByArgument, CaseIterable {
    case vrplib, solomon, cordeau, vroom
}
extension MetaheuristicSolver.Strategy: ExpressibleByArgument {}

/// `lastmile solve`: one benchmark instance, one thread, a wall-clock budget and a seed.
struct Solve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a VRPLIB, Solomon, Cordeau or VROOM JSON instance (iterated local search by default, or the hybrid genetic search).",
        discussion: "--format vroom prints VROOM's answer JSON (docs/vroom.md); coordinates without matrices need --map.")

    @Argument(help: "Instance file.") var instance: String
    @Option(help: "vrplib | solomon | cordeau | vroom") var format: SolveFormat = .vrplib
    @Option(parsing: .unconditional, help: "Wall-clock budget in seconds.") var seconds: Double = 10
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Stop after this many iterations instead (deterministic for a seed).") var iterations: Int?
    @Option(help: "Write the solution in CVRPLIB .sol form (VROOM answer JSON with --format vroom) to this file.") var out: String?
    @Option(help: "--format vroom: OSM map for travel between coordinates when the input has no matrices.") var map: String?
    @OptionGroup var mapOptions: MapOptions
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
            var options = MetaheuristicSolver.Options()
            options.setPartitioning = !noPool
            options.strategy = strategy
            if let maxPerturbation { options.maxPerturbation = maxPerturbation }
            if let history { options.historyLength = history }
            guard let format = InstanceFormat(rawValue: format.rawValue) else { return try solveVroom(options) }
            let inst: BenchmarkInstance
            do { inst = try BenchmarkInstance.read(path: instance, format: format) } catch let e as InstanceError {
                throw InputError(file: e.file, line: e.line, e.reason)
            }
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

extension Solve {
    /// VROOM JSON in, the answer JSON out (stdout or --out); an answer with an error code still
    /// prints, then exits 65 (input, routing) or 70 (internal).
    func solveVroom(_ options: MetaheuristicSolver.Options) throws {
        guard let body = FileManager.default.contents(atPath: instance) else { throw GeneralError.noSuchFile(instance) }
        let answer = VroomSolve.answer(body, seconds: seconds, seed: seed, iterations: iterations, options: options,
                                       travel: try roadTravel(map: map, mapOptions))
        var json = VroomSolve.json(answer)
        json.append(0x0A)
        if let out {
            do {
                try createParentDirectory(of: out)
                try json.write(to: URL(fileURLWithPath: out))
            } catch {
                throw GeneralError(.output, "\(out): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(json)
        }
        if answer.code != 0 { throw GeneralError(answer.code == 1 ? .internal : .input, "\(instance): \(answer.error ?? "")") }
    }
}
