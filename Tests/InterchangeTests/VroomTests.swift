import Foundation
import Testing
@testable import Interchange

/// Three jobs, one depot (place 0); the cheapest tour is 0 → 3 → 2 → 1 → 0, 67 s.
let durations = "[[0,10,20,30],[12,0,15,25],[22,14,0,12],[35,27,11,0]]"

func problem(jobs: String? = nil, vehicle: String = #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [10]}"#,
             extra: String = "", matrices: String? = nil) -> String {
    let j = jobs ?? #"""
    [{"id": 101, "location_index": 1, "service": 5, "delivery": [3], "pickup": [1]},
     {"id": 102, "location_index": 2, "service": 5, "delivery": [2], "pickup": [4]},
     {"id": 103, "location_index": 3, "service": 5, "pickup": [2]}]
    """#
    return #"{"jobs": \#(j), "vehicles": [\#(vehicle)], "matrices": \#(matrices ?? #"{"car": {"durations": \#(durations)}}"#)\#(extra)}"#
}

func solved(_ body: String) throws -> [String: Any] {
    let answer = VroomSolve.answer(Data(body.utf8), seconds: 0.2)
    return try #require(JSONSerialization.jsonObject(with: VroomSolve.json(answer)) as? [String: Any])
}

func refusal(_ body: String) -> String? {
    do {
        _ = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
        return nil
    } catch { return error.description }
}

@Test func roundTripFindsTheOptimumWithLoadsAfterEachStep() throws {
    let a = try solved(problem())
    #expect(a["code"] as? Int == 0)
    let summary = try #require(a["summary"] as? [String: Any])
    #expect(summary["cost"] as? Int == 67)
    #expect(summary["duration"] as? Int == 67)
    #expect(summary["service"] as? Int == 15)
    #expect(summary["delivery"] as? [Int] == [5])
    #expect(summary["pickup"] as? [Int] == [7])
    let route = try #require((a["routes"] as? [[String: Any]])?.first)
    #expect(route["vehicle"] as? Int == 7)
    let steps = try #require(route["steps"] as? [[String: Any]])
    #expect(steps.map { $0["type"] as? String } == ["start", "job", "job", "job", "end"])
    #expect(steps.compactMap { $0["id"] as? Int } == [103, 102, 101])
    #expect(steps.map { $0["arrival"] as? Int } == [0, 30, 46, 65, 82])
    #expect(steps.map { $0["duration"] as? Int } == [0, 30, 41, 55, 67])
    // load after a step = load before − delivery + pickup; the start carries every delivery.
    #expect(steps.map { $0["load"] as? [Int] } == [[5], [7], [9], [7], [7]])
    #expect((a["unassigned"] as? [Any])?.isEmpty == true)
}

@Test func theAnswerRescoresToItsOwnCost() throws {
    let body = problem()
    let answer = VroomSolve.json(VroomSolve.answer(Data(body.utf8), seconds: 0.2))
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
    let report = try p.check(answer: answer)
    #expect(report == VroomCheckReport(cost: 67, vehiclesUsed: 1, distanceM: 0, durationS: 67, lateStops: 0, unassigned: 0,
                                       feasible: true, violations: []))
}

@Test func handWrittenAnswerHasTheExactCostWithFixedAndPerKm() throws {
    let distances = "[[0,100,200,300],[120,0,150,250],[220,140,0,120],[351,270,110,0]]"
    let body = problem(
        vehicle: #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [10], "costs": {"fixed": 100, "per_km": 500}}"#,
        matrices: #"{"car": {"durations": \#(durations), "distances": \#(distances)}}"#)
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
    // 0 → 1 → 2 → 3 → 0: 72 s and 100 + 150 + 120 + 351 = 721 m; 100 + 72 + 360.5 = 532.5 → 533.
    let answer = #"{"routes": [{"vehicle": 7, "steps": [{"type": "start"}, {"type": "job", "id": 101}, {"type": "job", "id": 102}, {"type": "job", "id": 103}, {"type": "end"}]}]}"#
    let report = try p.check(answer: Data(answer.utf8))
    #expect(report == VroomCheckReport(cost: 533, vehiclesUsed: 1, distanceM: 721, durationS: 72, lateStops: 0, unassigned: 0,
                                       feasible: true, violations: []))
}

@Test func anInfeasibleAnswerIsReportedInfeasible() throws {
    // Leaves with 2 on board, 4 after job 103, 6 after job 102: 3 above capacity 3.
    let body = problem(vehicle: #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [3]}"#)
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
    let answer = #"{"routes": [{"vehicle": 7, "steps": [{"type": "job", "id": 103}, {"type": "job", "id": 102}, {"type": "job", "id": 999}]}, {"vehicle": 8, "steps": []}]}"#
    let report = try p.check(answer: Data(answer.utf8))
    #expect(!report.feasible)
    #expect(report.unassigned == 1)
    #expect(report.violations == [
        "/routes/0/steps/2: job 999 does not exist",
        "vehicle 7: load exceeds capacity by 3",
        "/routes/1: vehicle 8 does not exist",
    ])
}

@Test func lateStopsAreCounted() throws {
    let jobs = #"[{"id": 1, "location_index": 3, "time_windows": [[0, 20]]}]"#
    let p = try VroomProblem(try VroomInput.decode(Data(problem(jobs: jobs).utf8)))
    let report = try p.check(answer: Data(#"{"routes": [{"vehicle": 7, "steps": [{"type": "job", "id": 1}]}]}"#.utf8))
    #expect(report.lateStops == 1)
    #expect(report.violations == ["vehicle 7: late by 10 s (time windows or shift)"])
}

@Test func higherPriorityWinsWhenNotAllFit() throws {
    let jobs = #"""
    [{"id": 1, "location_index": 1, "delivery": [5]},
     {"id": 2, "location_index": 3, "delivery": [5], "priority": 10}]
    """#
    let a = try solved(problem(jobs: jobs, vehicle: #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [5]}"#))
    let steps = try #require((a["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
    #expect(steps.compactMap { $0["id"] as? Int } == [2])
    let u = try #require((a["unassigned"] as? [[String: Any]])?.first)
    #expect(u["id"] as? Int == 1)
    #expect(u["type"] as? String == "job")
    #expect((u["reason"] as? String)?.isEmpty == false)
}

@Test func multiTripExtensionWritesReloadSteps() throws {
    let vehicle = #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [5], "lastmile": {"max_trips": 2, "reload_s": 60}}"#
    let jobs = #"[{"id": 1, "location_index": 1, "delivery": [5]}, {"id": 2, "location_index": 3, "delivery": [5]}]"#
    let body = problem(jobs: jobs, vehicle: vehicle)
    let answer = VroomSolve.json(VroomSolve.answer(Data(body.utf8), seconds: 0.2))
    let a = try #require(JSONSerialization.jsonObject(with: answer) as? [String: Any])
    let steps = try #require((a["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
    #expect(steps.map { $0["type"] as? String } == ["start", "job", "reload", "job", "end"])
    let reload = steps[2]
    #expect(reload["service"] as? Int == 60)
    #expect(reload["load"] as? [Int] == [5])
    let report = try VroomProblem(try VroomInput.decode(Data(body.utf8))).check(answer: answer)
    #expect(report.feasible)
    #expect(report.cost == (a["summary"] as? [String: Any])?["cost"] as? Int)
}

@Test func refusedFieldsNameThemselves() throws {
    let v0 = #""id": 7, "start_index": 0, "end_index": 0, "capacity": [10]"#
    #expect(refusal(problem(extra: #", "shipments": [{"pickup": {}, "delivery": {}}]"#)) == "/shipments: shipments are not supported yet")
    #expect(refusal(problem(vehicle: #"{\#(v0), "breaks": [{"id": 1}]}"#)) == "/vehicles/0/breaks: breaks are not supported yet")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "time_windows": [[0, 5], [9, 20]]}]"#))
            == "/jobs/0/time_windows: several time windows per job are not supported yet")
    #expect(refusal(problem(vehicle: #"{"id": 7, "capacity": [10]}"#)) == "/vehicles/0: a vehicle needs a start or an end")
    #expect(refusal(problem(vehicle: #"{"id": 7, "start": [1, 2], "capacity": [10]}"#))
            == "/vehicles/0/start_index: missing (mandatory with custom matrices)")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "colour": "red"}]"#)) == "/jobs/0/colour: unknown field")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "priority": 101}]"#)) == "/jobs/0/priority: 101 is out of range 0...100")
    #expect(refusal(problem(vehicle: #"{\#(v0), "max_tasks": 2}"#))
            == "/vehicles/0/max_tasks: a task limit below the number of jobs is not supported yet")
    #expect(refusal(problem(vehicle: #"{\#(v0), "max_travel_time": 100}"#))
            == "/vehicles/0/max_travel_time: a travel time limit that a route could reach is not supported yet")
    #expect(refusal(problem(vehicle: #"{\#(v0), "steps": [{"type": "start"}]}"#))
            == "/vehicles/0/steps: vehicle steps (a given starting route) are not supported yet")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "setup": 5}, {"id": 2, "location_index": 1}]"#))
            == "/jobs/0/setup: a setup time at a place shared with another job or a vehicle start is not supported yet")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "service_per_type": {"a": 3}}]"#))
            == "/jobs/0/service_per_type: durations per vehicle type are not supported yet")
    #expect(refusal(problem(vehicle: #"{\#(v0), "costs": {"per_task_hour": 10}}"#))
            == "/vehicles/0/costs/per_task_hour: a cost of task time is not supported yet")
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 1, "amount": [1], "delivery": [1]}]"#))
            == "/jobs/0/amount: the deprecated \"amount\" beside \"delivery\" is ambiguous: keep one")
    #expect(try VroomInput.decode(Data(problem(jobs: #"[{"id": 1, "location_index": 1, "amount": [4]}]"#).utf8)).jobs[0].delivery == [4])
    #expect(refusal(problem(jobs: #"[{"id": 1, "location_index": 9}]"#)) == "/jobs/0/location_index: 9 is out of range 0...3")
    #expect(refusal(problem(matrices: #"{"bike": {"durations": [[0]]}}"#)) == "/matrices: no matrices for profile \"car\" of the vehicles")
}

/// `"lastmile": {"per_hour_on": "route"}`: per_hour prices the whole route (service included), as
/// the planner does; then each vehicle may have its own per_hour/per_km ratio.
@Test func hourlyCostOnTheWholeRouteIsExact() throws {
    let distances = "[[0,100,200,300],[120,0,150,250],[220,140,0,120],[351,270,110,0]]"
    let route = #""lastmile": {"per_hour_on": "route"}"#
    let body = problem(
        vehicle: #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [10], "costs": {"fixed": 100, "per_km": 500}, \#(route)}, "#
            + #"{"id": 8, "start_index": 0, "end_index": 0, "capacity": [10], "costs": {"per_hour": 7200, "per_km": 1}, \#(route)}"#,
        matrices: #"{"car": {"durations": \#(durations), "distances": \#(distances)}}"#)
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
    // 0 → 1 → 2 → 3 → 0: 72 s of travel + 15 s of service = 87 s, 721 m: 100 + 87 + 360.5 → 548.
    let answer = #"{"routes": [{"vehicle": 7, "steps": [{"type": "start"}, {"type": "job", "id": 101}, {"type": "job", "id": 102}, {"type": "job", "id": 103}, {"type": "end"}]}]}"#
    let report = try p.check(answer: Data(answer.utf8))
    #expect(report == VroomCheckReport(cost: 548, vehiclesUsed: 1, distanceM: 721, durationS: 72, lateStops: 0, unassigned: 0,
                                       feasible: true, violations: []))
    let mixed = body.replacingOccurrences(of: #""per_km": 1}, \#(route)}"#, with: #""per_km": 1}}"#)
    #expect(refusal(mixed) == #"/vehicles/1/lastmile/per_hour_on: must be "route" like the other vehicles'"#)
}

/// Vehicles with per_hour and per_km in different ratios: each pays its own rates on travel time
/// and distance (VROOM's rule, rounded once per route).
@Test func vehiclesWithCostsInAnotherRatioPayTheirOwnRates() throws {
    let distances = "[[0,100,200,300],[120,0,150,250],[220,140,0,120],[351,270,110,0]]"
    let body = problem(
        vehicle: #"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [6]}, "#
            + #"{"id": 8, "start_index": 0, "end_index": 0, "capacity": [6], "costs": {"per_hour": 900, "per_km": 80}}"#,
        matrices: #"{"car": {"durations": \#(durations), "distances": \#(distances)}}"#)
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)))
    // Vehicle 7: 0 → 1 → 0, 22 s → 22. Vehicle 8: 0 → 3 → 2 → 0, 63 s and 630 m:
    // 900·63/3600 + 80·630/1000 = 15.75 + 50.4 → 66. Together 88.
    let answer = #"{"routes": [{"vehicle": 7, "steps": [{"type": "start"}, {"type": "job", "id": 101}, {"type": "end"}]}, "#
        + #"{"vehicle": 8, "steps": [{"type": "start"}, {"type": "job", "id": 103}, {"type": "job", "id": 102}, {"type": "end"}]}]}"#
    let report = try p.check(answer: Data(answer.utf8))
    #expect(report == VroomCheckReport(cost: 88, vehiclesUsed: 2, distanceM: 850, durationS: 85, lateStops: 0, unassigned: 0,
                                       feasible: true, violations: []))
    // The optimum (by enumeration of every split and order): vehicle 7 takes 103 and 102 (63 s → 63),
    // vehicle 8 takes 101 (22 s and 220 m: 5.5 + 17.6 → 23): 86.
    let a = try solved(body)
    #expect((a["summary"] as? [String: Any])?["cost"] as? Int == 86)
    let routes = try #require(a["routes"] as? [[String: Any]])
    let jobs = Dictionary(uniqueKeysWithValues: routes.map { r in
        (r["vehicle"] as? Int ?? -1, (r["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int })
    })
    #expect(jobs == [7: [103, 102], 8: [101]])
    #expect(routes.map { $0["cost"] as? Int } .sorted { ($0 ?? 0) < ($1 ?? 0) } == [23, 63])
}

@Test func coordinatesWithoutMatricesNeedTheRoadMap() throws {
    let body = #"""
    {"jobs": [{"id": 1, "location": [2.35, 48.85]}], "vehicles": [{"id": 1, "start": [2.30, 48.80], "end": [2.30, 48.80]}]}
    """#
    #expect(refusal(body) == "/matrices: missing, and no road map is configured to compute travel between coordinates")
    let travel: VroomTravel = { points in
        VroomMatrices(size: points.count, durations: [0, 100, 90, 0], distances: [0, 1000, 900, 0], costs: nil)
    }
    let p = try VroomProblem(try VroomInput.decode(Data(body.utf8)), travel: travel)
    let answer = p.answer(.init(routes: [.init(vehicleType: 0, clients: [0])]), times: .init(loading: 0, solving: 0, routing: 0))
    #expect(answer.summary?.totals.cost == 190)
    #expect(answer.summary?.totals.distance == 1900)
    #expect(answer.routes?.first?.steps[1].location == [2.35, 48.85])
}

@Test func inputErrorsAnswerWithCodeTwo() throws {
    let a = try solved(#"{"jobs": [], "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "speed_factor": 2}], "matrices": {"car": {"durations": [[0]]}}}"#)
    #expect(a["code"] as? Int == 2)
    #expect(a["error"] as? String == "/vehicles/0/speed_factor: a speed factor other than 1 is not supported yet")
    #expect(try solved("{").keys.contains("error"))
}

/// VROOM's docs/example_2.json: start 0, end 3; VROOM answers 0 → 1 → 2 → 3, cost 5461.
@Test func anEndElsewhereAndOpenRoutesAreExact() throws {
    let m = #"{"car": {"durations": [[0,2104,197,1299],[2103,0,2255,3152],[197,2256,0,1102],[1299,3153,1102,0]]}}"#
    let jobs = #"[{"id": 1414, "location_index": 1}, {"id": 1515, "location_index": 2}]"#
    func route(_ vehicle: String) throws -> (cost: Int?, steps: [[String: Any]]) {
        let a = try solved(problem(jobs: jobs, vehicle: vehicle, matrices: m))
        let steps = try #require((a["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
        return ((a["summary"] as? [String: Any])?["cost"] as? Int, steps)
    }
    let elsewhere = try route(#"{"id": 0, "start_index": 0, "end_index": 3}"#)
    #expect(elsewhere.cost == 5461)
    #expect(elsewhere.steps.map { $0["location_index"] as? Int } == [0, 1, 2, 3])
    #expect(elsewhere.steps.map { $0["arrival"] as? Int } == [0, 2104, 4359, 5461])
    // No end: the route stops at its last job (0 → 2 → 1: 197 + 2256).
    let open = try route(#"{"id": 0, "start_index": 0}"#)
    #expect(open.cost == 2453)
    #expect(open.steps.map { $0["location_index"] as? Int } == [0, 2, 1, 1])
    // No start: it begins at its first job (1 → 2 → 3 costs 3357, 2 → 1 → 3 costs 5408).
    let noStart = try route(#"{"id": 0, "end_index": 3}"#)
    #expect(noStart.cost == 3357)
    #expect(noStart.steps.map { $0["location_index"] as? Int } == [1, 1, 2, 3])
    #expect(refusal(problem(jobs: jobs, vehicle: #"{"id": 0, "start_index": 0, "lastmile": {"max_trips": 2}}"#, matrices: m))
            == "/vehicles/0/lastmile/max_trips: several trips of a vehicle whose end is not its start are not supported yet")
}

@Test func theReaderDecodesEscapesAndNumbers() throws {
    let body = #"{"jobs": [{"id": 1, "location_index": 0, "description": "a\"b\\c\/d\te\u00e9\ud83d\ude00", "location": [-1.5e0, 2]}], "vehicles": [{"id": 2, "start_index": 0}], "matrices": {"car": {"durations": [[0]]}}}"#
    let input = try VroomInput.decode(Data(body.utf8))
    #expect(input.jobs[0].description == "a\"b\\c/d\te\u{e9}\u{1F600}")
    #expect(input.jobs[0].location == [-1.5, 2])
    #expect(refusal(#"{"jobs": [1, ]}"#) == "malformed JSON at offset 13: expected a value")
    #expect(refusal(#"{"jobs": [], "jobs": []}"#) == "malformed JSON at offset 19: duplicate member \"jobs\"")
    #expect(refusal(problem(matrices: #"{"car": {"durations": [[0, 1], [1, -1]]}}"#))
            == "/matrices/car/durations/1/1: -1 is out of range 0...4294967295")
}

@Test func skillsCostsMatrixAndSetupMapExactly() throws {
    // Job 2 needs skill 1: only vehicle 9 has it. The costs matrix prices travel, not durations.
    let jobs = #"""
    [{"id": 1, "location_index": 1, "setup": 7, "service": 5},
     {"id": 2, "location_index": 3, "skills": [1], "time_windows": [[100, 200]]}]
    """#
    let vehicles = #"{"id": 8, "start_index": 0, "end_index": 0}, {"id": 9, "start_index": 0, "end_index": 0, "skills": [1, 4], "costs": {"fixed": 50}}"#
    let costs = "[[0,1,5,3],[1,0,5,9],[5,5,0,5],[3,9,5,0]]"   // job 1 on vehicle 9 would add 7, alone 2
    let a = try solved(problem(jobs: jobs, vehicle: vehicles,
                               matrices: #"{"car": {"durations": \#(durations), "costs": \#(costs)}}"#))
    let routes = try #require(a["routes"] as? [[String: Any]])
    #expect(routes.map { $0["vehicle"] as? Int } == [8, 9])
    #expect(routes.map { $0["cost"] as? Int } == [2, 56])
    let first = try #require(routes[0]["steps"] as? [[String: Any]])
    #expect(first[1]["setup"] as? Int == 7)
    #expect(first[1]["service"] as? Int == 5)
    #expect(first[2]["arrival"] as? Int == 10 + 7 + 5 + 12)
    let second = try #require(routes[1]["steps"] as? [[String: Any]])
    #expect(second[1]["arrival"] as? Int == 100)
    #expect(second[0]["arrival"] as? Int == 70)
    #expect((a["summary"] as? [String: Any])?["cost"] as? Int == 58)
}

@Test func reloadsOfAOneTripVehicleAreViolations() throws {
    let p = try VroomProblem(try VroomInput.decode(Data(problem().utf8)))
    let steps = #"[{"type": "start"}, {"type": "reload"}, {"type": "job", "id": 101}, {"type": "reload"}, {"type": "reload"}, {"type": "job", "id": 102}, {"type": "break", "id": 1}]"#
    let report = try p.check(answer: Data(#"{"routes": [{"vehicle": 7, "steps": \#(steps)}]}"#.utf8))
    #expect(report.violations == ["/routes/0/steps/6/type: a \"break\" step is not in the problem", "vehicle 7: 2 trips, at most 1"])
    #expect(report.unassigned == 1)
    #expect(throws: VroomError.self) { try p.check(answer: Data(#"{"routes": {}}"#.utf8)) }
}

/// examples/vroom-pickups.json: the README's example reaches its optimum and re-scores to it.
@Test func theExampleReachesItsOptimum() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/vroom-pickups.json")
    let body = try Data(contentsOf: path)
    let answer = VroomSolve.json(VroomSolve.answer(body, seconds: 0.2))
    let a = try #require(JSONSerialization.jsonObject(with: answer) as? [String: Any])
    #expect((a["summary"] as? [String: Any])?["cost"] as? Int == 67)
    #expect((a["summary"] as? [String: Any])?["distance"] as? Int == 300 + 110 + 140 + 120)
    let report = try VroomProblem(try VroomInput.decode(body)).check(answer: answer)
    #expect(report.feasible && report.cost == 67 && report.distanceM == 670)
}
