import Foundation
import Planning
import Store

/// Everything `lastmile serve` is configured with. Sources, strongest first: command-line flags,
/// environment (`LASTMILE_*`), the config file (JSON, `--config`), defaults. See docs/daemon.md.
public struct ServerConfig: Sendable {
    /// Scenario directory or scenario.json: the network, the catalogue, the default cut-off.
    public var scenario: String = "scenarios/shanghai-center"
    public var database: String = "lastmile.db"
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Spool directory watched for `*.jsonl` files; nil: no spool.
    public var spool: String?
    public var spoolIntervalSeconds: Double = 1
    /// Bearer token of every write (`LASTMILE_TOKEN`).
    public var writeToken: String = ""
    /// Optional token of reads; with `readAccess == .token` a read needs it or the write token.
    public var readToken: String?
    public var readAccess: ReadAccess = .open
    /// Cut-off waves for points whose warehouse has none of its own: local times on the day
    /// before delivery, increasing; empty: the scenario's `cutoff` alone.
    public var waves: [LocalTime] = []
    /// Per warehouse (a pickup point follows its `previous_warehouse_id`): its own waves.
    public var warehouseWaves: [String: [LocalTime]] = [:]
    public var maxBodyBytes: Int = 16 << 20
    public var maxBatchOrders: Int = 10_000
    /// A spool file may hold more orders than one HTTP batch.
    public var maxSpoolOrders: Int = 200_000
    public var seed: UInt64 = 1
    public var routingTimeLimit: Double?
    /// Routing solver iterations per warehouse (iterated local search); 0: the greedy construction alone.
    public var routingIterations: Int = PlanOptions.defaultRoutingIterations
    /// A route whose departure time has passed counts as dispatched when re-planning.
    public var departedCountsAsDispatched: Bool = true
    /// Plans at each cut-off on its own (off: only `POST /v1/plans`).
    public var scheduler: Bool = true
    public var logFormat: LogFormat = .text
    /// Tile server of the console's base map, e.g. "http://tiles.local/{z}/{x}/{y}.png"; nil: the
    /// roads of the scenario's map drawn as lines (no tile server needed).
    public var tileURL: String?
    /// Plans in a child process of this executable (`lastmile serve` sets its own path); nil:
    /// in the daemon's process (tests).
    public var planningExecutable: String?
    /// This worker's name in plan jobs (`worker_id`). Keep it stable across restarts so that a
    /// restarted worker takes its own interrupted jobs back at once; default: host name and pid.
    public var workerId: String = ServerConfig.defaultWorkerId()
    /// A claimed job's lease (renewed every third of it while planning); when a worker dies,
    /// another claims its job after at most this long.
    public var leaseSeconds: Int = 30
    /// How often the plan runner looks for jobs queued by other workers.
    public var jobPollSeconds: Double = 1
    /// Plan jobs this process runs at once, over all its regions (1–64); default: the cores.
    public var planningSlots: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public static func defaultWorkerId() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Several cities served by one daemon cluster (`regions` in the config file); empty: the
    /// one `scenario`. See docs/daemon.md, "Regions".
    public var regions: [RegionConfig] = []

    public struct RegionConfig: Sendable, Equatable {
        /// 1–32 of a–z, 0–9, _: in URLs (`/regions/{id}/…`) and the region's store name.
        public var id: String
        /// Scenario directory or scenario.json of the region.
        public var scenario: String
        public init(id: String, scenario: String) {
            self.id = id
            self.scenario = scenario
        }
    }

    public enum ReadAccess: String, Sendable { case open, token }
    public enum LogFormat: String, Sendable { case text, json }

    public init() {}

    static let fileKeys = ["scenario", "db", "host", "port", "spool", "spool_interval_seconds", "read_access", "cutoff", "waves",
                           "warehouses", "max_body_bytes", "max_batch_orders", "max_spool_orders", "seed",
                           "routing_time_limit_seconds", "routing_iterations", "departed_counts_as_dispatched", "scheduler", "log_format",
                           "tile_url", "worker_id", "lease_seconds", "job_poll_seconds", "regions", "planning_slots"]

    /// Reads a config file over the defaults. Paths in it are relative to the file's directory.
    public mutating func apply(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw GeneralError.noSuchFile(file) }
        let root: JSONNode
        do { root = try JSONParser.parse(Array(data)) } catch {
            throw InputError(file: file, line: error.line, "malformed JSON: \(error.message) (column \(error.column))")
        }
        guard case .object(let members) = root.value else { throw InputError(file: file, line: root.line, "must be a JSON object") }
        let dir = (file as NSString).deletingLastPathComponent
        func path(_ p: String) -> String { p.hasPrefix("/") || dir.isEmpty ? p : dir + "/" + p }
        for (key, node) in members {
            func bad(_ why: String) -> InputError { InputError(file: file, line: node.line, field: key, why) }
            func string() throws -> String {
                guard case .string(let s) = node.value else { throw bad("must be a string, got \(node.shortDescription)") }
                return s
            }
            func int(_ range: ClosedRange<Int>) throws -> Int {
                guard case .number(let t) = node.value, let v = Int(t), range.contains(v) else {
                    throw bad("must be an integer in \(range.lowerBound)…\(range.upperBound), got \(node.shortDescription)")
                }
                return v
            }
            func bool() throws -> Bool {
                guard case .bool(let b) = node.value else { throw bad("must be true or false, got \(node.shortDescription)") }
                return b
            }
            func number() throws -> Double {
                guard case .number(let t) = node.value, let v = Double(t), v > 0 else { throw bad("must be a positive number, got \(node.shortDescription)") }
                return v
            }
            switch key {
            case "scenario": scenario = path(try string())
            case "db":
                let db = try string()
                database = PostgresStore.isURL(db) ? db : path(db)
            case "host": host = try string()
            case "port": port = try int(0...65535)
            case "spool": spool = path(try string())
            case "spool_interval_seconds": spoolIntervalSeconds = try number()
            case "read_access":
                guard let a = ReadAccess(rawValue: try string()) else { throw bad("must be \"open\" or \"token\"") }
                readAccess = a
            case "cutoff": waves = [try Self.time(node, file: file, field: key)]
            case "waves": waves = try Self.waves(node, file: file, field: key)
            case "warehouses":
                guard case .object(let whs) = node.value else { throw bad("must be an object of warehouse id → {\"cutoff\"} or {\"waves\"}") }
                for (id, w) in whs {
                    guard case .object(let fields) = w.value, fields.count == 1, case let (k, v)? = fields.first.map({ ($0.key, $0.node) }),
                          k == "cutoff" || k == "waves" else {
                        throw InputError(file: file, line: w.line, field: "warehouses.\(id)", "must be {\"cutoff\": \"HH:MM\"} or {\"waves\": [\"HH:MM\", …]}")
                    }
                    warehouseWaves[id] = k == "cutoff" ? [try Self.time(v, file: file, field: "warehouses.\(id).cutoff")]
                        : try Self.waves(v, file: file, field: "warehouses.\(id).waves")
                }
            case "max_body_bytes": maxBodyBytes = try int(1024...(1 << 30))
            case "max_batch_orders": maxBatchOrders = try int(1...100_000)
            case "max_spool_orders": maxSpoolOrders = try int(1...10_000_000)
            case "seed": seed = UInt64(try int(0...Int.max))
            case "routing_time_limit_seconds": routingTimeLimit = try number()
            case "routing_iterations": routingIterations = try int(0...10_000_000)
            case "departed_counts_as_dispatched": departedCountsAsDispatched = try bool()
            case "scheduler": scheduler = try bool()
            case "log_format":
                guard let f = LogFormat(rawValue: try string()) else { throw bad("must be \"text\" or \"json\"") }
                logFormat = f
            case "worker_id": workerId = try Self.workerId(try string(), field: key, file: file, line: node.line)
            case "lease_seconds": leaseSeconds = try int(5...3600)
            case "job_poll_seconds": jobPollSeconds = try number()
            case "planning_slots": planningSlots = try int(1...64)
            case "regions": regions = try Self.regions(node, file: file, resolve: path)
            case "tile_url":
                let url = try string()
                guard Self.isTileURL(url) else { throw bad("must be an http(s) URL with {z}, {x} and {y}, got \"\(url)\"") }
                tileURL = url
            default:
                throw bad("unknown setting (expected one of: \(Self.fileKeys.joined(separator: ", ")))")
            }
        }
    }

    /// Environment variables over the file: LASTMILE_TOKEN, LASTMILE_READ_TOKEN, LASTMILE_READ_ACCESS,
    /// LASTMILE_SCENARIO, LASTMILE_DB, LASTMILE_HOST, LASTMILE_PORT, LASTMILE_SPOOL.
    public mutating func apply(environment env: [String: String]) throws {
        if let t = env["LASTMILE_TOKEN"] { writeToken = t }
        if let t = env["LASTMILE_READ_TOKEN"], !t.isEmpty { readToken = t }
        if let a = env["LASTMILE_READ_ACCESS"] {
            guard let r = ReadAccess(rawValue: a) else { throw InputError(field: "LASTMILE_READ_ACCESS", "must be \"open\" or \"token\", got \"\(a)\"") }
            readAccess = r
        }
        if let s = env["LASTMILE_SCENARIO"] { scenario = s }
        if let s = env["LASTMILE_DB"] { database = s }
        if let s = env["LASTMILE_HOST"] { host = s }
        if let s = env["LASTMILE_PORT"] {
            guard let p = Int(s), (0...65535).contains(p) else { throw InputError(field: "LASTMILE_PORT", "must be a port number, got \"\(s)\"") }
            port = p
        }
        if let s = env["LASTMILE_SPOOL"] { spool = s }
        if let s = env["LASTMILE_WORKER_ID"], !s.isEmpty { workerId = try Self.workerId(s, field: "LASTMILE_WORKER_ID") }
        if let s = env["LASTMILE_TILE_URL"], !s.isEmpty {
            guard Self.isTileURL(s) else { throw InputError(field: "LASTMILE_TILE_URL", "must be an http(s) URL with {z}, {x} and {y}, got \"\(s)\"") }
            tileURL = s
        }
    }

    /// Checks what no single setting can: a token is set, waves name real warehouses.
    public func validate(scenario s: Scenario) throws {
        guard writeToken.count >= 16 else {
            throw InputError(field: "LASTMILE_TOKEN", "must be set to a secret of at least 16 characters (every write needs it)")
        }
        for id in warehouseWaves.keys where s.warehouse(id) == nil {
            throw InputError(field: "warehouses.\(id)", "unknown warehouse \"\(id)\"")
        }
    }

    /// `[{"id": "sh", "scenario": "regions/sh"}, …]`: ids unique and well formed, 1–1,000 regions.
    static func regions(_ node: JSONNode, file: String, resolve: (String) -> String) throws -> [RegionConfig] {
        guard case .array(let items) = node.value, (1...1_000).contains(items.count) else {
            throw InputError(file: file, line: node.line, field: "regions", "must be an array of 1–1,000 {\"id\", \"scenario\"} objects")
        }
        var out: [RegionConfig] = []
        for (k, item) in items.enumerated() {
            let field = "regions[\(k)]"
            guard case .object(let members) = item.value else {
                throw InputError(file: file, line: item.line, field: field, "must be an object {\"id\", \"scenario\"}")
            }
            var id: String?, scenario: String?
            for (key, v) in members {
                guard case .string(let text) = v.value else {
                    throw InputError(file: file, line: v.line, field: "\(field).\(key)", "must be a string, got \(v.shortDescription)")
                }
                switch key {
                case "id": id = text
                case "scenario": scenario = resolve(text)
                default: throw InputError(file: file, line: v.line, field: "\(field).\(key)", "unknown key (expected id, scenario)")
                }
            }
            guard let id, let scenario else { throw InputError(file: file, line: item.line, field: field, "needs both \"id\" and \"scenario\"") }
            guard PostgresStore.isPlainName(id, maxLength: 32) else {
                throw InputError(file: file, line: item.line, field: "\(field).id", "must be 1–32 of a–z, 0–9 and _, got \"\(id.prefix(40))\"")
            }
            if let first = out.firstIndex(where: { $0.id == id }) {
                throw InputError(file: file, line: item.line, field: "\(field).id", "region \"\(id)\" is already regions[\(first)]")
            }
            out.append(RegionConfig(id: id, scenario: scenario))
        }
        return out
    }

    /// Where region `id` keeps its data: its own schema `region_<id>` of the PostgreSQL database,
    /// or its own SQLite file beside `database` (`lastmile.db` → `lastmile-<id>.db`).
    public func storeLocation(region id: String) -> (location: String, schema: String?) {
        if PostgresStore.isURL(database) { return (database, "region_" + id) }
        let url = URL(fileURLWithPath: database)
        let ext = url.pathExtension.isEmpty ? "db" : url.pathExtension
        return (url.deletingPathExtension().path + "-" + id + "." + ext, nil)
    }

    static func time(_ node: JSONNode, file: String, field: String) throws -> LocalTime {
        guard case .string(let s) = node.value, let t = LocalTime.parse(s) else {
            throw InputError(file: file, line: node.line, field: field, "must be a local time \"HH:MM\", got \(node.shortDescription)")
        }
        return t
    }

    static func waves(_ node: JSONNode, file: String, field: String) throws -> [LocalTime] {
        guard case .array(let items) = node.value, !items.isEmpty else {
            throw InputError(file: file, line: node.line, field: field, "must be a non-empty array of local times \"HH:MM\"")
        }
        let times = try items.enumerated().map { try time($1, file: file, field: "\(field)[\($0)]") }
        for k in times.indices.dropFirst() where times[k] <= times[k - 1] {
            throw InputError(file: file, line: items[k].line, field: "\(field)[\(k)]", "waves must be in increasing order: \(times[k]) is not after \(times[k - 1])")
        }
        return times
    }

    /// 1–100 characters: letters, digits, `.`, `-`, `_`, `:`, `@`.
    public static func workerId(_ s: String, field: String, file: String? = nil, line: Int? = nil) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:@")
        guard (1...100).contains(s.count), s.allSatisfy(allowed.contains) else {
            throw InputError(file: file, line: line, field: field, "must be 1–100 letters, digits or . - _ : @, got \"\(s.prefix(120))\"")
        }
        return s
    }

    /// A tile URL template: http or https, with the {z}, {x} and {y} placeholders, at most 500 bytes.
    static func isTileURL(_ s: String) -> Bool {
        (s.hasPrefix("http://") || s.hasPrefix("https://")) && s.utf8.count <= 500
            && ["{z}", "{x}", "{y}"].allSatisfy(s.contains) && !s.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" || $0.isWhitespace })
    }
}
