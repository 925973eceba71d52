import Foundation
import Planning
import PostgresNIO

private struct Rejected: Error {
    var issues: [IngestIssue]
}

/// The batch met ids stored since it was sorted: roll back and sort it again.
private struct MetStoredIds: Error {}

extension PostgresStore {
    public func ingest(_ batch: [IncomingOrder], source: String, now: Int) async throws -> IngestResult {
        // Two workers storing the same new order id at once: the second waits on the unique index,
        // skips the id when the first commits (fewer rows went in), and runs again to find it stored.
        var attempt = 0
        while true {
            do {
                return try await ingestOnce(batch, source: source, now: now)
            } catch let r as Rejected {
                return IngestResult(issues: r.issues)
            } catch is MetStoredIds where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// One try: every order new or an exact repeat, else nothing stored. The common batch is all
    /// new orders: it is inserted straight away, skipping ids already stored, so the unique index
    /// is probed once per order. Only a batch that met stored ids, or holds an order after its
    /// cut-off, is rolled back and sorted against the stored bodies (`sortedAgainstStored`).
    private func ingestOnce(_ batch: [IncomingOrder], source: String, now: Int) async throws -> IngestResult {
        let (optimistic, new) = IngestResult.sort(batch, stored: [:])
        if optimistic.issues.isEmpty && !new.isEmpty {
            do {
                return try await transaction { conn in
                    let inserted = try await insert(new, source: source, now: now, on: conn)
                    if inserted < new.count { throw MetStoredIds() }
                    return optimistic
                }
            } catch is MetStoredIds {}
        }
        return try await sortedAgainstStored(batch, source: source, now: now)
    }

    private func sortedAgainstStored(_ batch: [IncomingOrder], source: String, now: Int) async throws -> IngestResult {
        try await transaction { conn in
            var existing: [String: String] = [:]
            let ids = batch.map(\.order.orderId)
            for r in try await rows("SELECT order_id, body FROM orders WHERE order_id = ANY(\(ids))", on: conn) {
                existing[try r.get("order_id")] = try r.get("body")
            }
            let (result, new) = IngestResult.sort(batch, stored: existing)
            if !result.issues.isEmpty { throw Rejected(issues: result.issues) }
            guard !new.isEmpty else { return result }
            // A worker storing one of these ids since the SELECT: fewer rows go in, and the whole
            // batch is tried again (`ingest`), as for a unique violation.
            if try await insert(new, source: source, now: now, on: conn) < new.count { throw MetStoredIds() }
            return result
        }
    }

    /// Inserts the orders whose ids are not stored yet, as one multi-row INSERT (arrays unnested by
    /// the server); the number of rows that went in.
    private func insert(_ new: [(item: IncomingOrder, cutoffAt: Int)], source: String, now: Int,
                        on conn: PostgresConnection) async throws -> Int {
        var o = (id: [String](), group: [String](), point: [String](), customer: [String](), date: [String](),
                 completed: [String](), body: [String](), cutoff: [Int](), lines: [String]())
        for (item, cutoff) in new {
            let order = item.order
            o.id.append(order.orderId); o.group.append(order.groupId); o.point.append(order.pickupPointId)
            o.customer.append(order.customerId); o.date.append(order.deliveryDate.description)
            o.completed.append(order.completedAt.text); o.body.append(item.body); o.cutoff.append(cutoff)
            o.lines.append(OrderLinesColumn.text(order.lines))
        }
        let rows = try await conn.query("""
            WITH i AS (
                INSERT INTO orders (order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, body,
                                    status, cutoff_at, received_at, source, lines)
                SELECT i, g, p, c, d, t, b, 'active', x, \(now), \(source), l
                FROM unnest(\(o.id)::text[], \(o.group)::text[], \(o.point)::text[], \(o.customer)::text[], \(o.date)::text[],
                            \(o.completed)::text[], \(o.body)::text[], \(o.cutoff)::bigint[], \(o.lines)::text[])
                     AS u(i, g, p, c, d, t, b, x, l)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING 1
            )
            SELECT count(*) AS n FROM i
            """, logger: logger)
        var n = 0
        for try await (count) in rows.decode(Int.self) { n = count }
        return n
    }

    public func order(id: String) async throws -> OrderRecord? {
        try await rows("SELECT \(unescaped: PGColumns.order) FROM orders WHERE order_id = \(id)").first.map(OrderRecord.init)
    }

    public func orders(deliveryDate: String, status: String?, offset: Int, limit: Int) async throws -> (total: Int, page: [OrderRecord]) {
        try await client.withConnection { conn in
            let total: Int = try await self.rows("""
                SELECT count(*) AS n FROM orders WHERE delivery_date = \(deliveryDate) AND (\(status)::text IS NULL OR status = \(status))
                """, on: conn).first?.get("n") ?? 0
            let page = try await self.rows("""
                SELECT \(unescaped: PGColumns.order) FROM orders
                WHERE delivery_date = \(deliveryDate) AND (\(status)::text IS NULL OR status = \(status))
                ORDER BY seq LIMIT \(limit) OFFSET \(offset)
                """, on: conn).map(OrderRecord.init)
            return (total, page)
        }
    }

    public func cancel(orderId: String, reason: String?, now: Int) async throws -> CancelOutcome {
        try await transaction { conn in
            guard var o = try await self.rows("SELECT \(unescaped: PGColumns.order) FROM orders WHERE order_id = \(orderId) FOR UPDATE",
                                              on: conn).first.map(OrderRecord.init) else { return .notFound }
            if o.status == "cancelled" { return .alreadyCancelled(o) }
            if now >= o.cutoffAt { return .frozen(o) }
            o.status = "cancelled"
            o.cancelledAt = now
            o.cancelReason = reason
            try await conn.query("""
                UPDATE orders SET status = 'cancelled', cancelled_at = \(now), cancel_reason = \(reason) WHERE order_id = \(orderId)
                """, logger: self.logger)
            return .cancelled(o)
        }
    }

    public func cancelGroup(groupId: String, deliveryDate: String, reason: String?, now: Int,
                            departedCountsAsDispatched: Bool) async throws -> GroupCancelOutcome {
        try await transaction { conn in
            let orders = try await self.rows("""
                SELECT \(unescaped: PGColumns.order) FROM orders
                WHERE group_id = \(groupId) AND delivery_date = \(deliveryDate) AND status = 'active' ORDER BY order_id FOR UPDATE
                """, on: conn).map(OrderRecord.init)
            guard !orders.isEmpty else { return .notFound }
            let onRoutes = try await self.dispatchedOrders(conn, deliveryDate: deliveryDate, now: now,
                                                           departedCountsAsDispatched: departedCountsAsDispatched)
            let blocked = orders.compactMap { o in onRoutes[o.orderId].map { (o.orderId, $0) } }
            if !blocked.isEmpty { return .dispatched(Dictionary(uniqueKeysWithValues: blocked)) }
            let ids = orders.map(\.orderId)
            try await conn.query("""
                UPDATE orders SET status = 'cancelled', cancelled_at = \(now), cancel_reason = \(reason) WHERE order_id = ANY(\(ids))
                """, logger: self.logger)
            return .cancelled(orderIds: ids.sorted())
        }
    }

    /// Order id → route id for the orders on dispatched routes of the day's current plan.
    func dispatchedOrders(_ conn: PostgresConnection, deliveryDate: String, now: Int, departedCountsAsDispatched: Bool) async throws -> [String: String] {
        guard let plan = try await currentPlan(conn, deliveryDate: deliveryDate) else { return [:] }
        var out: [String: String] = [:]
        let locked = Set(try await lockedRoutes(conn, planId: plan.id!, now: now, departedCountsAsDispatched: departedCountsAsDispatched).map(\.routeId))
        guard !locked.isEmpty else { return [:] }
        for r in try await rows("SELECT route_id, order_ids FROM stops WHERE plan_id = \(plan.id!) AND route_id = ANY(\(Array(locked)))", on: conn) {
            let route: String = try r.get("route_id")
            for id in try JSONDecoder().decode([String].self, from: Data(try r.get("order_ids", as: String.self).utf8)) { out[id] = route }
        }
        return out
    }

    public func planningOrders(deliveryDate: String, scopeCutoffAt: Int?, alsoIds: Set<String>) async throws -> [Order] {
        try await client.withConnection { conn in
            var orders: [Order] = []
            let rows = try await conn.query("""
                SELECT order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, status, cutoff_at, lines
                FROM orders WHERE delivery_date = \(deliveryDate) ORDER BY order_id COLLATE "C"
                """, logger: self.logger)
            for try await (id, group, point, customer, dateText, completedText, status, cutoffAt, linesText)
                in rows.decode((String, String, String, String, String, String, String, Int, String).self) {
                let inScope = status == "active" && (scopeCutoffAt.map { cutoffAt <= $0 } ?? true)
                guard inScope || alsoIds.contains(id) else { continue }
                guard let date = CalendarDate.parse(dateText), let completed = Timestamp.parse(completedText) else {
                    throw GeneralError(.internal, "order \(id): stored date or time unreadable")
                }
                orders.append(Order(orderId: id, groupId: group, pickupPointId: point, customerId: customer, deliveryDate: date,
                                    completedAt: completed, lines: try OrderLinesColumn.lines(linesText, orderId: id)))
            }
            return orders
        }
    }

    public func openCutoffs(fromDate: String) async throws -> [(deliveryDate: String, cutoffAt: Int)] {
        try await rows("""
            SELECT DISTINCT delivery_date, cutoff_at FROM orders WHERE delivery_date >= \(fromDate) AND status = 'active'
            ORDER BY cutoff_at
            """).map { (try $0.get("delivery_date"), try $0.get("cutoff_at")) }
    }

    public func orderCount() async throws -> Int {
        try await rows("SELECT count(*) AS n FROM orders").first?.get("n") ?? 0
    }

    public func hasOrders(deliveryDate: String, cutoffAt: Int) async throws -> Bool {
        try await rows("""
            SELECT EXISTS (SELECT 1 FROM orders WHERE delivery_date = \(deliveryDate) AND cutoff_at = \(cutoffAt) AND status = 'active') AS b
            """).first?.get("b") ?? false
    }
}
