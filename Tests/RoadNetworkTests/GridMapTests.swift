import Foundation
import Testing

@testable import RoadNetwork

@Suite struct GridMapTests {
    let map: RoadMap
    let plain: RoadMap

    init() throws {
        map = try RoadMap.load(path: gridMap, profile: .van)
        plain = try RoadMap.load(path: gridMap, profile: noPenalties)
    }

    @Test func importKeepsTheConnectedGridAndDropsTheIsland() {
        let s = map.stats
        #expect(s.osmNodes == 11)
        #expect(s.osmWays == 10)
        // The footway and the private service road are not for vans.
        #expect(s.routableWays == 8)
        // Grid: 12 street pieces; two-way ones count twice (5 one-way pieces... see grid.osm).
        // Two-way: 1-2, 2-3, 7-8, 8-9, 1-4, 4-7, 3-6, 6-9 (16 directed); one-way: 4-5, 5-6, 2-5, 5-8 (4).
        // Island 20-21: 2 directed segments, dropped.
        #expect(s.segments == 22)
        #expect(s.segmentsKept == 20)
        #expect(s.segmentsDropped == 2)
        #expect(s.graphNodes == 11)
        #expect(s.graphNodesKept == 9)
        #expect(s.restrictionsApplied == 1)
        #expect(s.signals == 1)
    }

    @Test func oneWayAndTurnRestrictionShapeTheShortestPaths() throws {
        let p = midpoint(4, 5), q = midpoint(5, 6)
        let m = try plain.matrix(named([p, q]), snapLimit: 50)
        // P→Q follows the one-way middle row.
        let forward = polylineLength([p, gridNode(5), q])
        #expect(abs(Double(m.distance(0, 1)) - forward) <= 1.5)
        // Q→P cannot go back west on the middle row, and 1→4→5 is a forbidden right turn:
        // the way round is over the top row, 6-9-8-7-4.
        let around = polylineLength([q, gridNode(6), gridNode(9), gridNode(8), gridNode(7), gridNode(4), p])
        #expect(abs(Double(m.distance(1, 0)) - around) <= 1.5)

        // Without restrictions the bottom row is shorter: 6-3-2-1-4.
        var free = noPenalties
        free.useTurnRestrictions = false
        let unrestricted = try RoadMap.load(path: gridMap, profile: free)
        let m2 = try unrestricted.matrix(named([p, q]), snapLimit: 50)
        let bottom = polylineLength([q, gridNode(6), gridNode(3), gridNode(2), gridNode(1), gridNode(4), p])
        #expect(bottom < around)
        #expect(abs(Double(m2.distance(1, 0)) - bottom) <= 1.5)
        // 20 km/h residential: duration = distance / (20 / 3.6).
        #expect(abs(Double(m2.duration(1, 0)) - bottom / (20 / 3.6)) <= 1.5)
    }

    @Test func pathGeometryFollowsTheRoads() throws {
        let p = NamedPoint(id: "P", coordinate: midpoint(4, 5)), q = NamedPoint(id: "Q", coordinate: midpoint(5, 6))
        let path = try map.path(from: q, to: p, snapLimit: 50)
        #expect(path.first == q.coordinate)
        #expect(path.last == p.coordinate)
        for n in [6, 9, 8, 7, 4] { #expect(path.contains(gridNode(n)), "path passes node \(n)") }
        #expect(!path.contains(gridNode(1)))
        // The drawn path is as long as the matrix distance.
        let m = try map.matrix([q, p], snapLimit: 50)
        #expect(abs(polylineLength(path) - Double(m.distance(0, 1))) <= 2)
        // Same edge, target ahead: a straight piece of the street.
        let a = NamedPoint(id: "A", coordinate: Coordinate(lon: 121.4002, lat: 31.2010))
        let b = NamedPoint(id: "B", coordinate: Coordinate(lon: 121.4008, lat: 31.2010))
        let short = try map.path(from: a, to: b, snapLimit: 50)
        #expect(abs(polylineLength(short) - a.coordinate.distance(to: b.coordinate)) < 0.5)
    }

    @Test func snappingReportsDistanceAndNamesFarPoints() throws {
        // 0.0002° (22.2 m) south of the bottom row.
        let s = NamedPoint(id: "pickup 7", coordinate: Coordinate(lon: 121.4005, lat: 31.1998))
        let r = try map.snap([s], limit: 50)
        #expect(abs(r[0].distance - 22.24) < 0.1)
        #expect(abs(r[0].snapped.lat - 31.2000) < 1e-7)
        #expect(abs(r[0].snapped.lon - 121.4005) < 1e-7)

        // The island's street was dropped: a point on it is 730 m from the nearest road (node 3).
        let island = NamedPoint(id: "warehouse W2", coordinate: midpoint(20, 21))
        #expect(throws: RoadNetworkError.self) { try map.matrix([s, island], snapLimit: 300) }
        do {
            _ = try map.matrix([s, island], snapLimit: 300)
        } catch let e as RoadNetworkError {
            let d = Int(island.coordinate.distance(to: gridNode(3)).rounded())
            #expect(e.description == "warehouse W2 at (121.410500, 31.200000) is \(d) m from the nearest usable road (limit 300 m)")
            #expect(e.kind == .input)
        }
    }

    @Test func matrixEqualsPlainDijkstra() throws {
        var rng = SplitMix64(state: 7)
        func r() -> Double { Double(rng.next() % 1_000_000) / 1_000_000 }
        let pts = (0..<25).map { i in
            NamedPoint(id: "r\(i)", coordinate: Coordinate(lon: 121.3998 + 0.0024 * r(), lat: 31.1998 + 0.0034 * r()))
        }
        for m in [map, plain] {
            let ph = try m.phantoms(pts, limit: 100)
            let ch = m.graph.manyToMany(sources: ph, targets: ph, threads: 2)
            let ref = try dijkstraMatrix(m, pts)
            #expect(ch.weights == ref.weights)
            expectRoutesUnpackToTheirCost(m, ph, ref.weights)
            // Lengths may differ only between equally fast paths; none are unreachable.
            #expect(!ch.weights.contains(-1))
        }
        // The diagonal is zero and the matrix is not symmetric (one-way streets).
        let mat = try map.matrix(pts, snapLimit: 100)
        #expect((0..<25).allSatisfy { mat.duration($0, $0) == 0 })
        #expect((0..<25).contains { i in (0..<25).contains { j in mat.duration(i, j) != mat.duration(j, i) } })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
    func gzippedXMLReadsLikeThePlainFile() throws {
        let dir = NSTemporaryDirectory() + "lastmile-gz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gz = dir + "/grid.osm.gz"
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/bin/gzip")
        proc.arguments = ["-c", gridMap]
        #expect(FileManager.default.createFile(atPath: gz, contents: nil))
        proc.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: gz))
        try proc.run()
        proc.waitUntilExit()
        let g = try RoadMap.load(path: gz, profile: .van)
        #expect(g.graph.lat == map.graph.lat)
        #expect(g.graph.geometry == map.graph.geometry)
        #expect(g.graph.cost == map.graph.cost)
        #expect(g.graph.turnHead == map.graph.turnHead)
        #expect(g.graph.ch.upHead == map.graph.ch.upHead)
        // Not gzip: a clear error naming the file.
        let bad = dir + "/bad.osm.gz"
        try "not gzip".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: RoadNetworkError.malformed(path: bad, reason: "not a gzip file")) { try RoadMap.load(path: bad, profile: .van) }
        // Broken XML names the line.
        let broken = dir + "/broken.osm"
        try "<osm>\n<node id=\"1\" lat=\"x\" lon=\"2\"/>\n</osm>\n".write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(throws: RoadNetworkError.malformed(path: broken, reason: "line 2: node without id, lat or lon")) {
            try RoadMap.load(path: broken, profile: .van)
        }
    }

    @Test func cacheRoundTripAndProvider() throws {
        let dir = NSTemporaryDirectory() + "lastmile-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let built = try RoadMap.load(path: gridMap, profile: .van, cacheDirectory: dir)
        let cached = try RoadMap.load(path: gridMap, profile: .van, cacheDirectory: dir)
        #expect(!built.loadedFromCache)
        #expect(cached.loadedFromCache)
        #expect(built.key == cached.key)
        #expect(GraphCache.encode(built.graph) == GraphCache.encode(cached.graph))
        // Another profile is another graph.
        let other = try RoadMap.load(path: gridMap, profile: noPenalties, cacheDirectory: dir)
        #expect(!other.loadedFromCache)
        #expect(other.key != built.key)
        // A truncated cache file is ignored, not trusted.
        #expect(GraphCache.decode(GraphCache.encode(built.graph).prefix(200)) == nil)

        // The provider caches matrices in SQLite and returns the same values.
        let pts = [midpoint(4, 5), midpoint(5, 6), midpoint(7, 8)]
        let p1 = try RoadNetworkProvider(mapPath: gridMap, cacheDirectory: dir)
        let m1 = try p1.matrix(for: pts)
        let stored = try MatrixCache(directory: dir).get(graphKey: p1.map.key, pointsKey: MatrixCache.pointsKey(pts))
        #expect(stored == m1)
        let p2 = try RoadNetworkProvider(mapPath: gridMap, cacheDirectory: dir)
        #expect(try p2.matrix(for: pts) == m1)
        #expect(try p2.matrix(for: pts) == (try built.matrix(named(pts), snapLimit: 500)))
    }
}
