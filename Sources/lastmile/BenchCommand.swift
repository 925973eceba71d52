import ArgumentParser
import Benchmarks
import Foundation
import Planning

/// `lastmile bench`: runs the solver (and the peers) over a benchmark set; logic in Benchmarks.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark the solver on a set of ../shared/benchmarks, optionally against the peers.")

    @Argument(help: "Benchmark set folder (with MANIFEST.tsv), e.g. ../shared/benchmarks/cvrp-x.") var set: String
    @Option(help: "Only instances whose file starts with one of these (comma-separated).") var only: String?
    @Option(parsing: .unconditional, help: "Seconds per customer (budget = n × this).") var perClient: Double = 0.1
    @Option(parsing: .unconditional, help: "Fixed budget in seconds per instance (overrides --per-client).") var seconds: Double?
    @Option(help: "Seeds, comma-separated.") var seeds: String = "1"
    @Option(help: "Peers to run too, comma-separated: pyvrp,hgs,ortools,vroom.") var peers: String?
    @Flag(help: "Run only the peers.") var peersOnly = false
    @Option(help: "Anchors folder.") var anchors: String = "../shared/anchors"
    @Option(help: "Python of the anchors' venv (default: the output of anchors/setup.sh if it exists).") var python: String?
    @Option(help: "JSON Lines history to append to.") var history: String = "bench/history.jsonl"
    @Option(help: "Where our .sol files go.") var solutions: String = "runs/bench"

    func run() async throws {
        try await reportingErrors {
            try GeneralError.requireInput(set + "/MANIFEST.tsv")
            var o = BenchOptions(set: set, anchors: anchors, solutionDirectory: solutions)
            o.instances = only.map { $0.split(separator: ",").map(String.init) } ?? []
            o.secondsPerClient = perClient
            o.seconds = seconds
            o.seeds = seeds.split(separator: ",").compactMap { UInt64($0) }
            o.peers = peers.map { $0.split(separator: ",").map(String.init) } ?? []
            o.ourSolver = !peersOnly
            o.history = history
            let venv = ProcessInfo.processInfo.environment["ANCHORS_VENV"] ?? (NSHomeDirectory() + "/.cache/lastmile-anchors/venv")
            o.python = python ?? (FileManager.default.isExecutableFile(atPath: venv + "/bin/python") ? venv + "/bin/python" : nil)
            let bench = Bench(options: o) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let results: [RunResult]
            do { results = try bench.run() } catch { throw GeneralError(.input, "\(error)") }
            print(benchTable(results))
        }
    }
}
