import RoadNetwork

/// A scenario: the network (grid warehouses with their fleets, pickup points) and the catalogue.
/// The orders of a day come separately (`OrderBook`). JSON is snake_case; ids are strings; times
/// of day are local "HH:MM" in `timeZone`. See docs/scenario-format.md.
public struct Scenario: Codable, Sendable, Equatable {
    public var name: String
    public var city: String
    /// IANA time zone of every local time in the scenario, e.g. "Asia/Shanghai".
    public var timeZone: String
    /// Road map (OSM XML), relative to the directory of scenario.json; nil: none.
    public var map: String?
    /// Orders completed after this local time on the day before delivery go to the next day.
    public var cutoff: LocalTime
    /// Straight-line travel model used when no road map is available.
    public var travel: TravelSettings
    /// Default service time at a pickup point.
    public var service: ServiceTime
    /// Estimated cost (cents) of moving a pickup point to another warehouse than yesterday's.
    public var stabilityPenaltyCents: Int
    /// Empty returnable crates the vans bring back from the pickup points; nil: none.
    public var crateReturns: CrateReturns?
    public var warehouses: [Warehouse]
    public var pickupPoints: [PickupPoint]
    public var skus: [SKU]

    public init(name: String, city: String, timeZone: String, map: String?, cutoff: LocalTime, travel: TravelSettings,
                service: ServiceTime, stabilityPenaltyCents: Int, crateReturns: CrateReturns? = nil, warehouses: [Warehouse],
                pickupPoints: [PickupPoint], skus: [SKU]) {
        self.name = name
        self.city = city
        self.timeZone = timeZone
        self.map = map
        self.cutoff = cutoff
        self.travel = travel
        self.service = service
        self.stabilityPenaltyCents = stabilityPenaltyCents
        self.crateReturns = crateReturns
        self.warehouses = warehouses
        self.pickupPoints = pickupPoints
        self.skus = skus
    }

    enum CodingKeys: String, CodingKey {
        case name, city, map, cutoff, travel, service, warehouses, skus
        case timeZone = "time_zone"
        case stabilityPenaltyCents = "stability_penalty_cents"
        case crateReturns = "crate_returns"
        case pickupPoints = "pickup_points"
    }
}

public struct TravelSettings: Codable, Sendable, Equatable {
    /// Road distance / straight-line distance.
    public var circuity: Double
    public var speedKmh: Double
    public init(circuity: Double, speedKmh: Double) {
        self.circuity = circuity
        self.speedKmh = speedKmh
    }
    enum CodingKeys: String, CodingKey {
        case circuity
        case speedKmh = "speed_kmh"
    }
}

/// Time at a stop: `fixedSeconds + perCrateSeconds × crates`.
public struct ServiceTime: Codable, Sendable, Equatable {
    public var fixedSeconds: Int
    public var perCrateSeconds: Int
    public init(fixedSeconds: Int, perCrateSeconds: Int) {
        self.fixedSeconds = fixedSeconds
        self.perCrateSeconds = perCrateSeconds
    }
    public func seconds(crates: Int) -> Int { fixedSeconds + perCrateSeconds * crates }
    enum CodingKeys: String, CodingKey {
        case fixedSeconds = "fixed_seconds"
        case perCrateSeconds = "per_crate_seconds"
    }
}

/// A grid warehouse (网格仓) with its own fleet.
public struct Warehouse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var address: String
    public var location: Coordinate
    /// Crates the floor can sort in one night.
    public var sortingCapacityCrates: Int
    /// Vans leave after the dock opens and are back before it closes.
    public var dockHours: TimeWindow
    /// Cost of running the warehouse for a day (cents).
    public var fixedCostCents: Int
    public var vehicleTypes: [VehicleType]

    public init(id: String, name: String, address: String, location: Coordinate, sortingCapacityCrates: Int,
                dockHours: TimeWindow, fixedCostCents: Int, vehicleTypes: [VehicleType]) {
        self.id = id
        self.name = name
        self.address = address
        self.location = location
        self.sortingCapacityCrates = sortingCapacityCrates
        self.dockHours = dockHours
        self.fixedCostCents = fixedCostCents
        self.vehicleTypes = vehicleTypes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, address, location
        case sortingCapacityCrates = "sorting_capacity_crates"
        case dockHours = "dock_hours"
        case fixedCostCents = "fixed_cost_cents"
        case vehicleTypes = "vehicle_types"
    }
}

/// Vehicle sizes in increasing order: a pickup point names the largest one that can reach it.
public enum VehicleClass: String, Codable, Sendable, CaseIterable, Comparable {
    case small, medium, large
    public static func < (a: VehicleClass, b: VehicleClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// `count` identical vans of one warehouse.
public struct VehicleType: Codable, Sendable, Equatable {
    /// Unique in the scenario; vehicles are named `<id>-1`, `<id>-2`, …
    public var id: String
    public var name: String
    public var vehicleClass: VehicleClass
    public var count: Int
    public var capacityCrates: Int
    public var capacityKg: Int
    public var costPerKmCents: Int
    public var costPerHourCents: Int
    /// Cost of using one van for the day (driver and rent), charged once however many trips.
    public var costPerDayCents: Int
    public var shiftStart: LocalTime
    /// Longest working day: first departure to last return.
    public var shiftLengthMinutes: Int
    public var maxTrips: Int
    /// Time at the warehouse between two trips.
    public var reloadMinutes: Int

    public init(id: String, name: String, vehicleClass: VehicleClass, count: Int, capacityCrates: Int, capacityKg: Int,
                costPerKmCents: Int, costPerHourCents: Int, costPerDayCents: Int, shiftStart: LocalTime,
                shiftLengthMinutes: Int, maxTrips: Int, reloadMinutes: Int) {
        self.id = id
        self.name = name
        self.vehicleClass = vehicleClass
        self.count = count
        self.capacityCrates = capacityCrates
        self.capacityKg = capacityKg
        self.costPerKmCents = costPerKmCents
        self.costPerHourCents = costPerHourCents
        self.costPerDayCents = costPerDayCents
        self.shiftStart = shiftStart
        self.shiftLengthMinutes = shiftLengthMinutes
        self.maxTrips = maxTrips
        self.reloadMinutes = reloadMinutes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, count
        case vehicleClass = "class"
        case capacityCrates = "capacity_crates"
        case capacityKg = "capacity_kg"
        case costPerKmCents = "cost_per_km_cents"
        case costPerHourCents = "cost_per_hour_cents"
        case costPerDayCents = "cost_per_day_cents"
        case shiftStart = "shift_start"
        case shiftLengthMinutes = "shift_length_minutes"
        case maxTrips = "max_trips"
        case reloadMinutes = "reload_minutes"
    }
}

public struct Leader: Codable, Sendable, Equatable {
    public var name: String
    public var phone: String?
    public init(name: String, phone: String? = nil) {
        self.name = name
        self.phone = phone
    }
}

/// A pickup point (自提点): the group leader's shop or home, where residents collect.
public struct PickupPoint: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var leader: Leader
    public var address: String
    public var location: Coordinate
    /// Service must start inside this window on the delivery day.
    public var receivingWindow: TimeWindow
    /// Largest vehicle class that can reach the point (narrow lanes: `small`).
    public var maxVehicle: VehicleClass
    /// Overrides the scenario's service time.
    public var service: ServiceTime?
    /// Yesterday's warehouse; the allocation prefers to keep it.
    public var previousWarehouseId: String?
    /// Empty crates waiting at the point for the next van; overrides `CrateReturns.ratePercent`.
    public var returnedCrates: Int?
    /// Crates of the point's previous delivery, which the rate of `CrateReturns` applies to;
    /// nil: unknown, today's crates stand in for it.
    public var previousDeliveryCrates: Int?

    public init(id: String, name: String, leader: Leader, address: String, location: Coordinate, receivingWindow: TimeWindow,
                maxVehicle: VehicleClass, service: ServiceTime? = nil, previousWarehouseId: String? = nil,
                returnedCrates: Int? = nil, previousDeliveryCrates: Int? = nil) {
        self.id = id
        self.name = name
        self.leader = leader
        self.address = address
        self.location = location
        self.receivingWindow = receivingWindow
        self.maxVehicle = maxVehicle
        self.service = service
        self.previousWarehouseId = previousWarehouseId
        self.returnedCrates = returnedCrates
        self.previousDeliveryCrates = previousDeliveryCrates
    }

    enum CodingKeys: String, CodingKey {
        case id, name, leader, address, location, service
        case receivingWindow = "receiving_window"
        case maxVehicle = "max_vehicle"
        case previousWarehouseId = "previous_warehouse_id"
        case returnedCrates = "returned_crates"
        case previousDeliveryCrates = "previous_delivery_crates"
    }
}

public enum TemperatureClass: String, Codable, Sendable, CaseIterable, Comparable {
    case ambient, chilled, frozen
    public static func < (a: TemperatureClass, b: TemperatureClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public struct SKU: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var weightGrams: Int
    public var temperature: TemperatureClass
    /// Units that fill one crate; a unit takes 1/unitsPerCrate of a crate.
    public var unitsPerCrate: Int

    public init(id: String, name: String, weightGrams: Int, temperature: TemperatureClass, unitsPerCrate: Int) {
        self.id = id
        self.name = name
        self.weightGrams = weightGrams
        self.temperature = temperature
        self.unitsPerCrate = unitsPerCrate
    }

    enum CodingKeys: String, CodingKey {
        case id, name, temperature
        case weightGrams = "weight_g"
        case unitsPerCrate = "units_per_crate"
    }
}

/// One completed group order (成团 order) for a delivery day. The daemon takes the same objects.
public struct Order: Codable, Sendable, Equatable {
    public var orderId: String
    public var groupId: String
    public var pickupPointId: String
    public var customerId: String
    public var deliveryDate: CalendarDate
    public var completedAt: Timestamp
    public var lines: [OrderLine]

    public init(orderId: String, groupId: String, pickupPointId: String, customerId: String, deliveryDate: CalendarDate,
                completedAt: Timestamp, lines: [OrderLine]) {
        self.orderId = orderId
        self.groupId = groupId
        self.pickupPointId = pickupPointId
        self.customerId = customerId
        self.deliveryDate = deliveryDate
        self.completedAt = completedAt
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case lines
        case orderId = "order_id"
        case groupId = "group_id"
        case pickupPointId = "pickup_point_id"
        case customerId = "customer_id"
        case deliveryDate = "delivery_date"
        case completedAt = "completed_at"
    }
}

public struct OrderLine: Codable, Sendable, Equatable {
    public var sku: String
    public var qty: Int
    public init(sku: String, qty: Int) {
        self.sku = sku
        self.qty = qty
    }
}

/// The validated orders of one delivery day.
public struct OrderBook: Sendable, Equatable {
    public var deliveryDate: CalendarDate
    public var orders: [Order]
    public init(deliveryDate: CalendarDate, orders: [Order]) {
        self.deliveryDate = deliveryDate
        self.orders = orders
    }
}

extension Scenario {
    public func warehouse(_ id: String) -> Warehouse? { warehouses.first { $0.id == id } }
    public func serviceTime(of p: PickupPoint) -> ServiceTime { p.service ?? service }
}
