import Foundation

extension TravelTimeProvider {
    /// Default: names are not needed when nothing can fail per point.
    public func matrix(for points: [NamedPoint]) throws -> TravelMatrix {
        try matrix(for: points.map(\.coordinate))
    }

    /// Default: travel starts exactly at each point.
    public func snapReports(for points: [NamedPoint]) throws -> [SnapReport] {
        points.map { SnapReport(id: $0.id, input: $0.coordinate, snapped: $0.coordinate, distance: 0) }
    }
}

/// Travel times and paths on real roads (OpenStreetMap), with snapping errors that name the point.
public final class RoadNetworkProvider: TravelTimeProvider {
    public let map: RoadMap
    /// Points farther than this from a usable road (metres) are input errors.
    public let snapLimit: Double
    public let threads: Int
    private let cache: MatrixCache?

    /// Loads (or reads from the cache) the road graph of `mapPath` for `profile`. Matrices are
    /// cached in SQLite under `cacheDirectory` too; nil disables both caches.
    public convenience init(mapPath: String, profile: VehicleProfile = .van,
                            cacheDirectory: String? = RoadMap.defaultCacheDirectory,
                            snapLimit: Double = 500, threads: Int = 2) throws {
        let map = try RoadMap.load(path: mapPath, profile: profile, cacheDirectory: cacheDirectory)
        try self.init(map: map, snapLimit: snapLimit, matrixCacheDirectory: cacheDirectory, threads: threads)
    }

    public init(map: RoadMap, snapLimit: Double = 500, matrixCacheDirectory: String? = nil, threads: Int = 2) throws {
        self.map = map
        self.snapLimit = snapLimit
        self.threads = threads
        cache = try matrixCacheDirectory.map { try MatrixCache(directory: $0) }
    }

    public var summary: String { map.summary }

    public func matrix(for points: [Coordinate]) throws -> TravelMatrix {
        try matrix(for: points.enumerated().map { NamedPoint(id: "point \($0.offset)", coordinate: $0.element) })
    }

    public func matrix(for points: [NamedPoint]) throws -> TravelMatrix {
        let coords = points.map(\.coordinate)
        let pk = MatrixCache.pointsKey(coords)
        // Snap first even on a cache hit, so a point too far from the road is always reported.
        let ph = try map.phantoms(points, limit: snapLimit)
        if let hit = cache?.get(graphKey: map.key, pointsKey: pk) { return hit }
        let m = map.matrix(phantoms: ph, threads: threads)
        try cache?.put(graphKey: map.key, pointsKey: pk, matrix: m)
        return m
    }

    public func snapReports(for points: [NamedPoint]) throws -> [SnapReport] {
        try map.snap(points, limit: snapLimit)
    }

    public func path(from: Coordinate, to: Coordinate) throws -> [Coordinate] {
        try path(from: NamedPoint(id: "leg start", coordinate: from), to: NamedPoint(id: "leg end", coordinate: to))
    }

    public func path(from: NamedPoint, to: NamedPoint) throws -> [Coordinate] {
        try map.path(from: from, to: to, snapLimit: snapLimit)
    }
}

/// Which travel times a plan gets, and a sentence saying so for the terminal and the plan.
public struct ProviderChoice: Sendable {
    public let provider: any TravelTimeProvider
    /// True when times come from the road graph.
    public let usesRoads: Bool
    public let message: String
}

public enum TravelTimeProviders {
    /// Road travel times when the scenario's map file (`mapPath`, already resolved against the
    /// scenario's folder) exists; otherwise straight lines with a message that says so and why.
    /// A map file that exists but cannot be read is an error, not a silent fallback.
    public static func make(mapPath: String?, profile: VehicleProfile = .van,
                            cacheDirectory: String? = RoadMap.defaultCacheDirectory, snapLimit: Double = 500,
                            fallback: StraightLineProvider = StraightLineProvider()) throws -> ProviderChoice {
        guard let mapPath else {
            return ProviderChoice(provider: fallback, usesRoads: false,
                                  message: "the scenario names no map: using \(fallback.summary)")
        }
        guard FileManager.default.fileExists(atPath: mapPath) else {
            return ProviderChoice(provider: fallback, usesRoads: false,
                                  message: "map \(mapPath) not found: falling back to \(fallback.summary); routes are drawn as straight lines")
        }
        // A directory, device or pipe "exists" but is no map: say what it is (reading a device
        // could also block or never end).
        let resolved = URL(fileURLWithPath: mapPath).resolvingSymlinksInPath().path
        let type = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            let what = type == .typeDirectory ? "a directory" : type == .typeCharacterSpecial || type == .typeBlockSpecial ? "a device" : "not a regular file"
            throw RoadNetworkError.malformed(path: mapPath, reason: "the map is \(what), not an OpenStreetMap file")
        }
        let p = try RoadNetworkProvider(mapPath: mapPath, profile: profile, cacheDirectory: cacheDirectory, snapLimit: snapLimit)
        return ProviderChoice(provider: p, usesRoads: true, message: "travel times and paths from \(p.summary)")
    }
}
