import Allocation
import Foundation

/// The OR-Library CFLP benchmark behind `tools/bench-cflp`: every manifest row solved by
/// Lastmile (and, with a peer command, by HiGHS on the same model), one table row each.
public enum CFLPBench {
    public struct Options: Sendable {
        public var manifest: String
        /// Only rows whose file name contains one of these (comma-separated).
        public var only: String?
        /// Include capa/capb/capc (4 capacity variants each).
        public var large = false
        /// Time limit per run, seconds.
        public var timeLimit = 60.0
        /// Peer command: executable and leading arguments (e.g. python, tools/cflp_highs.py).
        public var peer: [String]?
        public var singleSource = false
        public var solver = FacilityLocationOptions()

        public init(manifest: String) { self.manifest = manifest }
    }

    public struct Row: Sendable {
        public var file: String
        public var capacity: String?
        public var m: Int, n: Int
        public var optimum: Double?
        public var result: FacilityLocationResult
        public var objective: Double?
        public var bound: Double?
        public var peer: PeerRun?

        /// The objective matches the manifest optimum to 0.001 (plus 1e-9 relative).
        public var matchesOptimum: Bool {
            guard let z = objective, let opt = optimum else { return false }
            return abs(z - opt) <= 0.001 + 1e-9 * abs(opt)
        }
    }

    public struct PeerRun: Sendable, Decodable {
        public var objective: Double?
        public var bound: Double?
        public var status: String
        public var seconds: Double
    }

    struct ManifestRow {
        var file: String
        var optimum: Double?
        var capacity: String?
    }

    static func readManifest(_ path: String) throws -> [ManifestRow] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst()
        func column(_ name: String) throws -> Int {
            guard let k = header.firstIndex(of: name) else { throw BenchError("\(path): no column '\(name)'") }
            return k
        }
        let file = try column("file"), opt = try column("bks_or_opt"), cap = try column("variant_capacity")
        return lines.map { f in
            let capacity = cap < f.count && !f[cap].isEmpty ? f[cap] : nil
            return ManifestRow(file: f[file], optimum: Double(f[opt]), capacity: capacity)
        }
    }

    /// Runs the benchmark, printing the table to `print` as it goes.
    public static func run(_ options: Options, print: (String) -> Void) throws -> [Row] {
        let folder = (options.manifest as NSString).deletingLastPathComponent
        let rows = try readManifest(options.manifest).filter { r in
            (options.large || r.capacity == nil) && (options.only.map { o in o.split(separator: ",").contains { r.file.contains($0) } } ?? true)
        }
        print(header(peers: options.peer != nil))
        var out: [Row] = []
        for r in rows {
            let path = (folder as NSString).appendingPathComponent(r.file)
            let instance = try ORLibCapReader.read(path: path, capacity: r.capacity, sourcing: options.singleSource ? .single : .split)
            var solver = options.solver
            solver.timeLimit = options.timeLimit
            let result = try FacilityLocationSolver.solve(instance.problem, options: solver)
            if let s = result.solution {
                let bad = instance.problem.violations(of: s)
                if !bad.isEmpty { throw BenchError("\(r.file): infeasible solution returned: \(bad.prefix(3).joined(separator: "; "))") }
            }
            var row = Row(file: r.file, capacity: r.capacity, m: instance.problem.facilityCount, n: instance.problem.customerCount,
                          optimum: options.singleSource ? nil : r.optimum, result: result,
                          objective: result.objective.map(instance.fileUnits), bound: result.bound.map(instance.fileUnits))
            if let peer = options.peer {
                row.peer = try runPeer(peer, path: path, capacity: r.capacity, timeLimit: options.timeLimit, single: options.singleSource)
            }
            print(line(row))
            out.append(row)
        }
        print(footer(out))
        return out
    }

    static func runPeer(_ command: [String], path: String, capacity: String?, timeLimit: Double, single: Bool) throws -> PeerRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: command[0])
        var args = Array(command.dropFirst()) + [path, "--time-limit", String(timeLimit)]
        if let capacity { args += ["--capacity", capacity] }
        if single { args.append("--single-source") }
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BenchError("peer failed on \(path) (exit \(p.terminationStatus))") }
        return try JSONDecoder().decode(PeerRun.self, from: data)
    }

    static func header(peers: Bool) -> String {
        var h = pad("instance", 10) + pad("capacity", 9, right: true) + pad("m", 5, right: true) + pad("n", 6, right: true)
            + pad("objective", 16, right: true) + pad("optimum", 16, right: true) + pad("gap", 10, right: true)
            + "  " + pad("status", 14) + pad("seconds", 8, right: true)
        if peers { h += "  " + pad("highs objective", 16, right: true) + "  " + pad("highs status", 20) + pad("highs s", 8, right: true) + pad("ratio", 8, right: true) }
        return h
    }

    static func line(_ r: Row) -> String {
        let status = r.result.status == .optimal && !r.matchesOptimum && r.optimum != nil ? "optimal≠opt" : r.result.status.rawValue
        var s = pad(r.file.replacingOccurrences(of: ".txt", with: ""), 10) + pad(r.capacity ?? "", 9, right: true)
            + pad("\(r.m)", 5, right: true) + pad("\(r.n)", 6, right: true)
            + pad(r.objective.map { fmt($0, 3) } ?? "-", 16, right: true)
            + pad(r.optimum.map { fmt($0, 3) } ?? "-", 16, right: true)
            + pad(gapText(r), 10, right: true)
            + "  " + pad(status, 14) + pad(fmt(r.result.seconds, 2), 8, right: true)
        if let p = r.peer {
            s += "  " + pad(p.objective.map { fmt($0, 3) } ?? "-", 16, right: true) + "  " + pad(p.status, 20)
                + pad(fmt(p.seconds, 2), 8, right: true) + pad(fmt(r.result.seconds / max(p.seconds, 1e-6), 1), 8, right: true)
        }
        return s
    }

    /// Versus the optimum when known (0 when matched), else the proven gap.
    static func gapText(_ r: Row) -> String {
        if r.matchesOptimum { return "0" }
        if let z = r.objective, let opt = r.optimum { return String(format: "%.4f%%", 100 * (z - opt) / opt) }
        if let g = r.result.gap { return String(format: "%.4f%%", 100 * g) }
        return "-"
    }

    static func footer(_ rows: [Row]) -> String {
        let small = rows.filter { $0.capacity == nil }
        var lines: [String] = []
        if !small.isEmpty {
            let solved = small.filter(\.matchesOptimum).count
            lines.append("cap41–cap134: \(solved) of \(small.count) at the optimum; median \(fmt(median(small.map(\.result.seconds)), 3)) s, max \(fmt(small.map(\.result.seconds).max()!, 3)) s")
            let peers = small.compactMap(\.peer)
            if peers.count == small.count {
                lines.append("HiGHS: median \(fmt(median(peers.map(\.seconds)), 3)) s; ratio of medians (Lastmile / HiGHS) \(fmt(median(small.map(\.result.seconds)) / max(median(peers.map(\.seconds)), 1e-6), 2))")
            }
        }
        let large = rows.filter { $0.capacity != nil }
        if !large.isEmpty {
            let solved = large.filter(\.matchesOptimum).count
            let proven = large.filter { $0.result.status == .optimal }.count
            lines.append("capa/capb/capc: \(solved) of \(large.count) at the optimum, \(proven) proven optimal")
        }
        return lines.joined(separator: "\n")
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func fmt(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
