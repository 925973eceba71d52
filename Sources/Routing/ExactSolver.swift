import GLPK

/// Exact solver for small instances: enumerates every feasible route of every vehicle type
/// (elementary paths with resource labels on distance and time, dominance-pruned), then solves
/// the set-partitioning model over all of them with GLPK. The optimum of this model is the
/// optimum of the instance, so tests use it as an oracle for the heuristics.
///
/// Supports time windows, service times, shifts, capacities in every dimension (deliveries and
/// simultaneous pickups: the load on board holds at every point), heterogeneous
/// fleets (fixed cost, cost per distance, counts), several depots, allowed vehicle types and
/// optional clients. Not supported (throws): cost per duration, finite maximum route duration
/// and several trips per vehicle. Exponential in the number of clients: meant for ≤ 15.
public struct ExactSolver: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLarge(Int)
        case unsupported(String)
        case solver(String)
        public var description: String {
            switch self {
            case .tooLarge(let n): "the exact model handles at most 15 clients, got \(n)"
            case .unsupported(let what): "the exact model does not support \(what)"
            case .solver(let m): "GLPK: \(m)"
            }
        }
    }

    public struct Result: Sendable {
        public var solution: Solution
        public var cost: Int
        /// Value of the LP relaxation of the set-partitioning model (a lower bound).
        public var lpBound: Double
        public var routesEnumerated: Int
    }

    public init() {}

    public func solve(_ data: ProblemData, relaxationOnly: Bool = false) throws(Failure) -> Result {
        let n = data.clients.count
        guard n <= 15 else { throw .tooLarge(n) }
        for vt in data.vehicleTypes {
            if vt.durationCost != 0 { throw .unsupported("a cost per duration") }
            if vt.maxDuration < .max / 8 { throw .unsupported("a maximum route duration") }
            if vt.maxTrips > 1 && vt.count > 0 { throw .unsupported("several trips per vehicle") }
        }
        struct Column { var type: Int; var clients: [Int]; var cost: Int }
        var columns: [Column] = []
        for (t, vt) in data.vehicleTypes.enumerated() where vt.count > 0 {
            for (mask, (cost, order)) in enumerate(data, type: t) {
                _ = mask
                columns.append(Column(type: t, clients: order, cost: cost))
            }
        }
        var model = Model(name: "exact-set-partitioning")
        var cover = [[(Model.Variable, Double)]](repeating: [], count: n)
        var perType = [[(Model.Variable, Double)]](repeating: [], count: data.vehicleTypes.count)
        var x: [Model.Variable] = []
        for col in columns {
            let v = model.addVariable(kind: .binary, objective: Double(col.cost))
            x.append(v)
            for c in col.clients { cover[c].append((v, 1)) }
            perType[col.type].append((v, 1))
        }
        var leftOut: [Int: Model.Variable] = [:]
        for c in 0..<n {
            // Optional clients may stay out for their penalty; so may required ones that no
            // vehicle can serve (they are reported, as the heuristics do).
            let unservable = data.whyUnservableAlone(c) != nil
            if !data.clients[c].required || unservable {
                let s = model.addVariable(kind: .binary, objective: Double(data.clients[c].required ? 0 : data.clients[c].penalty))
                leftOut[c] = s
                cover[c].append((s, 1))
            }
            model.addConstraint(cover[c], equal: 1)
        }
        for t in data.vehicleTypes.indices where !perType[t].isEmpty {
            model.addConstraint(perType[t], lessOrEqual: Double(data.vehicleTypes[t].count))
        }
        var lpOptions = SolveOptions()
        lpOptions.integer = false
        let lp: GLPK.Solution
        do { lp = try model.solve(lpOptions) } catch { throw .solver(error.description) }
        let bound = lp.objective ?? .infinity
        if relaxationOnly {
            return Result(solution: Solution(routes: []), cost: 0, lpBound: bound, routesEnumerated: columns.count)
        }
        let mip: GLPK.Solution
        do { mip = try model.solve() } catch { throw .solver(error.description) }
        guard mip.status == .optimal else { throw .solver("set partitioning ended \(mip.status)") }
        var routes: [Route] = []
        for (k, col) in columns.enumerated() where mip.values[x[k].index] > 0.5 {
            routes.append(Route(vehicleType: col.type, clients: col.clients))
        }
        let solution = Solution(routes: routes)
        return Result(solution: solution, cost: data.evaluate(solution).cost, lpBound: bound, routesEnumerated: columns.count)
    }

    /// Cheapest feasible order of every feasible client set for vehicle type t: labels
    /// (arc cost, ready time) per (set, last client), keeping only non-dominated ones.
    func enumerate(_ data: ProblemData, type t: Int) -> [Int: (Int, [Int])] {
        let vt = data.vehicleTypes[t]
        let n = data.clients.count
        let dep = data.location(ofDepot: vt.depot)
        let open = max(vt.shiftStart, data.depots[vt.depot].earliest)
        let close = min(vt.shiftEnd, data.depots[vt.depot].latest)
        // What this type pays for an arc: distance and travel time at its own rates.
        func arc(_ i: Int, _ j: Int) -> Int { vt.distanceCost * data.distance[i, j] + vt.travelCost * data.duration[i, j] }
        // `peak`: the most on board so far (delivery and pickup, see `DeliveryPickupLoad`); with the set's
        // pickups it decides whether an extension fits. Labels of one set and last client are
        // compared on arc cost, ready time and peak.
        struct Label { var cost: Int; var time: Int; var peak: [Int]; var order: [Int] }
        var labels: [Int: [[Label]]] = [:]   // mask → per last client
        var best: [Int: (Int, [Int])] = [:]
        var pickedUp = [Int: [Int]]()   // set → its pickups
        func fits(_ q: [Int]) -> Bool { zip(q, vt.capacity).allSatisfy { $0 <= $1 } }
        func dominates(_ a: Label, _ b: Label) -> Bool {
            a.cost <= b.cost && a.time <= b.time && zip(a.peak, b.peak).allSatisfy { $0 <= $1 }
        }
        var frontier: [Int] = []
        for c in 0..<n where data.allows(t, c) {
            let loc = data.location(ofClient: c)
            let cl = data.clients[c]
            let start = max(open + data.duration[dep, loc], cl.earliest)
            let peak = zip(cl.demand, cl.pickup).map { max($0, $1) }
            guard start <= cl.latest, fits(peak) else { continue }
            let mask = 1 << c
            var per = [[Label]](repeating: [], count: n)
            per[c] = [Label(cost: arc(dep, loc), time: start + cl.serviceDuration, peak: peak, order: [c])]
            labels[mask] = per
            pickedUp[mask] = cl.pickup
            frontier.append(mask)
        }
        var size = 1
        while !frontier.isEmpty {
            var next = Set<Int>()
            for mask in frontier {
                guard let per = labels[mask] else { continue }
                // Close the route.
                for last in 0..<n {
                    let lastLoc = data.location(ofClient: last)
                    for l in per[last] where l.time + data.duration[lastLoc, dep] <= close {
                        let cost = vt.fixedCost + l.cost + arc(lastLoc, dep)
                        if best[mask] == nil || cost < best[mask]!.0 { best[mask] = (cost, l.order) }
                    }
                }
                // Extend.
                for c in 0..<n where mask & (1 << c) == 0 && data.allows(t, c) {
                    let loc = data.location(ofClient: c)
                    let cl = data.clients[c]
                    let before = pickedUp[mask]!
                    let m2 = mask | (1 << c)
                    for last in 0..<n {
                        let lastLoc = data.location(ofClient: last)
                        for l in per[last] {
                            let start = max(l.time + data.duration[lastLoc, loc], cl.earliest)
                            guard start <= cl.latest else { continue }
                            // peak(σ ⊕ c) = max(peak(σ) + delivery(c), pickup(σ) + max(delivery(c), pickup(c)))
                            let peak = (0..<data.dimensions).map { max(l.peak[$0] + cl.demand[$0], before[$0] + max(cl.demand[$0], cl.pickup[$0])) }
                            guard fits(peak) else { continue }
                            let label = Label(cost: l.cost + arc(lastLoc, loc), time: start + cl.serviceDuration, peak: peak, order: l.order + [c])
                            var set = labels[m2] ?? [[Label]](repeating: [], count: n)
                            if set[c].contains(where: { dominates($0, label) }) { continue }
                            set[c].removeAll { dominates(label, $0) }
                            set[c].append(label)
                            labels[m2] = set
                            pickedUp[m2] = zip(before, cl.pickup).map { $0 + $1 }
                            next.insert(m2)
                        }
                    }
                }
                labels[mask] = nil  // every extension of this set is done
            }
            frontier = next.sorted()
            size += 1
        }
        return best
    }
}
