import ArgumentParser
import Foundation
import Interchange
import Planning
import RoadNetwork
import Server

/// `lastmile check-vroom PROBLEM.json ANSWER.json`: re-scores a VROOM-shaped answer with the
/// routing core's evaluator; one JSON line, exit 0 when feasible, 65 when not.
struct CheckVroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-vroom",
        abstract: "Re-score a VROOM answer against its VROOM problem (cost in VROOM units, feasibility).",
        discussion: "Reads routes[].vehicle and routes[].steps[] (type, id); prints {cost, vehicles_used, distance_m, duration_s, late_stops, unassigned, feasible, violations}.")

    @Argument(help: "The VROOM problem JSON.") var problem: String
    @Argument(help: "The answer JSON (routes with steps).") var answer: String
    @Option(help: "OSM map for travel between coordinates when the problem has no matrices.") var map: String?
    @OptionGroup var mapOptions: MapOptions

    func run() async throws {
        try await reportingErrors {
            guard let p = FileManager.default.contents(atPath: problem) else { throw GeneralError.noSuchFile(problem) }
            guard let a = FileManager.default.contents(atPath: answer) else { throw GeneralError.noSuchFile(answer) }
            let travel = try roadTravel(map: map, mapOptions)
            let vroom: VroomProblem, report: VroomCheckReport
            do { vroom = try VroomProblem(try VroomInput.decode(p), travel: travel) } catch let e as VroomError {
                throw GeneralError(.input, "\(problem): \(e)")
            }
            do { report = try vroom.check(answer: a) } catch let e as VroomError {
                throw GeneralError(.input, "\(answer): \(e)")
            }
            print(VroomProblem.json(report))
            if !report.feasible { throw ExitCode(65) }
        }
    }
}

/// Travel between coordinates of a VROOM input from `--map` (nil without one).
func roadTravel(map: String?, _ options: MapOptions) throws -> VroomTravel? {
    guard let map else { return nil }
    let provider = try mappingRoadErrors {
        try RoadNetworkProvider(mapPath: map, profile: try options.vehicleProfile(), cacheDirectory: options.cacheDirectory)
    }
    return vroomTravel(provider)
}
