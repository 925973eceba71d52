import Allocation
import ArgumentParser
import Foundation
import Planning

/// `lastmile allocate`: network design — which candidate warehouses to open and which pickup
/// points (customers) each serves, by the capacitated facility location model.
struct Allocate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Network design: open warehouses and assign customers (capacitated facility location, GLPK).",
        discussion: """
            Writes JSON with objective, bound, status, open (0-based warehouse indices) and \
            assignment (customer, warehouse, fraction; 0-based). OR-Library cap files allow split \
            demand (their optima assume it) unless --single-source is given. Scenario files \
            (docs/network-design.md) serve each pickup point from one warehouse unless \
            --split-demand is given; their sites are the scenario's warehouses plus the candidate \
            sites it declares, and the JSON adds ids, the cost breakdown and figures per site.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// Beasley's OR-Library capacitated warehouse location files (cap41 … capc).
        case orlibCap = "orlib-cap"
        /// Lastmile scenarios (a directory or scenario.json).
        case scenario
    }

    @Argument(help: "The input: an OR-Library file, or a scenario directory / scenario.json.")
    var file: String

    @Option(help: "Input format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")) (default: scenario for a directory or a .json file).")
    var format: Format?

    /// The format given, else a scenario for a directory or a .json file; OR-Library files must be named.
    var resolvedFormat: Format? {
        if let format { return format }
        var isDir: ObjCBool = false
        let dir = FileManager.default.fileExists(atPath: file, isDirectory: &isDir) && isDir.boolValue
        return dir || file.hasSuffix(".json") ? .scenario : nil
    }

    @Option(help: "orlib-cap: value of the word 'capacity' in capa/capb/capc files.")
    var capacity: String?

    @Flag(help: "Serve each customer from exactly one warehouse (the default for scenarios).")
    var singleSource = false

    @Flag(help: "scenario: let a pickup point's crates be split over several warehouses.")
    var splitDemand = false

    @Option(help: "scenario: the orders of one delivery day (default: orders.jsonl beside scenario.json).")
    var orders: String?

    @Option(parsing: .unconditional, help: "scenario: design for the average of this many simulated days (the scenario's simulation section).")
    var days: Int?

    @Option(name: .customLong("capacity-basis"),
            help: "scenario, with --days: what must fit a site's capacity: peak (each point's busiest day, every day fits) or average.")
    var capacityBasis: CapacityBasis?

    @Option(parsing: .unconditional, help: "scenario, with --days: demand seed (default: simulation.seed, else 1).")
    var seed: UInt64?

    @Option(help: "scenario, with --days: design for this variant's world and demand (default: base).")
    var variant: String?

    @Option(help: "scenario: candidate sites to consider, comma-separated site ids and/or variant names, or 'none' (default: every declared candidate).")
    var candidates: String?

    @Option(name: .customLong("open"), help: "scenario: comma-separated site ids that must be open.")
    var forceOpen: String?

    @Option(name: .customLong("close"), help: "scenario: comma-separated site ids to leave out.")
    var forceClose: String?

    @Option(name: .customLong("time-limit"), parsing: .unconditional, help: "Seconds before stopping with the best solution found (per solve).")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Stop at this relative gap (e.g. 0.001).")
    var gap: Double?

    @Option(help: "Where to write the JSON answer.")
    var out: String

    @Flag(help: "Print solver progress on stderr.")
    var verbose = false

    func validate() throws {
        if singleSource && splitDemand { throw ValidationError("--single-source and --split-demand exclude each other") }
        guard let format = resolvedFormat else {
            throw ValidationError("\(file) is neither a scenario directory nor a .json file: give --format (e.g. orlib-cap)")
        }
        switch format {
        case .orlibCap:
            let scenarioOnly: [(String, Bool)] = [
                ("--split-demand", splitDemand), ("--orders", orders != nil), ("--days", days != nil), ("--seed", seed != nil),
                ("--variant", variant != nil), ("--candidates", candidates != nil), ("--open", forceOpen != nil),
                ("--close", forceClose != nil), ("--capacity-basis", capacityBasis != nil),
            ]
            if let (flag, _) = scenarioOnly.first(where: \.1) { throw ValidationError("\(flag) applies to --format scenario") }
        case .scenario:
            if capacity != nil { throw ValidationError("--capacity applies to --format orlib-cap") }
            if orders != nil && days != nil { throw ValidationError("give either --orders or --days, not both") }
            if let days, days < 1 { throw ValidationError("--days must be at least 1") }
            if days == nil, seed != nil || variant != nil || capacityBasis != nil {
                let flag = seed != nil ? "--seed" : variant != nil ? "--variant" : "--capacity-basis"
                throw ValidationError("\(flag) needs --days (simulated demand)")
            }
        }
    }

    var solverLog: (@Sendable (String) -> Void)? {
        guard verbose else { return nil }
        return { @Sendable line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    func run() async throws {
        try await reportingErrors {
            switch resolvedFormat {
            case .orlibCap?: try runORLib()
            case .scenario?: try runScenario()
            case nil: preconditionFailure("validate() requires a format")
            }
        }
    }

    private func runORLib() throws {
        try GeneralError.requireInput(file)
        let problem: FacilityLocationProblem, costScale: Int64
        do throws(ORLibError) {
            let instance = try ORLibCapReader.read(path: file, capacity: capacity, sourcing: singleSource ? .single : .split)
            (problem, costScale) = (instance.problem, instance.costScale)
        } catch {
            throw InputError(file: error.field == "--capacity" ? nil : file, line: error.line, field: error.field, error.reason)
        }
        var options = FacilityLocationOptions()
        options.timeLimit = timeLimit
        options.relativeGap = gap
        options.log = solverLog
        let result: FacilityLocationResult
        do throws(FacilityLocationError) {
            result = try FacilityLocationSolver.solve(problem, options: options)
        } catch {
            // The problem was built by our own reader, so only the solver can fail here.
            throw GeneralError(.planning, error.description)
        }
        let report = FacilityLocationReport(result, problem: problem, costScale: costScale)
        try write(try report.json())
        let z = report.objective.map { String(format: "%.3f", $0) } ?? "-"
        let b = report.bound.map { String(format: "%.3f", $0) } ?? "-"
        print("\(report.status.rawValue): objective \(z), bound \(b), \(report.open.count) of \(problem.facilityCount) warehouses open, "
              + String(format: "%.2f s", report.seconds))
        if result.solution == nil { throw GeneralError(.planning, "\(file): \(result.status.rawValue)") }
    }

    func write(_ data: Data) throws {
        do {
            try createParentDirectory(of: out)
            try data.write(to: URL(fileURLWithPath: out))
        } catch {
            throw GeneralError(.output, "cannot write \(out): \(error.localizedDescription)")
        }
    }

    static func list(_ s: String?) -> [String] {
        (s ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension CapacityBasis: ExpressibleByArgument {}
