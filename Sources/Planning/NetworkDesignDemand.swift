/// The demand a network is designed for: crates per pickup point on each of one or more
/// delivery days (one day's orders file, or simulated days — `Simulation` builds those).
public struct NetworkDemand: Sendable, Equatable {
    /// What the demand is, for the terminal and the report, e.g. "orders.jsonl, delivery 2025-09-16".
    public var source: String
    public var days: Int
    /// `crates[p][d]`: crates of pickup point p (scenario order) on day d, by the crate rule of
    /// the daily plan (docs/scenario-format.md, "Aggregate").
    public var crates: [[Int]]
    /// Orders per pickup point over all days.
    public var orders: [Int]

    public init(source: String, crates: [[Int]], orders: [Int]) {
        precondition(crates.count == orders.count && !crates.isEmpty, "one row per pickup point")
        self.source = source
        self.days = crates[0].count
        self.crates = crates
        self.orders = orders
        precondition(days > 0 && crates.allSatisfy { $0.count == days }, "one column per day")
    }

    /// Every order of each book counts on its book's day, the cut-off aside: an order completed
    /// after it is delivered a day later, but it is demand all the same.
    public init(books: [OrderBook], scenario: Scenario, source: String) {
        var crates = [[Int]](repeating: [Int](repeating: 0, count: books.count), count: scenario.pickupPoints.count)
        var orders = [Int](repeating: 0, count: scenario.pickupPoints.count)
        for (d, book) in books.enumerated() {
            for pd in Aggregation.demand(of: book.orders, scenario: scenario) {
                crates[pd.point][d] = pd.load.crates
                orders[pd.point] += pd.orders.count
            }
        }
        self.init(source: source, crates: crates, orders: orders)
    }

    /// Crates of point p over all days.
    public func totalCrates(_ p: Int) -> Int { crates[p].reduce(0, +) }

    /// Crates of point p on its busiest day.
    public func peakCrates(_ p: Int) -> Int { crates[p].max() ?? 0 }

    /// Crates per day at point p, averaged over the days.
    public func cratesPerDay(_ p: Int) -> Double { Double(totalCrates(p)) / Double(days) }
}
