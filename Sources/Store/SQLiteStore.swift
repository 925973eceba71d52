import Foundation
import GRDB
import Planning

/// The daemon's database: SQLite through GRDB, WAL mode, `synchronous = FULL`, so a transaction
/// has reached the disk (the WAL, fsynced) when `write` returns; the HTTP answer is sent after.
/// One writer at a time (SQLite), readers alongside (WAL).
public final class SQLiteStore: Store {
    public let pool: DatabasePool
    public let path: String
    public var location: String { path }

    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // FULL: every commit fsyncs the WAL. NORMAL (GRDB's WAL default, set when the writer
            // opens) fsyncs only at checkpoints, so a power cut could lose the last acknowledged
            // batches; we acknowledge orders, so FULL, on the one writer connection.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw GeneralError(.internal, "database \(path): \(error)")
        }
        self.path = path
    }

    /// "wal" once open (checked by the tests).
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    public func synchronousSetting() throws -> Int {
        try pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func close() async {}

    /// One process owns an SQLite file: nothing to tell other workers.
    public var sharedByWorkers: Bool { false }
    public func announce(_ message: String) async throws {}
    public func listen(_ receive: @escaping @Sendable (String) -> Void) async throws {}
}

private struct Rejected: Error {
    var issues: [IngestIssue]
}

extension SQLiteStore {
    /// Stores a batch atomically: every order is new or an exact repeat, else nothing is stored
    /// and the issues say which orders conflict or arrived after their day closed.
    public func ingest(_ batch: [IncomingOrder], source: String, now: Int) async throws -> IngestResult {
        do {
            return try await pool.write { db in
                var existing: [String: String] = [:]
                let ids = batch.map(\.order.orderId)
                for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                    let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    let rows = try Row.fetchAll(db, sql: "SELECT order_id, body FROM orders WHERE order_id IN (\(marks))",
                                                arguments: StatementArguments(chunk))
                    for r in rows { existing[r[0]] = r[1] }
                }
                let (result, new) = IngestResult.sort(batch, stored: existing)
                if !result.issues.isEmpty { throw Rejected(issues: result.issues) }
                let insertOrder = try db.cachedStatement(sql: """
                    INSERT INTO orders (order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, body,
                                        status, cutoff_at, received_at, source, lines)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)
                    """)
                for (item, cutoff) in new {
                    let o = item.order
                    try insertOrder.execute(arguments: [o.orderId, o.groupId, o.pickupPointId, o.customerId, o.deliveryDate.description,
                                                        o.completedAt.text, item.body, cutoff, now, source, OrderLinesColumn.text(o.lines)])
                }
                return result
            }
        } catch let r as Rejected {
            return IngestResult(issues: r.issues)
        }
    }

    public func order(id: String) async throws -> OrderRecord? {
        try await pool.read { db in try OrderRecord.filter(Column("order_id") == id).fetchOne(db) }
    }

    /// One page of a day's orders in arrival order, and how many there are in all.
    public func orders(deliveryDate: String, status: String?, offset: Int, limit: Int) async throws -> (total: Int, page: [OrderRecord]) {
        try await pool.read { db in
            var q = OrderRecord.filter(Column("delivery_date") == deliveryDate)
            if let status { q = q.filter(Column("status") == status) }
            let total = try q.fetchCount(db)
            let page = try q.order(Column("seq")).limit(limit, offset: offset).fetchAll(db)
            return (total, page)
        }
    }

    /// Cancels one order before its wave closes.
    public func cancel(orderId: String, reason: String?, now: Int) async throws -> CancelOutcome {
        try await pool.write { db in
            guard var o = try OrderRecord.filter(Column("order_id") == orderId).fetchOne(db) else { return .notFound }
            if o.status == "cancelled" { return .alreadyCancelled(o) }
            if now >= o.cutoffAt { return .frozen(o) }
            o.status = "cancelled"
            o.cancelledAt = now
            o.cancelReason = reason
            try o.update(db)
            return .cancelled(o)
        }
    }

    /// Cancels every active order of a group for a delivery day (a late change: allowed after the
    /// cut-off, refused for orders on a route already dispatched).
    public func cancelGroup(groupId: String, deliveryDate: String, reason: String?, now: Int,
                            departedCountsAsDispatched: Bool) async throws -> GroupCancelOutcome {
        try await pool.write { db in
            let orders = try OrderRecord
                .filter(Column("group_id") == groupId && Column("delivery_date") == deliveryDate && Column("status") == "active")
                .fetchAll(db)
            guard !orders.isEmpty else { return .notFound }
            let onRoutes = try Self.dispatchedOrders(db, deliveryDate: deliveryDate, now: now,
                                                     departedCountsAsDispatched: departedCountsAsDispatched)
            let blocked = orders.compactMap { o in onRoutes[o.orderId].map { (o.orderId, $0) } }
            if !blocked.isEmpty { return .dispatched(Dictionary(uniqueKeysWithValues: blocked)) }
            for var o in orders {
                o.status = "cancelled"
                o.cancelledAt = now
                o.cancelReason = reason
                try o.update(db)
            }
            return .cancelled(orderIds: orders.map(\.orderId).sorted())
        }
    }

    /// Order id → route id for the orders on dispatched routes of the day's current plan.
    static func dispatchedOrders(_ db: Database, deliveryDate: String, now: Int, departedCountsAsDispatched: Bool) throws -> [String: String] {
        guard let plan = try currentPlan(db, deliveryDate: deliveryDate) else { return [:] }
        var out: [String: String] = [:]
        for r in try lockedRoutes(db, planId: plan.id!, now: now, departedCountsAsDispatched: departedCountsAsDispatched) {
            for s in try StopRecord.filter(Column("plan_id") == plan.id! && Column("route_id") == r.routeId).fetchAll(db) {
                for id in try JSONDecoder().decode([String].self, from: Data(s.orderIds.utf8)) { out[id] = r.routeId }
            }
        }
        return out
    }

    /// The orders of a delivery day to plan: active ones frozen by `scopeCutoffAt` (nil: all
    /// active ones), plus the orders named in `alsoIds` whatever their state (those on routes
    /// kept from an earlier version), in order-id order.
    public func planningOrders(deliveryDate: String, scopeCutoffAt: Int?, alsoIds: Set<String>) async throws -> [Order] {
        try await pool.read { db in
            var orders: [Order] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, status, cutoff_at, lines
                FROM orders WHERE delivery_date = ? ORDER BY order_id
                """, arguments: [deliveryDate])
            while let r = try rows.next() {
                let id: String = r[0]
                let status: String = r[6]
                let cutoffAt: Int = r[7]
                let inScope = status == "active" && (scopeCutoffAt.map { cutoffAt <= $0 } ?? true)
                guard inScope || alsoIds.contains(id) else { continue }
                guard let date = CalendarDate.parse(r[4]), let completed = Timestamp.parse(r[5]) else {
                    throw GeneralError(.internal, "order \(id): stored date or time unreadable")
                }
                orders.append(Order(orderId: id, groupId: r[1], pickupPointId: r[2], customerId: r[3], deliveryDate: date,
                                    completedAt: completed, lines: try OrderLinesColumn.lines(r[8], orderId: id)))
            }
            return orders
        }
    }

    /// Distinct (delivery day, wave cut-off) of active orders for days from `fromDate` on.
    public func openCutoffs(fromDate: String) async throws -> [(deliveryDate: String, cutoffAt: Int)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT delivery_date, cutoff_at FROM orders WHERE delivery_date >= ? AND status = 'active'
                ORDER BY cutoff_at
                """, arguments: [fromDate]).map { ($0[0], $0[1]) }
        }
    }

    public func orderCount() async throws -> Int {
        try await pool.read { db in try OrderRecord.fetchCount(db) }
    }
}

extension SQLiteStore {
    /// Whether active orders of the day froze at exactly this cut-off (that cut-off needs a plan).
    public func hasOrders(deliveryDate: String, cutoffAt: Int) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM orders WHERE delivery_date = ? AND cutoff_at = ? AND status = 'active')
                """, arguments: [deliveryDate, cutoffAt]) ?? false
        }
    }
}
