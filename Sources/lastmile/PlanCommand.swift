import ArgumentParser
import Foundation
import Planning
import Synchronization

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a delivery day: allocation, routes, pick/sort/loading lists and handover sheets.")

    @Argument(help: "Scenario directory (holding scenario.json) or a scenario.json file.")
    var scenario: String

    @Option(help: "Orders of the delivery day, JSON Lines (default: orders.jsonl beside scenario.json).")
    var orders: String?

    @Option(help: "Output directory (default: out/<scenario name>).")
    var out: String?

    @Option(parsing: .unconditional, help: "Seed for the routing solver.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Routing time limit per warehouse, seconds (a cap on top of --iterations).")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Routing iterations per warehouse (iterated local search); 0: the greedy construction alone.")
    var iterations: Int = PlanOptions.defaultRoutingIterations

    @Option(help: ArgumentHelp("Also write each warehouse's routing problem here, as VROOM JSON and as a VRPLIB file for PyVRP.",
                               valueName: "dir"))
    var exportProblems: String?

    func validate() throws {
        try OptionRange.check("--iterations", iterations, in: OptionRange.iterations)
        try OptionRange.checkSeconds("--time-limit", timeLimit)
    }

    func run() async throws {
        try await reportingErrors {
            let (s, file) = try ScenarioLoader.load(path: scenario)
            let ordersPath = orders ?? ScenarioLoader.defaultOrdersPath(scenarioFile: file)
            let book = try OrderLoader.load(path: ordersPath, scenario: s)
            let travel = try TravelTimes.choose(for: s, scenarioFile: file)
            var options = PlanOptions.routing(seed: seed, iterations: iterations)
            options.routingTimeLimit = timeLimit
            let problems = Mutex<[WarehouseProblem]>([])
            if exportProblems != nil { options.exportProblems = { ps in problems.withLock { $0 = ps } } }
            let plan = try DailyPlanner.plan(scenario: s, orders: book, travel: travel,
                                             options: options)
            if let exportDir = exportProblems {
                let names = try ProblemExport.write(problems.withLock { $0 }, to: exportDir)
                print("wrote \(exportDir)/: \(names.joined(separator: ", "))")
            }
            let files = try PlanDocuments.render(plan: plan, scenario: s, orders: book, paths: travel.provider.path)
            let dir = out ?? "out/\(s.name)"
            try PlanDocuments.write(files, to: dir)
            print(PlanSummary.table(plan))
            print("")
            print("wrote \(dir)/: " + PlanDocuments.inventory(files))
        }
    }
}
