import ArgumentParser
import Foundation
import Planning

@main
struct Lastmile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lastmile",
        abstract: "Last-mile planning for community group-buying.",
        subcommands: [
            // One line per subcommand; each lives in its own file.
            Version.self,
            PlanCommand.self,
            CheckCommand.self,
            MapCommand.self,
            Allocate.self,
            BenchCFLP.self,
            SimulateCommand.self,
            ServeCommand.self,
            Solve.self,
            BenchCommand.self,
            OrdersCommand.self,
            PlanJobCommand.self,
        ])
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("lastmile 0.1") }
}

/// Runs a subcommand body and turns a `LastmileError` into its message on stderr and its stable
/// exit code, so every subcommand reports errors the same way.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as LastmileError {
        FileHandle.standardError.write(Data("error: \(e.detail)\n".utf8))
        throw ExitCode(e.kind.exitCode)
    }
}
