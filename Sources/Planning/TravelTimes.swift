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
    /// map, which scenario.json names relative to its own directory.
    ///
    /// Today: straight lines from the scenario's `travel` settings. When the OSM road provider
    /// lands, it plugs in here for scenarios whose map file exists.
    public static func choose(for scenario: Scenario, scenarioFile: String?) -> TravelTimes {
        let straight = StraightLineProvider(circuity: scenario.travel.circuity, speedKmh: scenario.travel.speedKmh)
        guard let map = scenario.map else {
            return TravelTimes(provider: straight, note: "\(straight.summary) (the scenario names no road map)")
        }
        let path = resolveMap(map, scenarioFile: scenarioFile)
        if FileManager.default.fileExists(atPath: path) {
            return TravelTimes(provider: straight, note: "\(straight.summary) (road provider not available yet; map \(path) found)")
        }
        return TravelTimes(provider: straight, note: "\(straight.summary) (map \(path) is missing)")
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
