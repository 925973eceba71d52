import Foundation
import Logging
@testable import Planning
import Testing

@testable import Store

/// An SQLite store in a fresh temporary file.
func temporaryStore(_ name: String = "store") throws -> SQLiteStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return try SQLiteStore(path: dir + "/lastmile.db")
}

/// The PostgreSQL server of the tests: `LASTMILE_TEST_POSTGRES_URL`, as `.ci/run` sets it.
enum PGTest {
    static let url = ProcessInfo.processInfo.environment["LASTMILE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let howToStart: Comment = """
        no PostgreSQL server for the tests: run `export LASTMILE_TEST_POSTGRES_URL=$(tools/pg-test-cluster start)` \
        (Debian's postgresql package; a throw-away cluster on port 55432), then swift test again
        """

    /// A new, empty database on the test server, as a URL.
    static func freshDatabase() async throws -> String {
        let name = "lm_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        return try await PostgresStore.createDatabase(onServerOf: try #require(url), name: name)
    }

    static func freshStore() async throws -> PostgresStore {
        try await PostgresStore.open(url: try await freshDatabase())
    }
}

func order(_ id: String, group: String = "G-1", point: String = "P1", date: String = "2025-09-16",
           lines: [(String, Int)] = [("VEG", 2)]) -> Order {
    Order(orderId: id, groupId: group, pickupPointId: point, customerId: "C-\(id)", deliveryDate: CalendarDate.parse(date)!,
          completedAt: Timestamp.parse("2025-09-15T20:00:00+08:00")!, lines: lines.map { OrderLine(sku: $0.0, qty: $0.1) })
}

/// Body text used as the idempotency key; the store compares it byte for byte.
func incoming(_ o: Order, index: Int = 0, cutoffAt: Int? = 1_000, body: String? = nil) -> IncomingOrder {
    IncomingOrder(order: o, body: body ?? "{\"id\":\"\(o.orderId)\",\"lines\":\(o.lines.map { "\($0.sku)x\($0.qty)" })}",
                  cutoffAt: cutoffAt, closedReason: cutoffAt == nil ? "closed" : nil, index: index)
}

func route(_ id: String, vehicle: String = "V-1", departureAt: Int = 5_000) -> RouteRecord {
    RouteRecord(planId: 0, routeId: id, warehouseId: "W1", vehicleId: vehicle, trip: 1, departure: "d", departureAt: departureAt,
                returnTime: "r", stops: 1, crates: 3, grams: 100, distanceM: 1_000, cost: 50, routeJson: "{}", keptFromPlan: nil,
                dispatchedAt: nil)
}

func write(_ routes: [RouteRecord], orders: [[String]]) -> PlanWrite {
    let totals = Totals(orders: 2, ordersPlanned: 2, ordersUnassigned: 0, pickupPoints: 1, vehicles: 1, trips: routes.count, stops: 1,
                        onTimeStops: 1, crates: 3, kg: 0.1, distanceM: 1_000, durationS: 60, cost: 50, fixedCost: 0, costPerOrder: 25)
    let stops = zip(routes, orders).map { r, ids in
        StopRecord(planId: 0, routeId: r.routeId, sequence: 1, pickupPointId: "P1", arrival: "a", orders: ids.count, crates: 3, grams: 100,
                   orderIds: "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]")
    }
    return PlanWrite(totals: totals, routes: routes, stops: stops,
                     lists: [ListRecord(planId: 0, path: "plan.json", contentType: "application/json", body: Data("{}".utf8))])
}
