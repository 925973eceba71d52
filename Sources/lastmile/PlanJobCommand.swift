import ArgumentParser
import Server

/// `lastmile plan-job INPUT OUTPUT`: one plan job of `lastmile serve`, run in a child process
/// (docs/daemon.md, "Durability"); not meant to be run by hand.
struct PlanJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-job", abstract: "Plan one job of the daemon (its child process).", shouldDisplay: false)

    @Argument(help: "The job as JSON (written by the daemon).") var input: String
    @Argument(help: "Where to write the result as JSON.") var output: String

    func run() async throws {
        try await reportingErrors { try PlanChild.run(input: input, output: output) }
    }
}
