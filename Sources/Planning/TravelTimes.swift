import Foundation
import RoadNetwork

/// The travel-time provider a plan uses, and one line saying what it is and why.
public struct TravelTimes: Sendable {
    public var provider: any TravelTimeProvider
    /// E.g. "straight lines × 1.35 at 22 km/h (road provider not available yet; map … found)".
    public var note: String

    public init(provider: any TravelTimeProvider, note: String) {
        self.provider = provider
        self.note = note
    }

    /// The one place where a scenario's travel times are chosen. `scenarioFile` locates the
    /// map, which scenario.json names relative to its own directory: road times and paths from
    /// the OpenStreetMap file when it is there, straight lines from the scenario's `travel`
    /// settings otherwise (the note says which and why). A map that exists but cannot be read
    /// is an error, not a silent fallback.
    public static func choose(for scenario: Scenario, scenarioFile: String?,
                              cacheDirectory: String? = RoadMap.defaultCacheDirectory) throws -> TravelTimes {
        let straight = StraightLineProvider(circuity: scenario.travel.circuity, speedKmh: scenario.travel.speedKmh)
        let path = scenario.map.map { resolveMap($0, scenarioFile: scenarioFile) }
        let choice = try mappingRoadErrors { try TravelTimeProviders.make(mapPath: path, cacheDirectory: cacheDirectory, fallback: straight) }
        let note = choice.usesRoads ? "\(choice.provider.summary); legs drawn along the roads" : choice.message
        return TravelTimes(provider: choice.provider, note: note)
    }

    /// Straight lines from the scenario's `travel` settings, whatever its map says.
    public static func straightLines(for scenario: Scenario) -> TravelTimes {
        let straight = StraightLineProvider(circuity: scenario.travel.circuity, speedKmh: scenario.travel.speedKmh)
        return TravelTimes(provider: straight, note: "\(straight.summary) (chosen by the caller)")
    }

    /// The map path as seen from the current directory.
    public static func resolveMap(_ map: String, scenarioFile: String?) -> String {
        if map.hasPrefix("/") { return map }
        guard let scenarioFile else { return map }
        let dir = (scenarioFile as NSString).deletingLastPathComponent
        return normalize(dir.isEmpty ? map : dir + "/" + map)
    }

    /// Drops `.` and folds `name/..` without touching the file system:
    /// "scenarios/x/../../../shared/m.osm" → "../shared/m.osm".
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(p)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

/// A road-network error (a point too far from any road, an unreadable map) as a user-facing
/// error of the same kind.
public struct RoadError: LastmileError, Equatable {
    public let underlying: RoadNetworkError
    public init(_ underlying: RoadNetworkError) { self.underlying = underlying }
    public var kind: ErrorKind {
        switch underlying.kind {
        case .input: .input
        case .notFound: .notFound
        case .output: .output
        case .internal: .internal
        }
    }
    public var detail: String { underlying.description }
}

/// Runs `body`, turning a `RoadNetworkError` into a `RoadError`.
public func mappingRoadErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as RoadNetworkError { throw RoadError(e) }
}
