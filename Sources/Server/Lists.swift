import Foundation
import Planning

/// JSON versions of the warehouse and pickup-point sheets (the CSV ones come from
/// `PlanDocuments`): sort sheet per warehouse, loading list per van (reverse stop order),
/// handover sheet per pickup point (customer → items).
enum JSONLists {
    struct Crates: Encodable {
        var ambient: Int, chilled: Int, frozen: Int, total: Int
        init(_ l: LoadFigures) { ambient = l.ambient; chilled = l.chilled; frozen = l.frozen; total = l.crates }
    }

    struct SortStop: Encodable {
        var sequence: Int, pickupPointId: String, name: String, address: String, arrival: String, orders: Int, crates: Crates, grams: Int
        enum CodingKeys: String, CodingKey {
            case sequence, name, address, arrival, orders, crates, grams
            case pickupPointId = "pickup_point_id"
        }
    }
    struct SortTrip: Encodable {
        var routeId: String, vehicleId: String, trip: Int, departure: String, stops: [SortStop]
        enum CodingKeys: String, CodingKey {
            case trip, departure, stops
            case routeId = "route_id", vehicleId = "vehicle_id"
        }
    }
    struct SortSheet: Encodable {
        var warehouseId: String, deliveryDate: String, trips: [SortTrip]
        enum CodingKeys: String, CodingKey {
            case trips
            case warehouseId = "warehouse_id", deliveryDate = "delivery_date"
        }
    }

    struct LoadItem: Encodable {
        var loadOrder: Int, sequence: Int, pickupPointId: String, name: String, orders: Int, crates: Crates, grams: Int
        enum CodingKeys: String, CodingKey {
            case sequence, name, orders, crates, grams
            case loadOrder = "load_order", pickupPointId = "pickup_point_id"
        }
    }
    struct LoadTrip: Encodable {
        var routeId: String, trip: Int, departure: String, load: [LoadItem]
        enum CodingKeys: String, CodingKey {
            case trip, departure, load
            case routeId = "route_id"
        }
    }
    struct LoadingList: Encodable {
        var vehicleId: String, deliveryDate: String, trips: [LoadTrip]
        enum CodingKeys: String, CodingKey {
            case trips
            case vehicleId = "vehicle_id", deliveryDate = "delivery_date"
        }
    }

    struct Item: Encodable {
        var sku: String, name: String, temperature: String, qty: Int
    }
    struct CustomerOrder: Encodable {
        var orderId: String, groupId: String, items: [Item]
        enum CodingKeys: String, CodingKey {
            case items
            case orderId = "order_id", groupId = "group_id"
        }
    }
    struct Customer: Encodable {
        var customerId: String, orders: [CustomerOrder]
        enum CodingKeys: String, CodingKey {
            case orders
            case customerId = "customer_id"
        }
    }
    struct Visit: Encodable {
        var routeId: String, vehicleId: String, arrival: String, orders: Int, crates: Crates
        enum CodingKeys: String, CodingKey {
            case arrival, orders, crates
            case routeId = "route_id", vehicleId = "vehicle_id"
        }
    }
    struct Handover: Encodable {
        var pickupPointId: String, name: String, address: String, leader: Leader, deliveryDate: String, visits: [Visit], customers: [Customer]
        enum CodingKeys: String, CodingKey {
            case name, address, leader, visits, customers
            case pickupPointId = "pickup_point_id", deliveryDate = "delivery_date"
        }
    }

    static func render(plan: Plan, scenario: Scenario, orders: [Order]) throws -> [OutputFile] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let pts = Dictionary(uniqueKeysWithValues: scenario.pickupPoints.map { ($0.id, $0) })
        let skus = Dictionary(uniqueKeysWithValues: scenario.skus.map { ($0.id, $0) })
        let byId = Dictionary(orders.map { ($0.orderId, $0) }, uniquingKeysWith: { a, _ in a })
        let date = plan.deliveryDate.description
        var files: [OutputFile] = []
        func add<T: Encodable>(_ path: String, _ value: T) throws {
            files.append(OutputFile(path: path, contents: try encoder.encode(value) + Data("\n".utf8)))
        }
        for wh in scenario.warehouses {
            let trips = plan.routes.filter { $0.warehouseId == wh.id }.map { r in
                SortTrip(routeId: r.routeId, vehicleId: r.vehicleId, trip: r.trip, departure: r.departure, stops: r.stops.map { s in
                    SortStop(sequence: s.sequence, pickupPointId: s.pickupPointId, name: pts[s.pickupPointId]?.name ?? "",
                             address: pts[s.pickupPointId]?.address ?? "", arrival: s.arrival, orders: s.orderIds.count,
                             crates: Crates(s.load), grams: s.load.grams)
                })
            }
            try add(DocumentPath.warehouse(wh.id, "sort-sheet.json"), SortSheet(warehouseId: wh.id, deliveryDate: date, trips: trips))
        }
        var vehicles: [String] = []
        for r in plan.routes where !vehicles.contains(r.vehicleId) { vehicles.append(r.vehicleId) }
        for v in vehicles {
            let trips = plan.routes.filter { $0.vehicleId == v }.map { r in
                LoadTrip(routeId: r.routeId, trip: r.trip, departure: r.departure, load: r.stops.reversed().enumerated().map { k, s in
                    LoadItem(loadOrder: k + 1, sequence: s.sequence, pickupPointId: s.pickupPointId, name: pts[s.pickupPointId]?.name ?? "",
                             orders: s.orderIds.count, crates: Crates(s.load), grams: s.load.grams)
                })
            }
            try add(DocumentPath.vehicle(v, "loading-list.json"), LoadingList(vehicleId: v, deliveryDate: date, trips: trips))
        }
        var visits: [String: [(PlannedRoute, PlannedStop)]] = [:]
        for r in plan.routes { for s in r.stops { visits[s.pickupPointId, default: []].append((r, s)) } }
        for p in scenario.pickupPoints {
            guard let vs = visits[p.id] else { continue }
            var byCustomer: [String: [CustomerOrder]] = [:]
            for (_, s) in vs {
                for id in s.orderIds {
                    guard let o = byId[id] else { throw GeneralError(.internal, "plan names order \(id), not in the order book") }
                    byCustomer[o.customerId, default: []].append(CustomerOrder(orderId: o.orderId, groupId: o.groupId, items: o.lines.map { l in
                        Item(sku: l.sku, name: skus[l.sku]?.name ?? "", temperature: skus[l.sku]?.temperature.rawValue ?? "", qty: l.qty)
                    }))
                }
            }
            let customers = byCustomer.keys.sorted().map { c in
                Customer(customerId: c, orders: byCustomer[c]!.sorted { $0.orderId < $1.orderId })
            }
            try add(DocumentPath.handover(p.id, ext: "json"), Handover(
                pickupPointId: p.id, name: p.name, address: p.address, leader: p.leader, deliveryDate: date,
                visits: vs.map { r, s in Visit(routeId: r.routeId, vehicleId: r.vehicleId, arrival: s.arrival, orders: s.orderIds.count, crates: Crates(s.load)) },
                customers: customers))
        }
        return files
    }

    static func contentType(_ path: String) -> String {
        if path.hasSuffix(".geojson") { return "application/geo+json" }
        if path.hasSuffix(".json") { return "application/json" }
        if path.hasSuffix(".csv") { return "text/csv; charset=utf-8" }
        if path.hasSuffix(".html") { return "text/html; charset=utf-8" }
        return "text/plain; charset=utf-8"
    }
}
