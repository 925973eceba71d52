import Foundation
import SwiftCSV

/// Reading point lists and writing matrices as CSV for `lastmile map matrix`.
public enum MatrixIO {
    /// Points from a CSV with a header naming `lon` and `lat` columns (and optionally `id`, `name` or `idx`).
    public static func readPoints(path: String) throws -> [NamedPoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RoadNetworkError.fileNotFound(path: path, what: "points")
        }
        return try parsePoints(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Quoted fields (`"Shop 3, Lane 5"`) are read as CSV reads them (RFC 4180, SwiftCSV); a
    /// line number in an error counts one line per row.
    public static func parsePoints(_ text: String, path: String) throws -> [NamedPoint] {
        let csv: EnumeratedCSV
        do { csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false) } catch {
            throw RoadNetworkError.badPoints(path: path, line: 1, reason: "malformed CSV: \(error)")
        }
        let cols = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard cols.contains(where: { !$0.isEmpty }) else { throw RoadNetworkError.badPoints(path: path, line: 1, reason: "empty file") }
        guard let lonCol = cols.firstIndex(of: "lon"), let latCol = cols.firstIndex(of: "lat") else {
            throw RoadNetworkError.badPoints(path: path, line: 1, reason: "header must name lon and lat columns, got \(csv.header.joined(separator: ","))")
        }
        let idCol = cols.firstIndex(of: "id") ?? cols.firstIndex(of: "name") ?? cols.firstIndex(of: "idx")
        var points: [NamedPoint] = []
        for (r, row) in csv.rows.enumerated() {
            let f = row.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if f.allSatisfy(\.isEmpty) { continue }
            let line = r + 2
            guard f.count > max(lonCol, latCol) else {
                throw RoadNetworkError.badPoints(path: path, line: line, reason: "expected \(cols.count) fields, got \(f.count)")
            }
            guard let lon = Double(f[lonCol]), abs(lon) <= 180 else {
                throw RoadNetworkError.badPoints(path: path, line: line, reason: "lon must be a number in [-180, 180], got \(f[lonCol])")
            }
            guard let lat = Double(f[latCol]), abs(lat) <= 90 else {
                throw RoadNetworkError.badPoints(path: path, line: line, reason: "lat must be a number in [-90, 90], got \(f[latCol])")
            }
            let id = idCol.flatMap { $0 < f.count && !f[$0].isEmpty ? f[$0] : nil } ?? "\((path as NSString).lastPathComponent):\(line)"
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
            s += "\(csvField(r.id)),\(r.input.lon),\(r.input.lat),\(String(format: "%.7f", r.snapped.lon)),\(String(format: "%.7f", r.snapped.lat)),\(String(format: "%.1f", r.distance))\n"
        }
        return s
    }

    /// A field quoted when it holds a comma, a quote or a line break, so ids read back as written.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
