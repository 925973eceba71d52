/// A dispatcher's version of a plan's routes: the complete list, edited by hand. The order of a
/// van's routes in the list is the order of its trips.
public struct RouteEdit: Sendable, Equatable {
    /// The route this one was edited from (nil: a new trip).
    public var routeId: String?
    /// "<vehicle type id>-<n>".
    public var vehicleId: String
    public var stops: [StopEdit]

    public init(routeId: String? = nil, vehicleId: String, stops: [StopEdit]) {
        self.routeId = routeId
        self.vehicleId = vehicleId
        self.stops = stops
    }
}

public struct StopEdit: Sendable, Equatable {
    public var pickupPointId: String
    /// The orders dropped here; nil: every order of the point in the plan that no other stop of
    /// the edit names.
    public var orderIds: [String]?

    public init(pickupPointId: String, orderIds: [String]? = nil) {
        self.pickupPointId = pickupPointId
        self.orderIds = orderIds
    }
}

/// Something about edited routes a dispatcher must know before saving, in words.
public struct EditViolation: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Crates or kg over the van's capacity on a trip.
        case capacity
        /// Service starts after the pickup point's receiving window closes.
        case late
        /// The van's day is longer than its shift, or ends after it.
        case shift
        /// A trip is back after the warehouse's dock closes.
        case dock
        /// More trips than the van may make.
        case trips
        /// The van is out of service that day.
        case vehicle
        /// The van is too big for the pickup point's lane.
        case vehicleClass = "vehicle_class"
        /// A warehouse sorts more crates than its capacity.
        case sorting
        /// A dispatched route was changed or removed.
        case dispatched
    }

    public var kind: Kind
    public var routeId: String?
    public var vehicleId: String?
    public var pickupPointId: String?
    public var warehouseId: String?
    public var message: String

    public init(_ kind: Kind, _ message: String, routeId: String? = nil, vehicleId: String? = nil,
                pickupPointId: String? = nil, warehouseId: String? = nil) {
        self.kind = kind
        self.message = message
        self.routeId = routeId
        self.vehicleId = vehicleId
        self.pickupPointId = pickupPointId
        self.warehouseId = warehouseId
    }

    enum CodingKeys: String, CodingKey {
        case kind, message
        case routeId = "route_id", vehicleId = "vehicle_id", pickupPointId = "pickup_point_id", warehouseId = "warehouse_id"
    }
}

/// An edit request that cannot be evaluated (an unknown pickup point or van, an order listed
/// twice, …), each problem with a JSON pointer into the request.
public struct EditRequestError: LastmileError, Equatable {
    public var items: [ProblemDocument.ItemError]

    public init(_ items: [ProblemDocument.ItemError]) { self.items = items }

    public var kind: ErrorKind { .input }
    public var detail: String {
        items.count == 1 ? "\(items[0].pointer): \(items[0].detail)" : "\(items.count) problems in the edited routes; nothing was evaluated"
    }
    public var problem: ProblemDocument {
        ProblemDocument(type: "https://lastmile.example/errors/input", title: kind.title, status: kind.httpStatus,
                        detail: detail, errors: items)
    }
}

/// The edited routes evaluated: the plan they make (ETAs, loads, costs, totals, unassigned), the
/// route each came from, and every violation.
public struct EditedPlan: Sendable {
    public var plan: Plan
    /// Parallel to `plan.routes`.
    public var sourceRouteIds: [String?]
    public var violations: [EditViolation]
    public var isFeasible: Bool { violations.isEmpty }
}
