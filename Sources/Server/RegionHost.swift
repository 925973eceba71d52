import Foundation
import Hummingbird
import Logging
import NIOCore
import Planning
import ServiceLifecycle
import Store

/// One `lastmile serve` process serving several regions (cities) at once: each region is a
/// `Daemon` of its own — its scenario, its store (a schema of the PostgreSQL database, or an
/// SQLite file of its own), its cut-off scheduler and plan runner — under `/regions/{id}/…`.
/// The regions' runners share the process's planning slots. An order's region follows from its
/// pickup point: pickup point ids are unique over all regions (checked at start), so
/// `POST /v1/orders` finds the region of a batch itself.
///
/// Ids: order ids are unique within a region (its own table); plan, job and route ids are the
/// region's own and are always addressed under its prefix, so equal numbers in two regions never
/// meet. A batch sent to `POST /v1/orders` holds one region's orders (one transaction, stored whole
/// or not at all).
public struct RegionHost: Sendable {
    public let config: ServerConfig
    /// In the config's order.
    public let regions: [(id: String, daemon: Daemon)]
    let regionOfPoint: [String: Int]
    public let metrics: ServerMetrics
    public let logger: Logger

    public static func open(config: ServerConfig, clock: any WallClock = SystemClock(), logger: Logger,
                            metrics: ServerMetrics = ServerMetrics()) async throws -> RegionHost {
        let slots = PlanningSlots(config.planningSlots)
        var regions: [(id: String, daemon: Daemon)] = []
        var regionOfPoint: [String: Int] = [:]
        var wavesUsed = Set<String>()
        for (k, region) in config.regions.enumerated() {
            var c = config
            c.scenario = region.scenario
            c.regions = []
            c.spool = nil
            // Per-warehouse waves name warehouses of some region: each region takes its own.
            let warehouses = Set(try ScenarioLoader.load(path: region.scenario).scenario.warehouses.map(\.id))
            c.warehouseWaves = config.warehouseWaves.filter { warehouses.contains($0.key) }
            wavesUsed.formUnion(c.warehouseWaves.keys)
            let (location, schema) = config.storeLocation(region: region.id)
            c.database = location
            var log = logger
            log[metadataKey: "region"] = "\(region.id)"
            // Few connections per region: a worker serves many regions from one server's limit.
            let store = try await openStore(location, schema: schema, maxConnections: 4)
            let daemon = try Daemon(config: c, store: store, clock: clock, logger: log, metrics: metrics, slots: slots)
            for p in daemon.scenario.pickupPoints {
                if let other = regionOfPoint[p.id] {
                    throw InputError(field: "regions[\(k)]", "pickup point \"\(p.id)\" is in region \"\(regions[other].id)\" and in region \"\(region.id)\": point ids must be unique over all regions")
                }
                regionOfPoint[p.id] = k
            }
            regions.append((region.id, daemon))
        }
        if let unknown = config.warehouseWaves.keys.sorted().first(where: { !wavesUsed.contains($0) }) {
            throw InputError(field: "warehouses.\(unknown)", "unknown warehouse \"\(unknown)\" (in no region)")
        }
        return RegionHost(config: config, regions: regions, regionOfPoint: regionOfPoint, metrics: metrics, logger: logger)
    }

    public func daemon(_ id: String) -> Daemon? { regions.first { $0.id == id }?.daemon }

    public var services: [any Service] { regions.flatMap(\.daemon.services) }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        let first = regions[0].daemon.api
        router.get("/v1/health") { _, _ in try await self.health() }
        router.get("/v1/regions") { r, _ in try first.auth.requireRead(r); return try first.json(self.regionList()) }
        router.get("/metrics") { r, _ in try first.auth.requireRead(r); return first.text(self.metrics.text(), type: "text/plain; version=0.0.4") }
        router.post("/v1/orders") { r, _ in try await self.postOrders(r) }
        router.get("/") { r, _ in try first.auth.requireRead(r); return first.text(self.indexPage(), type: "text/html; charset=utf-8") }
        router.get("/console/**") { r, c in try first.consoleFile(r, c.parameters.getCatchAll().joined(separator: "/")) }
        router.get("/vendor/leaflet/**") { _, c in try first.leafletFile(c.parameters.getCatchAll().joined(separator: "/")) }
        router.post("/v1/solve") { r, _ in try await first.solveVroom(r) }
        for (id, daemon) in regions { router.addRoutes(daemon.api.routes(), atPath: RouterPath("/regions/\(id)")) }
        return router
    }

    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(config.host, port: config.port), serverName: "lastmile"),
                    services: services, onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    // MARK: Routes

    struct RegionHealth: Encodable {
        var id: String
        var orders: Int
        var planJobs: [String: Int]
        enum CodingKeys: String, CodingKey { case id, orders, planJobs = "plan_jobs" }
    }

    struct Health: Encodable {
        var status = "ok"
        var version = LastmileVersion.string
        var regions: [RegionHealth]
    }

    func health() async throws -> Response {
        var out: [RegionHealth] = []
        for (id, d) in regions { out.append(RegionHealth(id: id, orders: try await d.store.orderCount(), planJobs: try await d.store.jobCounts())) }
        return try regions[0].daemon.api.json(Health(regions: out))
    }

    struct RegionView: Encodable {
        var id: String
        var name: String
        var city: String
        var warehouses: Int
        var pickupPoints: Int
        var console: String
        var api: String
        enum CodingKeys: String, CodingKey { case id, name, city, warehouses, console, api, pickupPoints = "pickup_points" }
    }

    func regionList() -> [String: [RegionView]] {
        ["regions": regions.map { id, d in
            RegionView(id: id, name: d.scenario.name, city: d.scenario.city, warehouses: d.scenario.warehouses.count,
                       pickupPoints: d.scenario.pickupPoints.count, console: "/regions/\(id)/", api: "/regions/\(id)/v1")
        }]
    }

    func indexPage() -> String {
        let items = regions.map { id, d in
            "<li><a href=\"/regions/\(id)/\">\(Self.escape(d.scenario.city))</a> <code>\(id)</code> — "
                + "\(d.scenario.warehouses.count) 网格仓 warehouses, \(d.scenario.pickupPoints.count) 自提点 pickup points</li>"
        }
        return """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
            <title>Lastmile — 区域 regions</title><link rel="stylesheet" href="/console/style.css"></head>
            <body><main class="regions"><h1>区域 Regions</h1><ul data-testid="regions">\(items.joined())</ul></main></body></html>
            """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Finds the batch's region from the pickup points of its lines and stores it there; a batch
    /// with the orders of two regions is refused (422), naming the first line of each.
    func postOrders(_ request: Request) async throws -> Response {
        let first = regions[0].daemon.api
        try first.auth.requireWrite(request)
        let bytes = try await first.body(request)
        var region: (index: Int, line: Int, point: String)?
        var lineNo = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            guard let point = Self.pickupPoint(in: line), let k = regionOfPoint[point] else { continue }
            guard let r = region else {
                region = (k, lineNo, point)
                continue
            }
            if r.index != k {
                throw APIError(.input, "a batch holds the orders of one region: line \(r.line) is for region \"\(regions[r.index].id)\" "
                               + "(pickup point \(r.point)), line \(lineNo) for region \"\(regions[k].id)\" (pickup point \(point)); "
                               + "send each region's orders in a batch of its own, or to /regions/{id}/v1/orders",
                               errors: [ProblemDocument.ItemError(pointer: "/\(lineNo - 1)/pickup_point_id", detail: "pickup point \(point) is in region \"\(regions[k].id)\"")])
            }
        }
        // No known point at all: the first region's validation names every unknown point.
        return try await regions[region?.index ?? 0].daemon.api.storeBatch(bytes)
    }

    /// The `pickup_point_id` of one JSON line, read without parsing the rest (nil if absent or
    /// escaped: the region's own parser then reports it).
    static func pickupPoint(in line: ArraySlice<UInt8>) -> String? {
        let key = Array("\"pickup_point_id\"".utf8)
        guard let at = line.firstRange(of: key) else { return nil }
        var i = at.upperBound
        func skipSpace() { while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 { i += 1 } }
        skipSpace()
        guard i < line.endIndex, line[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        skipSpace()
        guard i < line.endIndex, line[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        while i < line.endIndex, line[i] != UInt8(ascii: "\"") {
            if line[i] == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        guard i < line.endIndex else { return nil }
        return String(decoding: line[start..<i], as: UTF8.self)
    }
}
