/// Turns a dispatcher's edit into vans with trips of resolved stops, checking that everything it
/// names exists and that no order is on two stops. Problems carry a JSON pointer into the
/// request (`/routes/3/stops/1/order_ids/0`). Orders are handled by their number in the plan
/// (`PlanEditIndex`): one hash per order id the request lists, none for stops that take their
/// point's orders.
struct EditResolver {
    let base: PlanEditBase

    struct Trip {
        var source: String?
        var stops: [Drop]
    }

    struct Van {
        var warehouse: Int
        var type: Int
        var number: Int
        var vehicleId: String
        /// Dispatched routes of the van, unchanged, in trip order: they stay as they are.
        var kept: [String]
        var trips: [Trip]
    }

    struct Resolved {
        var vans: [Van]
        /// Per order number of the plan: whether a route of the edit carries it.
        var routed: [Bool]
        var dispatchViolations: [EditViolation]
    }

    /// (warehouse, vehicle type, n) of "<type id>-<n>", n in 1…count.
    func vehicle(_ id: String) -> (Int, Int, Int)? {
        for (w, wh) in base.scenario.warehouses.enumerated() {
            for (t, vt) in wh.vehicleTypes.enumerated() where id.hasPrefix(vt.id + "-") {
                if let n = Int(id.dropFirst(vt.id.count + 1)), n >= 1, n <= vt.count, id == "\(vt.id)-\(n)" { return (w, t, n) }
            }
        }
        return nil
    }

    /// Where an order is listed: route and stop of the edit.
    struct Claim {
        var route: Int32 = -1
        var stop: Int32 = -1
        var isFree: Bool { route < 0 }
    }

    func resolve(_ edits: [RouteEdit]) throws -> Resolved {
        let index = base.index
        var problems: [ProblemDocument.ItemError] = []
        var claims = [Claim](repeating: Claim(), count: index.orders.count)
        let points: [[Int?]] = edits.map { $0.stops.map { index.pointIndex[$0.pickupPointId] } }
        var chosen: [[[Int]]] = edits.map { $0.stops.map { _ in [] } }
        for (r, edit) in edits.enumerated() {
            if vehicle(edit.vehicleId) == nil {
                problems.append(.init(pointer: "/routes/\(r)/vehicle_id", detail: "no vehicle \"\(edit.vehicleId)\" in the scenario (vehicles are <type id>-<n>)"))
            }
            for (s, stop) in edit.stops.enumerated() {
                let at = "/routes/\(r)/stops/\(s)"
                guard let p = points[r][s] else {
                    problems.append(.init(pointer: at + "/pickup_point_id", detail: "no pickup point \"\(stop.pickupPointId)\" in the scenario"))
                    continue
                }
                guard let ids = stop.orderIds else { continue }
                if ids.isEmpty { problems.append(.init(pointer: at + "/order_ids", detail: "must list at least one order, or be left out")) }
                for (k, id) in ids.enumerated() {
                    guard let n = index.orderNumber[id] else {
                        problems.append(.init(pointer: "\(at)/order_ids/\(k)", detail: "order \"\(id)\" is not in this plan"))
                        continue
                    }
                    if index.orderPoint[n] != p {
                        problems.append(.init(pointer: "\(at)/order_ids/\(k)",
                                              detail: "order \"\(id)\" is for \(index.orders[n].pickupPointId), not \(stop.pickupPointId)"))
                    } else if !claims[n].isFree {
                        problems.append(.init(pointer: "\(at)/order_ids/\(k)", detail: "order \"\(id)\" is also on /routes/\(claims[n].route)/stops/\(claims[n].stop)"))
                    } else {
                        claims[n] = Claim(route: Int32(r), stop: Int32(s))
                        chosen[r][s].append(n)
                    }
                }
            }
        }
        // Stops without order ids take the rest of their point's orders.
        for (r, edit) in edits.enumerated() {
            for (s, stop) in edit.stops.enumerated() where stop.orderIds == nil {
                guard let p = points[r][s] else { continue }
                let rest = index.pointOrderNumbers[p].filter { claims[$0].isFree }
                if rest.isEmpty {
                    problems.append(.init(pointer: "/routes/\(r)/stops/\(s)/pickup_point_id",
                                          detail: "\(stop.pickupPointId) has no orders in this plan that another stop does not already list"))
                }
                for n in rest { claims[n] = Claim(route: Int32(r), stop: Int32(s)) }
                chosen[r][s] = rest
            }
        }
        guard problems.isEmpty else { throw EditRequestError(problems) }
        let (vans, dispatchViolations) = vans(edits, points: points, chosen: chosen)
        return Resolved(vans: vans, routed: claims.map { !$0.isFree }, dispatchViolations: dispatchViolations)
    }

    /// The edit's routes as trips of their vans; a dispatched route listed exactly as it was (and
    /// before the van's other trips) is kept, any other change to it is a violation.
    func vans(_ edits: [RouteEdit], points: [[Int?]], chosen: [[[Int]]]) -> ([Van], [EditViolation]) {
        let index = base.index
        var vans: [String: Van] = [:]
        var dispatchViolations: [EditViolation] = []
        let baseRoutes = Dictionary(base.plan.routes.map { ($0.routeId, $0) }, uniquingKeysWith: { a, _ in a })
        var seenDispatched = Set<String>()
        for (r, edit) in edits.enumerated() where !edit.stops.isEmpty {
            let (w, t, n) = vehicle(edit.vehicleId)!
            var van = vans[edit.vehicleId] ?? Van(warehouse: w, type: t, number: n, vehicleId: edit.vehicleId, kept: [], trips: [])
            let stops = edit.stops.indices.map { s in index.drop(point: points[r][s]!, numbers: chosen[r][s]) }
            if let id = edit.routeId, base.dispatchedRouteIds.contains(id), let old = baseRoutes[id] {
                seenDispatched.insert(id)
                let same = old.vehicleId == edit.vehicleId
                    && old.stops.map { [$0.pickupPointId] + $0.orderIds } == stops.map { [base.scenario.pickupPoints[$0.point].id] + $0.orders.map(\.orderId) }
                if same && van.trips.isEmpty {
                    van.kept.append(id)
                    vans[edit.vehicleId] = van
                    continue
                }
                dispatchViolations.append(EditViolation(
                    .dispatched, same ? "\(id) is dispatched: it must stay before the van's other trips"
                        : "\(id) is dispatched (the van has left): its van, stops and orders cannot change",
                    routeId: id, vehicleId: old.vehicleId))
            }
            van.trips.append(Trip(source: edit.routeId, stops: stops))
            vans[edit.vehicleId] = van
        }
        for id in base.dispatchedRouteIds.sorted() where !seenDispatched.contains(id) && baseRoutes[id] != nil {
            dispatchViolations.append(EditViolation(.dispatched, "\(id) is dispatched (the van has left): it cannot be removed",
                                                    routeId: id, vehicleId: baseRoutes[id]!.vehicleId))
        }
        let ordered = vans.values.sorted { ($0.warehouse, $0.type, $0.number) < ($1.warehouse, $1.type, $1.number) }
        return (ordered, dispatchViolations)
    }
}
