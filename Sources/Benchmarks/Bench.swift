import Foundation
import Routing

/// One benchmark set: a folder of ../shared/benchmarks with its MANIFEST.tsv.
public struct BenchmarkSet: Sendable {
    public struct Entry: Sendable {
        public var file: String
        public var n: Int
        public var best: Double
    }
    public var name: String
    public var directory: String
    public var format: InstanceFormat
    public var entries: [Entry]

    public static func load(_ directory: String) throws -> BenchmarkSet {
        let name = (directory as NSString).lastPathComponent
        let text = try String(contentsOfFile: directory + "/MANIFEST.tsv", encoding: .utf8)
        var rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = rows.first else { throw BenchError("\(directory)/MANIFEST.tsv is empty") }
        rows.removeFirst()
        guard let f = header.firstIndex(of: "file"), let n = header.firstIndex(of: "n"), let b = header.firstIndex(of: "bks_or_opt") else {
            throw BenchError("\(directory)/MANIFEST.tsv lacks file, n or bks_or_opt")
        }
        let entries = rows.compactMap { r -> Entry? in
            guard r.count > max(f, n, b), let nn = Int(r[n]), let bb = Double(r[b]) else { return nil }
            return Entry(file: r[f], n: nn, best: bb)
        }
        let format: InstanceFormat = name.hasPrefix("vrptw") ? .solomon : name.hasPrefix("mdvrp") ? .cordeau : .vrplib
        return BenchmarkSet(name: name, directory: directory, format: format, entries: entries)
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// One run of one solver on one instance.
public struct RunResult: Sendable, Codable {
    public var solver: String
    public var set: String
    public var instance: String
    public var n: Int
    public var seed: UInt64
    public var best: Double
    /// Cost in the set's convention (re-scored by the anchors' checker when it is available).
    public var cost: Double?
    public var feasible: Bool
    public var seconds: Double
    public var budget: Double
    public var iterations: Int?
    public var checkedBy: String
    public var error: String?
    public var date: String

    public var gap: Double? { cost.map { 100 * ($0 - best) / best } }
}

public struct BenchOptions: Sendable {
    public var set: String
    public var instances: [String] = []
    /// Budget per instance: n × this many seconds, unless `seconds` is given.
    public var secondsPerClient = 0.1
    public var seconds: Double?
    public var seeds: [UInt64] = [1]
    public var peers: [String] = []
    public var ourSolver = true
    public var anchors: String
    public var python: String?
    public var history: String?
    public var solutionDirectory: String
    public init(set: String, anchors: String, solutionDirectory: String) {
        self.set = set
        self.anchors = anchors
        self.solutionDirectory = solutionDirectory
    }
}

/// Runs Lastmile's solver and the peers, one at a time, and prints the table.
public struct Bench {
    public var options: BenchOptions
    public var log: (String) -> Void

    public init(options: BenchOptions, log: @escaping (String) -> Void) {
        self.options = options
        self.log = log
    }

    public func run() throws -> [RunResult] {
        let set = try BenchmarkSet.load(options.set)
        var entries = set.entries
        if !options.instances.isEmpty {
            entries = entries.filter { e in options.instances.contains { e.file.hasPrefix($0) } }
        }
        try FileManager.default.createDirectory(atPath: options.solutionDirectory, withIntermediateDirectories: true)
        var results: [RunResult] = []
        let solvers = (options.ourSolver ? ["lastmile"] : []) + options.peers
        // Instance by instance, all solvers back to back (one at a time), so that a change in the
        // load of the shared machine hits every solver alike.
        for e in entries {
            for solver in solvers {
                for seed in options.seeds {
                    let budget = options.seconds ?? Double(e.n) * options.secondsPerClient
                    let r = solver == "lastmile" ? runOurs(set, e, seed: seed, budget: budget) : runPeer(solver, set, e, seed: seed, budget: budget)
                    results.append(r)
                    log("\(solver) \(e.file) seed \(seed): " + (r.cost.map { String(format: "%.2f (%+.2f%%)", $0, r.gap!) } ?? (r.error ?? "no solution"))
                        + String(format: " %.1fs", r.seconds))
                    appendHistory(r)
                }
            }
        }
        return results
    }

    func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    func runOurs(_ set: BenchmarkSet, _ e: BenchmarkSet.Entry, seed: UInt64, budget: Double) -> RunResult {
        var r = RunResult(solver: "lastmile", set: set.name, instance: e.file, n: e.n, seed: seed, best: e.best, cost: nil,
                          feasible: false, seconds: 0, budget: budget, iterations: nil, checkedBy: "lastmile", error: nil, date: now())
        let path = set.directory + "/" + e.file
        let inst: BenchmarkInstance
        do { inst = try BenchmarkInstance.read(path: path, format: set.format) } catch {
            r.error = "\(error)"
            return r
        }
        let started = ContinuousClock.now
        let result = MetaheuristicSolver().solve(inst.data, parameters: SolveParameters(seed: seed, timeLimit: budget))
        r.seconds = (ContinuousClock.now - started).secondsDouble
        r.iterations = result.iterations
        r.feasible = result.evaluation.isFeasible && result.unassigned.isEmpty
        r.cost = inst.printed(cost: result.evaluation.cost)
        let sol = options.solutionDirectory + "/" + (e.file as NSString).deletingPathExtension + "-\(seed).sol"
        try? inst.solFile(result.solution).write(toFile: sol, atomically: true, encoding: .utf8)
        // Re-score with the peers' checker, so both sides are scored by the same code.
        if set.format != .cordeau, let py = options.python,
           let out = try? runProcess(py, [options.anchors + "/check_solution.py", "--instance", path, "--format", set.format.rawValue,
                                          "--solution", sol] + (set.format == .solomon ? ["--dist", "dimacs"] : [])),
           let json = try? JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any],
           let cost = json["cost"] as? Double {
            r.cost = cost
            r.feasible = json["feasible"] as? Bool ?? false
            r.checkedBy = "check_solution.py"
        }
        return r
    }

    func runPeer(_ solver: String, _ set: BenchmarkSet, _ e: BenchmarkSet.Entry, seed: UInt64, budget: Double) -> RunResult {
        var r = RunResult(solver: solver, set: set.name, instance: e.file, n: e.n, seed: seed, best: e.best, cost: nil,
                          feasible: false, seconds: 0, budget: budget, iterations: nil, checkedBy: "run_anchor.py", error: nil, date: now())
        guard set.format != .cordeau else { r.error = "n/a (MDVRP)"; return r }
        guard let py = options.python else { r.error = "no anchors python"; return r }
        var args = [options.anchors + "/run_anchor.py", "--solver", solver, "--instance", set.directory + "/" + e.file,
                    "--format", set.format.rawValue, "--seconds", String(budget), "--seed", String(seed)]
        if set.format == .solomon { args += ["--dist", "dimacs"] }
        do {
            let out = try runProcess(py, args)
            guard let line = out.split(whereSeparator: \.isNewline).last,
                  let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                r.error = "unreadable output"
                return r
            }
            r.seconds = json["seconds_used"] as? Double ?? 0
            r.feasible = json["feasible"] as? Bool ?? false
            if r.feasible { r.cost = json["cost"] as? Double }
            if let err = json["error"] as? String { r.error = err } else if !r.feasible { r.error = "infeasible or no solution" }
        } catch {
            r.error = "\(error)"
        }
        return r
    }

    func appendHistory(_ r: RunResult) {
        guard let path = options.history else { return }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        guard var line = try? enc.encode(r) else { return }
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(line)
            try? h.close()
        }
    }
}

/// Runs a program to completion and returns its standard output.
func runProcess(_ exe: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The table: one row per instance (mean over seeds), one column group per solver.
public func benchTable(_ results: [RunResult]) -> String {
    var solvers: [String] = []
    for r in results where !solvers.contains(r.solver) { solvers.append(r.solver) }
    var instances: [String] = []
    for r in results where !instances.contains(r.instance) { instances.append(r.instance) }
    func cell(_ s: String, _ i: String) -> (Double?, Double?, Double) {
        let rs = results.filter { $0.solver == s && $0.instance == i }
        let ok = rs.compactMap { $0.feasible ? $0.cost : nil }
        let secs = rs.map(\.seconds).reduce(0, +) / Double(max(1, rs.count))
        guard ok.count == rs.count, !ok.isEmpty else { return (nil, nil, secs) }
        let cost = ok.reduce(0, +) / Double(ok.count)
        let best = rs[0].best
        return (cost, 100 * (cost - best) / best, secs)
    }
    var out = "| instance | n | best known |" + solvers.map { " \($0) cost | gap % | s |" }.joined() + "\n"
    out += "|---|---|---|" + String(repeating: "---|---|---|", count: solvers.count) + "\n"
    var gaps: [String: [Double]] = [:]
    for i in instances {
        guard let any = results.first(where: { $0.instance == i }) else { continue }
        var row = "| \((i as NSString).deletingPathExtension) | \(any.n) | \(fmt(any.best)) |"
        for s in solvers {
            let (c, g, secs) = cell(s, i)
            if let c, let g {
                row += " \(fmt(c)) | \(String(format: "%+.2f", g)) | \(String(format: "%.1f", secs)) |"
                gaps[s, default: []].append(g)
            } else {
                let err = results.first { $0.solver == s && $0.instance == i }?.error ?? "—"
                row += " \(err.prefix(24)) | — | \(String(format: "%.1f", secs)) |"
            }
        }
        out += row + "\n"
    }
    out += "\nmean gap % (instances with a feasible result):\n"
    let ours = gaps["lastmile"].map { $0.reduce(0, +) / Double($0.count) }
    for s in solvers {
        guard let g = gaps[s], !g.isEmpty else { out += "  \(s): no results\n"; continue }
        let mean = g.reduce(0, +) / Double(g.count)
        var line = "  \(s): \(String(format: "%.3f", mean)) over \(g.count) instances"
        if s != "lastmile", let ours {
            // Compare on the instances both solved.
            let both = instances.filter { cell(s, $0).1 != nil && cell("lastmile", $0).1 != nil }
            let a = both.map { cell("lastmile", $0).1! }.reduce(0, +) / Double(max(1, both.count))
            let b = both.map { cell(s, $0).1! }.reduce(0, +) / Double(max(1, both.count))
            line += String(format: "; on the %d shared: lastmile %.3f vs %.3f, ratio %.2f", both.count, a, b, b != 0 ? a / b : .nan)
            _ = ours
        }
        out += line + "\n"
    }
    return out
}

func fmt(_ x: Double) -> String {
    x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
}
