import Planning
import Testing

@testable import Simulation

/// `lastmile allocate --days N` designs for the order books `lastmile simulate --days N` plans.
@Suite struct SimulatedDemandTests {
    @Test func simulatedDemandIsTheSimulatorsOrderBooks() throws {
        let (world, _, days) = try Fixture.books(days: 3)
        let setup = try Fixture.setup()
        let demand = try NetworkDemand.simulated(setup: setup, world: world, days: 3, seed: 5)
        #expect(demand.days == 3)
        for (d, day) in days.enumerated() {
            let expected = Aggregation.demand(of: day.book.orders, scenario: world.scenario)
            #expect(demand.crates.map { $0[d] }
                    == world.scenario.pickupPoints.indices.map { p in expected.first { $0.point == p }?.load.crates ?? 0 })
        }
        #expect(demand.orders.reduce(0, +) == days.reduce(0) { $0 + $1.book.orders.count })
        #expect(demand.crates.joined().contains { $0 > 0 })
        // Deterministic for a seed; another seed draws other orders.
        #expect(try NetworkDemand.simulated(setup: setup, world: world, days: 3, seed: 5) == demand)
        #expect(try NetworkDemand.simulated(setup: setup, world: world, days: 3, seed: 6).crates != demand.crates)
    }
}
