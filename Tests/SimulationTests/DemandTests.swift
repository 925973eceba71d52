import Foundation
import Planning
import Routing
import Testing

@testable import Simulation

/// Properties of the demand model, checked in expectation over many draws (fixed seeds, so
/// the figures are reproducible; tolerances are several standard errors wide).
@Suite struct DemandTests {
    let start = CalendarDate(year: 2025, month: 9, day: 15)!  // a Monday

    func generator(_ model: DemandModel, points: Int = 300, seed: UInt64 = 11) throws -> DemandGenerator {
        var rng = RNG(seed: seed)
        return try DemandGenerator(model: model, scenario: try Fixture.manyPoints(points), start: start, rng: &rng)
    }

    func placed(_ c: Cohort) -> Int { c.orders.count + c.failedOrders }

    @Test func weekdayOfKnownDates() {
        #expect(DemandModel.weekday(start) == 0)
        #expect(DemandModel.weekday(CalendarDate(year: 2025, month: 9, day: 21)!) == 6)
        #expect(DemandModel.weekday(CalendarDate(year: 1970, month: 1, day: 1)!) == 3)
    }

    @Test func poissonMeanAndVariance() {
        for lambda in [0.7, 3.0, 9.9, 10.5, 60.0, 400.0] {
            var r = RNG(seed: 3)
            let n = 20_000
            let xs = (0..<n).map { _ in Double(poisson(lambda, &r)) }
            let mean = xs.reduce(0, +) / Double(n)
            let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            // Standard error of the mean: sqrt(λ/n); of the variance about λ·sqrt(2/n).
            #expect(abs(mean - lambda) < 5 * (lambda / Double(n)).squareRoot(), "λ = \(lambda): mean \(mean)")
            #expect(abs(variance - lambda) < 6 * lambda * (2 / Double(n)).squareRoot() + 0.05, "λ = \(lambda): variance \(variance)")
        }
    }

    @Test func meanFollowsTheModel() throws {
        let m = DemandModel(ordersPerPoint: 20, pointFactors: ["Q1": 2], weekdayFactors: [1, 1, 1, 1, 1, 2, 1],
                            promotions: [.init(name: "p", when: .day(3), factor: 1.5)], weeklyGrowthPercent: 10)
        #expect(m.mean(point: "Q1", day: 0, start: start) == 40)
        #expect(abs(m.mean(point: "Q2", day: 5, start: start) - 40 * pow(1.1, 5.0 / 7)) < 1e-9)   // Saturday
        #expect(abs(m.mean(point: "Q2", day: 2, start: start) - 30 * pow(1.1, 2.0 / 7)) < 1e-9)  // promotion on day 3
        #expect(abs(m.dayFactor(day: 14, start: start) - 1.21) < 1e-9)
    }

    @Test func weekdayPromotionAndGrowthShowInTheDraws() throws {
        let m = DemandModel(ordersPerPoint: 20, weekdayFactors: [1, 1, 1, 1, 1, 1.6, 1],
                            promotions: [.init(name: "sale", when: .date(CalendarDate(year: 2025, month: 9, day: 17)!), factor: 2)],
                            weeklyGrowthPercent: 10)
        let g = try generator(m)
        let ones = [Double](repeating: 1, count: 300)
        let counts = (0..<14).map { placed(g.cohort(day: $0, factors: ones)) }
        // Each day: 300 points × 20 × factors; relative standard error about 1/sqrt(6000) ≈ 1.3%.
        for (d, c) in counts.enumerated() {
            let expected = 300 * m.mean(point: "Q1", day: d, start: start)
            #expect(abs(Double(c) / expected - 1) < 0.06, "day \(d): \(c) orders, expected \(expected)")
        }
        #expect(Double(counts[5]) > 1.4 * Double(counts[4]))      // Saturday
        #expect(Double(counts[2]) > 1.8 * Double(counts[1]))      // the promotion (Wednesday)
        #expect(Double(counts[7]) > 1.05 * Double(counts[0]))     // a week of 10% growth, Monday to Monday
    }

    @Test func failedGroupsNeverBecomeOrders() throws {
        let m = DemandModel(ordersPerPoint: 30, groupsPerPoint: 4, groupFailureRate: 0.25)
        let g = try generator(m)
        var groups = 0, failed = 0, lost = 0, kept = 0
        for d in 0..<5 {
            let c = g.cohort(day: d, factors: [Double](repeating: 1, count: 300))
            groups += c.groups
            failed += c.failedGroups
            lost += c.failedOrders
            kept += c.orders.count
            // Surviving orders belong to groups that completed: each group id's orders all survive or all fail.
            #expect(Set(c.orders.map(\.groupId)).count <= c.groups - c.failedGroups)
        }
        #expect(groups == 5 * 300 * 4)
        #expect(abs(Double(failed) / Double(groups) - 0.25) < 0.03)
        #expect(abs(Double(lost) / Double(lost + kept) - 0.25) < 0.04)
    }

    @Test func ordersAreValidForThePipeline() throws {
        let setup = try Fixture.setup()
        var rng = RNG(seed: 1)
        let g = try DemandGenerator(model: setup.demand, scenario: setup.scenario, start: setup.startDate, rng: &rng)
        let c = g.cohort(day: 0, factors: [Double](repeating: 1, count: setup.scenario.pickupPoints.count))
        #expect(!c.orders.isEmpty)
        let tz = TimeZone(identifier: "Asia/Shanghai")!
        let dayBefore = DayClock(date: setup.startDate.adding(days: -1), timeZone: tz)
        let from = dayBefore.epochSeconds(at: 8 * 3600), to = dayBefore.epochSeconds(at: 24 * 3600)
        for o in c.orders {
            #expect(o.deliveryDate == setup.startDate)
            #expect(o.completedAt.epochSeconds >= from && o.completedAt.epochSeconds < to)
            #expect(Timestamp.parse(o.completedAt.text)?.epochSeconds == o.completedAt.epochSeconds)
            #expect(!o.lines.isEmpty && o.lines.count <= 3)
            #expect(Set(o.lines.map(\.sku)).count == o.lines.count)
            #expect(o.lines.allSatisfy { (1...2).contains($0.qty) })
        }
        // The order file a day would be, read back by the planner's own loader.
        let encoder = JSONEncoder()
        let text = try c.orders.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
        let book = try OrderLoader.parse(Array(text.utf8), file: "orders.jsonl", scenario: setup.scenario)
        #expect(book.orders == c.orders)
    }

    @Test func temperatureMixAndSkuWeights() throws {
        var m = DemandModel(ordersPerPoint: 20, skuWeights: ["VEG": 3, "EGG": 1, "MILK": 1, "DUMPLING": 1],
                            temperatureMix: [.ambient: 50, .chilled: 30, .frozen: 20])
        let g = try generator(m)
        let c = g.cohort(day: 0, factors: [Double](repeating: 1, count: 300))
        let lines = c.orders.flatMap(\.lines)
        func share(_ ids: Set<String>) -> Double { Double(lines.filter { ids.contains($0.sku) }.count) / Double(lines.count) }
        #expect(abs(share(["VEG", "EGG"]) - 0.5) < 0.03)
        #expect(abs(share(["MILK"]) - 0.3) < 0.03)
        #expect(abs(share(["DUMPLING"]) - 0.2) < 0.03)
        #expect(abs(share(["VEG"]) / share(["VEG", "EGG"]) - 0.75) < 0.04)
        #expect(share(["RICE", "TOFU"]) == 0)   // not listed: not ordered
        // Without a mix the SKU weights alone decide.
        m.temperatureMix = nil
        let lines2 = try generator(m).cohort(day: 0, factors: [Double](repeating: 1, count: 300)).orders.flatMap(\.lines)
        #expect(abs(Double(lines2.filter { $0.sku == "VEG" }.count) / Double(lines2.count) - 0.5) < 0.03)
    }

    @Test func basketSizeDistribution() throws {
        let m = DemandModel(ordersPerPoint: 20, linesPerOrder: [1, 1, 2], unitsPerLine: [3, 1])
        let orders = try generator(m).cohort(day: 0, factors: [Double](repeating: 1, count: 300)).orders
        let sizes = orders.map(\.lines.count)
        #expect(abs(Double(sizes.filter { $0 == 3 }.count) / Double(sizes.count) - 0.5) < 0.03)
        let qty = orders.flatMap(\.lines).map(\.qty)
        #expect(abs(Double(qty.filter { $0 == 1 }.count) / Double(qty.count) - 0.75) < 0.03)
    }

    /// Common random numbers: a demand factor above 1 keeps every base order and adds some,
    /// below 1 keeps a subset; groups and their completion times do not change.
    @Test func demandFactorsNestTheBaseOrders() throws {
        let m = DemandModel(ordersPerPoint: 10, groupFailureRate: 0.2)
        let g = try generator(m, points: 50)
        let base = g.cohort(day: 3, factors: [Double](repeating: 1, count: 50))
        let more = g.cohort(day: 3, factors: [Double](repeating: 1.3, count: 50))
        let less = g.cohort(day: 3, factors: [Double](repeating: 0.5, count: 50))
        let baseSet = Set(base.orders.map(\.orderId))
        #expect(more.orders.filter { baseSet.contains($0.orderId) } == base.orders)
        #expect(Double(more.orders.count) > 1.15 * Double(base.orders.count))
        #expect(Set(less.orders.map(\.orderId)).isSubset(of: baseSet))
        #expect(abs(Double(less.orders.count) / Double(base.orders.count) - 0.5) < 0.1)
        #expect(more.failedGroups == base.failedGroups && less.failedGroups == base.failedGroups)
        // The same seed draws the same cohort, whatever was drawn before.
        let again = try generator(m, points: 50)
        _ = again.cohort(day: 9, factors: [Double](repeating: 1, count: 50))
        #expect(again.cohort(day: 3, factors: [Double](repeating: 1, count: 50)).orders == base.orders)
        // Another seed, other orders.
        #expect(try generator(m, points: 50, seed: 12).cohort(day: 3, factors: [Double](repeating: 1, count: 50)).orders != base.orders)
    }
}
