import Foundation
import Testing

@testable import RoadNetwork

/// Package root, found from this file (tests may run from any working directory).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let gridMap = packageRoot + "/maps/test/grid.osm"
let sharedMaps = packageRoot + "/../shared/maps"

/// Runs a test only when every file it reads is there: ../shared/maps may hold some extracts and
/// not others, and a test of a missing one is skipped, naming it, instead of failing the run.
func whenPresent(_ files: String...) -> ConditionTrait {
    let missing = files.filter { !FileManager.default.fileExists(atPath: sharedMaps + "/" + $0) }
    return .enabled(if: missing.isEmpty, Comment(rawValue: "not in ../shared/maps: " + missing.joined(separator: ", ")))
}

/// The bytes of an extract in ../shared/maps (the test is enabled by `whenPresent`).
func sharedMap(_ file: String) throws -> Data {
    try #require(FileManager.default.contents(atPath: sharedMaps + "/" + file), "cannot read ../shared/maps/\(file)")
}

/// Node coordinates of grid.osm.
func gridNode(_ id: Int) -> Coordinate {
    let lon = [1: 121.4000, 2: 121.4010, 3: 121.4020, 4: 121.4000, 5: 121.4010, 6: 121.4020,
               7: 121.4000, 8: 121.4010, 9: 121.4020, 20: 121.4100, 21: 121.4110][id]!
    let lat = [1: 31.2000, 2: 31.2000, 3: 31.2000, 4: 31.2010, 5: 31.2010, 6: 31.2010,
               7: 31.2030, 8: 31.2030, 9: 31.2030, 20: 31.2000, 21: 31.2000][id]!
    return Coordinate(lon: lon, lat: lat)
}

func midpoint(_ a: Int, _ b: Int) -> Coordinate {
    let p = gridNode(a), q = gridNode(b)
    return Coordinate(lon: (p.lon + q.lon) / 2, lat: (p.lat + q.lat) / 2)
}

/// Length in metres along a polyline of grid nodes / points.
func polylineLength(_ pts: [Coordinate]) -> Double {
    zip(pts, pts.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
}

/// The van profile without turn and signal costs: then the fastest path is the shortest one.
var noPenalties: VehicleProfile {
    var p = VehicleProfile.van
    p.name = "van-no-penalties"
    p.turnPenalty = 0
    p.uTurnPenalty = 0
    p.trafficSignalPenalty = 0
    return p
}

func named(_ pts: [Coordinate]) -> [NamedPoint] {
    pts.enumerated().map { NamedPoint(id: "p\($0.offset)", coordinate: $0.element) }
}

/// Matrix by plain Dijkstra from every point (reference for the CH).
func dijkstraMatrix(_ m: RoadMap, _ pts: [NamedPoint]) throws -> (weights: [Int64], lengths: [Int64]) {
    let ph = try m.phantoms(pts, limit: 1e6)
    var w: [Int64] = [], l: [Int64] = []
    for s in ph {
        let r = m.graph.dijkstra(from: s, to: ph)
        w += r.weights
        l += r.lengths
    }
    return (w, l)
}

/// Each CH route, unpacked into directed edges and turns, costs what Dijkstra says.
func expectRoutesUnpackToTheirCost(_ m: RoadMap, _ ph: [Phantom], _ weights: [Int64]) {
    let n = ph.count
    for i in 0..<n {
        for j in 0..<n {
            guard let r = m.graph.route(from: ph[i], to: ph[j]) else {
                #expect(weights[i * n + j] == -1)
                continue
            }
            #expect(r.weight == weights[i * n + j])
            #expect(m.graph.cost(of: r, from: ph[i], to: ph[j]) == r.weight, "route \(i) → \(j)")
        }
    }
}
