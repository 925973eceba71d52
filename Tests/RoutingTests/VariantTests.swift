import Testing
@testable import Routing

/// A line of clients at x = 1...n from a depot at 0.
func line(_ n: Int, demand: Int = 1) -> (Matrix, [Client]) {
    let m = Matrix(size: n + 1) { abs($0 - $1) * 10 }
    return (m, (1...n).map { Client(x: Double($0), demand: [demand]) })
}

func expectValid(_ data: ProblemData, _ r: SolveResult, sourceLocation: SourceLocation = #_sourceLocation) {
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)", sourceLocation: sourceLocation)
    #expect(r.evaluation.isFeasible, "\(r.evaluation.violations)", sourceLocation: sourceLocation)
    #expect(check.cost == r.evaluation.cost, sourceLocation: sourceLocation)
}

@Test func multiTripReloadsInsteadOfSecondVan() throws {
    // One van of capacity 4 for 10 clients: it must make 3 trips.
    let (m, clients) = line(10)
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 1, capacity: [4], maxTrips: 3, reloadDuration: 30)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 100)
    expectValid(data, r)
    #expect(r.unassigned.isEmpty)
    #expect(r.solution.routes.count == 1)
    #expect(r.solution.routes[0].trips.count == 3)
    #expect(r.solution.routes[0].trips.allSatisfy { $0.count <= 4 })
}

@Test func multiTripRespectsShift() throws {
    // Two trips do not fit in the shift, so one van with 2 trips cannot serve everyone.
    let (m, clients) = line(6)
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 1, capacity: [3], shiftEnd: 150, maxTrips: 2, reloadDuration: 20)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 100)
    expectValid(data, r)
    #expect(!r.unassigned.isEmpty)
    #expect(r.unassigned.allSatisfy { $0.reason == .fleetExhausted })
}

@Test func severalDepotsServeTheirOwnSide() throws {
    // Depots at 0 and 100; clients at 10, 20 and 80, 90.
    let xs = [0, 100, 10, 20, 80, 90]
    let m = Matrix(size: 6) { abs(xs[$0] - xs[$1]) }
    let clients = xs[2...].map { Client(x: Double($0), demand: [1]) }
    let data = try ProblemData(depots: [Depot(), Depot(x: 100)], clients: clients,
                               vehicleTypes: [VehicleType(count: 2, capacity: [10], depot: 0), VehicleType(count: 2, capacity: [10], depot: 1)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 100)
    expectValid(data, r)
    #expect(r.evaluation.cost == 40 + 40)
    let exact = try ExactSolver().solve(data)
    #expect(exact.cost == r.evaluation.cost)
}

@Test func heterogeneousFleetPicksCheaperVans() throws {
    let (m, clients) = line(8, demand: 2)
    // A big van (fixed 1000) or small ones (fixed 100, capacity 4): two small vans are cheaper
    // than the big one only when the extra driving costs less than 800.
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 1, capacity: [16], fixedCost: 1000),
                                              VehicleType(count: 4, capacity: [4], fixedCost: 100)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 150)
    expectValid(data, r)
    let exact = try ExactSolver().solve(data)
    #expect(r.evaluation.cost == exact.cost)
}

/// Each type weighs distance and travel time at its own rates (VROOM's per_km and per_hour): the
/// van that pays per metre takes the near but slow client, the one that pays per second the far but
/// fast one.
@Test func eachTypePaysDistanceAndTravelTimeAtItsOwnRates() throws {
    // Depot 0; client 1 is 100 m away on a fast road (10 s), client 2 is 10 m away but 100 s.
    let distance = Matrix(size: 3) { i, j in i == j ? 0 : (i == 1 || j == 1 ? 100 : 10) }
    let duration = Matrix(size: 3) { i, j in i == j ? 0 : (i == 1 || j == 1 ? 10 : 100) }
    let clients = [Client(demand: [1]), Client(demand: [1])]
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 1, capacity: [1], distanceCost: 1),
                                              VehicleType(count: 1, capacity: [1], distanceCost: 0, travelCost: 1)],
                               distance: distance, duration: duration)
    let r = metaheuristic(data, iterations: 50)
    expectValid(data, r)
    #expect(r.evaluation.cost == 2 * 10 + 2 * 10)
    #expect(Set(r.solution.routes.map { [$0.vehicleType] + $0.clients }) == [[0, 1], [1, 0]])
    #expect(r.evaluation.routes.map(\.travel).sorted() == [20, 200])
    #expect(try ExactSolver().solve(data).cost == 40)
}

/// Three van types with distance and travel time in different ratios on a seeded city of 10
/// clients: the search finds the proven optimum.
@Test func mixedRatesFindTheProvenOptimum() throws {
    var rng = RNG(seed: 7)
    let points = [(0, 0)] + (0..<10).map { _ in (rng.below(40) - 20, rng.below(40) - 20) }
    // Distances on a grid; travel is faster east-west (a main road) than north-south.
    let distance = Matrix(size: points.count) { i, j in 10 * (abs(points[i].0 - points[j].0) + abs(points[i].1 - points[j].1)) }
    let duration = Matrix(size: points.count) { i, j in 2 * abs(points[i].0 - points[j].0) + 9 * abs(points[i].1 - points[j].1) }
    let clients = points.dropFirst().map { _ in Client(demand: [1 + rng.below(3)]) }
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 2, capacity: [6], fixedCost: 300, distanceCost: 3),
                                              VehicleType(count: 2, capacity: [6], fixedCost: 300, distanceCost: 0, travelCost: 4),
                                              VehicleType(count: 1, capacity: [9], fixedCost: 500, distanceCost: 1, travelCost: 2)],
                               distance: distance, duration: duration)
    let r = metaheuristic(data, iterations: 300)
    expectValid(data, r)
    #expect(r.evaluation.cost == (try ExactSolver().solve(data)).cost)
}

@Test func allowedVehicleTypesAreRespected() throws {
    let (m, base) = line(6)
    var clients = base
    // Clients 4 and 5 are down a lane only the small van (type 1) can take.
    clients[4].allowedVehicleTypes = [1]
    clients[5].allowedVehicleTypes = [1]
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 1, capacity: [10]), VehicleType(count: 1, capacity: [2], fixedCost: 50)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 100)
    expectValid(data, r)
    for route in r.solution.routes where route.clients.contains(4) || route.clients.contains(5) {
        #expect(route.vehicleType == 1)
    }
    #expect(r.evaluation.cost == (try ExactSolver().solve(data)).cost)
}

@Test func optionalClientsFollowTheirPenalty() throws {
    let (m, base) = line(4)
    var clients = base
    clients[3].required = false
    clients[3].penalty = 5      // a detour of 20 is not worth 5
    clients[2].required = false
    clients[2].penalty = 1000   // but it is worth 1000
    let data = try ProblemData(depots: [Depot()], clients: clients, vehicleTypes: [VehicleType(count: 1, capacity: [10])],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 50)
    expectValid(data, r)
    #expect(r.unassigned.map(\.client) == [3])
    #expect(r.unassigned.first?.reason == .notWorthServing(penalty: 5))
    #expect(r.evaluation.cost == 60 + 5)
}

@Test func unservableClientsAreExplained() throws {
    let (m, base) = line(5)
    var clients = base
    clients[0].demand = [50]                       // heavier than any van
    clients[1].allowedVehicleTypes = []            // no van allowed
    clients[2].earliest = 0; clients[2].latest = 5 // window closes before anyone arrives
    let data = try ProblemData(depots: [Depot()], clients: clients, vehicleTypes: [VehicleType(count: 2, capacity: [10])],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 30)
    expectValid(data, r)
    #expect(r.unassigned.map(\.client) == [0, 1, 2])
    #expect(r.unassigned[0].reason == .exceedsCapacity(dimension: 0, demand: 50, largestCapacity: 10))
    #expect(r.unassigned[1].reason == .noAllowedVehicle)
    #expect(r.unassigned[2].reason == .windowUnreachable(earliestServiceStart: 30, windowEnd: 5))
}

@Test func maxDurationAndShiftAreHard() throws {
    let (m, base) = line(6)
    let clients = base.map { var c = $0; c.serviceDuration = 20; return c }
    // A route may last at most 140: the farthest client alone takes 120 + 20, all six 240.
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 6, capacity: [10], maxDuration: 140)],
                               distance: m, duration: m)
    let r = metaheuristic(data, iterations: 100)
    expectValid(data, r)
    #expect(r.unassigned.isEmpty)
    #expect(r.evaluation.routes.allSatisfy { $0.duration <= 140 })
    #expect(r.solution.routes.count >= 2)
}

@Test func severalLoadDimensions() throws {
    let m = Matrix(size: 5) { abs($0 - $1) * 10 }
    let clients = [Client(demand: [3, 1]), Client(demand: [1, 3]), Client(demand: [3, 1]), Client(demand: [1, 3])]
    let data = try ProblemData(depots: [Depot()], clients: clients,
                               vehicleTypes: [VehicleType(count: 4, capacity: [4, 4])], distance: m, duration: m)
    let r = metaheuristic(data, iterations: 60)
    expectValid(data, r)
    #expect(r.evaluation.cost == (try ExactSolver().solve(data)).cost)
}
