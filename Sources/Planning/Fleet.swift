import Foundation

/// The vans a plan may still use, per warehouse, as routing vehicle types. Without re-planning
/// options it is one entry per scenario vehicle type with every van (the plain daily plan).
/// With `PlanOptions.locked` and `unavailableVehicles`:
/// - a van out of service is left out;
/// - a van with kept (dispatched) trips becomes a vehicle type of its own: it may make the trips
///   it has left, starting after its last kept trip plus the reload time, within its shift
///   counted from its first kept departure, without a second day cost.
struct Fleet {
    struct Entry {
        /// Index into the warehouse's scenario vehicle types.
        var type: Int
        /// Vehicle ids, numbered in order of first departure.
        var ids: [String]
        var shiftStart: Int
        var shiftEnd: Int
        var maxTrips: Int
        /// Whether the van's day cost is still to pay (false: paid by its kept trips).
        var chargesDay: Bool
        /// Trip number of the first new trip.
        var firstTrip: Int
        /// When the van is back from its kept trips (seconds after local midnight).
        var lastReturn: Int?
    }

    /// Per warehouse (scenario order).
    var types: [[Entry]]
    /// Orders on kept routes: delivered by them, not planned again.
    var keptOrders: Set<String>
    /// Crates already on kept routes, per warehouse (they used sorting capacity).
    var keptCrates: [Int]
    /// Pickup point → warehouse index of the kept routes that visit it.
    var pinned: [String: Int]
    private var keptPoints: Set<String>

    static func build(scenario: Scenario, clock: DayClock, book: OrderBook, options: PlanOptions) throws -> Fleet {
        let midnight = clock.epochSeconds(at: 0)
        func seconds(_ iso: String, _ route: PlannedRoute) throws -> Int {
            guard let t = Timestamp.parse(iso) else { throw GeneralError(.input, "kept route \(route.routeId): time \"\(iso)\" unreadable") }
            return t.epochSeconds - midnight
        }
        let known = Set(book.orders.map(\.orderId))
        var keptOrders = Set<String>()
        var keptCrates = [Int](repeating: 0, count: scenario.warehouses.count)
        var pinned: [String: Int] = [:]
        var byVehicle: [String: [PlannedRoute]] = [:]
        for r in options.locked {
            guard let w = scenario.warehouses.firstIndex(where: { $0.id == r.warehouseId }),
                  let vt = scenario.warehouses[w].vehicleTypes.first(where: { $0.id == r.vehicleTypeId }),
                  let n = Int(r.vehicleId.dropFirst(vt.id.count + 1)), r.vehicleId == "\(vt.id)-\(n)", n >= 1, n <= vt.count else {
                throw GeneralError(.input, "kept route \(r.routeId): \(r.warehouseId) has no vehicle \(r.vehicleId) of type \(r.vehicleTypeId)")
            }
            for s in r.stops {
                pinned[s.pickupPointId] = w
                for id in s.orderIds {
                    guard known.contains(id) else { throw GeneralError(.input, "kept route \(r.routeId): order \(id) is not in the order book") }
                    guard keptOrders.insert(id).inserted else { throw GeneralError(.input, "kept route \(r.routeId): order \(id) is on two kept routes") }
                }
            }
            keptCrates[w] += r.load.crates
            byVehicle[r.vehicleId, default: []].append(r)
        }
        var types: [[Entry]] = []
        for wh in scenario.warehouses {
            var plain: [Entry] = [], residual: [Entry] = []
            for (t, vt) in wh.vehicleTypes.enumerated() {
                let all = (0..<max(0, vt.count)).map { "\(vt.id)-\($0 + 1)" }
                let start = vt.shiftStart.seconds, length = vt.shiftLengthMinutes * 60
                plain.append(Entry(type: t, ids: all.filter { !options.unavailableVehicles.contains($0) && byVehicle[$0] == nil },
                                   shiftStart: start, shiftEnd: start + length, maxTrips: vt.maxTrips, chargesDay: true,
                                   firstTrip: 1, lastReturn: nil))
                for id in all where !options.unavailableVehicles.contains(id) {
                    guard let kept = byVehicle[id]?.sorted(by: { $0.trip < $1.trip }) else { continue }
                    let first = try seconds(kept[0].departure, kept[0])
                    let back = try seconds(kept[kept.count - 1].returnTime, kept[kept.count - 1])
                    let from = back + vt.reloadMinutes * 60, until = min(start + length, first + length)
                    let left = vt.maxTrips - kept.count
                    guard left > 0, from < until else { continue }
                    residual.append(Entry(type: t, ids: [id], shiftStart: from, shiftEnd: until, maxTrips: left, chargesDay: false,
                                          firstTrip: kept[kept.count - 1].trip + 1, lastReturn: back))
                }
            }
            types.append(plain + residual)
        }
        return Fleet(types: types, keptOrders: keptOrders, keptCrates: keptCrates, pinned: pinned,
                     keptPoints: Set(options.locked.flatMap { $0.stops.map(\.pickupPointId) }))
    }

    /// Pickup points visited only by kept routes (not among `besides`).
    func keptOnlyPoints(besides: [String]) -> Int { keptPoints.subtracting(besides).count }

    /// Kept and new routes in one list: per warehouse, per vehicle type, per van, per trip.
    func merge(kept: [PlannedRoute], new: [PlannedRoute], scenario: Scenario) -> [PlannedRoute] {
        guard !kept.isEmpty else { return new }
        func key(_ r: PlannedRoute) -> (Int, Int, Int, Int) {
            let w = scenario.warehouses.firstIndex { $0.id == r.warehouseId } ?? Int.max
            let t = w == Int.max ? Int.max : scenario.warehouses[w].vehicleTypes.firstIndex { $0.id == r.vehicleTypeId } ?? Int.max
            let n = Int(r.vehicleId.dropFirst(r.vehicleTypeId.count + 1)) ?? Int.max
            return (w, t, n, r.trip)
        }
        return (kept + new).sorted { key($0) < key($1) }
    }
}
