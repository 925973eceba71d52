import Foundation
import Planning
import Testing

/// The built `lastmile` run as a user runs it: exit codes and messages of the error table.
struct CommandLineTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashTests.binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LASTMILE_CACHE": NSTemporaryDirectory() + "lastmile-cli-cache"]
            .merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.packageRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    static let missing = "/nonexistent-lastmile-input"

    /// Each command that reads an input file, and the path its message names.
    static let readers: [(arguments: [String], path: String)] = [
        (["solve", missing + ".vrp"], missing + ".vrp"),
        (["bench", missing], missing + "/MANIFEST.tsv"),
        (["bench-cflp", "--manifest", missing + ".tsv"], missing + ".tsv"),
        (["plan", missing], missing),
        (["allocate", missing + ".txt", "--format", "orlib-cap", "--out", "/tmp/x.json"], missing + ".txt"),
        (["map", "info", missing + ".osm"], missing + ".osm"),
        (["orders", "retime", missing + ".jsonl", "--delivery-date", "2030-01-01"], missing + ".jsonl"),
    ]

    /// Every command that reads an input file says the same about a missing one, with exit 66.
    @Test(arguments: readers)
    func missingInputIsExit66(arguments: [String], path: String) throws {
        let r = try Self.run(arguments)
        #expect(r.status == 66, "\(arguments): exit \(r.status), stderr \(r.stderr)")
        #expect(r.stderr == "error: \(path): no such file\n")
    }

    /// A negative count reaches the range check instead of being read as a flag ("Missing value").
    @Test(arguments: [["solve", "x.vrp", "--iterations", "-5"], ["plan", "scenarios/shanghai-center", "--iterations", "-5"],
                      ["simulate", "scenarios/shanghai-center", "--days", "1", "--iterations", "-5"]])
    func negativeIterationsNameTheRange(arguments: [String]) throws {
        let r = try Self.run(arguments)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--iterations: must be in 0…1000000000, got -5"), "\(r.stderr)")
        #expect(!r.stderr.contains("Missing value"))
    }

    @Test func versionIsTheOneConstant() throws {
        for arguments in [["--version"], ["version"]] {
            let r = try Self.run(arguments)
            #expect(r.status == 0)
            #expect(r.stdout == "lastmile \(LastmileVersion.string)\n")
        }
    }

    /// An error that is no `LastmileError` (SQLite cannot open the database) still leaves with
    /// its message and the internal error's exit code, not a crash or a raw dump.
    @Test func databaseErrorAtStartIsExit70() throws {
        let r = try Self.run(["serve", "--db", Self.missing + "/lastmile.db", "--port", "0"],
                             environment: ["LASTMILE_TOKEN": String(repeating: "t", count: 24)])
        #expect(r.status == 70, "exit \(r.status), stderr \(r.stderr)")
        #expect(r.stderr.hasPrefix("error: "))
    }
}
