import Planning
import Routing

extension NetworkDemand {
    /// The demand of `days` simulated delivery days of a variant's world: the order books
    /// `lastmile simulate` plans (cut-off roll-over included), drawn with the same seed, so
    /// `--days 28 --seed 1` designs for the same orders a 28-day simulation plans.
    public static func simulated(setup: SimulationSetup, world: VariantWorld, days: Int, seed: UInt64) throws -> NetworkDemand {
        var rng = RNG(seed: seed)
        let generator = try DemandGenerator(model: setup.demand, scenario: setup.scenario, start: setup.startDate, rng: &rng)
        let books = try Simulator.orderBooks(world, demand: generator, days: days).map(\.book)
        let variant = world.name == Variant.baseName ? "" : ", variant \"\(world.name)\""
        return NetworkDemand(books: books, scenario: world.scenario,
                             source: "\(days) simulated day\(days == 1 ? "" : "s") from \(setup.startDate), seed \(seed)\(variant)")
    }
}
