import Foundation
import PlanCheck
import Testing

@testable import Planning

/// Re-planning (`PlanOptions.locked`, `unavailableVehicles`): kept routes stay exactly as they
/// are, the rest is planned around them, and the whole still passes the independent checker.
@Suite struct ReplanTests {
    func smallCity() throws -> (Scenario, OrderBook) {
        let s = try Fixture.scenario()
        return (s, try Fixture.orders(Fixture.ordersText, scenario: s))
    }

    func seconds(_ iso: String) -> Int { Timestamp.parse(iso)!.epochSeconds }

    @Test func keptRoutesStayAndEveryOtherOrderIsPlannedOnce() throws {
        let (s, book) = try smallCity()
        let (v1, d1, _) = try planAndCheck(s, book, name: "replan-v1")
        try? FileManager.default.removeItem(atPath: d1)
        let kept = [v1.routes[0]]
        let (v2, dir, report) = try planAndCheck(s, book, options: greedyOptions(locked: kept), name: "replan-v2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(v2.routes.contains(kept[0]))
        let ids = v2.routes.flatMap(\.stops).flatMap(\.orderIds)
        #expect(ids.count == Set(ids).count && ids.count + v2.unassigned.count == book.orders.count)
        // The kept van's further trips start after its kept trip, plus the reload time.
        let vt = s.warehouses.flatMap(\.vehicleTypes).first { $0.id == kept[0].vehicleTypeId }!
        for r in v2.routes where r.vehicleId == kept[0].vehicleId && r.routeId != kept[0].routeId {
            #expect(r.trip > kept[0].trip)
            #expect(seconds(r.departure) >= seconds(kept[0].returnTime) + vt.reloadMinutes * 60)
        }
    }

    @Test func aVanWithAllItsTripsKeptMakesNoMore() throws {
        let (s, book) = try smallCity()
        let (v1, d1, _) = try planAndCheck(s, book, name: "replan-maxtrips-v1")
        try? FileManager.default.removeItem(atPath: d1)
        let kept = try #require(v1.routes.first { $0.trip == 1 })
        // The same day, but that van type may make one trip only: the kept one.
        var one = s
        let w = one.warehouses.firstIndex { $0.id == kept.warehouseId }!
        let t = one.warehouses[w].vehicleTypes.firstIndex { $0.id == kept.vehicleTypeId }!
        one.warehouses[w].vehicleTypes[t].maxTrips = 1
        let (v2, dir, report) = try planAndCheck(one, book, options: greedyOptions(locked: [kept]), name: "replan-maxtrips-v2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(v2.routes.filter { $0.vehicleId == kept.vehicleId } == [kept])
    }

    @Test func aVanOutOfServiceGetsNoRoute() throws {
        let (s, book) = try smallCity()
        let (v1, d1, _) = try planAndCheck(s, book, name: "replan-out-v1")
        try? FileManager.default.removeItem(atPath: d1)
        let van = v1.routes[0].vehicleId
        let (v2, dir, report) = try planAndCheck(s, book, options: greedyOptions(unavailableVehicles: [van]), name: "replan-out-v2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(report.violations == [])
        #expect(!v2.routes.contains { $0.vehicleId == van })
        #expect(v2.totals.ordersPlanned + v2.totals.ordersUnassigned == book.orders.count)
    }

    @Test func keptRoutesMustMatchTheScenarioAndTheBook() throws {
        let (s, book) = try smallCity()
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        let v1 = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        var route = v1.routes[0]
        let missing = OrderBook(deliveryDate: book.deliveryDate, orders: book.orders.filter { $0.orderId != route.stops[0].orderIds[0] })
        #expect(throws: GeneralError(.input, "kept route \(route.routeId): order \(route.stops[0].orderIds[0]) is not in the order book")) {
            try DailyPlanner.plan(scenario: s, orders: missing, travel: travel, options: greedyOptions(locked: [route]))
        }
        route.vehicleId = route.vehicleTypeId + "-9"
        #expect(throws: GeneralError(.input, "kept route \(route.routeId): \(route.warehouseId) has no vehicle \(route.vehicleId) of type \(route.vehicleTypeId)")) {
            try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: greedyOptions(locked: [route]))
        }
        #expect(throws: GeneralError(.input, "kept route \(v1.routes[0].routeId): order \(v1.routes[0].stops[0].orderIds[0]) is on two kept routes")) {
            try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: greedyOptions(locked: [v1.routes[0], v1.routes[0]]))
        }
    }
}
