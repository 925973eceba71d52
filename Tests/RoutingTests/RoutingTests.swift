import Testing

@testable import Routing

/// A line of clients at x = 1...n from a depot at 0, Manhattan-free 1-D distances.
func lineProblem(n: Int, capacity: Int, windows: [(Int, Int)]? = nil) throws -> ProblemData {
    let xs = [0] + (1...n).map { $0 }
    let m = Matrix(size: n + 1) { abs(xs[$0] - xs[$1]) }
    let clients = (0..<n).map { k in
        Client(x: Double(k + 1), demand: [1], serviceDuration: 1,
               earliest: windows?[k].0 ?? 0, latest: windows?[k].1 ?? 1000)
    }
    return try ProblemData(depots: [Depot()], clients: clients,
                           vehicleTypes: [VehicleType(count: n, capacity: [capacity])],
                           distance: m, duration: m)
}

@Test func segmentScheduleMatchesHandComputation() throws {
    // Depot at 0; clients at 1, 2, 3 with windows forcing a wait at client 2 (opens at 10).
    let data = try lineProblem(n: 3, capacity: 10, windows: [(0, 100), (10, 100), (0, 100)])
    let e = data.evaluate(Route(vehicleType: 0, clients: [0, 1, 2]))
    // Duration-minimal start: depart at 7 → arrive 8 (serve 8–9), arrive 10 at client 2, …
    #expect(e.tripStarts == [7])
    #expect(e.visits.map(\.serviceStart) == [8, 10, 12])
    #expect(e.distance == 6)
    #expect(e.duration == 9)  // 7 → back at 16
    #expect(e.timeWarp == 0)
    #expect(e.waiting == 0)
}

@Test func timeWarpAndExcessLoadAreMeasured() throws {
    let data = try lineProblem(n: 3, capacity: 2, windows: [(0, 100), (0, 100), (0, 2)])
    let e = data.evaluate(Route(vehicleType: 0, clients: [0, 1, 2]))
    #expect(e.excessLoad == 1)
    // Earliest departure 0: client 3 is reached at 5 at best (1 + 1 + 1 + 1 + 1), window ends 2.
    #expect(e.timeWarp == 3)
    #expect(!e.isFeasible)
}

@Test func multiTripReloadsAtDepot() throws {
    var data = try lineProblem(n: 4, capacity: 2)
    data = try ProblemData(depots: data.depots, clients: data.clients,
                           vehicleTypes: [VehicleType(count: 1, capacity: [2], maxTrips: 2, reloadDuration: 5)],
                           distance: data.distance, duration: data.duration)
    let e = data.evaluate(Route(vehicleType: 0, trips: [[0, 1], [2, 3]]))
    #expect(e.tripLoads == [[2], [2]])
    #expect(e.excessLoad == 0)
    #expect(e.tripStarts[1] == e.tripEnds[0] + 5)
    #expect(e.distance == 4 + 8)
}

@Test func greedyServesEveryoneFeasibly() throws {
    var rng = RNG(seed: 42)
    let n = 30
    let pts = (0...n).map { _ in (rng.below(100), rng.below(100)) }
    let m = Matrix(size: n + 1) { i, j in
        let dx = Double(pts[i].0 - pts[j].0), dy = Double(pts[i].1 - pts[j].1)
        return Int((dx * dx + dy * dy).squareRoot().rounded())
    }
    let clients = (1...n).map { k in
        Client(x: Double(pts[k].0), y: Double(pts[k].1), demand: [1 + rng.below(9)], serviceDuration: 5,
               earliest: rng.below(200), latest: 400)
    }
    let data = try ProblemData(depots: [Depot(latest: 1000)], clients: clients,
                               vehicleTypes: [VehicleType(count: 10, capacity: [40], fixedCost: 100)],
                               distance: m, duration: m)
    let result = GreedySolver().solve(data, parameters: SolveParameters(seed: 1))
    #expect(result.evaluation.isFeasible, "\(result.evaluation.violations)")
    #expect(result.unassigned.isEmpty)
    #expect(result.evaluation.unvisited.isEmpty)
}

@Test func unreachableClientIsExplainedNotFatal() throws {
    // Client 1 opens and closes before any vehicle can get there.
    let data = try lineProblem(n: 3, capacity: 10, windows: [(0, 100), (0, 1), (0, 100)])
    let r = GreedySolver().solve(data, parameters: SolveParameters(seed: 1))
    #expect(r.evaluation.isFeasible)
    #expect(r.unassigned.map(\.client) == [1])
    guard case .windowUnreachable(let start, let end) = r.unassigned.first?.reason else {
        Issue.record("wrong reason \(String(describing: r.unassigned.first))")
        return
    }
    #expect(start == 2 && end == 1)
}

@Test func rngIsReproducible() {
    var a = RNG(seed: 7), b = RNG(seed: 7)
    #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
    var c = RNG(seed: 8)
    #expect(a.next() != c.next())
}
