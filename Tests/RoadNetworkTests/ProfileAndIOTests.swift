import Foundation
import Testing

@testable import RoadNetwork

/// FIPS 180-4 vectors: the cache keys are the digests the earlier hand-written hash gave.
@Test func contentHashIsSHA256() {
    #expect(ContentHash.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(ContentHash.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(ContentHash.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // Fed in pieces gives the same digest.
    var h = ContentHash()
    h.update(long[0..<7]); h.update(long[7..<50]); h.update(long[50...])
    var million = ContentHash()
    million.update([UInt8](repeating: 0x61, count: 1_000_000))
    #expect(h.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func profileFilesMatchTheBuiltInProfiles() throws {
    #expect(try VehicleProfile.load(path: packageRoot + "/maps/van-profile.json") == .van)
    #expect(try VehicleProfile.load(path: packageRoot + "/maps/car-osrm.json") == .osrmCar)
}

@Test func wayTagsGiveSpeedsAndDirections() {
    let p = VehicleProfile.van
    #expect(p.wayAccess([("highway", "footway")]) == nil)
    #expect(p.wayAccess([("highway", "residential")])! == (20, 20))
    #expect(p.wayAccess([("highway", "residential"), ("oneway", "yes")])! == (20, 0))
    #expect(p.wayAccess([("highway", "residential"), ("oneway", "-1")])! == (0, 20))
    #expect(p.wayAccess([("highway", "primary"), ("junction", "roundabout")])! == (45, 0))
    #expect(p.wayAccess([("highway", "primary"), ("junction", "roundabout"), ("oneway", "no")])! == (45, 45))
    #expect(p.wayAccess([("highway", "motorway")])! == (70, 0))
    #expect(p.wayAccess([("highway", "residential"), ("access", "private")]) == nil)
    #expect(p.wayAccess([("highway", "residential"), ("motor_vehicle", "no")]) == nil)
    // The most specific key decides: goods vehicles allowed on a road closed to others.
    #expect(p.wayAccess([("highway", "residential"), ("access", "no"), ("goods", "yes")]) != nil)
    #expect(p.wayAccess([("highway", "residential"), ("access", "destination")]) != nil)
    #expect(p.wayAccess([("highway", "service"), ("service", "parking_aisle")])! == (5, 5))
    #expect(p.wayAccess([("highway", "service"), ("service", "emergency_access")]) == nil)
    // maxspeed × 0.7, capped by the van's top speed.
    let m = p.wayAccess([("highway", "primary"), ("maxspeed", "60")])!
    #expect(abs(m.forward - 42) < 1e-9)
    #expect(p.wayAccess([("highway", "motorway"), ("maxspeed", "200")])!.forward == 90)
    #expect(abs(VehicleProfile.parseMaxspeed("30 mph")! - 48.28032) < 1e-9)
    #expect(VehicleProfile.parseMaxspeed("CN:urban") == nil)
}

@Test func turnCostsFollowOSRMCarModel() {
    let p = VehicleProfile.van
    // Straight on is nearly free; left turns cost more than right turns (right-hand traffic).
    #expect(p.turnSeconds(angle: 0) < 0.01)
    let right = p.turnSeconds(angle: 90), left = p.turnSeconds(angle: -90)
    #expect(abs(right - 2.105) < 0.01)
    #expect(abs(left - 5.395) < 0.01)
}

@Test func pointsCSVAndMatrixCSV() throws {
    let dir = NSTemporaryDirectory() + "lastmile-pts-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let good = dir + "/points.csv"
    try "id,lat,lon\nA,31.2,121.4\nB,31.21,121.41\n".write(toFile: good, atomically: true, encoding: .utf8)
    let pts = try MatrixIO.readPoints(path: good)
    #expect(pts == [NamedPoint(id: "A", coordinate: Coordinate(lon: 121.4, lat: 31.2)),
                    NamedPoint(id: "B", coordinate: Coordinate(lon: 121.41, lat: 31.21))])
    let bad = dir + "/bad.csv"
    try "lon,lat\n121.4,31.2\n121.4,north\n".write(toFile: bad, atomically: true, encoding: .utf8)
    #expect(throws: RoadNetworkError.badPoints(path: bad, line: 3, reason: "lat must be a number in [-90, 90], got north")) {
        try MatrixIO.readPoints(path: bad)
    }
    let m = TravelMatrix(size: 2, durations: [0, 5, TravelMatrix.unreachable, 0], distances: [0, 50, -1, 0])
    #expect(MatrixIO.csv(m.durations, size: 2) == "0,5\n,0\n")
}

/// Quoted fields (commas, doubled quotes, a CRLF file) read as CSV means them; the snaps CSV
/// quotes such ids again, so they read back the same.
@Test func pointsCSVWithQuotedFields() throws {
    let text = "id,name,lon,lat\r\n\"WH, West\",\"Grid warehouse \"\"W\"\"\",121.42,31.22\r\nPP-1,\"Shop 3, Lane 5\",121.48,31.24\r\n\r\n"
    let pts = try MatrixIO.parsePoints(text, path: "pts.csv")
    #expect(pts == [NamedPoint(id: "WH, West", coordinate: Coordinate(lon: 121.42, lat: 31.22)),
                    NamedPoint(id: "PP-1", coordinate: Coordinate(lon: 121.48, lat: 31.24))])
    let snaps = pts.map { SnapReport(id: $0.id, input: $0.coordinate, snapped: $0.coordinate, distance: 0) }
    let back = try MatrixIO.parsePoints(MatrixIO.snapsCSV(snaps), path: "snaps.csv")
    #expect(back.map(\.id) == ["WH, West", "PP-1"])
    #expect(MatrixIO.csvField(#"say "hi", then"#) == #""say ""hi"", then""#)
    #expect(throws: RoadNetworkError.badPoints(path: "p.csv", line: 1, reason: "header must name lon and lat columns, got id,x,y")) {
        try MatrixIO.parsePoints("id,x,y\nA,1,2\n", path: "p.csv")
    }
}

/// examples/points.csv (the README's `map matrix` example) reads with its quoted names.
@Test func examplePointsRead() throws {
    let pts = try MatrixIO.readPoints(path: packageRoot + "/examples/points.csv")
    #expect(pts.map(\.id) == ["WH-WEST", "PP-001", "PP-002", "PP-003", "PP-004", "PP-005"])
    #expect(pts[0].coordinate == Coordinate(lon: 121.4207471, lat: 31.2207750))
}

/// Profile files use snake_case keys, as every JSON file of the project.
@Test func profileJSONIsSnakeCase() throws {
    let json = try #require(try JSONSerialization.jsonObject(with: VehicleProfile.van.canonicalJSON()) as? [String: Any])
    #expect(json["highway_speeds"] != nil && json["max_speed_kmh"] != nil && json["u_turn_penalty"] != nil)
    #expect(json.keys.allSatisfy { $0 == $0.lowercased() }, "\(json.keys.sorted())")
    #expect(try JSONDecoder().decode(VehicleProfile.self, from: VehicleProfile.van.canonicalJSON()) == .van)
}

@Test func factoryFallsBackToStraightLinesWhenTheMapIsMissing() throws {
    let choice = try TravelTimeProviders.make(mapPath: "/nonexistent/shanghai_center.osm", cacheDirectory: nil)
    #expect(!choice.usesRoads)
    #expect(choice.provider is StraightLineProvider)
    #expect(choice.message == "map /nonexistent/shanghai_center.osm not found: falling back to straight lines × 1.35 at 22.0 km/h; routes are drawn as straight lines")
    let none = try TravelTimeProviders.make(mapPath: nil, cacheDirectory: nil)
    #expect(!none.usesRoads)
    let roads = try TravelTimeProviders.make(mapPath: gridMap, cacheDirectory: nil)
    #expect(roads.usesRoads)
    #expect(roads.provider is RoadNetworkProvider)
    // Errors from the provider name the point.
    let far = NamedPoint(id: "pickup P9", coordinate: Coordinate(lon: 121.5, lat: 31.3))
    #expect(throws: RoadNetworkError.self) { try roads.provider.matrix(for: [far]) }
}

/// A bollard in the middle of a street cuts it (vans only turn back there); a gate does not.
@Test func blockingBarriersCutTheStreet() throws {
    func street(barrier: String) throws -> RoadMap {
        let path = NSTemporaryDirectory() + "lastmile-barrier-\(UUID().uuidString).osm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let xml = """
            <osm version="0.6">
              <node id="1" lat="31.2000" lon="121.4000"/>
              <node id="2" lat="31.2000" lon="121.4010"><tag k="barrier" v="\(barrier)"/></node>
              <node id="3" lat="31.2000" lon="121.4030"/>
              <node id="4" lat="31.2000" lon="121.4040"/>
              <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
              <way id="2"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
            </osm>
            """
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return try RoadMap.load(path: path, profile: .van)
    }
    // Gate: two edges (1-3, 3-4), both ways.
    let gate = try street(barrier: "gate")
    #expect(gate.stats.segments == 4)
    #expect(gate.stats.segmentsKept == 4)
    // Bollard: 1-2 is cut off from 2-3-4 and dropped.
    let bollard = try street(barrier: "bollard")
    #expect(bollard.stats.segments == 6)
    #expect(bollard.stats.segmentsKept == 4)
    #expect(bollard.stats.barriers == 1)
    let r = try bollard.snap([NamedPoint(id: "x", coordinate: Coordinate(lon: 121.4005, lat: 31.2))], limit: 500)
    #expect(abs(r[0].snapped.lon - 121.4010) < 1e-9)
}
