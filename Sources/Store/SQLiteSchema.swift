import GRDB

/// The SQLite schema (PostgreSQL's is `PostgresSchema`, with the same migrations by name), written first and changed only by appending migrations: a migration that
/// has landed on main is never edited (databases in the field have already run it). Money is
/// integer cents, instants integer seconds since the epoch (UTC), dates "YYYY-MM-DD" text.
public enum SQLiteSchema {
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration(Migrations.v1) { db in
            try db.execute(sql: """
                -- Every accepted completed group order. `seq` orders the book as it arrived (paging);
                -- `body` is the canonical JSON (sorted keys, lines sorted by SKU) compared byte for byte
                -- to tell a repeated order (no-op) from a different order under a known id (409).
                CREATE TABLE orders (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    order_id TEXT NOT NULL UNIQUE,
                    group_id TEXT NOT NULL,
                    pickup_point_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    delivery_date TEXT NOT NULL,
                    completed_at TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
                    cutoff_at INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    cancelled_at INTEGER,
                    cancel_reason TEXT
                );
                CREATE INDEX orders_by_date ON orders(delivery_date, seq);
                CREATE INDEX orders_by_group ON orders(group_id);
                CREATE INDEX orders_by_cutoff ON orders(delivery_date, cutoff_at);

                CREATE TABLE order_lines (
                    order_id TEXT NOT NULL REFERENCES orders(order_id),
                    line_no INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    qty INTEGER NOT NULL CHECK (qty > 0),
                    PRIMARY KEY (order_id, line_no)
                ) WITHOUT ROWID;

                -- A plan job is queued, running, done or failed. `cutoff_key` makes the job of one
                -- cut-off unique (the scheduler may look twice); `scope_cutoff_at` limits it to orders
                -- frozen by then (NULL: every active order of the day).
                CREATE TABLE plan_jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_date TEXT NOT NULL,
                    trigger TEXT NOT NULL CHECK (trigger IN ('cutoff', 'manual', 'replan')),
                    cutoff_key TEXT UNIQUE,
                    scope_cutoff_at INTEGER,
                    note TEXT,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
                    reason TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER,
                    plan_id INTEGER
                );
                CREATE INDEX plan_jobs_by_state ON plan_jobs(state, id);

                -- A plan version of a delivery day, written in one transaction with its routes,
                -- stops and lists, and with its job marked done.
                CREATE TABLE plan_versions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_date TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    job_id INTEGER NOT NULL REFERENCES plan_jobs(id),
                    trigger TEXT NOT NULL,
                    note TEXT,
                    created_at INTEGER NOT NULL,
                    orders INTEGER NOT NULL,
                    orders_planned INTEGER NOT NULL,
                    orders_unassigned INTEGER NOT NULL,
                    vehicles INTEGER NOT NULL,
                    trips INTEGER NOT NULL,
                    distance_m INTEGER NOT NULL,
                    cost INTEGER NOT NULL,
                    UNIQUE (delivery_date, version)
                );

                CREATE TABLE routes (
                    plan_id INTEGER NOT NULL REFERENCES plan_versions(id),
                    route_id TEXT NOT NULL,
                    warehouse_id TEXT NOT NULL,
                    vehicle_id TEXT NOT NULL,
                    trip INTEGER NOT NULL,
                    departure TEXT NOT NULL,
                    departure_at INTEGER NOT NULL,
                    return_time TEXT NOT NULL,
                    stops INTEGER NOT NULL,
                    crates INTEGER NOT NULL,
                    grams INTEGER NOT NULL,
                    distance_m INTEGER NOT NULL,
                    cost INTEGER NOT NULL,
                    route_json TEXT NOT NULL,
                    kept_from_plan INTEGER,
                    dispatched_at INTEGER,
                    PRIMARY KEY (plan_id, route_id)
                ) WITHOUT ROWID;

                CREATE TABLE stops (
                    plan_id INTEGER NOT NULL,
                    route_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    pickup_point_id TEXT NOT NULL,
                    arrival TEXT NOT NULL,
                    orders INTEGER NOT NULL,
                    crates INTEGER NOT NULL,
                    grams INTEGER NOT NULL,
                    order_ids TEXT NOT NULL,
                    PRIMARY KEY (plan_id, route_id, sequence),
                    FOREIGN KEY (plan_id, route_id) REFERENCES routes(plan_id, route_id)
                ) WITHOUT ROWID;

                -- Every published document of a plan version (plan.json, routes.geojson, pick lists,
                -- sort sheets, loading lists, handover sheets), by its path in the plan directory.
                CREATE TABLE lists (
                    plan_id INTEGER NOT NULL REFERENCES plan_versions(id),
                    path TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    body BLOB NOT NULL,
                    PRIMARY KEY (plan_id, path)
                ) WITHOUT ROWID;

                -- Vans a dispatcher took out of service for a delivery day.
                CREATE TABLE vehicle_outages (
                    delivery_date TEXT NOT NULL,
                    vehicle_id TEXT NOT NULL,
                    since INTEGER NOT NULL,
                    reason TEXT,
                    PRIMARY KEY (delivery_date, vehicle_id)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration(Migrations.v2) { db in
            // SQLite cannot widen a CHECK in place: the table is rebuilt (GRDB runs migrations
            // with foreign keys off and checks them after).
            try db.execute(sql: """
                CREATE TABLE plan_jobs_v2 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_date TEXT NOT NULL,
                    trigger TEXT NOT NULL CHECK (trigger IN ('cutoff', 'manual', 'replan', 'reoptimise', 'edit')),
                    cutoff_key TEXT UNIQUE,
                    scope_cutoff_at INTEGER,
                    note TEXT,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
                    reason TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER,
                    plan_id INTEGER,
                    -- A re-optimisation keeps these routes of the day's current version exactly as
                    -- they are (JSON array of route ids), besides the dispatched ones; NULL: only those.
                    keep_route_ids TEXT
                );
                INSERT INTO plan_jobs_v2 (id, delivery_date, trigger, cutoff_key, scope_cutoff_at, note, state, reason, attempts,
                                          created_at, started_at, finished_at, plan_id)
                    SELECT id, delivery_date, trigger, cutoff_key, scope_cutoff_at, note, state, reason, attempts,
                           created_at, started_at, finished_at, plan_id FROM plan_jobs;
                DROP TABLE plan_jobs;
                ALTER TABLE plan_jobs_v2 RENAME TO plan_jobs;
                CREATE INDEX plan_jobs_by_state ON plan_jobs(state, id);
                """)
        }
        m.registerMigration(Migrations.v3) { db in
            try db.execute(sql: """
                -- The worker that holds a running job, and until when (seconds since the epoch): a
                -- job whose lease passed is claimed again by any worker.
                ALTER TABLE plan_jobs ADD COLUMN worker_id TEXT;
                ALTER TABLE plan_jobs ADD COLUMN lease_until INTEGER;
                """)
        }
        m.registerMigration(Migrations.v4) { db in
            try db.execute(sql: """
                -- An order's lines move into its row (`OrderLinesColumn`): [[sku, qty], …] in the
                -- order they were sent.
                ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
                UPDATE orders SET lines = (
                    SELECT '[' || group_concat(pair, ',') || ']'
                    FROM (SELECT '[' || json_quote(l.sku) || ',' || l.qty || ']' AS pair FROM order_lines l
                          WHERE l.order_id = orders.order_id ORDER BY l.line_no))
                WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = orders.order_id);
                DROP TABLE order_lines;
                """)
        }
        return m
    }
}

/// The names of the migrations both schemas run, in order (append only).
public enum Migrations {
    public static let v1 = "v1: orders, plan jobs, plan versions, routes, stops, lists"
    public static let v2 = "v2: re-optimisation and edit jobs; plan jobs name the routes they keep"
    public static let v3 = "v3: plan jobs are claimed by a worker under a lease"
    public static let v4 = "v4: an order's lines are kept in its row"
    public static let all = [v1, v2, v3, v4]
}
