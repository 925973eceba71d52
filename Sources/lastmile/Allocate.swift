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
            Writes JSON with objective, bound, status, open (0-based warehouse indices in file \
            order) and assignment (customer, warehouse, fraction; 0-based, file order). \
            OR-Library cap files allow split demand (their optima assume it) unless \
            --single-source is given.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// Beasley's OR-Library capacitated warehouse location files (cap41 … capc).
        case orlibCap = "orlib-cap"
        /// Lastmile scenario files (not yet wired to the network-design model).
        case scenario
    }

    @Argument(help: "The input file.")
    var file: String

    @Option(help: "Input format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format

    @Option(help: "Value of the word 'capacity' in capa/capb/capc files.")
    var capacity: String?

    @Flag(help: "Serve each customer from exactly one warehouse.")
    var singleSource = false

    @Option(name: .customLong("time-limit"), help: "Seconds before stopping with the best solution found.")
    var timeLimit: Double?

    @Option(help: "Stop at this relative gap (e.g. 0.001).")
    var gap: Double?

    @Option(help: "Where to write the JSON answer.")
    var out: String

    @Flag(help: "Print solver progress on stderr.")
    var verbose = false

    func run() async throws {
        try await reportingErrors {
            let (problem, costScale) = try load()
            var options = FacilityLocationOptions()
            options.timeLimit = timeLimit
            options.relativeGap = gap
            if verbose {
                options.log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            }
            let result: FacilityLocationResult
            do throws(FacilityLocationError) {
                result = try FacilityLocationSolver.solve(problem, options: options)
            } catch {
                // The problem was built by our own reader, so only the solver can fail here.
                throw GeneralError(.planning, error.description)
            }
            let report = FacilityLocationReport(result, problem: problem, costScale: costScale)
            do { try report.json().write(to: URL(fileURLWithPath: out)) } catch {
                throw GeneralError(.output, "cannot write \(out): \(error.localizedDescription)")
            }
            print(summary(report, problem: problem))
            if result.solution == nil {
                throw GeneralError(.planning, "\(file): \(result.status.rawValue)")
            }
        }
    }

    private func load() throws -> (FacilityLocationProblem, Int64) {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw GeneralError(.notFound, "\(file): no such readable file")
        }
        switch format {
        case .orlibCap:
            do throws(ORLibError) {
                let instance = try ORLibCapReader.read(path: file, capacity: capacity, sourcing: singleSource ? .single : .split)
                return (instance.problem, instance.costScale)
            } catch {
                throw InputError(file: error.field == "--capacity" ? nil : file, line: error.line, field: error.field, error.reason)
            }
        case .scenario:
            throw InputError(field: "--format", "scenario files are not supported by allocate yet; use --format orlib-cap")
        }
    }

    private func summary(_ r: FacilityLocationReport, problem: FacilityLocationProblem) -> String {
        let z = r.objective.map { String(format: "%.3f", $0) } ?? "-"
        let b = r.bound.map { String(format: "%.3f", $0) } ?? "-"
        return "\(r.status.rawValue): objective \(z), bound \(b), \(r.open.count) of \(problem.facilityCount) warehouses open, "
            + String(format: "%.2f s", r.seconds)
    }
}
