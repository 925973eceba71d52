import Testing
@testable import Routing

/// Vehicle change and route merging (VehicleChange.swift) on a line: clients 0 and 1 east of the
/// depot (10, 11), 2 and 3 west (−10, −11); a van (fixed 260, 2 a trip, 2 trips), a minivan
/// (fixed 160, 1 a trip, 3 trips) and a large van (fixed 380, 4 a trip).
func threeVanLine() throws -> ProblemData {
    let xs = [0, 10, 11, -10, -11]
    let m = Matrix(size: xs.count) { abs(xs[$0] - xs[$1]) }
    return try ProblemData(depots: [Depot()], clients: (0..<4).map { _ in Client(demand: [1]) },
                           vehicleTypes: [VehicleType(count: 2, capacity: [2], fixedCost: 260, maxTrips: 2),
                                          VehicleType(count: 2, capacity: [1], fixedCost: 160, maxTrips: 3),
                                          VehicleType(count: 1, capacity: [4], fixedCost: 380)],
                           distance: m, duration: m)
}

/// A local search holding `routes` (per vehicle type, client indices, depot 0 as a reload).
func searchHolding(_ data: ProblemData, _ routes: [(type: Int, stops: [Int])]) -> (SearchData, LocalSearch<DeliveryLoad>) {
    let sd = SearchData(data, granularity: 10)
    var slots = SlotRoutes(repeating: [], count: sd.slotType.count)
    var used = Set<Int>()
    for r in routes {
        let s = sd.slotType.indices.first { sd.slotType[$0] == r.type && !used.contains($0) }!
        used.insert(s)
        slots[s] = r.stops.map { $0 < 0 ? 0 : sd.depots + $0 }
    }
    var ls = LocalSearch<DeliveryLoad>(sd, rng: RNG(seed: 1))
    ls.setPenalties(Penalties(load: 1000, time: 1000))
    ls.load(slots, unrouted: [])
    return (sd, ls)
}

/// The routes a search holds, as (type, clients with −1 for a reload), non-empty ones only.
func held(_ sd: SearchData, _ ls: LocalSearch<DeliveryLoad>) -> [[Int]] {
    ls.export().enumerated().filter { !$0.element.isEmpty }.map { s, seq in [sd.slotType[s]] + seq.map { $0 < sd.depots ? -1 : $0 - sd.depots } }
}

@Test func twoRoutesBecomeTheTripsOfOneVan() throws {
    let data = try threeVanLine()
    // The van serves the east, the minivan the west in two trips: 260 + 22 + 160 + 42 = 484.
    var (sd, ls) = searchHolding(data, [(0, [0, 1]), (1, [2, -1, 3])])
    let merged = ls.vehicleChangePass()
    #expect(merged)
    // One van, east then west (either order): 260 + 22 + 22 = 304.
    let routes = held(sd, ls)
    #expect(routes == [[0, 0, 1, -1, 2, 3]] || routes == [[0, 2, 3, -1, 0, 1]])
    #expect(Individual(sd, routes: ls.export(), unrouted: [], ls.w).objective == 304)
}

@Test func aRouteMovesToACheaperIdleType() throws {
    let data = try threeVanLine()
    // The large van (380 + 20) takes client 0 alone; a minivan does it for 160 + 20.
    var (sd, ls) = searchHolding(data, [(2, [0])])
    let changed = ls.vehicleChangePass()
    #expect(changed)
    #expect(held(sd, ls) == [[1, 0]])
    let again = ls.vehicleChangePass()
    #expect(!again)
}

/// Route elimination (Perturbation.swift) empties one vehicle and puts its clients into the others:
/// every client stays exactly once, no idle vehicle is opened, and the cached costs stay exact.
@Test(arguments: [1, 2, 3])
func ruiningARouteKeepsEveryClientOnceInTheOtherRoutes(seed: UInt64) throws {
    var (sd, ls) = try searchFromGreedy(n: 30, capacity: 40, granularity: 10, seed: seed)
    let before = ls.export().filter { !$0.isEmpty }.count
    ls.ruinRoute()
    #expect(ls.export().filter { !$0.isEmpty }.count == before - 1)
    expectConsistent(sd, ls)
}
