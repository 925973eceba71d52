import Foundation
import Testing

@testable import Planning

/// Evaluating hand-edited routes: the same timing and costs as the planner, every rule broken
/// named, and requests that name what does not exist refused with a pointer.
@Suite struct PlanEditorTests {
    struct Day {
        var scenario: Scenario
        var book: OrderBook
        var plan: Plan
        var base: PlanEditBase
    }

    func day(dispatched: Set<String> = [], outOfService: Set<String> = []) throws -> Day {
        let s = try Fixture.scenario()
        let book = try Fixture.orders(Fixture.ordersText, scenario: s)
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        let plan = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        let base = PlanEditBase(scenario: s, plan: plan, orders: book.orders,
                                matrix: try PlanEditor.travelMatrix(scenario: s, travel: travel),
                                dispatchedRouteIds: dispatched, vehiclesOutOfService: outOfService)
        return Day(scenario: s, book: book, plan: plan, base: base)
    }

    /// The plan's own routes as an edit (nothing changed).
    func unchanged(_ plan: Plan) -> [RouteEdit] {
        plan.routes.map { r in
            RouteEdit(routeId: r.routeId, vehicleId: r.vehicleId, stops: r.stops.map { StopEdit(pickupPointId: $0.pickupPointId, orderIds: $0.orderIds) })
        }
    }

    @Test func anUnchangedPlanEvaluatesToItselfExactly() throws {
        let d = try day()
        let e = try PlanEditor.evaluate(unchanged(d.plan), base: d.base)
        #expect(e.violations == [])
        #expect(e.plan.routes == d.plan.routes)
        #expect(e.plan.totals == d.plan.totals)
        #expect(e.plan.unassigned == d.plan.unassigned)
        #expect(e.sourceRouteIds == d.plan.routes.map(\.routeId))
    }

    @Test func stopsWithoutOrderIdsTakeTheirPointsOrders() throws {
        let d = try day()
        let edits = d.plan.routes.map { r in
            RouteEdit(routeId: r.routeId, vehicleId: r.vehicleId, stops: r.stops.map { StopEdit(pickupPointId: $0.pickupPointId) })
        }
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(e.plan.totals == d.plan.totals)
    }

    @Test func movingAStopKeepsEveryOrderAndRecostsBothRoutes() throws {
        let d = try day()
        var edits = unchanged(d.plan)
        let from = try #require(edits.firstIndex { $0.stops.count >= 2 })
        let to = try #require(edits.indices.first { $0 != from && edits[$0].vehicleId.hasPrefix(String(edits[from].vehicleId.prefix(2))) })
        let moved = edits[from].stops.removeLast()
        edits[to].stops.append(moved)
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(e.plan.totals.ordersPlanned == d.plan.totals.ordersPlanned)
        #expect(e.plan.unassigned.isEmpty)
        let target = try #require(e.plan.routes.first { $0.vehicleId == edits[to].vehicleId && $0.stops.last?.pickupPointId == moved.pickupPointId })
        #expect(target.stops.last?.orderIds == moved.orderIds)
        // Totals are the sum of the routes; the unchanged routes keep their cost.
        #expect(e.plan.totals.cost == e.plan.routes.reduce(0) { $0 + $1.cost })
        let untouched = Set(d.plan.routes.map(\.routeId)).subtracting([edits[from].routeId!, edits[to].routeId!])
        for id in untouched {
            #expect(e.plan.routes.first { $0.routeId == id } == d.plan.routes.first { $0.routeId == id })
        }
        // Times follow the legs: each arrival is the previous departure plus the leg.
        for s in zip(target.stops.dropLast(), target.stops.dropFirst()) {
            let dep = try #require(Timestamp.parse(s.0.departure)).epochSeconds
            let arr = try #require(Timestamp.parse(s.1.arrival)).epochSeconds
            #expect(arr == dep + s.1.legDurationS)
        }
    }

    @Test func everyStopOnOneVanBreaksItsCapacityInWords() throws {
        let d = try day()
        let wa = d.plan.routes.filter { $0.warehouseId == "WA" }
        let all = wa.flatMap { $0.stops.map { StopEdit(pickupPointId: $0.pickupPointId, orderIds: $0.orderIds) } }
        let crates = wa.reduce(0) { $0 + $1.load.crates }
        let mini = try #require(d.scenario.warehouse("WA")?.vehicleTypes.first { $0.id == "WA-MINI" })
        #expect(crates > mini.capacityCrates)
        let edits = [RouteEdit(routeId: wa[0].routeId, vehicleId: "WA-MINI-1", stops: all)]
            + unchanged(d.plan).filter { !$0.vehicleId.hasPrefix("WA-") }
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(!e.isFeasible)
        let capacity = e.violations.filter { $0.kind == .capacity }
        #expect(capacity.first?.message
            == "WA-MINI-1 trip 1 carries \(crates) crates; its capacity is \(mini.capacityCrates) (\(crates - mini.capacityCrates) over)")
        #expect(capacity.first?.routeId == "WA-MINI-1-T1")
    }

    @Test func aSmallLaneRefusesAMediumVan() throws {
        let d = try day()
        var edits = unchanged(d.plan)
        let r = try #require(edits.firstIndex { $0.stops.contains { $0.pickupPointId == "P3" } })
        let p3 = edits[r].stops.first { $0.pickupPointId == "P3" }!
        edits[r].stops.removeAll { $0.pickupPointId == "P3" }
        edits.append(RouteEdit(vehicleId: "WA-VAN-1", stops: [p3]))
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(e.violations.contains { $0.kind == .vehicleClass && $0.message == "P3 takes vans up to small; WA-VAN-1 is medium" })
        #expect(e.sourceRouteIds.contains(nil))
    }

    @Test func aDroppedStopsOrdersAreUnassignedByHand() throws {
        let d = try day()
        var edits = unchanged(d.plan)
        let dropped = edits[0].stops.removeFirst()
        let e = try PlanEditor.evaluate(edits, base: d.base, note: "edited by Wang")
        #expect(e.plan.totals.ordersPlanned == d.plan.totals.ordersPlanned - dropped.orderIds!.count)
        #expect(Set(e.plan.unassigned.map(\.orderId)) == Set(dropped.orderIds!))
        #expect(e.plan.unassigned.allSatisfy { $0.reason == "left out by hand (edited by Wang)" })
        #expect(e.plan.totals.ordersUnassigned == dropped.orderIds!.count)
    }

    @Test func aVanOutOfServiceAndADispatchedRouteAreNamed() throws {
        let first = try day().plan.routes[0]
        let d = try day(dispatched: [first.routeId], outOfService: [first.vehicleId])
        var edits = unchanged(d.plan)
        edits[0].stops.reverse()
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(e.violations.contains { $0.kind == .vehicle && $0.message == "\(first.vehicleId) is out of service on 2025-09-16" })
        if first.stops.count > 1 {
            #expect(e.violations.contains {
                $0.kind == .dispatched && $0.message == "\(first.routeId) is dispatched (the van has left): its van, stops and orders cannot change"
            })
        }
        let removed = try PlanEditor.evaluate(Array(unchanged(d.plan).dropFirst()), base: d.base)
        #expect(removed.violations.contains { $0.kind == .dispatched && $0.message == "\(first.routeId) is dispatched (the van has left): it cannot be removed" })
        // Unchanged, a dispatched route is kept exactly.
        let kept = try PlanEditor.evaluate(unchanged(d.plan), base: d.base)
        #expect(kept.plan.routes == d.plan.routes)
        #expect(!kept.violations.contains { $0.kind == .dispatched })
    }

    @Test func tooManyTripsAndALongDayAreNamed() throws {
        let d = try day()
        // Every WB stop one trip each on WB-VAN-1: more trips than it may make.
        let wb = d.plan.routes.filter { $0.warehouseId == "WB" }.flatMap(\.stops)
        guard wb.count >= 3 else { return }
        let edits = unchanged(d.plan).filter { !$0.vehicleId.hasPrefix("WB-") }
            + wb.map { RouteEdit(vehicleId: "WB-VAN-1", stops: [StopEdit(pickupPointId: $0.pickupPointId, orderIds: $0.orderIds)]) }
        let e = try PlanEditor.evaluate(edits, base: d.base)
        #expect(e.violations.contains { $0.kind == .trips && $0.message == "WB-VAN-1 makes \(wb.count) trips; it may make 2" })
        #expect(e.plan.routes.filter { $0.vehicleId == "WB-VAN-1" }.map(\.trip) == Array(1...wb.count))
    }

    @Test func unknownThingsAndDoubleOrdersAreRefusedWithPointers() throws {
        let d = try day()
        var edits = unchanged(d.plan)
        let wb = try #require(edits.firstIndex { $0.vehicleId.hasPrefix("WB-") && $0.stops.count >= 2 })
        let first = edits[wb].stops[0], second = edits[wb].stops[1]
        let dup = first.orderIds![0]
        edits[0].vehicleId = "NO-VAN-9"
        edits[0].stops.append(StopEdit(pickupPointId: first.pickupPointId, orderIds: [dup]))
        edits[1].stops[0] = StopEdit(pickupPointId: "P99")
        edits[wb].stops[1].orderIds!.append(dup)
        #expect(throws: EditRequestError.self) { try PlanEditor.evaluate(edits, base: d.base) }
        do {
            _ = try PlanEditor.evaluate(edits, base: d.base)
        } catch let e as EditRequestError {
            let s0 = edits[0].stops.count - 1
            #expect(e.items.contains(.init(pointer: "/routes/0/vehicle_id", detail: "no vehicle \"NO-VAN-9\" in the scenario (vehicles are <type id>-<n>)")))
            #expect(e.items.contains(.init(pointer: "/routes/1/stops/0/pickup_point_id", detail: "no pickup point \"P99\" in the scenario")))
            #expect(e.items.contains(.init(pointer: "/routes/\(wb)/stops/0/order_ids/0", detail: "order \"\(dup)\" is also on /routes/0/stops/\(s0)")))
            let k = second.orderIds!.count
            #expect(e.items.contains(.init(pointer: "/routes/\(wb)/stops/1/order_ids/\(k)",
                                           detail: "order \"\(dup)\" is for \(first.pickupPointId), not \(second.pickupPointId)")))
        }
    }

    @Test func theDiffNamesMovedAndDroppedPoints() throws {
        let d = try day()
        var edits = unchanged(d.plan)
        let from = try #require(edits.firstIndex { $0.stops.count >= 2 })
        let to = (from + 1) % edits.count
        let moved = edits[from].stops.removeLast()
        edits[to].stops.append(moved)
        let dropped = edits[to].stops.removeFirst()
        let e = try PlanEditor.evaluate(edits, base: d.base)
        let diff = PlanDiff(from: d.plan, to: e.plan)
        #expect(diff.stopsMoved.contains(.init(pickupPointId: moved.pickupPointId, fromRouteId: d.plan.routes[from].routeId,
                                               toRouteId: e.plan.routes.first { $0.stops.contains { $0.pickupPointId == moved.pickupPointId } }!.routeId)))
        if !e.plan.routes.contains(where: { $0.stops.contains { $0.pickupPointId == dropped.pickupPointId } }) {
            #expect(diff.pointsNowUnassigned == [dropped.pickupPointId])
        }
        #expect(diff.costDeltaCents == e.plan.totals.cost - d.plan.totals.cost)
        #expect(PlanDiff(from: d.plan, to: d.plan).routesChanged.isEmpty)
    }
}
