/// The documented range of every number and the length of every id read from outside
/// (docs/scenario-format.md, "Ranges"; docs/daemon.md). The loaders check them, so that no
/// arithmetic of the planner can overflow on input they accept:
///
/// - a unit weighs at most 10^6 g and an order at most `orderGrams` (10^9 g), a line holds at
///   most 10^4 units, an order 100 lines, a day 10^6 orders: a day weighs at most 10^15 g and
///   holds at most 10^12 units (so at most 10^12 crates), far inside `Int` (9.2 × 10^18);
/// - a van takes at most 10^4 crates and 10^5 kg (10^8 g); it makes at most 20 trips of at most
///   1,440 minutes; its costs are at most 10^5 cents per km (× 3,600 internal units per metre),
///   10^6 cents per hour (× 1,000 per second) and 10^8 cents per day (× 3.6 × 10^6);
/// - a warehouse's routing problem has at most `dropsPerWarehouse` drops, each of which fits a
///   van, so a route's service time is at most 20 × 10^4 × 600 s + 5,000 × 14,400 s;
/// - sums that still grow with the number of orders (a pickup point's crates and grams) use
///   checked arithmetic and stop with an input error, never a trap.
public enum InputLimits {
    /// Ids that become file names (warehouse, pickup point, vehicle type) and SKU ids: UTF-8 bytes.
    public static let idBytes = 64
    /// Order, group and customer ids: UTF-8 bytes.
    public static let orderIdBytes = 128
    /// Names, addresses, phone numbers, free text: UTF-8 bytes.
    public static let textBytes = 1_000

    // Scenario: counts.
    public static let warehouses = 100
    public static let vehicleTypesPerWarehouse = 50
    public static let pickupPoints = 5_000
    public static let skus = 100_000

    // Scenario: numbers, each `min...max`.
    public static let stabilityPenaltyCents = 0...100_000_000
    public static let fixedSeconds = 0...14_400
    /// Crate returns: share of the previous delivery's crates that come back, an empty crate's
    /// weight, the empties waiting at one point (at most a van load), a previous delivery.
    public static let crateReturnPercent = 0...100
    public static let emptyCrateGrams = 0...20_000
    public static let returnedCrates = 0...10_000
    public static let previousDeliveryCrates = 0...1_000_000
    public static let perCrateSeconds = 0...600
    public static let sortingCapacityCrates = 0...10_000_000
    public static let fixedCostCents = 0...10_000_000_000
    public static let vehicleCount = 0...1_000
    public static let capacityCrates = 1...10_000
    public static let capacityKg = 1...100_000
    public static let costPerKmCents = 0...100_000
    public static let costPerHourCents = 0...1_000_000
    public static let costPerDayCents = 0...100_000_000
    public static let shiftLengthMinutes = 1...1_440
    public static let maxTrips = 1...20
    public static let reloadMinutes = 0...1_440
    public static let weightGrams = 0...1_000_000
    public static let unitsPerCrate = 1...10_000

    // Orders.
    public static let linesPerOrder = 100
    public static let qty = 1...10_000
    /// The weight of one order (Σ qty × weight_g), grams.
    public static let orderGrams = 1_000_000_000
    /// Orders of one delivery day (a file for `lastmile plan`, the store for the daemon).
    public static let ordersPerDay = 1_000_000
    /// Dates: delivery_date and the date part of completed_at.
    public static let years = 2000...2099

    // Planning.
    /// Drops (a van's visit to a pickup point) in one warehouse's routing problem: its travel
    /// matrices have (drops + 1)² entries.
    public static let dropsPerWarehouse = 5_000
    /// Crates of one pickup point's day.
    public static let pointCrates = 10_000_000

    /// Whether an id is safe and short: 1…`bytes` UTF-8 bytes, no control characters; the
    /// problem in words otherwise.
    public static func idProblem(_ id: String, bytes: Int = idBytes) -> String? {
        let n = id.utf8.count
        if n > bytes { return "must be at most \(bytes) bytes of UTF-8, got \(n)" }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "must not contain control characters" }
        return nil
    }
}
