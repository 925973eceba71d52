import Testing
@testable import Routing

/// Issue 11, defect 8: out-of-range numbers of benchmark files are input errors naming the
/// file, line and field, never wrapped to −2^63 or accepted as an empty fleet.
@Suite struct HostileReaderTests {
    func error(_ text: String, _ format: InstanceFormat) -> String {
        do {
            _ = try BenchmarkInstance.parse(text, name: "t", file: "t.txt", format: format)
        } catch {
            return error.description
        }
        return "no error"
    }

    @Test func vrplibRanges() {
        #expect(error(vrplibText.replacingOccurrences(of: "CAPACITY : 10", with: "CAPACITY : 1e20"), .vrplib)
            == "t.txt: CAPACITY: must be at most 1000000000, got 1e+20")
        #expect(error(vrplibText.replacingOccurrences(of: "CAPACITY : 10", with: "CAPACITY : -1"), .vrplib)
            == "t.txt: CAPACITY: must be at least 1, got -1")
        #expect(error(vrplibText.replacingOccurrences(of: "CAPACITY : 10", with: "CAPACITY : 10\nVEHICLES : 0"), .vrplib)
            == "t.txt: VEHICLES: must be at least 1, got 0")
        #expect(error(vrplibText.replacingOccurrences(of: "4 6 8\n", with: "99999999999999999999 6 8\n"), .vrplib)
            == "t.txt:10: node id: must be at most 1000000000, got 1e+20")
        #expect(error(vrplibText.replacingOccurrences(of: "2 3 4\n", with: "2 3 nan\n"), .vrplib)
            == "t.txt:8: y: must be between -10000000 and 10000000, got nan")
        #expect(error(vrplibText.replacingOccurrences(of: "4 6\n", with: "4 60\n"), .vrplib)
            == "t.txt: DEMAND_SECTION: node 4 has demand 60, more than the CAPACITY 10")
    }

    static let solomon = """
        T1

        VEHICLE
        NUMBER     CAPACITY
          2         50

        CUSTOMER
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
            0      40         50          0          0       1236          0
            1      45         68         10        912        967         90
            2      45         70         30        825        870         90
        """

    /// Found by tools/fuzz: one vehicle for more demand than it carries makes the LP relaxation
    /// of the lower bound infeasible (an infinite bound), which trapped in Int(_:).
    @Test func anInfeasibleRelaxationGivesNoBoundInsteadOfATrap() throws {
        let inst = try BenchmarkInstance.parse(Self.solomon.replacingOccurrences(of: "  2         50", with: "  1         35"),
                                               name: "t", format: .solomon)
        #expect(try !ExactSolver().solve(inst.data, relaxationOnly: true).lpBound.isFinite)   // the case that trapped
        let r = MetaheuristicSolver().solve(inst.data, parameters: SolveParameters(seed: 1, maxIterations: 20))
        #expect(r.lowerBound == nil)
        #expect(!r.unassigned.isEmpty)
    }

    @Test func solomonRanges() {
        #expect(error(Self.solomon, .solomon) == "no error")
        #expect(error(Self.solomon.replacingOccurrences(of: "  2         50", with: "  2         100000000000000000000"), .solomon)
            == "t.txt:5: capacity: must be at most 1000000000, got 1e+20")
        #expect(error(Self.solomon.replacingOccurrences(of: "  2         50", with: "  0         50"), .solomon)
            == "t.txt:5: vehicle number: must be at least 1, got 0")
        #expect(error(Self.solomon.replacingOccurrences(of: "    2      45", with: "    99999999999999999999      45"), .solomon)
            == "t.txt:11: customer number: must be at most 1000000000, got 1e+20")
        #expect(error(Self.solomon.replacingOccurrences(of: "825", with: "-825"), .solomon)
            == "t.txt:11: ready time: must be between 0 and 10000000, got -825.0")
    }
}
