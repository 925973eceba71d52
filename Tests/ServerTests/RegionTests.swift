import Foundation
import HummingbirdTesting
import Logging
import Planning
import Store
import Testing

@testable import Server

/// Two regions in one daemon: the small city, and a copy of it whose pickup points are Q1… and
/// orders QO-… (warehouse ids may repeat: each region has its own store).
struct TwoRegions {
    let host: RegionHost
    let clock: TestClock

    static func secondCity(in dir: String) throws -> (scenario: String, orders: String) {
        var text = String(decoding: FileManager.default.contents(atPath: Paths.smallCity + "/scenario.json")!, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"id\": \"P", with: "\"id\": \"Q")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        json.removeValue(forKey: "map")   // straight lines
        json["name"] = "second-city"
        let path = dir + "/second-city"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path + "/scenario.json"))
        let orders = Orders.lines.map {
            $0.replacingOccurrences(of: "\"pickup_point_id\": \"P", with: "\"pickup_point_id\": \"Q")
                .replacingOccurrences(of: "\"order_id\": \"", with: "\"order_id\": \"Q")
        }
        return (path, orders.joined(separator: "\n"))
    }

    static func make(_ backend: Backend, edit: (inout ServerConfig) -> Void = { _ in }) async throws -> (TwoRegions, String) {
        let dir = try temporaryDirectory("regions")
        let (second, orders) = try secondCity(in: dir)
        var c = ServerConfig()
        c.regions = [.init(id: "sh", scenario: Paths.smallCity), .init(id: "qq", scenario: second)]
        c.database = backend == .postgres ? try await PGTest.freshDatabase() : dir + "/lastmile.db"
        c.writeToken = token
        c.scheduler = false
        c.routingIterations = 0
        c.planningSlots = 1
        edit(&c)
        let clock = TestClock("2025-09-15T12:00:00+08:00")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return (TwoRegions(host: try await RegionHost.open(config: c, clock: clock, logger: logger), clock: clock), orders)
    }

    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await host.application().test(.router, body)
    }
}

@Suite struct RegionTests {
    @Test(arguments: Backend.available) func ordersFindTheirRegionAndEachRegionPlansOnItsOwn(_ backend: Backend) async throws {
        let (net, secondOrders) = try await TwoRegions.make(backend)
        try await net.test { c async throws in
            // One endpoint for every region: the batch's pickup points say where it goes.
            #expect(try await c.send(.post, "/v1/orders", Orders.text).status == .created)
            #expect(try await c.send(.post, "/v1/orders", secondOrders).status == .created)
            #expect(try await c.send(.get, "/regions/sh/v1/orders?delivery_date=2025-09-16").json["total"] as? Int == 48)
            #expect(try await c.send(.get, "/regions/qq/v1/orders?delivery_date=2025-09-16").json["total"] as? Int == 48)
            #expect(try await c.send(.get, "/regions/sh/v1/orders/QO-001").status.code == 404)
            // A batch of two regions is refused whole, naming the lines.
            let mixed = Orders.lines[0] + "\n" + secondOrders.split(separator: "\n")[1]
            let r = try await c.send(.post, "/v1/orders", mixed)
            #expect(r.status.code == 422 && r.problem?.errors?.first?.pointer == "/1/pickup_point_id")
            #expect(r.problem?.detail.hasPrefix("a batch holds the orders of one region: line 1 is for region \"sh\" (pickup point P") == true)
            // Each region plans its own orders; plan ids are the region's own (both are 1).
            for region in ["sh", "qq"] {
                let job = try await c.send(.post, "/regions/\(region)/v1/plans?wait=60", #"{"delivery_date": "2025-09-16"}"#).json
                #expect(job["state"] as? String == "done" && job["plan_id"] as? Int == 1, "\(region)")
                let plan = try JSONDecoder().decode(Plan.self, from: Data(try await c.send(.get, "/regions/\(region)/v1/plans/1").text.utf8))
                let points = Set(plan.routes.flatMap(\.stops).map(\.pickupPointId))
                #expect(!points.isEmpty && points.allSatisfy { $0.hasPrefix(region == "sh" ? "P" : "Q") }, "\(region)")
                #expect(plan.totals.orders == 48)
            }
            let regions = try #require(try await c.send(.get, "/v1/regions").json["regions"] as? [[String: Any]])
            #expect(regions.compactMap { $0["id"] as? String } == ["sh", "qq"])
            #expect(regions.first?["console"] as? String == "/regions/sh/")
            let health = try #require(try await c.send(.get, "/v1/health").json["regions"] as? [[String: Any]])
            #expect(health.compactMap { $0["orders"] as? Int } == [48, 48])
            // Each region's console, with the shared assets at the top.
            #expect(try await c.send(.get, "/regions/qq/").text.contains("/console/js/boot.js"))
            #expect(try await c.send(.get, "/console/js/api.js").status == .ok)
            #expect(try await c.send(.get, "/").text.contains("href=\"/regions/qq/\""))
        }
    }

    @Test func aPointInTwoRegionsIsRefusedAtStart() async throws {
        await #expect(throws: InputError(field: "regions[1]", "pickup point \"P1\" is in region \"a\" and in region \"b\": point ids must be unique over all regions")) {
            var c = ServerConfig()
            c.regions = [.init(id: "a", scenario: Paths.smallCity), .init(id: "b", scenario: Paths.smallCity)]
            c.database = try temporaryDirectory("regions-dup") + "/lastmile.db"
            c.writeToken = token
            _ = try await RegionHost.open(config: c, logger: Logger(label: "test"))
        }
    }

    @Test func theRegionsListIsCheckedInTheConfigFile() throws {
        let dir = try temporaryDirectory("regions-config")
        let file = dir + "/config.json"
        try Data(#"{"regions": [{"id": "sh", "scenario": "a"}, {"id": "Bad-Id", "scenario": "b"}]}"#.utf8).write(to: URL(fileURLWithPath: file))
        var c = ServerConfig()
        #expect(throws: InputError(file: file, line: 1, field: "regions[1].id", "must be 1–32 of a–z, 0–9 and _, got \"Bad-Id\"")) {
            try c.apply(file: file)
        }
        try Data(#"{"regions": [{"id": "sh", "scenario": "sh"}], "db": "postgres://u@h/db"}"#.utf8).write(to: URL(fileURLWithPath: file))
        try c.apply(file: file)
        #expect(c.regions == [.init(id: "sh", scenario: dir + "/sh")] && c.database == "postgres://u@h/db")
        #expect(c.storeLocation(region: "sh") == ("postgres://u@h/db", "region_sh"))
        c.database = "/var/lib/lastmile/lastmile.db"
        #expect(c.storeLocation(region: "sh") == ("/var/lib/lastmile/lastmile-sh.db", nil))
    }
}
