/// A linear or mixed-integer model, built in Swift and handed to GLPK only for the length of one
/// call (`solve`, `writeCPLEXLP`).
///
/// Threads: `Model` is a plain value and `Sendable`. GLPK's own problem object never escapes a
/// call: it is created, solved and freed on the calling thread inside one C function, under an
/// error guard. GLPK keeps its state per thread, so solves on different threads run in parallel
/// safely. A solve must not be started from inside a callback of another solve (that is refused
/// with `GLPKError.nestedSolve`).
public struct Model: Sendable {
    public enum Sense: Sendable { case minimize, maximize }
    public enum Kind: Sendable { case continuous, integer, binary }

    /// A handle to a column of this model.
    public struct Variable: Hashable, Sendable, Comparable {
        public let index: Int
        public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
    }

    /// A handle to a row of this model.
    public struct Constraint: Hashable, Sendable {
        public let index: Int
    }

    public var name: String?
    public var sense: Sense
    public var objectiveConstant: Double = 0

    var columnNames: [String?] = []
    var kinds: [Kind] = []
    var lower: [Double] = []   // -infinity = no lower bound
    var upper: [Double] = []   // +infinity = no upper bound
    var objective: [Double] = []

    var rowNames: [String?] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    var rowStart: [Int32] = [0]
    var entryColumn: [Int32] = []
    var entryValue: [Double] = []

    public init(name: String? = nil, sense: Sense = .minimize) {
        self.name = name
        self.sense = sense
    }

    public var variableCount: Int { kinds.count }
    public var constraintCount: Int { rowLower.count }
    public var nonzeroCount: Int { entryValue.count }

    /// Adds a column. `nil` bounds mean unbounded on that side; a binary column is clamped to [0, 1].
    @discardableResult
    public mutating func addVariable(
        _ name: String? = nil, kind: Kind = .continuous,
        lower: Double? = 0, upper: Double? = nil, objective: Double = 0
    ) -> Variable {
        let v = Variable(index: kinds.count)
        columnNames.append(name)
        kinds.append(kind)
        if kind == .binary {
            self.lower.append(max(lower ?? 0, 0))
            self.upper.append(min(upper ?? 1, 1))
        } else {
            self.lower.append(lower ?? -.infinity)
            self.upper.append(upper ?? .infinity)
        }
        self.objective.append(objective)
        return v
    }

    public mutating func setObjective(_ v: Variable, _ coefficient: Double) {
        objective[v.index] = coefficient
    }

    public mutating func setBounds(_ v: Variable, lower: Double?, upper: Double?) {
        self.lower[v.index] = lower ?? -.infinity
        self.upper[v.index] = upper ?? .infinity
    }

    public func bounds(of v: Variable) -> (lower: Double?, upper: Double?) {
        (lower[v.index].isFinite ? lower[v.index] : nil, upper[v.index].isFinite ? upper[v.index] : nil)
    }

    public func kind(of v: Variable) -> Kind { kinds[v.index] }

    /// Adds the row `lower ≤ Σ coefficient·x ≤ upper`. Terms on the same variable are summed and
    /// zero coefficients dropped, so GLPK never sees a duplicate index.
    @discardableResult
    public mutating func addConstraint(
        _ terms: [(Variable, Double)], lower: Double?, upper: Double?, name: String? = nil
    ) -> Constraint {
        let c = Constraint(index: rowLower.count)
        rowNames.append(name)
        rowLower.append(lower ?? -.infinity)
        rowUpper.append(upper ?? .infinity)
        if terms.count <= 16 {
            // Small rows: quadratic merge, no allocation of a dictionary.
            var merged: [(Int, Double)] = []
            merged.reserveCapacity(terms.count)
            for (v, a) in terms {
                if let k = merged.firstIndex(where: { $0.0 == v.index }) { merged[k].1 += a } else {
                    merged.append((v.index, a))
                }
            }
            for (j, a) in merged where a != 0 {
                entryColumn.append(Int32(j))
                entryValue.append(a)
            }
        } else {
            var sums: [Int: Double] = [:]
            var order: [Int] = []
            for (v, a) in terms {
                if sums[v.index] == nil { order.append(v.index) }
                sums[v.index, default: 0] += a
            }
            for j in order where sums[j]! != 0 {
                entryColumn.append(Int32(j))
                entryValue.append(sums[j]!)
            }
        }
        rowStart.append(Int32(entryValue.count))
        return c
    }

    @discardableResult
    public mutating func addConstraint(_ terms: [(Variable, Double)], lessOrEqual rhs: Double, name: String? = nil) -> Constraint {
        addConstraint(terms, lower: nil, upper: rhs, name: name)
    }

    @discardableResult
    public mutating func addConstraint(_ terms: [(Variable, Double)], greaterOrEqual rhs: Double, name: String? = nil) -> Constraint {
        addConstraint(terms, lower: rhs, upper: nil, name: name)
    }

    @discardableResult
    public mutating func addConstraint(_ terms: [(Variable, Double)], equal rhs: Double, name: String? = nil) -> Constraint {
        addConstraint(terms, lower: rhs, upper: rhs, name: name)
    }

    /// The objective value of a point, computed in Swift (used to check incumbents).
    public func objectiveValue(_ x: [Double]) -> Double {
        var z = objectiveConstant
        for j in 0..<objective.count { z += objective[j] * x[j] }
        return z
    }

    /// The largest violation of a bound, a row or integrality at `x` (0 for a feasible point).
    public func maxViolation(_ x: [Double]) -> Double {
        var worst = 0.0
        for j in 0..<kinds.count {
            worst = max(worst, lower[j] - x[j], x[j] - upper[j])
            if kinds[j] != .continuous { worst = max(worst, abs(x[j] - x[j].rounded())) }
        }
        for i in 0..<rowLower.count {
            var a = 0.0
            for k in Int(rowStart[i])..<Int(rowStart[i + 1]) { a += entryValue[k] * x[Int(entryColumn[k])] }
            worst = max(worst, rowLower[i] - a, a - rowUpper[i])
        }
        return worst
    }
}
