import Foundation
import Logging
import NIOCore
import Planning
import PostgresNIO

/// The store on a PostgreSQL server (postgres-nio), for several `lastmile serve` workers on one
/// database. Durability: PostgreSQL's default `synchronous_commit = on` flushes the WAL before
/// COMMIT returns, so a call returns after its transaction is on disk. Workers coordinate through
/// the database only: row locks with `SKIP LOCKED` for job claims, unique keys for cut-off jobs
/// and order ids, and transaction-scoped advisory locks per delivery day for version numbers.
public final class PostgresStore: Store {
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    public let location: String

    /// A `postgres://` or `postgresql://` URL (this store), not a file path (SQLite).
    public static func isURL(_ s: String) -> Bool { s.hasPrefix("postgres://") || s.hasPrefix("postgresql://") }

    /// 1…`maxLength` of a–z, 0–9 and _: safe to write into SQL unquoted (schema and database names).
    public static func isPlainName(_ s: String, maxLength: Int = 63) -> Bool {
        (1...maxLength).contains(s.count) && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// The schema of the tables (one per region), or nil: the connection's default (`public`).
    let schema: String?

    private init(client: PostgresClient, location: String, schema: String?, logger: Logger) {
        self.client = client
        self.schema = schema
        self.location = location
        self.logger = logger
        runTask = Task { await client.run() }
    }

    deinit { runTask.cancel() }

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`)
    /// and runs the migrations it has not run yet (one worker at a time: an advisory lock).
    /// With `schema` (1–63 of a–z, 0–9, _), the tables live in that schema, created if missing.
    public static func open(url: String, schema: String? = nil, maxConnections: Int = 8) async throws -> PostgresStore {
        try await open(url: url, schema: schema, maxConnections: maxConnections, migratingThrough: nil)
    }

    /// `migratingThrough`: the last migration to run (nil: all); tests open a database as an
    /// earlier release left it.
    static func open(url: String, schema: String?, maxConnections: Int, migratingThrough last: String?) async throws -> PostgresStore {
        var (config, shown) = try configuration(url: url, maxConnections: maxConnections)
        if let schema {
            guard isPlainName(schema) else {
                throw InputError(field: "schema", "must be 1–63 of a–z, 0–9 and _, got \"\(schema.prefix(70))\"")
            }
            // Every connection of the pool starts in the region's schema (a startup parameter).
            config.options.additionalStartupParameters = [("search_path", schema)]
            shown += " (schema \(schema))"
        }
        let store = PostgresStore(client: PostgresClient(configuration: config), location: shown, schema: schema,
                                  logger: Logger(label: "lastmile.postgres"))
        do {
            try await store.migrate(through: last)
        } catch {
            await store.close()
            throw GeneralError(.internal, "database \(shown): \(Self.describe(error))")
        }
        return store
    }

    /// The client configuration of a URL, and the URL as logs show it (no password).
    static func configuration(url: String, maxConnections: Int) throws -> (PostgresClient.Configuration, String) {
        func bad(_ why: String) -> InputError { InputError(field: "db", "\(why) (expected postgres://user[:password]@host[:port]/database)") }
        guard let c = URLComponents(string: url), let host = c.host, !host.isEmpty else { throw bad("not a PostgreSQL URL") }
        guard let user = c.user, !user.isEmpty else { throw bad("the URL names no user") }
        let database = String(c.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw bad("the URL names no database") }
        let port = c.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("port \(port) is out of 1…65535") }
        var tls = PostgresClient.Configuration.TLS.prefer(.makeClientConfiguration())
        for item in c.queryItems ?? [] {
            guard item.name == "sslmode" else { throw bad("unknown URL parameter \"\(item.name)\"") }
            switch item.value {
            case "disable": tls = .disable
            case "prefer": break
            case "require": tls = .require(.makeClientConfiguration())
            default: throw bad("sslmode must be disable, prefer or require")
            }
        }
        var config = PostgresClient.Configuration(host: host, port: port, username: user, password: c.password,
                                                  database: database, tls: tls)
        config.options.maximumConnections = maxConnections
        return (config, "postgres://\(user)@\(host):\(port)/\(database)")
    }

    public func close() async { runTask.cancel() }

    // MARK: Messages between workers (LISTEN/NOTIFY)

    public var sharedByWorkers: Bool { true }

    /// Notifications are per database: each schema (region) has a channel of its own.
    var channel: String { "lastmile_events_" + (schema ?? "public") }

    public func announce(_ message: String) async throws {
        guard message.utf8.count <= announcementBytes else {
            throw GeneralError(.internal, "announcement of \(message.utf8.count) bytes, more than \(announcementBytes)")
        }
        try await client.withConnection { conn in
            _ = try await conn.query("SELECT pg_notify(\(self.channel), \(message))", logger: self.logger)
        }
    }

    /// Holds one connection of the pool while it listens.
    public func listen(_ receive: @escaping @Sendable (String) -> Void) async throws {
        try await client.withConnection { conn in
            try await conn.listen(on: self.channel) { notifications in
                for try await n in notifications { receive(n.payload) }
            }
        }
    }

    /// Creates database `name` (lower-case letters, digits, `_`) on the server `url` points at,
    /// and returns the URL of the new database (tests, and benchmarks that start from empty).
    public static func createDatabase(onServerOf url: String, name: String) async throws -> String {
        guard isPlainName(name) else {
            throw InputError(field: "database", "must be 1–63 lower-case letters, digits or _, got \"\(name)\"")
        }
        let (config, _) = try configuration(url: url, maxConnections: 1)
        let client = PostgresClient(configuration: config)
        let run = Task { await client.run() }
        defer { run.cancel() }
        do {
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        } catch {
            throw GeneralError(.internal, "creating database \(name): \(describe(error))")
        }
        var c = URLComponents(string: url)!
        c.path = "/" + name
        return c.string!
    }

    /// The server's message for a database error (postgres-nio's own description hides it).
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return "\(m) (SQLSTATE \(e.serverInfo?[.sqlState] ?? "?"))" }
            return "\(e.code)"
        }
        return "\(error)"
    }

    // MARK: Plumbing

    /// Runs `body` in one transaction on one connection: COMMIT if it returns, ROLLBACK if it throws
    /// (the error is rethrown as it was).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { conn in
            try await conn.query("BEGIN", logger: self.logger)
            let value: T
            do {
                value = try await body(conn)
            } catch {
                _ = try? await conn.query("ROLLBACK", logger: self.logger)
                throw error
            }
            try await conn.query("COMMIT", logger: self.logger)
            return value
        }
    }

    /// The rows of a query, each readable by column name.
    func rows(_ query: PostgresQuery, on conn: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        var out: [PostgresRandomAccessRow] = []
        for try await row in try await conn.query(query, logger: logger) { out.append(row.makeRandomAccess()) }
        return out
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await client.withConnection { conn in try await self.rows(query, on: conn) }
    }

    func migrate(through last: String?) async throws {
        try await transaction { conn in
            // Workers starting together: one migrates, the others wait and find it done.
            try await conn.query("SELECT pg_advisory_xact_lock(7432001)", logger: logger)
            if let schema { try await conn.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger) }
            try await conn.query("""
                CREATE TABLE IF NOT EXISTS lastmile_migrations (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            let applied = Set(try await rows("SELECT identifier FROM lastmile_migrations", on: conn).map { try $0["identifier"].decode(String.self) })
            let upTo = last.flatMap { l in PostgresSchema.migrations.firstIndex { $0.name == l } } ?? PostgresSchema.migrations.count - 1
            for (name, sql) in PostgresSchema.migrations[...upTo] where !applied.contains(name) {
                for statement in Self.statements(sql) {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await conn.query("INSERT INTO lastmile_migrations (identifier) VALUES (\(name))", logger: logger)
            }
        }
    }

    /// The statements of a migration (each ends with ";" at the end of a line).
    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
    }

    /// Migrations applied, in the order they ran (tests).
    public func appliedMigrations() async throws -> [String] {
        try await rows("SELECT identifier FROM lastmile_migrations ORDER BY applied_at, identifier").map { try $0["identifier"].decode(String.self) }
    }
}

// MARK: - Records from rows

extension PostgresRandomAccessRow {
    func get<T: PostgresDecodable>(_ column: String, as: T.Type = T.self) throws -> T { try self[column].decode(T.self) }
}

enum PGColumns {
    static let order = "seq, order_id, group_id, pickup_point_id, customer_id, delivery_date, completed_at, body, status, cutoff_at, received_at, source, cancelled_at, cancel_reason, lines"
    static let job = "id, delivery_date, trigger, cutoff_key, scope_cutoff_at, note, state, reason, attempts, created_at, started_at, finished_at, plan_id, keep_route_ids, worker_id, lease_until"
    static let version = "id, delivery_date, version, job_id, trigger, note, created_at, orders, orders_planned, orders_unassigned, vehicles, trips, distance_m, cost"
    static let route = "plan_id, route_id, warehouse_id, vehicle_id, trip, departure, departure_at, return_time, stops, crates, grams, distance_m, cost, route_json, kept_from_plan, dispatched_at"
    static let stop = "plan_id, route_id, sequence, pickup_point_id, arrival, orders, crates, grams, order_ids"
}

extension OrderRecord {
    init(_ r: PostgresRandomAccessRow) throws {
        self.init(seq: try r.get("seq"), orderId: try r.get("order_id"), groupId: try r.get("group_id"),
                  pickupPointId: try r.get("pickup_point_id"), customerId: try r.get("customer_id"),
                  deliveryDate: try r.get("delivery_date"), completedAt: try r.get("completed_at"), body: try r.get("body"),
                  status: try r.get("status"), cutoffAt: try r.get("cutoff_at"), receivedAt: try r.get("received_at"),
                  source: try r.get("source"), cancelledAt: try r.get("cancelled_at"), cancelReason: try r.get("cancel_reason"),
                  lines: try r.get("lines"))
    }
}

extension PlanJobRecord {
    init(_ r: PostgresRandomAccessRow) throws {
        self.init(deliveryDate: try r.get("delivery_date"), trigger: try r.get("trigger"), cutoffKey: try r.get("cutoff_key"),
                  scopeCutoffAt: try r.get("scope_cutoff_at"), note: try r.get("note"), createdAt: try r.get("created_at"),
                  keepRouteIds: try r.get("keep_route_ids"))
        id = try r.get("id")
        state = try r.get("state")
        reason = try r.get("reason")
        attempts = try r.get("attempts")
        startedAt = try r.get("started_at")
        finishedAt = try r.get("finished_at")
        planId = try r.get("plan_id")
        workerId = try r.get("worker_id")
        leaseUntil = try r.get("lease_until")
    }
}

extension PlanVersionRecord {
    init(_ r: PostgresRandomAccessRow) throws {
        self.init(id: try r.get("id"), deliveryDate: try r.get("delivery_date"), version: try r.get("version"), jobId: try r.get("job_id"),
                  trigger: try r.get("trigger"), note: try r.get("note"), createdAt: try r.get("created_at"), orders: try r.get("orders"),
                  ordersPlanned: try r.get("orders_planned"), ordersUnassigned: try r.get("orders_unassigned"),
                  vehicles: try r.get("vehicles"), trips: try r.get("trips"), distanceM: try r.get("distance_m"), cost: try r.get("cost"))
    }
}

extension RouteRecord {
    init(_ r: PostgresRandomAccessRow) throws {
        self.init(planId: try r.get("plan_id"), routeId: try r.get("route_id"), warehouseId: try r.get("warehouse_id"),
                  vehicleId: try r.get("vehicle_id"), trip: try r.get("trip"), departure: try r.get("departure"),
                  departureAt: try r.get("departure_at"), returnTime: try r.get("return_time"), stops: try r.get("stops"),
                  crates: try r.get("crates"), grams: try r.get("grams"), distanceM: try r.get("distance_m"), cost: try r.get("cost"),
                  routeJson: try r.get("route_json"), keptFromPlan: try r.get("kept_from_plan"), dispatchedAt: try r.get("dispatched_at"))
    }
}

extension StopRecord {
    init(_ r: PostgresRandomAccessRow) throws {
        self.init(planId: try r.get("plan_id"), routeId: try r.get("route_id"), sequence: try r.get("sequence"),
                  pickupPointId: try r.get("pickup_point_id"), arrival: try r.get("arrival"), orders: try r.get("orders"),
                  crates: try r.get("crates"), grams: try r.get("grams"), orderIds: try r.get("order_ids"))
    }
}
