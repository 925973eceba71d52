import Testing

@testable import RoadNetwork

@Test func haversineKnownDistance() {
    // One degree of latitude is about 111.2 km.
    let d = Coordinate(lon: 121.4, lat: 31.0).distance(to: Coordinate(lon: 121.4, lat: 32.0))
    #expect(abs(d - 111_195) < 100)
}

@Test func straightLineMatrixIsSymmetricWithZeroDiagonal() throws {
    let pts = [Coordinate(lon: 121.45, lat: 31.22), Coordinate(lon: 121.50, lat: 31.25), Coordinate(lon: 121.42, lat: 31.20)]
    let p = StraightLineProvider(circuity: 1.3, speedKmh: 36)
    let m = try p.matrix(for: pts)
    for i in 0..<3 {
        #expect(m.duration(i, i) == 0)
        for j in 0..<3 {
            #expect(m.distance(i, j) == m.distance(j, i))
            // 36 km/h = 10 m/s.
            #expect(abs(m.duration(i, j) * 10 - m.distance(i, j)) <= 10)
        }
    }
}
