import Testing
@testable import Routing

/// Simultaneous delivery and pickup: deliveries leave the depot on board, each stop drops its
/// delivery and takes its pickup on, and capacity must hold at every point of a trip.

/// depot 0, C (client 0) picks up 6, D (client 1) delivers 6; capacity 10. C first is the short
/// way round but carries 12 after C; D first is long but never over 10.
func orderSensitiveInstance() throws -> ProblemData {
    let arcs = [[0, 1, 5], [5, 0, 1], [1, 5, 0]]   // 0→C 1, C→D 1, D→0 1; the other way 5 each
    let m = Matrix(size: 3) { i, j in arcs[i][j] }
    return try ProblemData(
        depots: [Depot()],
        clients: [Client(demand: [0], pickup: [6]), Client(demand: [6], pickup: [0])],
        vehicleTypes: [VehicleType(count: 2, capacity: [10], fixedCost: 100)],
        distance: m, duration: m)
}

@Test func theLoadOnBoardCountsAtEveryStop() throws {
    let data = try orderSensitiveInstance()
    let short = data.evaluate(Route(vehicleType: 0, clients: [0, 1]))
    #expect(short.excessLoad == 2)
    #expect(short.visits.map(\.loadOnArrival) == [[6], [12]])
    let long = data.evaluate(Route(vehicleType: 0, clients: [1, 0]))
    #expect(long.excessLoad == 0 && long.cost == 115)
    #expect(long.visits.map(\.loadOnArrival) == [[6], [0]])
}

@Test(arguments: [MetaheuristicSolver.Strategy.genetic, .iterated])
func solversTakeTheFeasibleOrder(strategy: MetaheuristicSolver.Strategy) throws {
    let data = try orderSensitiveInstance()
    let exact = try ExactSolver().solve(data)
    #expect(exact.cost == 115)
    #expect(exact.solution.routes.map(\.clients) == [[1, 0]])
    let r = metaheuristic(data, iterations: 200, strategy: strategy)
    #expect(r.evaluation.cost == 115 && r.evaluation.isFeasible)
    #expect(r.solution.routes.filter { !$0.isEmpty }.map(\.clients) == [[1, 0]])
}

@Test func aPickupLargerThanEveryVanIsExplained() throws {
    var data = try orderSensitiveInstance()
    data = try ProblemData(depots: data.depots, clients: [Client(demand: [1], pickup: [11])], vehicleTypes: data.vehicleTypes,
                           distance: Matrix(size: 2) { i, j in i == j ? 0 : 1 }, duration: Matrix(size: 2) { i, j in i == j ? 0 : 1 })
    #expect(data.whyUnservableAlone(0) == .exceedsCapacity(dimension: 0, demand: 11, largestCapacity: 10))
}

@Test func pickupsAreValidated() {
    let m = Matrix(size: 2) { i, j in i == j ? 0 : 1 }
    #expect(throws: ProblemDataError.invalid("client 0: pickup has 2 dimensions, expected 1")) {
        try ProblemData(depots: [Depot()], clients: [Client(demand: [1], pickup: [1, 1])],
                        vehicleTypes: [VehicleType(count: 1, capacity: [5])], distance: m, duration: m)
    }
    #expect(throws: ProblemDataError.invalid("client 0: negative pickup")) {
        try ProblemData(depots: [Depot()], clients: [Client(demand: [1], pickup: [-1])],
                        vehicleTypes: [VehicleType(count: 1, capacity: [5])], distance: m, duration: m)
    }
}

@Test(arguments: [7, 8, 9], [MetaheuristicSolver.Strategy.genetic, .iterated])
func heuristicMatchesTheExactOptimumWithPickups(seed: UInt64, strategy: MetaheuristicSolver.Strategy) throws {
    let data = try RandomInstance(n: 6 + Int(seed % 2), capacity: 20, seed: seed, pickups: 9).make()
    #expect(data.hasPickups)
    let exact = try ExactSolver().solve(data)
    #expect(Checker(data: data).check(exact.solution).feasible)
    let r = metaheuristic(data, iterations: strategy == .genetic ? 200 : 1000, strategy: strategy)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(check.cost == r.evaluation.cost)
    #expect(r.evaluation.cost == exact.cost)
}

@Test(arguments: [11, 12, 13] as [UInt64])
func multiTripVansStayWithinCapacityWithPickups(seed: UInt64) throws {
    let base = try RandomInstance(n: 20, capacity: 25, vehicles: 3, seed: seed, pickups: 9).make()
    let types = base.vehicleTypes.map { t in var t = t; t.maxTrips = 4; t.reloadDuration = 10; return t }
    let data = try ProblemData(depots: base.depots, clients: base.clients, vehicleTypes: types,
                               distance: base.distance, duration: base.duration)
    let r = metaheuristic(data, iterations: 200)
    let check = Checker(data: data).check(r.solution)
    #expect(check.feasible, "\(check.violations)")
    #expect(r.unassigned.isEmpty)
    #expect(r.solution.routes.contains { $0.trips.count > 1 })
}

/// The O(1) concatenation of load segments gives the excess that plain simulation gives, for
/// any way of bracketing the pieces and with reloads anywhere (Vidal et al. 2014).
@Test(arguments: Array(1...30) as [UInt64])
func loadSegmentsConcatenateExactly(seed: UInt64) {
    var rng = RNG(seed: seed)
    let cap = Load(10, 12, .max / 4, .max / 4)
    let items: [LoadSeg<DeliveryPickupLoad>?] = (0..<(1 + rng.below(14))).map { _ in
        if rng.below(5) == 0 { return nil }   // a reload at the depot
        let d = Load(rng.below(9), rng.below(9), 0, 0), p = Load(rng.below(9), rng.below(9), 0, 0)
        let t = DeliveryPickupLoad(delivery: d, pickup: p)
        return LoadSeg(head: t, tail: t, inner: 0, reload: false)
    }
    // Plain simulation, trip by trip.
    var expected = 0
    var trip: [DeliveryPickupLoad] = []
    func close() {
        var onBoard = trip.reduce(Load.zero) { $0 &+ $1.delivery }
        var peak = onBoard
        for t in trip { onBoard = onBoard &- t.delivery &+ t.pickup; peak = pointwiseMax(peak, onBoard) }
        expected += excess(peak, cap)
        trip = []
    }
    for item in items { if let s = item { trip.append(s.head) } else { close() } }
    close()
    let pieces = items.map { $0 ?? .marker }
    func bracket(_ lo: Int, _ hi: Int, _ rng: inout RNG) -> LoadSeg<DeliveryPickupLoad> {
        if hi - lo == 1 { return pieces[lo] }
        let mid = lo + 1 + rng.below(hi - lo - 1)
        return LoadSeg.merge(bracket(lo, mid, &rng), bracket(mid, hi, &rng), cap: cap)
    }
    let leftToRight = pieces.dropFirst().reduce(pieces[0]) { LoadSeg.merge($0, $1, cap: cap) }
    #expect(leftToRight.totalExcess(cap) == expected)
    #expect(bracket(0, pieces.count, &rng).totalExcess(cap) == expected)
}

/// Without pickups the search uses the smaller `DeliveryLoad`; on delivery-only pieces it must
/// give the same excess as the full summary, reloads included.
@Test(arguments: Array(1...20) as [UInt64])
func deliveryOnlySummaryAgreesWithTheFullOne(seed: UInt64) {
    var rng = RNG(seed: seed)
    let cap = Load(10, 12, .max / 4, .max / 4)
    let deliveries: [Load?] = (0..<(1 + rng.below(14))).map { _ in
        rng.below(5) == 0 ? nil : Load(rng.below(9), rng.below(9), 0, 0)
    }
    func excess<Trip: TripLoad>(_ model: Trip.Type) -> Int {
        let pieces: [LoadSeg<Trip>] = deliveries.map { d in
            guard let d else { return .marker }
            let t = Trip(delivery: d, pickup: .zero)
            return LoadSeg(head: t, tail: t, inner: 0, reload: false)
        }
        return pieces.dropFirst().reduce(pieces[0]) { LoadSeg.merge($0, $1, cap: cap) }.totalExcess(cap)
    }
    #expect(excess(DeliveryLoad.self) == excess(DeliveryPickupLoad.self))
}
