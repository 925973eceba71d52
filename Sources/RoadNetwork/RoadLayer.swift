import Foundation

/// One road of the map drawn as a line: an edge of the graph (intersection to intersection).
public struct RoadLine: Sendable, Hashable {
    /// 2: arterial (free-flow speed ≥ 45 km/h), 1: collector (≥ 30 km/h), 0: local street.
    public var rank: Int
    public var speedKmh: Int
    public var points: [Coordinate]
}

extension RoadMap {
    /// Every kept road of the graph once (not once per direction), of at least `minimumRank`,
    /// simplified so that no dropped point lies more than `toleranceMetres` off the line.
    /// O(total geometry points × log) per call; callers cache by their zoom band.
    public func roadLines(minimumRank: Int, toleranceMetres: Double) -> [RoadLine] {
        var out: [RoadLine] = []
        for e in 0..<graph.edgeCount {
            let along = Int(graph.directedOf[2 * e]), against = Int(graph.directedOf[2 * e + 1])
            let d = along >= 0 ? along : against
            guard d >= 0, graph.cost[d] > 0 else { continue }
            // Decimetres per decisecond is metres per second.
            let speed = Int((Double(graph.length[d]) / Double(graph.cost[d]) * 3.6).rounded())
            let rank = speed >= 45 ? 2 : (speed >= 30 ? 1 : 0)
            guard rank >= minimumRank else { continue }
            let nodes = graph.geometry[Int(graph.geometryFirst[e])..<Int(graph.geometryFirst[e + 1])]
            let points = nodes.map { graph.coordinate($0) }
            guard points.count >= 2 else { continue }
            out.append(RoadLine(rank: rank, speedKmh: speed, points: Self.simplify(points, toleranceMetres: toleranceMetres)))
        }
        return out
    }

    /// Douglas & Peucker (1973), "Algorithms for the reduction of the number of points required
    /// to represent a digitized line or its caricature", on a local equirectangular projection
    /// (metres; the extracts span a few kilometres). Keeps both ends. O(n log n) typical.
    static func simplify(_ points: [Coordinate], toleranceMetres: Double) -> [Coordinate] {
        guard points.count > 2, toleranceMetres > 0 else { return points }
        let lat0 = points[0].lat * .pi / 180
        let mx = 111_320 * cos(lat0), my = 110_540.0
        let xy = points.map { (x: $0.lon * mx, y: $0.lat * my) }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let (ax, ay) = xy[a], (bx, by) = xy[b]
            let dx = bx - ax, dy = by - ay
            let len = max((dx * dx + dy * dy).squareRoot(), 1e-9)
            var far = a, farDist = -1.0
            for i in (a + 1)..<b {
                let dist = abs((xy[i].x - ax) * dy - (xy[i].y - ay) * dx) / len
                if dist > farDist { farDist = dist; far = i }
            }
            if farDist > toleranceMetres {
                keep[far] = true
                stack.append((a, far))
                stack.append((far, b))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }
}
