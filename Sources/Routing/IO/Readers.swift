import Foundation

extension BenchmarkInstance {
    /// CVRPLIB: `KEY : value` header, NODE_COORD_SECTION, DEMAND_SECTION, DEPOT_SECTION.
    /// EUC_2D distances rounded to the nearest integer (TSPLIB `nint`); fleet = VEHICLES if
    /// given, otherwise one vehicle per customer (no limit).
    static func parseVRPLIB(_ text: String, name: String, file: String) throws(InstanceError) -> BenchmarkInstance {
        var header: [String: String] = [:]
        var coords: [Int: (Double, Double)] = [:]
        var demand: [Int: Int] = [:]
        var depots: [Int] = []
        var section = ""
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line == "EOF" { continue }
            if line.hasSuffix("_SECTION") { section = line; continue }
            if let colon = line.firstIndex(of: ":"), section.isEmpty || line.uppercased() == line && !line.first!.isNumber {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces).uppercased()
                if key.first?.isLetter == true {
                    header[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    section = ""
                    continue
                }
            }
            let v = numbers(Substring(line))
            switch section {
            case "NODE_COORD_SECTION":
                guard v.count >= 3 else { throw InstanceError(file: file, line: n + 1, reason: "expected `id x y`") }
                let id = try whole(v[0], "node id", InstanceLimits.nodeId, file: file, line: n + 1)
                guard coords[id] == nil else { throw InstanceError(file: file, line: n + 1, reason: "node id: \(id) appears twice") }
                guard coords.count < InstanceLimits.nodes.upperBound else {
                    throw InstanceError(file: file, line: n + 1, reason: "NODE_COORD_SECTION: must have at most \(InstanceLimits.nodes.upperBound) nodes")
                }
                coords[id] = (try coordinate(v[1], "x", file: file, line: n + 1), try coordinate(v[2], "y", file: file, line: n + 1))
            case "DEMAND_SECTION":
                guard v.count >= 2 else { throw InstanceError(file: file, line: n + 1, reason: "expected `id demand`") }
                demand[try whole(v[0], "node id", InstanceLimits.nodeId, file: file, line: n + 1)]
                    = try whole(v[1], "demand", InstanceLimits.demand, file: file, line: n + 1)
            case "DEPOT_SECTION":
                guard let d = v.first else { throw InstanceError(file: file, line: n + 1, reason: "expected a depot id") }
                if d >= 0 { depots.append(try whole(d, "depot id", InstanceLimits.nodeId, file: file, line: n + 1)) }
            default:
                throw InstanceError(file: file, line: n + 1, reason: "unexpected line outside a section")
            }
        }
        if let t = header["EDGE_WEIGHT_TYPE"], t != "EUC_2D" {
            throw InstanceError(file: file, line: nil, reason: "EDGE_WEIGHT_TYPE \(t) is not supported (EUC_2D only)")
        }
        func headerInt(_ key: String, _ range: ClosedRange<Int>) throws(InstanceError) -> Int? {
            guard let text = header[key] else { return nil }
            guard let v = Double(text) else { throw InstanceError(file: file, line: nil, reason: "\(key): must be an integer, got \(text)") }
            return try whole(v, key, range, file: file, line: nil)
        }
        guard let dim = try headerInt("DIMENSION", InstanceLimits.nodes) else { throw InstanceError(file: file, line: nil, reason: "missing DIMENSION") }
        guard let cap = try headerInt("CAPACITY", InstanceLimits.capacity) else { throw InstanceError(file: file, line: nil, reason: "missing CAPACITY") }
        guard coords.count == dim else { throw InstanceError(file: file, line: nil, reason: "NODE_COORD_SECTION has \(coords.count) nodes, DIMENSION is \(dim)") }
        if depots.isEmpty { depots = [1] }
        for d in depots where coords[d] == nil { throw InstanceError(file: file, line: nil, reason: "DEPOT_SECTION: depot \(d) has no coordinates") }
        for id in demand.keys where coords[id] == nil { throw InstanceError(file: file, line: nil, reason: "DEMAND_SECTION: node \(id) has no coordinates") }
        let ids = coords.keys.sorted()
        let depotSet = Set(depots)
        let customers = ids.filter { !depotSet.contains($0) }
        let order = depots + customers
        let pts = order.map { coords[$0]! }
        let m = Matrix(size: order.count) { i, j in Int((euclid(pts[i].0, pts[i].1, pts[j].0, pts[j].1) + 0.5).rounded(.down)) }
        let clients = customers.map { id in Client(x: coords[id]!.0, y: coords[id]!.1, demand: [demand[id] ?? 0]) }
        let fleet = try headerInt("VEHICLES", InstanceLimits.vehicles) ?? customers.count
        for id in customers where (demand[id] ?? 0) > cap {
            throw InstanceError(file: file, line: nil, reason: "DEMAND_SECTION: node \(id) has demand \(demand[id]!), more than the CAPACITY \(cap)")
        }
        let types = depots.indices.map { VehicleType(count: fleet, capacity: [cap], depot: $0) }
        do {
            let data = try ProblemData(
                depots: depots.map { Depot(x: coords[$0]!.0, y: coords[$0]!.1) }, clients: clients,
                vehicleTypes: types, distance: m, duration: m)
            return BenchmarkInstance(name: header["NAME"] ?? name, format: .vrplib, data: data, scale: 1,
                                     customerIDs: customers.indices.map { $0 + 1 })
        } catch { throw InstanceError(file: file, line: nil, reason: error.description) }
    }

    /// Solomon: name, VEHICLE (NUMBER CAPACITY), CUSTOMER rows `no x y demand ready due service`,
    /// row 0 the depot. Distance-only convention at scale 10.
    static func parseSolomon(_ text: String, name: String, file: String) throws(InstanceError) -> BenchmarkInstance {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var vehicles: (Int, Int)?
        var rows: [[Double]] = []
        var rowLines: [Int] = []
        var inCustomers = false
        var expectVehicle = false
        for (n, line) in lines.enumerated() {
            let up = line.uppercased()
            if up.contains("VEHICLE") { expectVehicle = true; continue }
            if up.contains("CUSTOMER") { inCustomers = true; continue }
            let v = numbers(line)
            if v.isEmpty { continue }
            if inCustomers {
                guard v.count >= 7 else { throw InstanceError(file: file, line: n + 1, reason: "expected 7 numbers per customer row") }
                guard rows.count < InstanceLimits.nodes.upperBound else {
                    throw InstanceError(file: file, line: n + 1, reason: "CUSTOMER: must have at most \(InstanceLimits.nodes.upperBound) rows")
                }
                _ = try whole(v[0], "customer number", InstanceLimits.nodeId, file: file, line: n + 1)
                _ = try coordinate(v[1], "x", file: file, line: n + 1)
                _ = try coordinate(v[2], "y", file: file, line: n + 1)
                _ = try whole(v[3], "demand", InstanceLimits.demand, file: file, line: n + 1)
                for (k, field) in [(4, "ready time"), (5, "due date"), (6, "service time")] { _ = try time(v[k], field, file: file, line: n + 1) }
                rows.append(v)
                rowLines.append(n + 1)
            } else if expectVehicle, v.count >= 2 {
                vehicles = (try whole(v[0], "vehicle number", InstanceLimits.vehicles, file: file, line: n + 1),
                            try whole(v[1], "capacity", InstanceLimits.capacity, file: file, line: n + 1))
                expectVehicle = false
            }
        }
        guard let (count, cap) = vehicles else { throw InstanceError(file: file, line: nil, reason: "missing VEHICLE section") }
        guard rows.count >= 2 else { throw InstanceError(file: file, line: nil, reason: "no customers") }
        for (k, r) in rows.enumerated() where r[3] > Double(cap) {
            throw InstanceError(file: file, line: rowLines[k], reason: "demand: \(Int(r[3])) is more than the vehicle capacity \(cap)")
        }
        let m = Matrix(size: rows.count) { i, j in
            Int((10 * euclid(rows[i][1], rows[i][2], rows[j][1], rows[j][2]) + 1e-9).rounded(.down))
        }
        let s = 10.0
        let depot = Depot(x: rows[0][1], y: rows[0][2], earliest: Int(rows[0][4] * s), latest: Int(rows[0][5] * s))
        let clients = rows.dropFirst().map { r in
            Client(x: r[1], y: r[2], demand: [Int(r[3])], serviceDuration: Int(r[6] * s),
                   earliest: Int(r[4] * s), latest: Int(r[5] * s))
        }
        do {
            let data = try ProblemData(depots: [depot], clients: Array(clients),
                                       vehicleTypes: [VehicleType(count: count, capacity: [cap])],
                                       distance: m, duration: m)
            return BenchmarkInstance(name: name, format: .solomon, data: data, scale: 10,
                                     customerIDs: rows.dropFirst().map { Int($0[0]) })
        } catch { throw InstanceError(file: file, line: nil, reason: error.description) }
    }

    /// Cordeau (1997) MDVRP: `type m n t`, t lines `D Q`, n customers `i x y d q …`, t depots.
    /// Unrounded Euclidean distances at scale 10 000; travel time = distance; D = 0: no limit.
    static func parseCordeau(_ text: String, name: String, file: String) throws(InstanceError) -> BenchmarkInstance {
        let numbered = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (line: $0.offset + 1, v: numbers($0.element)) }.filter { !$0.v.isEmpty }
        let lines = numbered.map(\.v)
        guard let head = lines.first, head.count >= 4 else { throw InstanceError(file: file, line: 1, reason: "expected `type m n t`") }
        let headLine = numbered[0].line
        let m = try whole(head[1], "m (vehicles per depot)", 0...InstanceLimits.vehicles.upperBound, file: file, line: headLine)
        let n = try whole(head[2], "n (customers)", 1...InstanceLimits.nodes.upperBound, file: file, line: headLine)
        let t = try whole(head[3], "t (depots)", InstanceLimits.depots, file: file, line: headLine)
        guard lines.count >= 1 + t + n + t else { throw InstanceError(file: file, line: nil, reason: "expected \(t) limit lines, \(n) customers and \(t) depots") }
        for (k, row) in numbered.enumerated().dropFirst().prefix(t + n + t) {
            let r = row.v, at = row.line
            if k <= t {
                guard r.count >= 2 else { throw InstanceError(file: file, line: at, reason: "expected `D Q`") }
                _ = try time(r[0], "D (duration limit)", file: file, line: at)
                _ = try whole(r[1], "Q (capacity)", InstanceLimits.capacity, file: file, line: at)
            } else {
                guard r.count >= (k <= t + n ? 5 : 3) else { throw InstanceError(file: file, line: at, reason: k <= t + n ? "expected `i x y d q …`" : "expected `i x y`") }
                _ = try whole(r[0], "i (number)", InstanceLimits.nodeId, file: file, line: at)
                _ = try coordinate(r[1], "x", file: file, line: at)
                _ = try coordinate(r[2], "y", file: file, line: at)
                if k <= t + n {
                    _ = try time(r[3], "d (service time)", file: file, line: at)
                    _ = try whole(r[4], "q (demand)", InstanceLimits.demand, file: file, line: at)
                }
            }
        }
        let limits = lines[1...t]
        let cust = lines[(1 + t)..<(1 + t + n)]
        let deps = lines[(1 + t + n)..<(1 + t + n + t)]
        let scale = 10_000.0
        let pts = deps.map { ($0[1], $0[2]) } + cust.map { ($0[1], $0[2]) }
        let dm = Matrix(size: pts.count) { i, j in Int((scale * euclid(pts[i].0, pts[i].1, pts[j].0, pts[j].1)).rounded()) }
        let clients = cust.map { r in Client(x: r[1], y: r[2], demand: [Int(r[4])], serviceDuration: Int((r[3] * scale).rounded())) }
        let types = limits.enumerated().map { k, l in
            VehicleType(count: m == 0 ? n : m, capacity: [Int(l[1])], depot: k,
                        maxDuration: l[0] > 0 ? Int((l[0] * scale).rounded()) : .max / 4)
        }
        do {
            let data = try ProblemData(depots: deps.map { Depot(x: $0[1], y: $0[2]) }, clients: Array(clients),
                                       vehicleTypes: types, distance: dm, duration: dm)
            return BenchmarkInstance(name: name, format: .cordeau, data: data, scale: Int(scale),
                                     customerIDs: cust.map { Int($0[0]) })
        } catch { throw InstanceError(file: file, line: nil, reason: error.description) }
    }
}
