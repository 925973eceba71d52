import Foundation
import Testing
@testable import Benchmarks
@testable import Routing

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let shared = root + "/../shared"
let anchorsPython = NSHomeDirectory() + "/.cache/lastmile-anchors/venv/bin/python"

/// True when every file a test reads is in ../shared (which may hold some sets and not others).
func sharedFilesPresent(_ files: String...) -> Bool {
    files.allSatisfy { FileManager.default.fileExists(atPath: shared + "/" + $0) }
}

@Test(.enabled(if: sharedFilesPresent("benchmarks/cvrp-x/MANIFEST.tsv", "benchmarks/vrptw-solomon/MANIFEST.tsv")))
func manifestIsRead() throws {
    let set = try BenchmarkSet.load(shared + "/benchmarks/cvrp-x")
    #expect(set.format == .vrplib)
    let first = try #require(set.entries.first { $0.file == "X-n101-k25.vrp" })
    #expect(first.n == 100 && first.best == 27591)
    #expect(try BenchmarkSet.load(shared + "/benchmarks/vrptw-solomon").format == .solomon)
}

@Test func tableShowsGapsAndRatio() {
    func r(_ s: String, _ i: String, _ c: Double) -> RunResult {
        RunResult(solver: s, set: "x", instance: i, n: 10, seed: 1, best: 100, cost: c, feasible: true, seconds: 1,
                  budget: 1, iterations: nil, checkedBy: "t", error: nil, date: "")
    }
    let t = benchTable([r("lastmile", "a.vrp", 101), r("pyvrp", "a.vrp", 102), r("lastmile", "b.vrp", 100), r("pyvrp", "b.vrp", 102)])
    #expect(t.contains("| a | 10 | 100 | 101 | +1.00 | 1.0 | 102 | +2.00 | 1.0 |"))
    #expect(t.contains("lastmile: 0.500 over 2 instances"))
    #expect(t.contains("lastmile 0.500 vs 2.000, ratio 0.25"))
}

/// Our .sol output is re-scored by the peers' checker and agrees with our own cost.
@Test(.enabled(if: FileManager.default.isExecutableFile(atPath: anchorsPython)
               && sharedFilesPresent("benchmarks/cvrp-small/MANIFEST.tsv", "benchmarks/cvrp-small/P-n16-k8.vrp",
                                     "anchors/check_solution.py")))
func ourSolutionsPassTheAnchorsChecker() throws {
    let dir = NSTemporaryDirectory() + "lastmile-bench-test-\(getpid())"
    var o = BenchOptions(set: shared + "/benchmarks/cvrp-small", anchors: shared + "/anchors", solutionDirectory: dir)
    o.instances = ["P-n16"]
    o.seconds = 0.5
    o.python = anchorsPython
    let results = try Bench(options: o, log: { _ in }).run()
    let r = try #require(results.first)
    #expect(r.checkedBy == "check_solution.py")
    #expect(r.feasible)
    // The checker's cost is the one our .sol file states; a time-limited run need not be optimal.
    let sol = try String(contentsOfFile: dir + "/P-n16-k8-1.sol", encoding: .utf8)
    let stated = sol.split(separator: "\n").first { $0.hasPrefix("Cost ") }.flatMap { Double($0.dropFirst(5)) }
    #expect(stated != nil && r.cost == stated)
    #expect((r.cost ?? 0) >= 450)
}
