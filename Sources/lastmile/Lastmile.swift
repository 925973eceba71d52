import ArgumentParser
import Foundation
import Planning

@main
struct Lastmile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lastmile",
        abstract: "Last-mile planning for community group-buying.",
        version: "lastmile \(LastmileVersion.string)",
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
            CheckVroomCommand.self,
            BenchCommand.self,
            OrdersCommand.self,
            PlanJobCommand.self,
        ])
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print("lastmile \(LastmileVersion.string)") }
}

/// `--out out/x.json` works before `out/` exists, as `--out DIR` does for plan.
func createParentDirectory(of file: String) throws {
    let dir = (file as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
}

/// Runs a subcommand body and turns any error into its message on stderr and its stable exit
/// code, so every subcommand reports errors the same way: a `LastmileError` by its kind, any
/// other (a database that cannot be opened, Foundation's) through `GeneralError.classifying`.
/// Argument parser errors pass through: the parser prints them with the usage.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        let e = GeneralError.classifying(error)
        FileHandle.standardError.write(Data("error: \(e.detail)\n".utf8))
        throw ExitCode(e.kind.exitCode)
    }
}
