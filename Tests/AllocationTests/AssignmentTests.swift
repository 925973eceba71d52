import Routing
import Testing

@testable import Allocation

@Suite struct AssignmentTests {
    /// Optimum by enumerating every assignment (each point: an allowed facility or none).
    func bruteForce(_ p: AssignmentProblem) -> Int {
        var best = Int.max
        var choice = [Int?](repeating: nil, count: p.points.count)
        func go(_ k: Int) {
            if k == p.points.count {
                if let z = p.objective(choice) { best = min(best, z) }
                return
            }
            for f in [nil] + p.capacities.indices.map({ Optional($0) }) {
                if let f, p.points[k].costs[f] == nil { continue }
                choice[k] = f
                go(k + 1)
            }
            choice[k] = nil
        }
        go(0)
        return best
    }

    func random(_ rng: inout RNG, points n: Int, facilities m: Int) -> AssignmentProblem {
        let points = (0..<n).map { _ in
            AssignmentProblem.Point(
                demand: [1 + rng.below(9), rng.below(5)],
                costs: (0..<m).map { _ in rng.below(6) == 0 ? nil : 10 + rng.below(90) },
                previous: rng.below(3) == 0 ? nil : rng.below(m),
                unassignedPenalty: 150 + rng.below(200))
        }
        // Tight: total capacity about two thirds of total demand, so some points stay out.
        let total = points.reduce(0) { $0 + $1.demand[0] }
        let capacities = (0..<m).map { _ in [total * 2 / (3 * m) + rng.below(6), 4 + rng.below(8)] }
        return AssignmentProblem(points: points, capacities: capacities, changePenalty: rng.below(40))
    }

    @Test func matchesBruteForceOnSmallRandomInstances() throws {
        var rng = RNG(seed: 2025)
        var sawUnassigned = false, sawMove = false
        for _ in 0..<40 {
            let p = random(&rng, points: 2 + rng.below(6), facilities: 2 + rng.below(2))
            let r = try p.solve()
            #expect(r.status == .optimal)
            #expect(r.objective == bruteForce(p))
            #expect(p.objective(r.facilityOf) == r.objective)
            sawUnassigned = sawUnassigned || r.facilityOf.contains(nil)
            sawMove = sawMove || p.points.indices.contains { i in
                if let prev = p.points[i].previous, let f = r.facilityOf[i] { return f != prev } else { return false }
            }
        }
        // The instances exercise both the penalty and the stability term.
        #expect(sawUnassigned && sawMove)
    }

    @Test func stabilityPenaltyKeepsYesterdaysFacility() throws {
        let point = AssignmentProblem.Point(demand: [1], costs: [100, 90], previous: 0, unassignedPenalty: 1000)
        #expect(try AssignmentProblem(points: [point], capacities: [[5], [5]], changePenalty: 20).solve().facilityOf == [0])
        #expect(try AssignmentProblem(points: [point], capacities: [[5], [5]], changePenalty: 5).solve().facilityOf == [1])
    }

    /// Issue 11 (found by tools/fuzz): no point may go anywhere. GLPK's MIP presolver empties
    /// such a model and stops with a fatal error; the answer is all unassigned.
    @Test func noAllowedPairAtAllLeavesEveryPointUnassigned() throws {
        let pts = [AssignmentProblem.Point(demand: [4], costs: [nil, nil], unassignedPenalty: 1000),
                   AssignmentProblem.Point(demand: [3], costs: [nil, nil], unassignedPenalty: 2000)]
        let r = try AssignmentProblem(points: pts, capacities: [[5], [5]], changePenalty: 0).solve()
        #expect(r.facilityOf == [nil, nil] && r.objective == 3000)
        #expect(r.unassigned == [0: .noAllowedFacility, 1: .noAllowedFacility])
    }

    @Test func capacityIsRespectedAndShortfallExplained() throws {
        let pts = [
            AssignmentProblem.Point(demand: [4], costs: [10, nil], unassignedPenalty: 1000),
            AssignmentProblem.Point(demand: [3], costs: [10, nil], unassignedPenalty: 2000),
            AssignmentProblem.Point(demand: [1], costs: [nil, nil], unassignedPenalty: 1000),
        ]
        let r = try AssignmentProblem(points: pts, capacities: [[5], [9]]).solve()
        #expect(r.facilityOf == [nil, 0, nil])   // the dearer penalty wins the room
        #expect(r.unassigned == [0: .capacity, 2: .noAllowedFacility])
        #expect(r.objective == 10 + 1000 + 1000)
    }

    @Test func rejectsMalformedProblems() {
        let p = AssignmentProblem(points: [.init(demand: [1, 2], costs: [1], unassignedPenalty: 1)], capacities: [[1]])
        #expect(throws: AssignmentError.invalid("point 0: demand must have 1 non-negative values")) { try p.solve() }
    }
}
