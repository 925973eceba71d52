import GLPK

/// The best assignment for a fixed set of open facilities: for split sourcing a transportation
/// LP (solved by GLPK's simplex), for single sourcing a generalized assignment problem (greedy
/// by regret, Martello & Toth 1981, then improving shifts). Facilities left without load are
/// closed (fixed costs are non-negative), unless forced open.
extension FacilityLocationProblem {
    /// nil when the open facilities cannot serve every customer (or, for single sourcing, when
    /// the greedy finds no feasible assignment).
    func assignment(open: [Bool]) throws(FacilityLocationError) -> FacilityLocationSolution? {
        switch sourcing {
        case .split: try transportation(open: open)
        case .single: greedySingleSource(open: open)
        }
    }

    private func transportation(open: [Bool]) throws(FacilityLocationError) -> FacilityLocationSolution? {
        let m = facilityCount, n = customerCount
        var model = Model(name: "transport")
        var x: [[(Int, Model.Variable)]] = Array(repeating: [], count: n)
        var rows: [[(Model.Variable, Double)]] = Array(repeating: [], count: m)
        var shares: [[FacilityLocationSolution.Share]] = Array(repeating: [], count: n)
        for j in 0..<n {
            if demands[j] == 0 {
                // No capacity used: the cheapest allowed open facility.
                var best: (Int64, Int)?
                for i in 0..<m where open[i] {
                    if let c = cost(i, j), best == nil || c < best!.0 { best = (c, i) }
                }
                guard let best else { return nil }
                shares[j] = [.init(facility: best.1, fraction: 1)]
                continue
            }
            for i in 0..<m where open[i] {
                guard let c = cost(i, j) else { continue }
                let v = model.addVariable(kind: .continuous, lower: 0, upper: 1, objective: Double(c))
                x[j].append((i, v))
                rows[i].append((v, Double(demands[j])))
            }
            guard !x[j].isEmpty else { return nil }
            model.addConstraint(x[j].map { ($0.1, 1.0) }, equal: 1)
        }
        for i in 0..<m where open[i] && !rows[i].isEmpty {
            model.addConstraint(rows[i], lessOrEqual: Double(facilities[i].capacity))
        }
        let s: Solution
        do { s = try model.solve() } catch { throw .solver(error.description) }
        guard s.status == .optimal else { return nil }
        for j in 0..<n where !x[j].isEmpty {
            shares[j] = normalisedShares(x[j].map { ($0.0, s[$0.1]) })
        }
        return closingUnused(FacilityLocationSolution(open: open, assignment: shares))
    }

    /// Greedy by regret (the gap between a customer's best and second-best facility with room),
    /// then shifts of single customers to cheaper facilities with room.
    func greedySingleSource(open: [Bool]) -> FacilityLocationSolution? {
        let m = facilityCount, n = customerCount
        var room = facilities.map { $0.capacity }
        for i in 0..<m where !open[i] { room[i] = -1 }
        var facilityOf = [Int](repeating: -1, count: n)
        var left = Set(0..<n)
        while !left.isEmpty {
            var pick: (regret: Int64, customer: Int, facility: Int)?
            for j in left {
                var first: (Int64, Int)?, second: Int64?
                for i in 0..<m where room[i] >= demands[j] {
                    guard let c = cost(i, j) else { continue }
                    if first == nil || c < first!.0 {
                        second = first?.0
                        first = (c, i)
                    } else if second == nil || c < second! {
                        second = c
                    }
                }
                guard let first else { return nil }
                let regret = second.map { $0 - first.0 } ?? .max
                if pick == nil || regret > pick!.regret || (regret == pick!.regret && j < pick!.customer) {
                    pick = (regret, j, first.1)
                }
            }
            let (_, j, i) = pick!
            facilityOf[j] = i
            room[i] -= demands[j]
            left.remove(j)
        }
        var improved = true
        while improved {
            improved = false
            for j in 0..<n {
                let here = facilityOf[j]
                let now = cost(here, j)!
                for i in 0..<m where i != here && room[i] >= demands[j] {
                    if let c = cost(i, j), c < now {
                        room[here] += demands[j]
                        room[i] -= demands[j]
                        facilityOf[j] = i
                        improved = true
                        break
                    }
                }
            }
        }
        return closingUnused(FacilityLocationSolution(open: open, facilityOf: facilityOf))
    }

    private func closingUnused(_ s: FacilityLocationSolution) -> FacilityLocationSolution {
        var used = [Bool](repeating: false, count: facilityCount)
        for shares in s.assignment { for sh in shares { used[sh.facility] = true } }
        var out = s
        for i in 0..<facilityCount where out.open[i] && !used[i] && facilities[i].status != .forcedOpen {
            out.open[i] = false
        }
        return out
    }
}
