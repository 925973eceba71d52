/// One solution of the genetic search: routes per vehicle slot, clients left out, its cost parts
/// and the successor/predecessor arrays used by the broken-pairs distance.
final class Individual {
    var routes: SlotRoutes
    var unrouted: [Int]
    /// Cost without penalties: fixed, distance and duration costs, penalties of clients left out.
    var objective: Int
    var excessLoad: Int
    var timeWarp: Int
    var penalised: Double
    var succ: [Int32]
    var pred: [Int32]
    let sd: SearchData
    /// Giant tour for crossover, built on first use: the iterated search never reads it.
    lazy var giant: [Int] = makeGiant()
    /// Broken-pairs distance to the others of its subpopulation, ascending.
    var proximity: [(Double, ObjectIdentifier)] = []
    var biasedFitness = 0.0

    var isFeasible: Bool { excessLoad == 0 && timeWarp == 0 }

    init(_ sd: SearchData, routes: SlotRoutes, unrouted: [Int], _ w: Penalties) {
        self.sd = sd
        self.routes = routes
        self.unrouted = unrouted
        var obj = 0, ex = 0, tw = 0
        var s = [Int32](repeating: -2, count: sd.locations)
        var p = [Int32](repeating: -2, count: sd.locations)
        for (slot, seq) in routes.enumerated() where !seq.isEmpty {
            let t = sd.slotType[slot]
            var prev: Int32 = -1
            for l in seq {
                if l < sd.depots {
                    if prev >= 0 { s[Int(prev)] = -1 }
                    prev = -1
                } else {
                    p[l] = prev
                    if prev >= 0 { s[Int(prev)] = Int32(l) }
                    prev = Int32(l)
                }
            }
            if prev >= 0 { s[Int(prev)] = -1 }
            let route = sd.totals(seq, type: t)
            guard route.clients > 0 else { continue }
            obj += sd.fixedCost[t] + sd.arcCost(distance: route.distance, travel: route.travel, type: t)
            ex += route.excessLoad
            if sd.hasTimes {
                obj += sd.durCost[t] * route.duration
                tw += route.timeWarp + max(0, route.duration - sd.maxDuration[t])
            }
        }
        for u in unrouted { obj += Int(sd.dropPenalty[u]) }
        objective = obj
        excessLoad = ex
        timeWarp = tw
        penalised = 0
        succ = s
        pred = p
        penalised = penalised(under: w)
    }

    private func makeGiant() -> [Int] {
        // Giant tour: routes in order of the polar angle of their barycentre (as HGS-CVRP does),
        // so that Split sees neighbouring routes next to each other; left-out clients last.
        var keyed: [(Double, [Int])] = []
        for seq in routes where !seq.isEmpty {
            var x = 0.0, y = 0.0, k = 0.0
            for l in seq where l >= sd.depots {
                x += sd.data.clients[l - sd.depots].x; y += sd.data.clients[l - sd.depots].y; k += 1
            }
            keyed.append((k > 0 ? atan2(y / k, x / k) : 0, seq.filter { $0 >= sd.depots }))
        }
        keyed.sort { $0.0 < $1.0 }
        return keyed.flatMap(\.1) + unrouted
    }

    /// Cost with the infeasibility penalised under weights w.
    func penalised(under w: Penalties) -> Double {
        Double(objective) + w.load * Double(excessLoad) + w.time * Double(timeWarp)
    }

    func reprice(_ w: Penalties) { penalised = penalised(under: w) }

    /// Broken-pairs distance (Prins 2009; as in HGS-CVRP): share of clients whose neighbours differ.
    func distance(to o: Individual, _ sd: SearchData) -> Double {
        var diff = 0
        for c in sd.active {
            if succ[c] != o.succ[c] && succ[c] != o.pred[c] { diff += 1 }
            if pred[c] == -1 && o.pred[c] != -1 && o.succ[c] != -1 { diff += 1 }
        }
        return Double(diff) / Double(max(1, sd.active.count))
    }

    func averageClosest(_ k: Int) -> Double {
        let m = min(k, proximity.count)
        guard m > 0 else { return 0 }
        var s = 0.0
        for i in 0..<m { s += proximity[i].0 }
        return s / Double(m)
    }
}

import Foundation
