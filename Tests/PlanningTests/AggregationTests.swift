import Testing

@testable import Planning

@Suite struct AggregationTests {
    let skus: [String: SKU] = [
        "VEG": SKU(id: "VEG", name: "veg", weightGrams: 500, temperature: .ambient, unitsPerCrate: 10),
        "EGG": SKU(id: "EGG", name: "egg", weightGrams: 1800, temperature: .ambient, unitsPerCrate: 4),
        "RICE": SKU(id: "RICE", name: "rice", weightGrams: 5000, temperature: .ambient, unitsPerCrate: 3),
        "MILK": SKU(id: "MILK", name: "milk", weightGrams: 1000, temperature: .chilled, unitsPerCrate: 20),
        "DUMP": SKU(id: "DUMP", name: "dumplings", weightGrams: 1000, temperature: .frozen, unitsPerCrate: 16),
    ]

    func order(_ id: String, _ lines: [(String, Int)], point: String = "P1") -> Order {
        Order(orderId: id, groupId: "G", pickupPointId: point, customerId: "C", deliveryDate: CalendarDate.parse("2025-09-16")!,
              completedAt: Timestamp.parse("2025-09-15T20:00:00+08:00")!, lines: lines.map { OrderLine(sku: $0.0, qty: $0.1) })
    }

    func load(_ lines: [(String, Int)]) -> Load { Aggregation.load(of: [order("O", lines)], skus: skus) }

    /// SKUs of a class share crates: ⌈Σ qty / units_per_crate⌉, exactly.
    @Test func cratesAreTheCeilingOfTheSharedFraction() {
        #expect(load([("VEG", 7), ("EGG", 1)]).cratesByClass == [1, 0, 0])   // 0.7 + 0.25
        #expect(load([("VEG", 5), ("EGG", 2)]).cratesByClass == [1, 0, 0])   // 0.5 + 0.5: exactly one crate
        #expect(load([("VEG", 5), ("EGG", 3)]).cratesByClass == [2, 0, 0])   // 1.25
    }

    @Test func thirdsAndTenthsAddUpExactly() {
        // 1/10 + 1/4 + 2/3 = 6/60 + 15/60 + 40/60 = 61/60 → 2 crates.
        #expect(load([("VEG", 1), ("EGG", 1), ("RICE", 2)]).cratesByClass == [2, 0, 0])
        // 3/10 + 0/4 + 2/3 = 58/60 → 1 crate.
        #expect(load([("VEG", 3), ("RICE", 2)]).cratesByClass == [1, 0, 0])
        // 3 full rice crates + 9/10 veg → 4.
        #expect(load([("VEG", 9), ("RICE", 9)]).cratesByClass == [4, 0, 0])
    }

    @Test func classesNeverShareCrates() {
        let l = load([("VEG", 1), ("MILK", 1), ("DUMP", 17)])
        #expect(l.cratesByClass == [1, 1, 2])
        #expect(l.crates == 4)
        #expect(l.crates(.frozen) == 2)
        #expect(l.grams == 500 + 1000 + 17_000)
    }

    @Test func unitsAddUpAcrossOrdersBeforeRounding() {
        let orders = (1...4).map { order("O\($0)", [("VEG", 3)]) }
        // 12 units of VEG at one point: 2 crates, not 4 × 1.
        #expect(Aggregation.load(of: orders, skus: skus).cratesByClass == [2, 0, 0])
    }

    @Test func demandGroupsOrdersByPickupPointInOrderIdOrder() throws {
        let s = try Fixture.scenario()
        let orders = [order("B", [("VEG", 1)], point: "P2"), order("C", [("VEG", 1)], point: "P1"), order("A", [("MILK", 1)], point: "P2")]
        let d = Aggregation.demand(of: orders, scenario: s)
        #expect(d.map(\.point) == [0, 1])
        #expect(d[1].orders.map(\.orderId) == ["A", "B"])
        #expect(d[1].load.cratesByClass == [1, 1, 0])
    }

    /// Splitting a point into drops: each fits, every order exactly once, and nothing splits when
    /// it all fits.
    @Test func splitKeepsEveryOrderOnceAndEachDropFits() {
        let orders = (1...30).map { order($0 < 10 ? "O0\($0)" : "O\($0)", [("RICE", 2 + $0 % 3), ("MILK", $0 % 5 + 1)]) }
        let drops = Aggregation.split(orders, crates: 12, grams: 150_000, skus: skus)
        #expect(drops.count > 1)
        #expect(drops.flatMap { $0 }.map(\.orderId).sorted() == orders.map(\.orderId))
        for d in drops {
            let l = Aggregation.load(of: d, skus: skus)
            #expect(l.crates <= 12 && l.grams <= 150_000)
        }
        #expect(Aggregation.split(Array(orders.prefix(2)), crates: 12, grams: 150_000, skus: skus).count == 1)
    }

    @Test func anOrderTooBigForAnyVanGetsADropOfItsOwn() {
        let big = order("BIG", [("RICE", 60)])
        let drops = Aggregation.split([order("A", [("VEG", 1)]), big], crates: 12, grams: 1_000_000, skus: skus)
        #expect(drops.map { $0.map(\.orderId) } == [["A"], ["BIG"]])
    }
}
