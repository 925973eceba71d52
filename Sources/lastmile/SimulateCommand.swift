import ArgumentParser
import Foundation
import Planning
import Simulation

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Plan simulated days for the scenario and its variants; write kpis.csv, warehouses.csv and report.html.",
        discussion: "The demand model and the variants are the `simulation` and `variants` sections of scenario.json (docs/simulation.md).")

    @Argument(help: "Scenario directory (holding scenario.json) or a scenario.json file.")
    var scenario: String

    @Option(parsing: .unconditional, help: "Delivery days to simulate.")
    var days: Int

    @Option(help: "Comma-separated variant names, \"base\" for the scenario as it is (default: base and every declared variant).")
    var variants: String?

    @Option(help: "Output directory (default: out/<scenario name>-simulation).")
    var out: String?

    @Option(parsing: .unconditional, help: "Seed of the demand draws and the routing solver (default: simulation.seed, else 1).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Routing time limit per warehouse and day, seconds (a binding limit makes runs timing-dependent).")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Routing iterations per warehouse and day (iterated local search); 0: the greedy construction alone.")
    var iterations: Int = 300

    @Option(parsing: .unconditional, help: "Variants simulated at once (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
        try OptionRange.check("--iterations", iterations, in: OptionRange.iterations)
        try OptionRange.checkSeconds("--time-limit", timeLimit)
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            let setup = try SimulationLoader.load(path: scenario)
            let chosen = try setup.select(variants?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
            let seed = seed ?? setup.seed
            var plan = PlanOptions.routing(seed: seed, iterations: iterations)
            plan.routingTimeLimit = timeLimit
            var options = SimulationOptions(days: days, seed: seed, plan: plan)
            if let jobs { options.parallelism = jobs }
            let meter = ProgressMeter.standardError(total: days * chosen.count)
            let started = ContinuousClock.now
            let file = setup.file
            let result = try await Simulator.run(setup: setup, variants: chosen, options: options,
                                                 travel: { try TravelTimes.choose(for: $0, scenarioFile: file) },
                                                 progress: meter.report)
            meter.finish()
            let elapsed = ContinuousClock.now - started
            let dir = out ?? "out/\(setup.scenario.name)-simulation"
            let files = SimulationOutput.render(result)
            try SimulationOutput.write(files, to: dir)
            print(SimulationTables.summary(result))
            print("")
            print("wrote \(dir)/: " + files.map(\.path).joined(separator: ", "))
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            FileHandle.standardError.write(Data("simulated \(days * chosen.count) daily plans in \(String(format: "%.1f", seconds)) s\n".utf8))
        }
    }
}
