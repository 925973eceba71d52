import Foundation

/// A road graph ready for queries: loaded from the cache or imported from an OSM file.
public final class RoadMap: Sendable {
    let graph: RoadGraph
    let index: SpatialIndex
    public let sourcePath: String
    public let profile: VehicleProfile
    /// SHA-256 of source file bytes, profile and cache format: the graph's identity.
    public let key: String
    public let loadedFromCache: Bool
    /// Seconds spent reading/parsing and building (or loading the cache).
    public let loadSeconds: Double
    public var stats: ImportStats { graph.stats }

    /// Builds from a file without cache, keeping only ways inside `crop` (for tests).
    static func cropped(path: String, profile: VehicleProfile, crop: (Double, Double, Double, Double)) throws -> RoadMap {
        guard let data = FileManager.default.contents(atPath: path) else { throw RoadNetworkError.fileNotFound(path: path, what: "map") }
        let g = try build(data: data, path: path, profile: profile, crop: crop)
        return RoadMap(graph: g, sourcePath: path, profile: profile, key: "cropped", loadedFromCache: false, loadSeconds: 0)
    }

    init(graph: RoadGraph, sourcePath: String, profile: VehicleProfile, key: String, loadedFromCache: Bool, loadSeconds: Double) {
        self.graph = graph
        self.index = SpatialIndex(graph)
        self.sourcePath = sourcePath
        self.profile = profile
        self.key = key
        self.loadedFromCache = loadedFromCache
        self.loadSeconds = loadSeconds
    }

    /// The default cache folder: `$LASTMILE_CACHE`, else `.lastmile-cache` in the working directory.
    public static var defaultCacheDirectory: String {
        if let env = ProcessInfo.processInfo.environment["LASTMILE_CACHE"], !env.isEmpty { return env }
        return FileManager.default.currentDirectoryPath + "/.lastmile-cache"
    }

    /// Loads `path` (`.osm`, `.osm.gz` or `.osm.pbf`) for `profile`. With a cache directory, a graph
    /// built before from the same bytes and profile is read from there, and a new one is saved.
    public static func load(path: String, profile: VehicleProfile = .van, cacheDirectory: String? = nil) throws -> RoadMap {
        let start = Date()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RoadNetworkError.fileNotFound(path: path, what: "map")
        }
        var h = ContentHash()
        h.update(data)
        h.update(profile.fingerprint)
        h.update("format \(GraphCache.formatVersion)")
        let key = h.hexDigest()
        let cacheFile = cacheDirectory.map { "\($0)/graph-\(key.prefix(32)).lmg" }
        if let cacheFile, let cached = FileManager.default.contents(atPath: cacheFile), let g = GraphCache.decode(cached) {
            return RoadMap(graph: g, sourcePath: path, profile: profile, key: key, loadedFromCache: true,
                           loadSeconds: Date().timeIntervalSince(start))
        }
        let g = try build(data: data, path: path, profile: profile)
        if let cacheDirectory, let cacheFile {
            do {
                try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
                try GraphCache.encode(g).write(to: URL(fileURLWithPath: cacheFile), options: .atomic)
            } catch {
                throw RoadNetworkError.io(path: cacheFile, reason: "cannot write graph cache: \(error.localizedDescription)")
            }
        }
        return RoadMap(graph: g, sourcePath: path, profile: profile, key: key, loadedFromCache: false,
                       loadSeconds: Date().timeIntervalSince(start))
    }

    /// Parses and builds without any cache.
    static func build(data: Data, path: String, profile: VehicleProfile, crop: (Double, Double, Double, Double)? = nil) throws -> RoadGraph {
        let start = Date()
        let collector = OSMCollector(profile: profile)
        collector.crop = crop
        if path.hasSuffix(".pbf") {
            try OSMPBFReader.read(data: data, path: path, into: collector)
        } else if path.hasSuffix(".gz") {
            let unpacked: [UInt8]? = data.withUnsafeBytes { inflate($0, expectedSize: data.count * 8, gzip: true) }
            guard let unpacked else { throw RoadNetworkError.malformed(path: path, reason: "not a gzip file") }
            try OSMXMLReader.read(data: Data(unpacked), path: path, into: collector)
        } else {
            try OSMXMLReader.read(data: data, path: path, into: collector)
        }
        let parsed = Date()
        var g = try GraphBuilder.build(collector, path: path)
        g.stats.parseSeconds = parsed.timeIntervalSince(start)
        return g
    }

    // MARK: - Queries

    /// Snaps each point to the nearest usable road; a point farther than `limit` metres is an
    /// input error naming it.
    func phantoms(_ points: [NamedPoint], limit: Double) throws -> [Phantom] {
        try points.map { p in
            guard p.coordinate.lat.isFinite, p.coordinate.lon.isFinite, abs(p.coordinate.lat) <= 90, abs(p.coordinate.lon) <= 180 else {
                throw RoadNetworkError.pointTooFarFromRoad(id: p.id, coordinate: p.coordinate, distance: .infinity, limit: limit)
            }
            if let ph = index.nearest(p.coordinate, in: graph, limit: limit) { return ph }
            throw RoadNetworkError.pointTooFarFromRoad(id: p.id, coordinate: p.coordinate,
                                                       distance: index.nearestDistance(p.coordinate, in: graph), limit: limit)
        }
    }

    public func snap(_ points: [NamedPoint], limit: Double) throws -> [SnapReport] {
        let ph = try phantoms(points, limit: limit)
        return zip(points, ph).map { SnapReport(id: $0.id, input: $0.coordinate, snapped: $1.snapped, distance: $1.distance) }
    }

    /// Durations (s) and distances (m) between all points, row = from; unreachable = -1.
    public func matrix(_ points: [NamedPoint], snapLimit: Double, threads: Int = 2) throws -> TravelMatrix {
        let ph = try phantoms(points, limit: snapLimit)
        return matrix(phantoms: ph, threads: threads)
    }

    func matrix(phantoms ph: [Phantom], threads: Int = 2) -> TravelMatrix {
        let n = ph.count
        let (w, l) = graph.manyToMany(sources: ph, targets: ph, threads: threads)
        var dur = [Int](repeating: 0, count: n * n), dist = [Int](repeating: 0, count: n * n)
        for k in 0..<(n * n) {
            if k / n == k % n { continue }
            dur[k] = w[k] < 0 ? TravelMatrix.unreachable : Int((w[k] + 5) / 10)
            dist[k] = l[k] < 0 ? TravelMatrix.unreachable : Int((l[k] + 5) / 10)
        }
        return TravelMatrix(size: n, durations: dur, distances: dist)
    }

    /// The road path between two points, from `from` to `to` through their snapped positions.
    public func path(from: NamedPoint, to: NamedPoint, snapLimit: Double) throws -> [Coordinate] {
        let ph = try phantoms([from, to], limit: snapLimit)
        guard let pts = graph.path(from: ph[0], to: ph[1]) else { return [from.coordinate, to.coordinate] }
        return [from.coordinate] + pts + [to.coordinate]
    }

    /// A one-line description for terminals and plans.
    public var summary: String {
        let s = stats
        return "roads of \((sourcePath as NSString).lastPathComponent) (\(profile.name) profile, \(s.segmentsKept) road segments, \(Int(s.roadKmKept.rounded())) km)"
    }
}
