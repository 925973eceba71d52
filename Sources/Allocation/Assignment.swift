import GLPK

/// Generalised assignment of points to facilities with multi-dimensional capacities, solved as a
/// MIP with GLPK. Knows nothing about pickup points or warehouses: points have a demand per
/// capacity dimension and a cost per facility (nil: not allowed); a point whose previous
/// facility is given pays `changePenalty` to move. A point may stay unassigned at its
/// `unassignedPenalty`, so the model is always feasible and tight capacity never fails it.
///
///     min Σ (c_pf + change_pf)·x_pf + Σ P_p·u_p
///     s.t. Σ_f x_pf + u_p = 1            for every point p
///          Σ_p d_pk·x_pf ≤ C_fk           for every facility f and dimension k
///          x, u binary
public struct AssignmentProblem: Sendable {
    public struct Point: Sendable {
        public var demand: [Int]
        /// Cost of serving the point from each facility; nil where it may not be served.
        public var costs: [Int?]
        public var previous: Int?
        public var unassignedPenalty: Int
        public init(demand: [Int], costs: [Int?], previous: Int? = nil, unassignedPenalty: Int) {
            self.demand = demand
            self.costs = costs
            self.previous = previous
            self.unassignedPenalty = unassignedPenalty
        }
    }

    public var points: [Point]
    /// Capacity of each facility per dimension.
    public var capacities: [[Int]]
    public var changePenalty: Int

    public init(points: [Point], capacities: [[Int]], changePenalty: Int = 0) {
        self.points = points
        self.capacities = capacities
        self.changePenalty = changePenalty
    }

    public var dimensions: Int { capacities.first?.count ?? 0 }

    /// Cost of point p at facility f, change penalty included; nil if not allowed.
    public func cost(_ p: Int, _ f: Int) -> Int? {
        guard let c = points[p].costs[f] else { return nil }
        if let prev = points[p].previous, prev != f { return c + changePenalty }
        return c
    }

    /// Objective of an assignment (nil entries: unassigned), or nil if it breaks a rule.
    public func objective(_ facilityOf: [Int?]) -> Int? {
        var load = capacities.map { $0.map { _ in 0 } }
        var z = 0
        for (p, f) in facilityOf.enumerated() {
            guard let f else { z += points[p].unassignedPenalty; continue }
            guard let c = cost(p, f) else { return nil }
            z += c
            for k in 0..<dimensions { load[f][k] += points[p].demand[k] }
        }
        for f in capacities.indices {
            for k in 0..<dimensions where load[f][k] > capacities[f][k] { return nil }
        }
        return z
    }
}

public struct AssignmentResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable { case optimal, feasible }
    public enum Unassigned: Sendable, Equatable {
        /// No facility may serve the point.
        case noAllowedFacility
        /// Allowed facilities had no capacity left (or keeping it out was cheaper than its penalty).
        case capacity
    }
    public var facilityOf: [Int?]
    public var objective: Int
    public var status: Status
    /// Why each unassigned point is out, by point index.
    public var unassigned: [Int: Unassigned]
}

public enum AssignmentError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case solver(String)
    public var description: String {
        switch self {
        case .invalid(let m): "invalid assignment problem: \(m)"
        case .solver(let m): "assignment MIP failed: \(m)"
        }
    }
}

extension AssignmentProblem {
    /// Solves the MIP. Every allowed point-facility pair is a binary column. `timeLimit` stops
    /// branch-and-cut with the best assignment found (status `.feasible`).
    public func solve(timeLimit: Double? = 30) throws(AssignmentError) -> AssignmentResult {
        let dims = dimensions
        for (f, c) in capacities.enumerated() where c.count != dims || c.contains(where: { $0 < 0 }) {
            throw .invalid("facility \(f): capacities must have \(dims) non-negative values")
        }
        for (p, pt) in points.enumerated() {
            guard pt.demand.count == dims, pt.demand.allSatisfy({ $0 >= 0 }) else {
                throw .invalid("point \(p): demand must have \(dims) non-negative values")
            }
            guard pt.costs.count == capacities.count else { throw .invalid("point \(p): one cost per facility expected") }
            if let prev = pt.previous, prev < 0 || prev >= capacities.count { throw .invalid("point \(p): previous facility out of range") }
        }

        var model = Model(name: "assignment")
        var x: [[(f: Int, v: Model.Variable)]] = []
        var u: [Model.Variable] = []
        for p in points.indices {
            var row: [(Int, Model.Variable)] = []
            for f in capacities.indices {
                if let c = cost(p, f) { row.append((f, model.addVariable(kind: .binary, objective: Double(c)))) }
            }
            x.append(row)
            let up = model.addVariable(kind: .binary, objective: Double(points[p].unassignedPenalty))
            u.append(up)
            model.addConstraint(row.map { ($0.1, 1.0) } + [(up, 1.0)], equal: 1)
        }
        for f in capacities.indices {
            for k in 0..<dims {
                var terms: [(Model.Variable, Double)] = []
                for p in points.indices {
                    if let v = x[p].first(where: { $0.f == f })?.v, points[p].demand[k] > 0 {
                        terms.append((v, Double(points[p].demand[k])))
                    }
                }
                if !terms.isEmpty { model.addConstraint(terms, lessOrEqual: Double(capacities[f][k])) }
            }
        }

        // No point may go anywhere: nothing to decide (and GLPK's MIP presolver, left with no
        // column once every point's row fixes its "unassigned" variable, stops with a fatal error).
        if x.allSatisfy(\.isEmpty) {
            let none = points.map { _ -> Int? in nil }
            return AssignmentResult(facilityOf: none, objective: objective(none) ?? 0, status: .optimal, unassigned: Dictionary(uniqueKeysWithValues: points.indices.map { ($0, .noAllowedFacility) }))
        }
        var options = SolveOptions()
        options.timeLimit = timeLimit
        let solution: GLPK.Solution
        do {
            solution = try model.solve(options)
        } catch {
            // GLPK's MIP presolver can reduce a model to no column at all (every point's row
            // fixing its "unassigned" variable) and then stops with a fatal error; solve it as it is.
            options.presolve = false
            do { solution = try model.solve(options) } catch { throw .solver(error.description) }
        }
        let status: AssignmentResult.Status
        switch solution.status {
        case .optimal: status = .optimal
        case .feasible: status = .feasible
        default: throw .solver("GLPK ended with status \(solution.status)")
        }
        var facilityOf: [Int?] = []
        var unassigned: [Int: AssignmentResult.Unassigned] = [:]
        for p in points.indices {
            let f = x[p].first(where: { solution[$0.v] > 0.5 })?.f
            facilityOf.append(f)
            if f == nil { unassigned[p] = x[p].isEmpty ? .noAllowedFacility : .capacity }
        }
        guard let z = objective(facilityOf) else { throw .solver("GLPK returned an assignment that breaks a capacity") }
        return AssignmentResult(facilityOf: facilityOf, objective: z, status: status, unassigned: unassigned)
    }
}
