import Foundation

/// Errors of the road network. Solver cores do not know `LastmileError`; callers map these at
/// their boundary (`kind` says how: input, not found or internal).
public enum RoadNetworkError: Error, Equatable, CustomStringConvertible, Sendable {
    case fileNotFound(path: String, what: String)
    /// The map or profile could not be read.
    case malformed(path: String, reason: String)
    /// The map has no road this vehicle may drive.
    case noRoads(path: String)
    /// A point is farther from any usable road than the snapping limit.
    case pointTooFarFromRoad(id: String, coordinate: Coordinate, distance: Double, limit: Double)
    /// A points CSV line is wrong.
    case badPoints(path: String, line: Int, reason: String)
    /// Writing the cache or an output file failed.
    case io(path: String, reason: String)

    public enum Kind: Sendable { case input, notFound, output, `internal` }

    public var kind: Kind {
        switch self {
        case .fileNotFound: .notFound
        case .malformed, .noRoads, .pointTooFarFromRoad, .badPoints: .input
        case .io: .output
        }
    }

    public var description: String {
        switch self {
        case let .fileNotFound(path, _): "\(path): no such file"
        case let .malformed(path, reason): "\(path): \(reason)"
        case let .noRoads(path): "\(path): no road usable by this vehicle"
        case let .pointTooFarFromRoad(id, c, d, limit):
            "\(id) at (\(String(format: "%.6f", c.lon)), \(String(format: "%.6f", c.lat))) is \(Int(d.rounded())) m from the nearest usable road (limit \(Int(limit.rounded())) m)"
        case let .badPoints(path, line, reason): "\(path):\(line): \(reason)"
        case let .io(path, reason): "\(path): \(reason)"
        }
    }
}

