import Foundation
import Testing

@testable import RoadNetwork

/// The roads drawn as the console's base map.
@Suite struct RoadLayerTests {
    @Test func everyKeptRoadIsDrawnOnceWithItsEnds() throws {
        let map = try RoadMap.load(path: gridMap)
        let all = map.roadLines(minimumRank: 0, toleranceMetres: 0)
        #expect(all.count == map.graph.edgeCount - (0..<map.graph.edgeCount).filter {
            map.graph.directedOf[2 * $0] < 0 && map.graph.directedOf[2 * $0 + 1] < 0
        }.count)
        #expect(all.allSatisfy { $0.points.count >= 2 && (0...2).contains($0.rank) })
        // A higher rank draws a subset.
        #expect(map.roadLines(minimumRank: 2, toleranceMetres: 0).count <= all.count)
        let simplified = map.roadLines(minimumRank: 0, toleranceMetres: 50)
        #expect(zip(all, simplified).allSatisfy { $0.points.first == $1.points.first && $0.points.last == $1.points.last })
    }

    /// Douglas–Peucker: the ends stay, no dropped point lies farther off than the tolerance, and a
    /// point that sticks out more is kept.
    @Test func simplifyKeepsWhatSticksOut() {
        let lat = 31.23
        let m = 1 / 110_540.0   // degrees of latitude per metre
        let line = (0...10).map { Coordinate(lon: 121.47 + Double($0) * 0.0001, lat: lat + ($0 == 5 ? 30 * m : ($0 % 2 == 0 ? 0 : 2 * m))) }
        let out = RoadMap.simplify(line, toleranceMetres: 10)
        #expect(out.first == line.first && out.last == line.last)
        #expect(out.contains(line[5]))
        #expect(out.count < line.count)
        #expect(RoadMap.simplify(line, toleranceMetres: 0) == line)
        #expect(RoadMap.simplify(Array(line.prefix(2)), toleranceMetres: 100) == Array(line.prefix(2)))
    }
}
