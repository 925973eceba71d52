import Testing
@testable import Routing

let vrplibText = """
NAME : tiny
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 0 1.6
4 6 8
DEMAND_SECTION
1 0
2 4
3 5
4 6
DEPOT_SECTION
1
-1
EOF
"""

@Test func vrplibUsesNintDistancesAndNumbersCustomersFromOne() throws {
    let inst = try BenchmarkInstance.parse(vrplibText, name: "tiny", format: .vrplib)
    #expect(inst.data.clients.count == 3)
    #expect(inst.data.distance[0, 1] == 5)
    #expect(inst.data.distance[0, 2] == 2)     // 1.6 rounds to 2
    #expect(inst.data.distance[1, 3] == 5)
    #expect(inst.customerIDs == [1, 2, 3])
    #expect(inst.data.vehicleTypes[0].capacity == [10])
}

@Test func solFileRoundTrips() throws {
    let inst = try BenchmarkInstance.parse(vrplibText, name: "tiny", format: .vrplib)
    let s = Solution(routes: [Route(vehicleType: 0, clients: [1, 0]), Route(vehicleType: 0, clients: [2])])
    let text = inst.solFile(s)
    #expect(text == "Route #1: 2 1\nRoute #2: 3\nCost \(inst.data.evaluate(s).cost)\n")
    #expect(try inst.readSol(text) == s)
}

@Test func solomonTruncatesToTenthsAndScalesTimes() throws {
    let text = """
    T1

    VEHICLE
    NUMBER     CAPACITY
      3         50

    CUSTOMER
    CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

        0      0          0          0          0       100          0
        7      1          1         10          5        20         10
        9      3          4          5          0        50          5
    """
    let inst = try BenchmarkInstance.parse(text, name: "T1", format: .solomon)
    #expect(inst.scale == 10)
    #expect(inst.data.distance[0, 1] == 14)    // √2 = 1.414… → 1.4
    #expect(inst.data.distance[0, 2] == 50)
    #expect(inst.data.clients[0].earliest == 50 && inst.data.clients[0].latest == 200)
    #expect(inst.data.clients[0].serviceDuration == 100)
    #expect(inst.data.depots[0].latest == 1000)
    #expect(inst.customerIDs == [7, 9])
    #expect(inst.format(cost: 1234) == "123.4")
}

@Test func cordeauKeepsUnroundedDistancesAtScale10000() throws {
    let text = """
    2 2 3 2
    0 20
    50 20
    1 1 1 2 7
    2 3 4 0 8
    3 5 5 1 9
    4 0 0 0 0
    5 10 10 0 0
    """
    let inst = try BenchmarkInstance.parse(text, name: "p", format: .cordeau)
    #expect(inst.data.depots.count == 2)
    #expect(inst.data.vehicleTypes.map(\.depot) == [0, 1])
    #expect(inst.data.vehicleTypes.map(\.count) == [2, 2])
    #expect(inst.data.vehicleTypes[0].maxDuration >= Int.max / 8)
    #expect(inst.data.vehicleTypes[1].maxDuration == 500_000)
    #expect(inst.data.distance[0, 2] == 14_142)   // √2 · 10⁴
    #expect(inst.data.distance[0, 3] == 50_000)
    #expect(inst.data.clients[0].serviceDuration == 20_000)
    #expect(inst.data.clients.map(\.demand) == [[7], [8], [9]])
    #expect(inst.format(cost: 5_768_658) == "576.8658")
}

@Test func readerErrorsSayWhere() {
    #expect(throws: InstanceError(file: "<input>", line: nil, reason: "missing CAPACITY")) {
        try BenchmarkInstance.parse("NAME : x\nDIMENSION : 1\nNODE_COORD_SECTION\n1 0 0\n", name: "x", format: .vrplib)
    }
    #expect(throws: InstanceError(file: "<input>", line: 3, reason: "expected `id x y`")) {
        try BenchmarkInstance.parse("DIMENSION : 1\nNODE_COORD_SECTION\n1 0\n", name: "x", format: .vrplib)
    }
}
