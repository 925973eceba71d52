import Foundation
import Testing

@testable import RoadNetwork

/// Tests on the real extracts in ../shared/maps; each is skipped when a file it reads is absent.
struct SharedMapTests {
    @Test(whenPresent("shanghai_center.osm", "shanghai_center.osm.pbf"))
    func pbfAndXMLOfShanghaiReadTheSame() throws {
        let xml = OSMCollector(profile: .van), pbf = OSMCollector(profile: .van)
        let xp = sharedMaps + "/shanghai_center.osm", pp = sharedMaps + "/shanghai_center.osm.pbf"
        try OSMXMLReader.read(data: try sharedMap("shanghai_center.osm"), path: xp, into: xml)
        try OSMPBFReader.read(data: try sharedMap("shanghai_center.osm.pbf"), path: pp, into: pbf)
        #expect(xml.nodeIDs == pbf.nodeIDs)
        #expect(xml.wayIDs == pbf.wayIDs)
        #expect(xml.wayRefs == pbf.wayRefs)
        #expect(xml.wayForwardKmh == pbf.wayForwardKmh)
        #expect(xml.signalNodes == pbf.signalNodes)
        for i in 0..<xml.lat.count {
            #expect(abs(xml.lat[i] - pbf.lat[i]) < 1e-7 && abs(xml.lon[i] - pbf.lon[i]) < 1e-7)
        }
    }

    /// A gzipped XML larger than libxml2's single-chunk limit (14 MB unpacked) reads like its PBF.
    @Test(whenPresent("baltimore.osm.gz", "baltimore.osm.pbf"))
    func baltimoreGzipXMLReadsLikeItsPBF() throws {
        let xml = OSMCollector(profile: .van), pbf = OSMCollector(profile: .van)
        let xp = sharedMaps + "/baltimore.osm.gz", pp = sharedMaps + "/baltimore.osm.pbf"
        let gz = try sharedMap("baltimore.osm.gz")
        let unpacked = try #require(gz.withUnsafeBytes { inflate($0, expectedSize: gz.count * 8, gzip: true) })
        try OSMXMLReader.read(data: Data(unpacked), path: xp, into: xml)
        try OSMPBFReader.read(data: try sharedMap("baltimore.osm.pbf"), path: pp, into: pbf)
        #expect(xml.osmNodeCount == 51_385)
        #expect(pbf.osmNodeCount == 51_385)
        #expect(xml.wayIDs == pbf.wayIDs)
        #expect(xml.wayRefs == pbf.wayRefs)
        #expect(xml.restrictions.count == pbf.restrictions.count)
    }

    @Test(whenPresent("monaco.osm.pbf"))
    func restrictionsOfMonacoAreRead() throws {
        let c = OSMCollector(profile: .osrmCar)
        let path = sharedMaps + "/monaco.osm.pbf"
        try OSMPBFReader.read(data: try sharedMap("monaco.osm.pbf"), path: path, into: c)
        #expect(c.osmNodeCount == 180_118)
        #expect(c.osmRelationCount == 212)
        #expect(c.restrictions.count + c.unsupportedRestrictions >= 20)
    }

    /// CH matrix equals plain Dijkstra on a corner of central Shanghai (cropped to keep the
    /// debug build fast), random points drawn with a fixed seed.
    @Test(whenPresent("shanghai_center.osm"))
    func shanghaiCornerMatrixEqualsDijkstra() throws {
        let m = try RoadMap.cropped(path: sharedMaps + "/shanghai_center.osm", profile: .van,
                                    crop: (121.455, 31.215, 121.475, 31.232))
        #expect(m.stats.segmentsKept > 300)
        let pts = RoadNetwork.MapBenchmark.samplePoints(m, count: 40, seed: 20_261_121)
        let ph = try m.phantoms(pts, limit: 50)
        let ch = m.graph.manyToMany(sources: ph, targets: ph, threads: 2)
        let ref = try dijkstraMatrix(m, pts)
        #expect(ch.weights == ref.weights)
        #expect(!ch.weights.contains(-1))
        expectRoutesUnpackToTheirCost(m, Array(ph.prefix(15)), (0..<15).flatMap { i in ref.weights[(i * 40)..<(i * 40 + 15)] })
    }
}
