import Console
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Planning
import RoadNetwork
import ServiceLifecycle
import Synchronization

/// What the console's endpoints keep between requests: where its files are, the optional tile
/// server, and the base-map layers already drawn (one per zoom band).
public final class ConsoleState: Sendable {
    public let assets: ConsoleAssets
    public let tileURL: String?
    private let roadLayers = Mutex([Int: [UInt8]]())

    public init(assets: ConsoleAssets = ConsoleAssets.locate(), tileURL: String? = nil) {
        self.assets = assets
        self.tileURL = tileURL
    }

    /// What edits of a published version are evaluated against (its plan.json, orders and their
    /// indexes never change for a version); the newest few versions.
    private let bases = Mutex([(id: Int64, base: PlanEditBase)]())
    private let travelMatrix = Mutex<TravelMatrix?>(nil)

    func cachedBase(_ id: Int64) -> PlanEditBase? { bases.withLock { p in p.first { $0.id == id }?.base } }

    func cache(_ id: Int64, _ base: PlanEditBase) {
        bases.withLock { p in
            p.removeAll { $0.id == id }
            p.append((id, base))
            if p.count > 4 { p.removeFirst(p.count - 4) }
        }
    }

    /// The scenario's travel matrix, computed on first use (every edit of every day uses it).
    func matrix(_ make: () throws -> TravelMatrix) throws -> TravelMatrix {
        if let m = travelMatrix.withLock({ $0 }) { return m }
        let m = try make()
        travelMatrix.withLock { $0 = m }
        return m
    }

    func roadLayer(band: Int, make: () -> [UInt8]) -> [UInt8] {
        if let cached = roadLayers.withLock({ $0[band] }) { return cached }
        let made = make()
        roadLayers.withLock { $0[band] = made }
        return made
    }
}

extension API {
    func addConsoleRoutes(to router: RouteCollection<BasicRequestContext>) {
        router.get("/") { r, _ in try self.consoleFile(r, "index.html") }
        router.get("/console/**") { r, c in try self.consoleFile(r, c.parameters.getCatchAll().joined(separator: "/")) }
        router.get("/vendor/leaflet/**") { _, c in try self.leafletFile(c.parameters.getCatchAll().joined(separator: "/")) }
        router.get("/v1/console/config") { r, _ in try self.consoleConfig(r) }
        router.post("/v1/session") { r, _ in try self.startReadSession(r) }
        router.delete("/v1/session") { _, _ in self.endReadSession() }
        router.get("/v1/scenario") { r, _ in try self.auth.requireRead(r); return try self.json(self.scenario) }
        router.get("/v1/map/roads") { r, _ in try self.roads(r) }
        router.get("/v1/events") { r, _ in try self.eventStream(r) }
        router.get("/v1/plans/:id/documents") { r, c in try await self.documents(r, try c.parameters.require("id")) }
    }

    /// The page itself is open (it holds no data); everything it shows comes through the API.
    func consoleFile(_ request: Request, _ path: String) throws -> Response {
        guard let asset = console.assets.console(path) else {
            if path == "index.html" {
                throw APIError.notFound("the console's files are not installed (looked in \(console.assets.root)); set LASTMILE_CONSOLE_DIR")
            }
            throw APIError.notFound("no console file \"\(path)\"")
        }
        return asset.response(cache: "no-cache")
    }

    func leafletFile(_ path: String) throws -> Response {
        guard console.assets.leafletRoot != nil else {
            throw APIError.notFound("Leaflet is not installed: apt-get install libjs-leaflet, then restart lastmile serve")
        }
        guard let asset = console.assets.leaflet(path) else { throw APIError.notFound("no Leaflet file \"\(path)\"") }
        return asset.response(cache: "max-age=86400")
    }

    struct ConsoleConfig: Encodable {
        var leaflet: Bool
        var leafletHint: String
        var tileURL: String?
        var readAccess: String
        var attribution: String
        var timeZone: String
        var today: String
        var scenario: String
        var city: String
        var roads: Bool
        enum CodingKeys: String, CodingKey {
            case leaflet, attribution, today, scenario, city, roads
            case leafletHint = "leaflet_hint", tileURL = "tile_url", readAccess = "read_access", timeZone = "time_zone"
        }
    }

    /// Open like the page: it says only how to talk to the rest.
    /// A read session for this browser: with a read or write bearer token, a session cookie
    /// (HttpOnly, SameSite=Strict, until the browser closes and for at most 12 hours, on every
    /// worker with the same tokens) that lets GET requests read, so that printable pages and their
    /// relative links open as plain links. Writes still need the token.
    func startReadSession(_ request: Request) throws -> Response {
        try auth.requireReadToken(request)
        let value = auth.readSession(expires: auth.clock.now() + Auth.readSessionSeconds)
        return Response(status: .noContent, headers: [.setCookie: "\(Auth.readSessionCookie)=\(value); Path=/; HttpOnly; SameSite=Strict"])
    }

    func endReadSession() -> Response {
        Response(status: .noContent, headers: [.setCookie: "\(Auth.readSessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"])
    }

    func consoleConfig(_ request: Request) throws -> Response {
        try json(ConsoleConfig(
            leaflet: console.assets.leafletRoot != nil, leafletHint: "apt-get install libjs-leaflet, then restart lastmile serve",
            tileURL: console.tileURL, readAccess: auth.readOpen ? "open" : "token", attribution: "© OpenStreetMap contributors",
            timeZone: scenario.timeZone, today: calendar.localDate(clock.now()).description, scenario: scenario.name,
            city: scenario.city, roads: runner.setup.travel.provider is RoadNetworkProvider))
    }

    struct DocumentList: Encodable {
        var planId: Int64
        var documents: [String]
        enum CodingKeys: String, CodingKey {
            case documents
            case planId = "plan_id"
        }
    }

    func documents(_ request: Request, _ id: String) async throws -> Response {
        try auth.requireRead(request)
        let pid = try planId(id)
        guard try await store.planVersion(id: pid) != nil else { throw APIError.notFound("no plan \"\(id)\"") }
        return try json(DocumentList(planId: pid, documents: try await store.listPaths(planId: pid)))
    }

    // MARK: Base map

    /// Zoom band → (least road rank drawn, simplification tolerance in metres).
    static func roadBand(zoom: Int) -> (band: Int, rank: Int, toleranceMetres: Double) {
        zoom <= 12 ? (0, 2, 25) : zoom <= 14 ? (1, 1, 8) : (2, 0, 2)
    }

    /// The roads of the scenario's OSM extract as GeoJSON lines, simplified for the zoom; built
    /// once per band and cached (the graph does not change while the daemon runs).
    func roads(_ request: Request) throws -> Response {
        try auth.requireRead(request)
        var zoom = 14
        if let z = request.uri.queryParameters.get("zoom") {
            guard let v = Int(z), (0...22).contains(v) else { throw APIError.input("must be an integer 0…22, got \"\(z)\"", field: "zoom") }
            zoom = v
        }
        let b = Self.roadBand(zoom: zoom)
        let map = (runner.setup.travel.provider as? RoadNetworkProvider)?.map
        let bytes = console.roadLayer(band: map == nil ? -1 : b.band) {
            guard let map else { return Array(#"{"type": "FeatureCollection", "features": []}"#.utf8) }
            return Array(Self.roadsGeoJSON(map.roadLines(minimumRank: b.rank, toleranceMetres: b.toleranceMetres)).utf8)
        }
        let tag = "\"roads-\(map.map { String($0.key.prefix(16)) } ?? "none")-\(b.band)\""
        if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: [.eTag: tag]) }
        return Response(status: .ok, headers: [.contentType: "application/geo+json", .eTag: tag, .cacheControl: "max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func roadsGeoJSON(_ lines: [RoadLine]) -> String {
        let classes = ["local", "collector", "arterial"]
        var out = #"{"type": "FeatureCollection", "features": ["#
        for (i, l) in lines.enumerated() {
            if i > 0 { out += "," }
            out += #"{"type":"Feature","properties":{"class":""# + classes[l.rank] + #"","speed_kmh":\#(l.speedKmh)},"#
            out += #""geometry":{"type":"LineString","coordinates":["#
            out += l.points.map { "[\(fixed5($0.lon)),\(fixed5($0.lat))]" }.joined(separator: ",")
            out += "]}}"
        }
        return out + "]}\n"
    }

    /// Five decimals: about a metre, enough for a drawn road.
    static func fixed5(_ x: Double) -> String {
        let scaled = (x * 100_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let a = Int(abs(scaled))
        let frac = String(a % 100_000)
        return "\(sign)\(a / 100_000).\(String(repeating: "0", count: 5 - frac.count))\(frac)"
    }

    // MARK: Live updates

    /// Server-sent events: "plan" when a version is published, "job" when a plan job changes
    /// state, a comment every 15 s so that proxies keep the stream open.
    func eventStream(_ request: Request) throws -> Response {
        try auth.requireRead(request)
        let hub = runner.events
        let (id, stream) = hub.subscribe()
        let body = ResponseBody { writer in
            defer { hub.unsubscribe(id) }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            let (frames, feed) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
            // The HTTP server stops first at shutdown and waits for its open requests: the stream
            // must end on the server's own signal (the hub is finished only after the server).
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await e in stream { feed.yield(e.frame) }
                        feed.finish()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(15))
                            feed.yield(": keep-alive\n\n")
                        }
                    }
                    for await text in frames { try await writer.write(ByteBuffer(string: text)) }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                feed.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}

extension ConsoleAssets.Asset {
    func response(cache: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: cache, .init("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
