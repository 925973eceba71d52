import Foundation
import Routing

/// The project's checker of VROOM-shaped answers: rebuilds the routes from `routes[].vehicle`
/// and `routes[].steps[]` (type and id only; `reload` starts a new trip) and scores them with
/// the core's own evaluator. Everything else in the answer (times, costs, loads) is ignored.
public struct VroomCheckReport: Sendable, Encodable, Equatable {
    /// VROOM cost units: per route fixed + travel cost rounded once, as VROOM prices it.
    public var cost: Int
    public var vehiclesUsed: Int
    public var distanceM: Int
    /// Travel time only (VROOM's `duration`).
    public var durationS: Int
    /// Jobs whose service starts after their window.
    public var lateStops: Int
    public var unassigned: Int
    public var feasible: Bool
    public var violations: [String]

    enum CodingKeys: String, CodingKey {
        case cost, unassigned, feasible, violations
        case vehiclesUsed = "vehicles_used", distanceM = "distance_m", durationS = "duration_s", lateStops = "late_stops"
    }
}

extension VroomProblem {
    /// Re-scores an answer. A malformed answer (not JSON, no routes array) is an error with a
    /// pointer into the answer; wrong content (unknown ids, a job twice, capacity) is a violation.
    public func check(answer: Data) throws(VroomError) -> VroomCheckReport {
        let root = Node(value: try JSONValue.parse(answer), pointer: "")
        guard case .object(let top) = root.value else { throw root.fail("the answer must be a JSON object") }
        let routesNode = Node(value: top["routes"] ?? .null, pointer: "/routes")
        let jobOfId = Dictionary(uniqueKeysWithValues: input.jobs.enumerated().map { ($0.element.id, $0.offset) })
        let vehicleOfId = Dictionary(uniqueKeysWithValues: input.vehicles.enumerated().map { ($0.element.id, $0.offset) })
        var violations: [String] = []
        var seen = [Int](repeating: 0, count: input.jobs.count)
        var used = Set<Int>()
        var report = VroomCheckReport(cost: 0, vehiclesUsed: 0, distanceM: 0, durationS: 0, lateStops: 0, unassigned: 0,
                                      feasible: true, violations: [])
        for r in try routesNode.array() {
            guard case .object(let fields) = r.value else { throw r.fail("expected an object, found \(r.value.kind)") }
            let id = try r.child("vehicle", fields["vehicle"] ?? .null).integer(in: VroomRanges.id)
            guard let v = vehicleOfId[id] else { violations.append("\(r.pointer): vehicle \(id) does not exist"); continue }
            guard used.insert(v).inserted else { violations.append("\(r.pointer): vehicle \(id) has a second route"); continue }
            var trips: [[Int]] = [[]]
            for s in try r.child("steps", fields["steps"] ?? .null).array() {
                guard case .object(let sf) = s.value else { throw s.fail("expected an object, found \(s.value.kind)") }
                switch try s.child("type", sf["type"] ?? .null).string() {
                case "start", "end": continue
                case "reload": trips.append([])
                case "job":
                    let j = try s.child("id", sf["id"] ?? .null).integer(in: VroomRanges.id)
                    guard let c = jobOfId[j] else { violations.append("\(s.pointer): job \(j) does not exist"); continue }
                    seen[c] += 1
                    if !data.allows(typeOfVehicle[v], c) { violations.append("vehicle \(id): job \(j) needs skills the vehicle lacks") }
                    trips[trips.count - 1].append(c)
                case let other: violations.append("\(s.pointer)/type: a \"\(other)\" step is not in the problem")
                }
            }
            // A reload with no job before it (or two in a row) is no trip.
            trips = trips.filter { !$0.isEmpty }
            let route = Route(vehicleType: typeOfVehicle[v], trips: trips)
            guard !route.isEmpty else { continue }
            let maxTrips = data.vehicleTypes[route.vehicleType].maxTrips
            if trips.count > maxTrips { violations.append("vehicle \(id): \(trips.count) trips, at most \(maxTrips)") }
            let e = data.evaluate(route)
            if e.excessLoad > 0 { violations.append("vehicle \(id): load exceeds capacity by \(e.excessLoad)") }
            if e.timeWarp > 0 { violations.append("vehicle \(id): late by \(e.timeWarp) s (time windows or shift)") }
            report.lateStops += e.visits.filter { $0.arrival > data.clients[$0.client].latest }.count
            let scored = self.route(route, vehicle: v)
            report.vehiclesUsed += 1
            report.cost += scored.totals.cost
            report.durationS += scored.totals.duration
            report.distanceM += scored.totals.distance ?? 0
        }
        for (c, n) in seen.enumerated() where n > 1 { violations.append("job \(input.jobs[c].id) visited \(n) times") }
        report.unassigned = seen.filter { $0 == 0 }.count
        report.violations = violations
        report.feasible = violations.isEmpty
        return report
    }

    /// One-line JSON of a report (sorted keys).
    public static func json(_ report: VroomCheckReport) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(report)) ?? Data(), as: UTF8.self)
    }
}
