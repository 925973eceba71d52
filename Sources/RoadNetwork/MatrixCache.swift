import Foundation
import GRDB

/// Matrices already computed, in SQLite, keyed by (graph key, point-set key): a re-plan over the
/// same points on the same graph reads the matrix instead of searching again.
public final class MatrixCache: Sendable {
    private let db: DatabaseQueue
    public let path: String

    public init(directory: String) throws {
        path = directory + "/matrices.sqlite"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            db = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.create(table: "matrix") { t in
                    t.column("graphKey", .text).notNull()
                    t.column("pointsKey", .text).notNull()
                    t.column("size", .integer).notNull()
                    t.column("durations", .blob).notNull()
                    t.column("distances", .blob).notNull()
                    t.primaryKey(["graphKey", "pointsKey"])
                }
            }
            try migrator.migrate(db)
        } catch {
            throw RoadNetworkError.io(path: path, reason: "cannot open matrix cache: \(error)")
        }
    }

    /// Identity of an ordered point set: SHA-256 of the coordinates' exact bits.
    public static func pointsKey(_ points: [Coordinate]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(points.count * 16)
        for p in points {
            withUnsafeBytes(of: p.lon.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: p.lat.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return ContentHash.hex(bytes)
    }

    public func get(graphKey: String, pointsKey: String) -> TravelMatrix? {
        try? db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT size, durations, distances FROM matrix WHERE graphKey = ? AND pointsKey = ?",
                                             arguments: [graphKey, pointsKey]) else { return nil }
            let size: Int = row["size"]
            let d = Self.ints(row["durations"]), m = Self.ints(row["distances"])
            guard d.count == size * size, m.count == size * size else { return nil }
            return TravelMatrix(size: size, durations: d, distances: m)
        }
    }

    public func put(graphKey: String, pointsKey: String, matrix: TravelMatrix) throws {
        do {
            try db.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO matrix (graphKey, pointsKey, size, durations, distances) VALUES (?, ?, ?, ?, ?)",
                               arguments: [graphKey, pointsKey, matrix.size, Self.blob(matrix.durations), Self.blob(matrix.distances)])
            }
        } catch {
            throw RoadNetworkError.io(path: path, reason: "cannot store matrix: \(error)")
        }
    }

    private static func blob(_ a: [Int]) -> Data {
        var w = BinaryWriter()
        w.array(a.map { Int32(clamping: $0) })
        return w.data
    }

    private static func ints(_ d: Data) -> [Int] {
        var r = BinaryReader(d)
        let a: [Int32]? = r.array()
        return (a ?? []).map { Int($0) }
    }
}
