import Foundation
import GRDB

/// One record type per table (see `Schema`). Columns are the snake_case of the properties.
protocol SnakeCaseRecord: Codable, FetchableRecord, MutablePersistableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

public struct OrderRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "orders"
    public var seq: Int64?
    public var orderId: String
    public var groupId: String
    public var pickupPointId: String
    public var customerId: String
    public var deliveryDate: String
    public var completedAt: String
    /// Canonical JSON of the order (sorted keys, lines sorted by SKU).
    public var body: String
    public var status: String
    /// The instant the order's wave closes: it is frozen (planned, no longer cancellable) then.
    public var cutoffAt: Int
    public var receivedAt: Int
    /// "http" or "spool:<file name>".
    public var source: String
    public var cancelledAt: Int?
    public var cancelReason: String?
    /// The lines as sent, `[["VEG",2],["MILK",1]]` (`OrderLinesColumn`).
    public var lines: String
}

public struct PlanJobRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "plan_jobs"
    public var id: Int64?
    public var deliveryDate: String
    /// "cutoff", "manual", "replan", "reoptimise" or "edit".
    public var trigger: String
    public var cutoffKey: String?
    public var scopeCutoffAt: Int?
    public var note: String?
    /// "queued", "running", "done" or "failed".
    public var state: String
    public var reason: String?
    public var attempts: Int
    public var createdAt: Int
    public var startedAt: Int?
    public var finishedAt: Int?
    public var planId: Int64?
    /// JSON array of route ids a re-optimisation keeps as they are (nil: only dispatched ones).
    public var keepRouteIds: String?
    /// The worker that claimed the job last (`--worker-id`); nil until claimed.
    public var workerId: String?
    /// While running: the lease ends at this instant unless the worker renews it.
    public var leaseUntil: Int?

    public init(deliveryDate: String, trigger: String, cutoffKey: String? = nil, scopeCutoffAt: Int? = nil, note: String? = nil,
                createdAt: Int, keepRouteIds: String? = nil) {
        self.keepRouteIds = keepRouteIds
        self.deliveryDate = deliveryDate
        self.trigger = trigger
        self.cutoffKey = cutoffKey
        self.scopeCutoffAt = scopeCutoffAt
        self.note = note
        state = "queued"
        attempts = 0
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct PlanVersionRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "plan_versions"
    public var id: Int64?
    public var deliveryDate: String
    /// 1, 2, … per delivery day; the highest is the current plan.
    public var version: Int
    public var jobId: Int64
    public var trigger: String
    public var note: String?
    public var createdAt: Int
    public var orders: Int
    public var ordersPlanned: Int
    public var ordersUnassigned: Int
    public var vehicles: Int
    public var trips: Int
    public var distanceM: Int
    public var cost: Int

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct RouteRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "routes"
    public var planId: Int64
    public var routeId: String
    public var warehouseId: String
    public var vehicleId: String
    public var trip: Int
    public var departure: String
    public var departureAt: Int
    public var returnTime: String
    public var stops: Int
    public var crates: Int
    public var grams: Int
    public var distanceM: Int
    public var cost: Int
    /// The route as in plan.json, so a later version can keep it exactly.
    public var routeJson: String
    /// Set when the route was kept unchanged from an earlier version (it had been dispatched).
    public var keptFromPlan: Int64?
    public var dispatchedAt: Int?

    public init(planId: Int64, routeId: String, warehouseId: String, vehicleId: String, trip: Int, departure: String, departureAt: Int,
                returnTime: String, stops: Int, crates: Int, grams: Int, distanceM: Int, cost: Int, routeJson: String,
                keptFromPlan: Int64?, dispatchedAt: Int?) {
        self.planId = planId
        self.routeId = routeId
        self.warehouseId = warehouseId
        self.vehicleId = vehicleId
        self.trip = trip
        self.departure = departure
        self.departureAt = departureAt
        self.returnTime = returnTime
        self.stops = stops
        self.crates = crates
        self.grams = grams
        self.distanceM = distanceM
        self.cost = cost
        self.routeJson = routeJson
        self.keptFromPlan = keptFromPlan
        self.dispatchedAt = dispatchedAt
    }
}

public struct StopRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "stops"
    public var planId: Int64
    public var routeId: String
    public var sequence: Int
    public var pickupPointId: String
    public var arrival: String
    public var orders: Int
    public var crates: Int
    public var grams: Int
    /// JSON array of order ids.
    public var orderIds: String

    public init(planId: Int64, routeId: String, sequence: Int, pickupPointId: String, arrival: String, orders: Int, crates: Int,
                grams: Int, orderIds: String) {
        self.planId = planId
        self.routeId = routeId
        self.sequence = sequence
        self.pickupPointId = pickupPointId
        self.arrival = arrival
        self.orders = orders
        self.crates = crates
        self.grams = grams
        self.orderIds = orderIds
    }
}

/// A published document of a plan version ("lists": pick lists, sort sheets, loading lists,
/// handover sheets, plan.json, routes.geojson).
public struct ListRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "lists"
    public var planId: Int64
    public var path: String
    public var contentType: String
    public var body: Data

    public init(planId: Int64, path: String, contentType: String, body: Data) {
        self.planId = planId
        self.path = path
        self.contentType = contentType
        self.body = body
    }
}

public struct VehicleOutageRecord: SnakeCaseRecord, Sendable, Equatable {
    public static let databaseTableName = "vehicle_outages"
    public var deliveryDate: String
    public var vehicleId: String
    public var since: Int
    public var reason: String?
}
