import CGLPK

#if canImport(Glibc)
import Glibc
#endif

/// How a solve ended.
public enum SolveStatus: Sendable, Equatable, CustomStringConvertible {
    /// Proven optimal (for a MIP: within GLPK's integrality tolerance and with no gap left).
    case optimal
    /// Stopped by the time limit, the relative gap or a callback, with a feasible incumbent.
    case feasible
    case infeasible
    /// Unbounded objective (for a MIP: the LP relaxation is unbounded).
    case unbounded
    /// Stopped before any feasible point was found.
    case noSolution

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .feasible: "feasible (stopped)"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .noSolution: "no solution found"
        }
    }
}

public enum GLPKError: Error, Equatable, CustomStringConvertible {
    /// GLPK took its fatal-error path; the process survives and the message is GLPK's own.
    case fatal(String)
    /// The model's arrays are inconsistent, or GLPK rejected its data (e.g. bad bounds).
    case invalidModel(String)
    /// A solve was started from inside a callback of another solve on the same thread.
    case nestedSolve
    /// GLPK returned a failure code that is not a status (code and explanation).
    case solverFailure(code: Int, message: String)
    case io(String)

    public var description: String {
        switch self {
        case .fatal(let m): "GLPK fatal error: \(m)"
        case .invalidModel(let m): "invalid model: \(m)"
        case .nestedSolve: "a GLPK solve was started from inside a callback of another solve"
        case .solverFailure(let code, let m): "GLPK failed (code \(code)): \(m)"
        case .io(let m): "could not write model: \(m)"
        }
    }
}

/// What the search callback sees.
public enum CallbackReason: Sendable {
    /// The LP relaxation of a node is solved; lazy rows may be added (`context.addRow`).
    case relaxation
    /// A new incumbent was found.
    case incumbent
}

/// Handed to the callback for the duration of one call; never store it.
public struct CallbackContext: ~Copyable {
    public let reason: CallbackReason
    /// Column values: the node relaxation or the incumbent.
    public let values: UnsafeBufferPointer<Double>
    let handle: UnsafeMutableRawPointer?
    var rejected = 0

    /// Adds a lazy row `lower ≤ Σ a·x ≤ upper` (only while `reason == .relaxation`). Returns false
    /// when the row was refused (wrong reason, column out of range, duplicate column, non-finite).
    @discardableResult
    public mutating func addRow(_ terms: [(Model.Variable, Double)], lower: Double?, upper: Double?) -> Bool {
        guard let handle else { return false }
        let cols = terms.map { Int32($0.0.index) }
        let vals = terms.map { $0.1 }
        let (type, lb, ub) = boundType(lower ?? -.infinity, upper ?? .infinity)
        let rc = cols.withUnsafeBufferPointer { c in
            vals.withUnsafeBufferPointer { v in
                var row = cglpk_row(type: type, lb: lb, ub: ub, len: Int32(terms.count),
                                    cols: c.baseAddress, vals: v.baseAddress)
                return cglpk_cb_add_row(handle, &row)
            }
        }
        if rc != 0 { rejected += 1 }
        return rc == 0
    }
}

/// GLPK's cut generators.
public struct CutKinds: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let gomory = CutKinds(rawValue: 1)
    public static let mir = CutKinds(rawValue: 2)
    public static let cover = CutKinds(rawValue: 4)
    public static let clique = CutKinds(rawValue: 8)
    public static let all: CutKinds = [.gomory, .mir, .cover, .clique]
}

/// How branch-and-bound picks the variable to branch on (GLPK's `br_tech`).
public enum Branching: Int32, Sendable {
    /// Driebeck and Tomlin's penalties (GLPK's default): a tableau row and two ratio tests per
    /// fractional variable at every node, which dominates on models with thousands of columns.
    case driebeckTomlin = 4
    /// The most fractional variable: no work beyond reading the relaxation.
    case mostFractional = 3
}

public struct SolveOptions {
    /// Integrality on (false: solve the LP relaxation only).
    public var integer = true
    public var presolve = true
    /// Wall-clock limit in seconds (clamped to GLPK's int milliseconds); nil: none.
    public var timeLimit: Double?
    /// Stop when the relative MIP gap falls below this; nil: prove optimality.
    public var relativeGap: Double?
    public var cuts = true
    /// Which cut families `cuts` turns on (all by default).
    public var cutKinds: CutKinds = .all
    /// Feasibility pump and proximity search.
    public var heuristics = false
    /// The branching rule; GLPK's default unless a model profits from a cheaper one.
    public var branching: Branching = .driebeckTomlin
    /// A feasible point offered to branch-and-cut as the first incumbent (MIP presolve is then off).
    public var start: [Double]?
    /// Called at node relaxations and new incumbents; return true to stop the search. Turns the
    /// MIP presolver off, because it renumbers columns.
    public var callback: ((inout CallbackContext) -> Bool)?
    /// GLPK's terminal output, line by line; nil: silent.
    public var log: ((String) -> Void)?
    /// GLPK message level when `log` is set.
    public var verbose = false

    public init() {}
}

public struct Solution: Sendable {
    public let status: SolveStatus
    /// Objective of the returned point (nil without one).
    public let objective: Double?
    /// Best bound known: equal to `objective` when optimal; nil when unknown.
    public let bound: Double?
    /// Column values (empty without a point).
    public let values: [Double]
    /// Row duals of an LP solve (empty for MIP).
    public let duals: [Double]
    public let nodes: Int
    public let seconds: Double

    public subscript(_ v: Model.Variable) -> Double { values[v.index] }
    public func dual(_ c: Model.Constraint) -> Double { duals[c.index] }
    public var hasPoint: Bool { !values.isEmpty }

    /// Relative gap |objective − bound| / max(1, |objective|), nil when either is unknown.
    public var gap: Double? {
        guard let z = objective, let b = bound else { return nil }
        return abs(z - b) / max(1, abs(z))
    }
}

func boundType(_ lb: Double, _ ub: Double) -> (Int32, Double, Double) {
    switch (lb.isFinite, ub.isFinite) {
    case (false, false): (GLP_FR, 0, 0)
    case (true, false): (GLP_LO, lb, 0)
    case (false, true): (GLP_UP, 0, ub)
    case (true, true): lb == ub ? (GLP_FX, lb, ub) : (GLP_DB, lb, ub)
    }
}

/// Information about the linked GLPK library.
public enum GLPKLibrary {
    public static var version: String { String(cString: cglpk_version()) }
    /// Whether GLPK keeps its environment per thread (required for parallel solves).
    public static var isThreadLocal: Bool { cglpk_thread_local() != 0 }
}

// Boxes carried through the C `void *` contexts.
private final class LogBox {
    let sink: (String) -> Void
    var pending = ""
    init(_ sink: @escaping (String) -> Void) { self.sink = sink }
    func feed(_ s: String) {
        pending += s
        while let nl = pending.firstIndex(of: "\n") {
            sink(String(pending[..<nl]))
            pending.removeSubrange(...nl)
        }
    }
    func flush() { if !pending.isEmpty { sink(pending); pending = "" } }
}

private final class CallbackBox {
    let body: (inout CallbackContext) -> Bool
    init(_ body: @escaping (inout CallbackContext) -> Bool) { self.body = body }
}

extension Model {
    /// Solves the model. Infeasible, unbounded and stopped outcomes are statuses, not errors;
    /// errors are reserved for GLPK failures and misuse.
    public func solve(_ options: SolveOptions = SolveOptions()) throws(GLPKError) -> Solution {
        let clock = ContinuousClock()
        let started = clock.now
        let n = variableCount
        if let start = options.start, start.count != n {
            throw .invalidModel("start has \(start.count) values for \(n) variables")
        }
        if let bad = firstBadBound() { throw .invalidModel(bad) }

        var x = [Double](repeating: 0, count: n)
        let isMIP = options.integer && kinds.contains(where: { $0 != .continuous })
        var duals = [Double](repeating: 0, count: isMIP ? 0 : constraintCount)
        var result = cglpk_result()
        let logBox = options.log.map(LogBox.init)
        let cbBox = options.callback.map(CallbackBox.init)

        withFlatModel { model in
            var params = cglpk_params()
            params.mip = isMIP ? 1 : 0
            params.presolve = options.presolve ? 1 : 0
            params.time_limit_ms = options.timeLimit.map { Int32(clamping: Int(min(max($0, 0.001) * 1000, 2e9))) } ?? 0
            params.mip_gap = options.relativeGap ?? 0
            params.msg_level = options.log == nil ? GLP_MSG_OFF : (options.verbose ? GLP_MSG_ALL : GLP_MSG_ON)
            params.cuts = options.cuts ? options.cutKinds.rawValue : 0
            params.heuristics = options.heuristics ? 1 : 0
            params.branching = options.branching.rawValue
            if let logBox {
                params.log_ctx = Unmanaged.passUnretained(logBox).toOpaque()
                params.log = { ctx, text in
                    guard let ctx, let text else { return }
                    Unmanaged<LogBox>.fromOpaque(ctx).takeUnretainedValue().feed(String(cString: text))
                }
            }
            if let cbBox {
                params.callback_ctx = Unmanaged.passUnretained(cbBox).toOpaque()
                params.callback = { ctx, reason, values, count, handle in
                    guard let ctx else { return 0 }
                    let box = Unmanaged<CallbackBox>.fromOpaque(ctx).takeUnretainedValue()
                    var context = CallbackContext(
                        reason: reason == GLP_IBINGO ? .incumbent : .relaxation,
                        values: UnsafeBufferPointer(start: values, count: Int(count)),
                        handle: reason == GLP_IROWGEN ? handle : nil)
                    return box.body(&context) ? 1 : 0
                }
            }
            x.withUnsafeMutableBufferPointer { xb in
                duals.withUnsafeMutableBufferPointer { db in
                    result.x = xb.baseAddress
                    result.row_dual = db.isEmpty ? nil : db.baseAddress
                    if let start = options.start {
                        start.withUnsafeBufferPointer { sb in
                            params.start = sb.baseAddress
                            cglpk_solve(&model, &params, &result)
                        }
                    } else {
                        cglpk_solve(&model, &params, &result)
                    }
                }
            }
        }
        logBox?.flush()
        withExtendedLifetime(cbBox) {}

        let message = withUnsafeBytes(of: result.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch Int(result.code) {
        case CGLPK_OK: break
        case CGLPK_EFATAL: throw .fatal(Self.fatalSummary(message))
        case CGLPK_ENESTED: throw .nestedSolve
        case CGLPK_EMODEL: throw .invalidModel(message)
        case Int(GLP_EBOUND): throw .invalidModel("an integer column has non-integer or crossing bounds")
        default: throw .solverFailure(code: Int(result.code), message: Self.failureText(result.code))
        }
        let status: SolveStatus = switch Int(result.status) {
        case CGLPK_STATUS_OPTIMAL: .optimal
        case CGLPK_STATUS_FEASIBLE: .feasible
        case CGLPK_STATUS_INFEASIBLE: .infeasible
        case CGLPK_STATUS_UNBOUNDED: .unbounded
        case CGLPK_STATUS_NO_SOLUTION: .noSolution
        default: throw .solverFailure(code: Int(result.code), message: "GLPK left the solution undefined")
        }
        let hasPoint = status == .optimal || status == .feasible
        return Solution(
            status: status,
            objective: hasPoint ? result.objective : nil,
            bound: result.bound.isNaN ? nil : result.bound,
            values: hasPoint ? x : [],
            duals: hasPoint ? duals : [],
            nodes: Int(result.nodes),
            seconds: (clock.now - started).seconds)
    }

    /// Writes the model in CPLEX LP format, for reading by eye or by another solver.
    public func writeCPLEXLP(to path: String) throws(GLPKError) {
        var rc: Int32 = 0
        var buffer = [CChar](repeating: 0, count: 512)
        withFlatModel { model in
            rc = buffer.withUnsafeMutableBufferPointer { b in
                cglpk_write_lp(&model, path, b.baseAddress, b.count)
            }
        }
        let message = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch Int(rc) {
        case CGLPK_OK: return
        case CGLPK_EFATAL: throw .fatal(Self.fatalSummary(message))
        case CGLPK_ENESTED: throw .nestedSolve
        case CGLPK_EMODEL: throw .invalidModel(message)
        default: throw .io("\(path): \(message.split(separator: "\n").first.map(String.init) ?? "write failed")")
        }
    }

    private func firstBadBound() -> String? {
        for j in 0..<kinds.count where lower[j] > upper[j] || lower[j].isNaN || upper[j].isNaN {
            return "variable \(columnNames[j] ?? "#\(j)") has lower bound \(lower[j]) above upper bound \(upper[j])"
        }
        for i in 0..<rowLower.count where rowLower[i] > rowUpper[i] || rowLower[i].isNaN || rowUpper[i].isNaN {
            return "constraint \(rowNames[i] ?? "#\(i)") has lower bound \(rowLower[i]) above upper bound \(rowUpper[i])"
        }
        for (k, a) in entryValue.enumerated() where !a.isFinite {
            return "non-finite coefficient \(a) at entry \(k)"
        }
        for (j, c) in objective.enumerated() where !c.isFinite {
            return "non-finite objective coefficient for \(columnNames[j] ?? "#\(j)")"
        }
        return nil
    }

    /// GLPK prints "<routine>: <what>" then "Error detected in file …": keep the first part.
    static func fatalSummary(_ tail: String) -> String {
        let lines = tail.split(separator: "\n").map(String.init)
        if let k = lines.firstIndex(where: { $0.hasPrefix("Error detected in file") }) {
            return k > 0 ? lines[k - 1] : lines[k]
        }
        return lines.last ?? "unknown GLPK error"
    }

    static func failureText(_ code: Int32) -> String {
        switch code {
        case GLP_EBADB: "invalid initial basis"
        case GLP_ESING: "singular basis matrix"
        case GLP_ECOND: "ill-conditioned basis matrix"
        case GLP_EFAIL: "solver failure"
        case GLP_EROOT: "no optimal basis for the LP relaxation"
        case GLP_EOBJLL, GLP_EOBJUL: "objective limit reached"
        case GLP_EITLIM: "iteration limit reached"
        case GLP_ENOCVG: "no convergence"
        case GLP_EINSTAB: "numerical instability"
        default: "unexpected return code"
        }
    }

    /// Lays the model out as the C structure for the length of `body`.
    private func withFlatModel(_ body: (inout cglpk_model) -> Void) {
        let n = variableCount, m = constraintCount
        var colKind = [Int32](repeating: 0, count: n)
        var colType = [Int32](repeating: 0, count: n)
        var colLb = [Double](repeating: 0, count: n)
        var colUb = [Double](repeating: 0, count: n)
        for j in 0..<n {
            colKind[j] = switch kinds[j] {
            case .continuous: Int32(CGLPK_CONTINUOUS)
            case .integer: Int32(CGLPK_INTEGER)
            case .binary: Int32(CGLPK_BINARY)
            }
            (colType[j], colLb[j], colUb[j]) = boundType(lower[j], upper[j])
        }
        var rowType = [Int32](repeating: 0, count: m)
        var rowLb = [Double](repeating: 0, count: m)
        var rowUb = [Double](repeating: 0, count: m)
        for i in 0..<m { (rowType[i], rowLb[i], rowUb[i]) = boundType(rowLower[i], rowUpper[i]) }

        // Names live as C strings for the duration of the call.
        let colNamePtrs: [UnsafeMutablePointer<CChar>?] = columnNames.map { $0.flatMap { strdup($0) } }
        let rowNamePtrs: [UnsafeMutablePointer<CChar>?] = rowNames.map { $0.flatMap { strdup($0) } }
        let namePtr = name.flatMap { strdup($0) }
        defer {
            colNamePtrs.forEach { free($0) }
            rowNamePtrs.forEach { free($0) }
            free(namePtr)
        }
        let hasColNames = columnNames.contains { $0 != nil }
        let hasRowNames = rowNames.contains { $0 != nil }

        objective.withUnsafeBufferPointer { obj in
        colKind.withUnsafeBufferPointer { ck in
        colType.withUnsafeBufferPointer { ct in
        colLb.withUnsafeBufferPointer { cl in
        colUb.withUnsafeBufferPointer { cu in
        rowType.withUnsafeBufferPointer { rt in
        rowLb.withUnsafeBufferPointer { rl in
        rowUb.withUnsafeBufferPointer { ru in
        rowStart.withUnsafeBufferPointer { rs in
        entryColumn.withUnsafeBufferPointer { ec in
        entryValue.withUnsafeBufferPointer { ev in
        colNamePtrs.withUnsafeBufferPointer { cn in
        rowNamePtrs.withUnsafeBufferPointer { rn in
            var model = cglpk_model()
            model.nrows = Int32(m)
            model.ncols = Int32(n)
            model.maximize = sense == .maximize ? 1 : 0
            model.obj_const = objectiveConstant
            model.obj = obj.baseAddress
            model.col_kind = ck.baseAddress
            model.col_type = ct.baseAddress
            model.col_lb = cl.baseAddress
            model.col_ub = cu.baseAddress
            model.row_type = rt.baseAddress
            model.row_lb = rl.baseAddress
            model.row_ub = ru.baseAddress
            model.row_start = rs.baseAddress
            model.entry_col = ec.baseAddress
            model.entry_val = ev.baseAddress
            cn.withMemoryRebound(to: UnsafePointer<CChar>?.self) { cnc in
                rn.withMemoryRebound(to: UnsafePointer<CChar>?.self) { rnc in
                    model.col_names = hasColNames ? cnc.baseAddress : nil
                    model.row_names = hasRowNames ? rnc.baseAddress : nil
                    model.name = UnsafePointer(namePtr)
                    body(&model)
                }
            }
        }}}}}}}}}}}}}
    }
}

extension Duration {
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
    }
}
