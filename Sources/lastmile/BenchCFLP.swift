import Allocation
import AllocationBench
import ArgumentParser
import Foundation
import Planning

/// `lastmile bench-cflp`: the OR-Library facility-location benchmark (run by tools/bench-cflp).
struct BenchCFLP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-cflp",
        abstract: "Solve the OR-Library CFLP manifest and print objective, optimum, gap and time per instance.")

    @Option(help: "MANIFEST.tsv of the cflp-orlib set.")
    var manifest = "../shared/benchmarks/cflp-orlib/MANIFEST.tsv"

    @Option(help: "Only instances whose file name contains one of these (comma-separated).")
    var only: String?

    @Flag(help: "Include capa/capb/capc (4 capacity variants each).")
    var large = false

    @Option(name: .customLong("time-limit"), parsing: .unconditional, help: "Seconds per run.")
    var timeLimit = 60.0

    @Option(parsing: .upToNextOption, help: "Peer command (e.g. PYTHON tools/cflp_highs.py) run on the same instances.")
    var peer: [String] = []

    @Flag(help: "Single sourcing (the manifest optima are for split demand).")
    var singleSource = false

    @Option(help: "Linking rows: \(FacilityLocationOptions.Linking.allCases.map(\.rawValue).joined(separator: ", ")).")
    var linking: String = "automatic"

    @Flag(help: "Skip the Lagrangian stage (plain GLPK branch-and-cut).")
    var noLagrangian = false

    @Flag(help: "Turn GLPK's cutting planes off.")
    var noCuts = false

    @Flag(help: "Print solver progress on stderr.")
    var verbose = false

    func run() async throws {
        try await reportingErrors { try runManifest() }
    }

    private func runManifest() throws {
        try GeneralError.requireInput(manifest)
        var o = CFLPBench.Options(manifest: manifest)
        o.only = only
        o.large = large
        o.timeLimit = timeLimit
        o.peer = peer.isEmpty ? nil : peer
        o.singleSource = singleSource
        guard let l = FacilityLocationOptions.Linking(rawValue: linking) else {
            throw ValidationError("--linking must be one of \(FacilityLocationOptions.Linking.allCases.map(\.rawValue))")
        }
        o.solver.linking = l
        o.solver.lagrangian = !noLagrangian
        o.solver.cuts = !noCuts
        if verbose { o.solver.log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
        _ = try CFLPBench.run(o) { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    }
}
