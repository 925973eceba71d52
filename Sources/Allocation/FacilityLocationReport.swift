#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON answer of `lastmile allocate`: money in the input's units (the solver's integer
/// units divided by `costScale`), indices 0-based in file order.
///
///     {"status": "optimal", "objective": 1040444.375, "bound": 1040444.375, "gap": 0,
///      "sourcing": "split", "seconds": 0.1, "open": [0, 3],
///      "assignment": [{"customer": 0, "warehouse": 3, "fraction": 1}, …]}
///
/// `assignment` lists every customer's shares, by customer then warehouse.
public struct FacilityLocationReport: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var customer: Int
        public var warehouse: Int
        public var fraction: Double
    }

    public var status: FacilityLocationResult.Status
    public var objective: Double?
    public var bound: Double?
    public var gap: Double?
    public var sourcing: FacilityLocationProblem.Sourcing
    public var seconds: Double
    public var open: [Int]
    public var assignment: [Entry]

    public init(_ result: FacilityLocationResult, problem: FacilityLocationProblem, costScale: Int64 = 1) {
        let scale = Double(costScale)
        status = result.status
        objective = result.objective.map { $0 / scale }
        bound = result.bound.map { $0 / scale }
        gap = result.gap
        sourcing = problem.sourcing
        seconds = result.seconds
        open = result.solution?.openFacilities ?? []
        assignment = result.solution.map { s in
            s.assignment.enumerated().flatMap { j, shares in
                shares.map { Entry(customer: j, warehouse: $0.facility, fraction: $0.fraction) }
            }
        } ?? []
    }

    /// The solution this report describes, for a problem with `facilities` facilities and
    /// `customers` customers; nil when an index is out of range.
    public func solution(facilities: Int, customers: Int) -> FacilityLocationSolution? {
        var openFlags = [Bool](repeating: false, count: facilities)
        for i in open {
            guard i >= 0 && i < facilities else { return nil }
            openFlags[i] = true
        }
        var shares: [[FacilityLocationSolution.Share]] = Array(repeating: [], count: customers)
        for e in assignment {
            guard e.customer >= 0 && e.customer < customers && e.warehouse >= 0 && e.warehouse < facilities else { return nil }
            shares[e.customer].append(.init(facility: e.warehouse, fraction: e.fraction))
        }
        return FacilityLocationSolution(open: openFlags, assignment: shares)
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> FacilityLocationReport {
        try JSONDecoder().decode(FacilityLocationReport.self, from: data)
    }
}
