import ArgumentParser
import Foundation
import PlanCheck
import Planning

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a written plan against its scenario and orders with the independent checker.")

    @Argument(help: "Output directory of `lastmile plan`.")
    var out: String

    @Option(help: "Scenario directory or scenario.json.")
    var scenario: String

    @Option(help: "Orders file (default: orders.jsonl beside scenario.json).")
    var orders: String?

    func run() async throws {
        try await reportingErrors {
            let file = ScenarioLoader.resolve(scenario)
            let ordersPath = orders ?? ScenarioLoader.defaultOrdersPath(scenarioFile: file)
            let report = PlanChecker.check(outputDirectory: out, scenarioFile: file, ordersFile: ordersPath)
            for v in report.violations.prefix(50) { print("violation: \(v)") }
            if report.violations.count > 50 { print("… and \(report.violations.count - 50) more") }
            print(report.summary)
            if !report.isValid { throw GeneralError(.planning, "the plan in \(out) breaks \(report.violations.count) rules") }
        }
    }
}
