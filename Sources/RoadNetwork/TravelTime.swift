#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A WGS84 point.
public struct Coordinate: Sendable, Hashable, Codable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// Great-circle distance in metres (haversine, mean Earth radius).
    public func distance(to o: Coordinate) -> Double {
        haversine(lat, lon, o.lat, o.lon)
    }
}

/// Many-to-many travel durations (seconds) and distances (metres), row = from, column = to.
/// `TravelMatrix.unreachable` marks pairs with no path.
public struct TravelMatrix: Sendable, Hashable {
    public static let unreachable = -1
    public let size: Int
    public var durations: [Int]
    public var distances: [Int]

    public init(size: Int, durations: [Int], distances: [Int]) {
        precondition(durations.count == size * size && distances.count == size * size)
        self.size = size
        self.durations = durations
        self.distances = distances
    }

    @inline(__always) public func duration(_ i: Int, _ j: Int) -> Int { durations[i * size + j] }
    @inline(__always) public func distance(_ i: Int, _ j: Int) -> Int { distances[i * size + j] }
    public func isReachable(_ i: Int, _ j: Int) -> Bool { durations[i * size + j] != Self.unreachable }
}

/// Where travel times come from. The planner asks for a matrix over its points and for the
/// drawn path of each route leg; straight lines and real roads sit behind the same protocol.
public protocol TravelTimeProvider: Sendable {
    /// One line for the terminal and the plan: what the times are based on.
    var summary: String { get }
    func matrix(for points: [Coordinate]) throws -> TravelMatrix
    /// The drawn path of a leg, first point `from`, last point `to`.
    func path(from: Coordinate, to: Coordinate) throws -> [Coordinate]
    /// Like `matrix(for:)`, but a point that cannot be used is reported by its id
    /// (`RoadNetworkError.pointTooFarFromRoad`). Has a default implementation.
    func matrix(for points: [NamedPoint]) throws -> TravelMatrix
    /// Where each point joins the network and how far it had to move. Has a default implementation.
    func snapReports(for points: [NamedPoint]) throws -> [SnapReport]
}

/// Great-circle distance × a circuity factor, driven at a constant van speed.
public struct StraightLineProvider: TravelTimeProvider {
    public var circuity: Double
    public var speedKmh: Double

    public init(circuity: Double = 1.35, speedKmh: Double = 22) {
        self.circuity = circuity
        self.speedKmh = speedKmh
    }

    public var summary: String {
        "straight lines × \(circuity) at \(speedKmh) km/h"
    }

    public func matrix(for points: [Coordinate]) throws -> TravelMatrix {
        let n = points.count
        var dur = [Int](repeating: 0, count: n * n)
        var dist = [Int](repeating: 0, count: n * n)
        let metresPerSecond = speedKmh / 3.6
        for i in 0..<n {
            for j in 0..<n where i != j {
                let d = points[i].distance(to: points[j]) * circuity
                dist[i * n + j] = Int(d.rounded())
                dur[i * n + j] = Int((d / metresPerSecond).rounded())
            }
        }
        return TravelMatrix(size: n, durations: dur, distances: dist)
    }

    public func path(from: Coordinate, to: Coordinate) throws -> [Coordinate] { [from, to] }
}
