import Foundation

/// Where a point meets the road graph: on edge `edge`, in segment `segment` (geometry position of
/// its first point), at `fraction` of the edge's length from its first geometry point.
struct Phantom: Sendable, Hashable {
    var edge: Int32
    var segment: Int32
    var fraction: Double
    var snapped: Coordinate
    var distance: Double
}

/// How far a point moved to reach the road.
public struct SnapReport: Sendable, Hashable, Codable {
    public var id: String
    public var input: Coordinate
    public var snapped: Coordinate
    /// Metres from the input point to the road.
    public var distance: Double
}

/// A point with a name, so that errors can say which point is wrong.
public struct NamedPoint: Sendable, Hashable, Codable {
    public var id: String
    public var coordinate: Coordinate
    public init(id: String, coordinate: Coordinate) {
        self.id = id
        self.coordinate = coordinate
    }
}

/// A uniform grid over the road segments (cells of about 150 m): the nearest segment is found by
/// scanning rings of cells outward until no closer segment can exist.
struct SpatialIndex: Sendable {
    private let minLat: Double
    private let minLon: Double
    private let cellLat: Double
    private let cellLon: Double
    private let cols: Int
    private let rows: Int
    private let cellFirst: [Int32]
    /// Geometry positions k whose segment k→k+1 touches the cell.
    private let cellSegments: [Int32]
    /// Edge of each geometry position.
    private let segmentEdge: [Int32]
    private let cellMetres: Double

    init(_ g: RoadGraph) {
        let cellM = 150.0
        let la0 = g.lat.min() ?? 0, la1 = g.lat.max() ?? 0
        let lo0 = g.lon.min() ?? 0, lo1 = g.lon.max() ?? 0
        let midLat = (la0 + la1) / 2
        cellLat = cellM / 111_195
        cellLon = cellM / (111_195 * max(0.1, cos(midLat * .pi / 180)))
        minLat = la0
        minLon = lo0
        rows = max(1, Int((la1 - la0) / cellLat) + 1)
        cols = max(1, Int((lo1 - lo0) / cellLon) + 1)
        cellMetres = cellM
        var segEdge = [Int32](repeating: -1, count: g.geometry.count)
        var pairs: [(cell: Int32, seg: Int32)] = []
        for e in 0..<g.edgeCount {
            let a = Int(g.geometryFirst[e]), b = Int(g.geometryFirst[e + 1])
            for k in a..<(b - 1) {
                segEdge[k] = Int32(e)
                let u = Int(g.geometry[k]), v = Int(g.geometry[k + 1])
                let r0 = Self.clamp(Int((min(g.lat[u], g.lat[v]) - la0) / cellLat), rows)
                let r1 = Self.clamp(Int((max(g.lat[u], g.lat[v]) - la0) / cellLat), rows)
                let c0 = Self.clamp(Int((min(g.lon[u], g.lon[v]) - lo0) / cellLon), cols)
                let c1 = Self.clamp(Int((max(g.lon[u], g.lon[v]) - lo0) / cellLon), cols)
                for r in r0...r1 {
                    for c in c0...c1 { pairs.append((Int32(r * cols + c), Int32(k))) }
                }
            }
            segEdge[b - 1] = Int32(e)
        }
        var first = [Int32](repeating: 0, count: rows * cols + 1)
        for p in pairs { first[Int(p.cell) + 1] += 1 }
        for i in 0..<(rows * cols) { first[i + 1] += first[i] }
        var fill = first
        var segs = [Int32](repeating: 0, count: pairs.count)
        for p in pairs {
            segs[Int(fill[Int(p.cell)])] = p.seg
            fill[Int(p.cell)] += 1
        }
        cellFirst = first
        cellSegments = segs
        segmentEdge = segEdge
    }

    private static func clamp(_ x: Int, _ n: Int) -> Int { min(max(x, 0), n - 1) }

    /// The nearest point on any road within `limit` metres, or nil.
    func nearest(_ p: Coordinate, in g: RoadGraph, limit: Double) -> Phantom? {
        let kx = 111_195 * cos(p.lat * .pi / 180), ky = 111_195.0
        let r = Int((p.lat - minLat) / cellLat), c = Int((p.lon - minLon) / cellLon)
        var bestD = Double.infinity
        var bestK = -1
        var bestT = 0.0
        let gridReach = max(abs(r), abs(r - rows), abs(c), abs(c - cols)) + 1
        let maxRing = min(Int(min(limit, 1e9) / cellMetres) + 2, gridReach)
        var ring = 0
        while ring <= maxRing {
            let r0 = max(0, r - ring), r1 = min(rows - 1, r + ring)
            let c0 = max(0, c - ring), c1 = min(cols - 1, c + ring)
            if r0 > r1 || c0 > c1 {
                ring += 1
                continue
            }
            for rr in r0...r1 {
                for cc in c0...c1 {
                    if abs(rr - r) != ring && abs(cc - c) != ring { continue }
                    let cell = rr * cols + cc
                    for i in Int(cellFirst[cell])..<Int(cellFirst[cell + 1]) {
                        let k = Int(cellSegments[i])
                        let u = Int(g.geometry[k]), v = Int(g.geometry[k + 1])
                        let ax = (g.lon[u] - p.lon) * kx, ay = (g.lat[u] - p.lat) * ky
                        let bx = (g.lon[v] - p.lon) * kx, by = (g.lat[v] - p.lat) * ky
                        let dx = bx - ax, dy = by - ay
                        let len2 = dx * dx + dy * dy
                        var t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0
                        t = min(1, max(0, t))
                        let qx = ax + t * dx, qy = ay + t * dy
                        let d = (qx * qx + qy * qy).squareRoot()
                        if d < bestD || (d == bestD && k < bestK) {
                            bestD = d; bestK = k; bestT = t
                        }
                    }
                }
            }
            // Cells beyond this ring are at least `ring` cells away.
            if bestK >= 0 && bestD <= Double(ring) * cellMetres { break }
            ring += 1
        }
        guard bestK >= 0 else { return nil }
        let u = Int(g.geometry[bestK]), v = Int(g.geometry[bestK + 1])
        let snapped = Coordinate(lon: g.lon[u] + bestT * (g.lon[v] - g.lon[u]), lat: g.lat[u] + bestT * (g.lat[v] - g.lat[u]))
        let distance = p.distance(to: snapped)
        guard distance <= limit else { return nil }
        let e = Int(segmentEdge[bestK])
        // Fraction of the edge's length before the snapped point.
        var before = 0.0, total = 0.0
        for k in Int(g.geometryFirst[e])..<(Int(g.geometryFirst[e + 1]) - 1) {
            let a = Int(g.geometry[k]), b = Int(g.geometry[k + 1])
            let l = haversine(g.lat[a], g.lon[a], g.lat[b], g.lon[b])
            if k < bestK { before += l } else if k == bestK { before += bestT * l }
            total += l
        }
        return Phantom(edge: Int32(e), segment: Int32(bestK), fraction: total > 0 ? before / total : 0,
                       snapped: snapped, distance: distance)
    }

    /// Distance in metres to the nearest road regardless of limit (for error messages).
    func nearestDistance(_ p: Coordinate, in g: RoadGraph) -> Double {
        nearest(p, in: g, limit: 1e7)?.distance ?? .infinity
    }
}
