import Foundation
import Planning
import Routing
import Testing

@testable import Simulation

@Suite struct SimulatorTests {
    @Test func sameSeedSameBytes() async throws {
        let a = SimulationOutput.render(try await Fixture.simulate(days: 3))
        let b = SimulationOutput.render(try await Fixture.simulate(days: 3))
        #expect(a.map(\.path) == ["kpis.csv", "warehouses.csv", "report.html"])
        #expect(a == b)
        let c = SimulationOutput.render(try await Fixture.simulate(days: 3, seed: 8))
        #expect(a[0].contents != c[0].contents)
    }

    /// Running variants one at a time or side by side gives the same figures.
    @Test func parallelismDoesNotChangeResults() async throws {
        let setup = try Fixture.setup()
        func run(_ jobs: Int) async throws -> SimulationResult {
            try await Simulator.run(setup: setup, variants: try setup.select(nil),
                                    options: SimulationOptions(days: 2, seed: 7, plan: .greedy(seed: 7), parallelism: jobs),
                                    travel: { try TravelTimes.choose(for: $0, scenarioFile: nil) })
        }
        #expect(try await run(1) == run(4))
    }

    @Test func kpisAddUp() async throws {
        let r = try await Fixture.simulate(days: 4)
        #expect(r.variants.map(\.name) == ["base", "demand+30%", "new-warehouse-north", "cutoff-21:00", "close-WB"])
        for v in r.variants {
            #expect(v.days.count == 4)
            let t = v.totals
            #expect(t.cost == t.vanDayCost + t.vanDistanceCost + t.vanTimeCost + t.warehouseCost)
            #expect(t.orders == t.ordersPlanned + t.ordersUnassigned)
            #expect(t.ordersPlanned > 0)
            #expect(abs(t.costPerOrder! * Double(t.ordersPlanned) - Double(t.cost)) < 1e-6 * Double(t.cost))
            for d in v.days {
                #expect(d.figures.orders == d.figures.ordersPlanned + d.figures.ordersUnassigned)
                #expect(d.figures.crates == d.warehouses.reduce(0) { $0 + $1.crates })
                #expect(d.figures.warehouseCost == v.world.scenario.warehouses.reduce(0) { $0 + $1.fixedCostCents })
                #expect(d.figures.vanTimeCost >= 0 && d.figures.onTimeStops <= d.figures.stops)
            }
            // Warehouses' figures add up to the variant's.
            let w = v.warehouseTotals
            #expect(w.reduce(0) { $0 + $1.crates } == t.crates)
            #expect(w.reduce(0) { $0 + $1.vanCost + $1.fixedCost } == t.cost)
            #expect(w.reduce(0) { $0 + $1.orders } == t.ordersPlanned)
        }
    }

    /// In kpis.csv and warehouses.csv every variant's total row is the exact sum of its day rows,
    /// and cost per order × planned orders = cost (to the four decimals written).
    @Test func csvTotalsAreSumsOfDays() async throws {
        let r = try await Fixture.simulate(days: 3)
        let files = SimulationOutput.render(r)
        let rows = csvRows(files[0].contents)
        #expect(rows.count == r.variants.count * 4)
        let exact: [(String, Int)] = [
            ("orders", 0), ("orders_planned", 0), ("orders_unassigned", 0), ("orders_rolled_over", 0), ("failed_group_orders", 0),
            ("cost_yuan", 2), ("van_cost_yuan", 2), ("van_day_cost_yuan", 2), ("van_distance_cost_yuan", 2), ("van_time_cost_yuan", 2),
            ("warehouse_cost_yuan", 2), ("km", 3), ("vans_used", 0), ("trips", 0), ("stops", 0), ("on_time_stops", 0), ("crates", 0),
            ("sorting_capacity_crates", 0), ("points_moved", 0),
        ]
        for v in r.variants {
            let mine = rows.filter { $0["variant"] == v.name }
            let days = mine.filter { $0["day"] != "total" }, total = mine.first { $0["day"] == "total" }!
            #expect(days.map { $0["day"]! } == ["1", "2", "3"])
            for (column, decimals) in exact {
                #expect(days.reduce(0) { $0 + scaled($1[column]!, decimals: decimals) } == scaled(total[column]!, decimals: decimals),
                        "\(v.name) \(column)")
            }
            for row in mine {
                let cost = scaled(row["cost_yuan"]!, decimals: 2)
                #expect(cost == scaled(row["van_cost_yuan"]!, decimals: 2) + scaled(row["warehouse_cost_yuan"]!, decimals: 2))
                #expect(scaled(row["van_cost_yuan"]!, decimals: 2) == scaled(row["van_day_cost_yuan"]!, decimals: 2)
                    + scaled(row["van_distance_cost_yuan"]!, decimals: 2) + scaled(row["van_time_cost_yuan"]!, decimals: 2))
                let planned = Int(row["orders_planned"]!)!
                // cost_per_order_yuan has 4 decimals: × orders it is the cost within half a unit per order.
                let cpo = scaled(row["cost_per_order_yuan"]!, decimals: 4)    // 1/10,000 yuan
                #expect(abs(cpo * planned - cost * 100) * 2 <= planned, "\(v.name) day \(row["day"]!)")
            }
            #expect(total["van_hours"] == ratio(v.totals.vanSeconds, 3600, decimals: 2))
        }
        let wrows = csvRows(files[1].contents)
        for v in r.variants {
            for wh in v.world.scenario.warehouses {
                let mine = wrows.filter { $0["variant"] == v.name && $0["warehouse_id"] == wh.id }
                let days = mine.filter { $0["day"] != "total" }, total = mine.first { $0["day"] == "total" }!
                #expect(days.count == 3)
                for (column, decimals) in [("orders", 0), ("crates", 0), ("sorting_capacity_crates", 0), ("vans_used", 0), ("trips", 0),
                                           ("km", 3), ("van_cost_yuan", 2), ("fixed_cost_yuan", 2)] {
                    #expect(days.reduce(0) { $0 + scaled($1[column]!, decimals: decimals) } == scaled(total[column]!, decimals: decimals))
                }
                let peak = days.map { scaled($0["utilisation_percent"]!, decimals: 1) }.max()!
                #expect(scaled(total["peak_utilisation_percent"]!, decimals: 1) == peak)
            }
        }
    }

    /// A day's KPIs are the plan's own figures; van cost parts recomputed from the routes.
    @Test func dayKPIsFromAPlan() throws {
        let (world, _, days) = try Fixture.books()
        let day = days[0]
        let plan = try DailyPlanner.plan(scenario: world.scenario, orders: day.book, travel: try TravelTimes.choose(for: world.scenario, scenarioFile: nil), options: .greedy())
        let k = DayKPIs(variant: "base", day: 1, plan: plan, scenario: world.scenario, rolledOver: day.rolledOver, failedGroupOrders: 0)
        let f = k.figures
        #expect(f.vanCost == plan.routes.reduce(0) { $0 + $1.cost })
        #expect(f.vanCost == plan.totals.cost && f.warehouseCost == plan.totals.fixedCost)
        #expect(f.costPerOrder.map { Int($0.rounded()) } == plan.totals.costPerOrder)
        let types = Dictionary(uniqueKeysWithValues: world.scenario.warehouses.flatMap(\.vehicleTypes).map { ($0.id, $0) })
        let vehicles = Dictionary(grouping: plan.routes, by: \.vehicleId)
        #expect(f.vansUsed == vehicles.count)
        #expect(f.vanDayCost == vehicles.values.reduce(0) { $0 + types[$1[0].vehicleTypeId]!.costPerDayCents })
        #expect(f.vanSeconds >= plan.routes.reduce(0) { $0 + $1.durationS })
        #expect(f.distanceM == plan.routes.reduce(0) { $0 + $1.distanceM })
        #expect(f.orders == day.book.orders.count && f.ordersRolledOver == day.rolledOver)
    }

    /// Every order completed by its day's cut-off or rolled to the next day exactly once; an
    /// earlier cut-off rolls more.
    @Test func cutoffRollsOrdersToTheNextDay() throws {
        let setup = try Fixture.setup()
        let tz = TimeZone(identifier: "Asia/Shanghai")!
        var rolled: [String: Int] = [:]
        for v in try setup.select(["base", "cutoff-21:00"]) {
            let (world, demand, days) = try Fixture.books(days: 5, variant: v)
            let ones = [Double](repeating: 1, count: 8)
            var cohorts = Set(demand.cohort(day: -1, factors: ones).orders.map(\.orderId))
            for d in 0..<5 { cohorts.formUnion(demand.cohort(day: d, factors: ones).orders.map(\.orderId)) }
            var seen = Set<String>()
            for (d, day) in days.enumerated() {
                let cutoff = DayClock(date: setup.startDate.adding(days: d - 1), timeZone: tz).epochSeconds(at: world.scenario.cutoff.seconds)
                for o in day.book.orders {
                    #expect(o.completedAt.epochSeconds <= cutoff)
                    #expect(o.deliveryDate == day.book.deliveryDate)
                    #expect(seen.insert(o.orderId).inserted)
                }
                #expect(day.book.orders.prefix(day.rolledOver).allSatisfy {
                    $0.completedAt.epochSeconds <= cutoff - 86_400 + 3 * 3600 && $0.completedAt.epochSeconds > cutoff - 86_400
                })
            }
            // Conservation: drawn = planned in some book + completed after the last cut-off + the day before's on-time ones.
            let dayBefore = demand.cohort(day: -1, factors: ones).orders.count - days[0].rolledOver
            #expect(cohorts.count == seen.count + days[4].lateAfter + dayBefore)
            rolled[v.name] = days.reduce(0) { $0 + $1.rolledOver }
        }
        #expect(rolled["cutoff-21:00"]! > rolled["base"]!)
    }

    @Test func tomorrowPrefersTodaysWarehouse() throws {
        let (world, _, days) = try Fixture.books()
        let day = days[0]
        var s = world.scenario
        s.pickupPoints[6].previousWarehouseId = "WB"   // P7 had no warehouse in the file
        let plan = try DailyPlanner.plan(scenario: s, orders: day.book, travel: try TravelTimes.choose(for: s, scenarioFile: nil), options: .greedy())
        let next = Simulator.carryAssignments(of: plan, into: s)
        let assigned = Dictionary(uniqueKeysWithValues: plan.assignments.compactMap { a in a.warehouseId.map { (a.pickupPointId, $0) } })
        #expect(!assigned.isEmpty)
        for (p, q) in zip(s.pickupPoints, next.pickupPoints) {
            #expect(q.previousWarehouseId == (assigned[p.id] ?? p.previousWarehouseId))
            var r = q
            r.previousWarehouseId = p.previousWarehouseId
            #expect(r == p)
        }
    }

    @Test func demandScaleShowsInTheOrders() async throws {
        let r = try await Fixture.simulate(days: 3, variants: ["base", "demand+30%", "close-WB"])
        let base = r.variants[0].totals, more = r.variants[1].totals
        #expect(Double(more.orders) > 1.15 * Double(base.orders))
        #expect(r.variants[2].days.allSatisfy { $0.warehouses.map(\.warehouseId) == ["WA"] })
        #expect(r.variants[2].totals.warehouseCost < base.warehouseCost)
    }

    @Test func bestVariantHasTheLowestCostPerOrder() async throws {
        let r = try await Fixture.simulate(days: 2)
        let best = try #require(r.best)
        for v in r.variants { #expect(best.totals.costPerOrder! <= v.totals.costPerOrder!) }
        let line = SimulationTables.bestLine(r)
        #expect(line.hasPrefix("best variant by cost per order: \(best.name), ¥\(ratio(best.totals.cost, 100 * best.totals.ordersPlanned, decimals: 4)) per order"))
        #expect(SimulationTables.summary(r).hasSuffix(line))
    }

    /// A variant that leaves orders out is named with the cheapest one that plans them all.
    @Test func bestLineNamesTheCheapestCompleteVariant() throws {
        let setup = try Fixture.setup()
        let date = setup.startDate
        func variant(_ name: String, cost: Int, planned: Int, unassigned: Int) throws -> VariantResult {
            var f = KPIFigures()
            f.vanDayCost = cost
            f.ordersPlanned = planned
            f.ordersUnassigned = unassigned
            f.orders = planned + unassigned
            var world = try Variant.base.apply(to: setup.scenario)
            world.name = name
            return VariantResult(world: world, days: [DayKPIs(variant: name, day: 1, date: date, figures: f, warehouses: [])])
        }
        var r = SimulationResult(scenario: "t", city: "c", startDate: date, days: 1, seed: 1, solver: "s", travelTimes: "x",
                                 variants: [try variant("base", cost: 30_000, planned: 100, unassigned: 0),
                                            try variant("big", cost: 26_000, planned: 130, unassigned: 20),
                                            try variant("lean", cost: 29_000, planned: 100, unassigned: 0)])
        #expect(SimulationTables.bestLine(r) == "best variant by cost per order: big, ¥2.0000 per order (base ¥3.0000, -33.3%), "
            + "20 orders unassigned over 1 day; best that plans every order: lean, ¥2.9000 per order")
        r.variants.removeLast()
        r.variants[0].days[0].figures.ordersUnassigned = 1
        #expect(SimulationTables.bestLine(r) == "best variant by cost per order: big, ¥2.0000 per order (base ¥3.0000, -33.3%), "
            + "20 orders unassigned over 1 day")
    }
}
