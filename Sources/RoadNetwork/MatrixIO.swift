import Foundation

/// Reading point lists and writing matrices as CSV for `lastmile map matrix`.
public enum MatrixIO {
    /// Points from a CSV with a header naming `lon` and `lat` columns (and optionally `id`, `name` or `idx`).
    public static func readPoints(path: String) throws -> [NamedPoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RoadNetworkError.fileNotFound(path: path, what: "points")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { throw RoadNetworkError.badPoints(path: path, line: 1, reason: "empty file") }
        let cols = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let lonCol = cols.firstIndex(of: "lon"), let latCol = cols.firstIndex(of: "lat") else {
            throw RoadNetworkError.badPoints(path: path, line: 1, reason: "header must name lon and lat columns, got \(header)")
        }
        let idCol = cols.firstIndex(of: "id") ?? cols.firstIndex(of: "name") ?? cols.firstIndex(of: "idx")
        var points: [NamedPoint] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count > max(lonCol, latCol) else {
                throw RoadNetworkError.badPoints(path: path, line: i + 1, reason: "expected \(cols.count) fields, got \(f.count)")
            }
            guard let lon = Double(f[lonCol]), abs(lon) <= 180 else {
                throw RoadNetworkError.badPoints(path: path, line: i + 1, reason: "lon must be a number in [-180, 180], got \(f[lonCol])")
            }
            guard let lat = Double(f[latCol]), abs(lat) <= 90 else {
                throw RoadNetworkError.badPoints(path: path, line: i + 1, reason: "lat must be a number in [-90, 90], got \(f[latCol])")
            }
            let id = idCol.flatMap { $0 < f.count && !f[$0].isEmpty ? f[$0] : nil } ?? "\((path as NSString).lastPathComponent):\(i + 1)"
            points.append(NamedPoint(id: id, coordinate: Coordinate(lon: lon, lat: lat)))
        }
        return points
    }

    /// Row-major CSV without header; an empty cell is an unreachable pair.
    public static func csv(_ values: [Int], size: Int) -> String {
        var s = ""
        s.reserveCapacity(values.count * 6)
        for i in 0..<size {
            for j in 0..<size {
                if j > 0 { s += "," }
                let v = values[i * size + j]
                if v != TravelMatrix.unreachable { s += String(v) }
            }
            s += "\n"
        }
        return s
    }

    public static func snapsCSV(_ snaps: [SnapReport]) -> String {
        var s = "id,lon,lat,snapped_lon,snapped_lat,snap_m\n"
        for r in snaps {
            s += "\(r.id),\(r.input.lon),\(r.input.lat),\(String(format: "%.7f", r.snapped.lon)),\(String(format: "%.7f", r.snapped.lat)),\(String(format: "%.1f", r.distance))\n"
        }
        return s
    }

    /// Writes durations.csv, distances.csv and snaps.csv into `dir`.
    public static func write(_ m: TravelMatrix, snaps: [SnapReport], to dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try csv(m.durations, size: m.size).write(toFile: dir + "/durations.csv", atomically: true, encoding: .utf8)
            try csv(m.distances, size: m.size).write(toFile: dir + "/distances.csv", atomically: true, encoding: .utf8)
            try snapsCSV(snaps).write(toFile: dir + "/snaps.csv", atomically: true, encoding: .utf8)
        } catch {
            throw RoadNetworkError.io(path: dir, reason: "cannot write matrix: \(error.localizedDescription)")
        }
    }
}
