import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Planning
import Store
import Testing

@testable import Server

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let smallCity = packageRoot + "/Tests/PlanningTests/Fixtures/small-city"
}

/// A clock the test moves by hand.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var t: Int
    init(_ iso: String) { t = Timestamp.parse(iso)!.epochSeconds }
    func now() -> Int { lock.withLock { t } }
    func set(_ iso: String) { lock.withLock { t = Timestamp.parse(iso)!.epochSeconds } }
}

func temporaryDirectory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

let token = "test-write-token-0123456789"
let readToken = "test-read-token-0123456789"

/// A daemon over the small-city fixture in a temporary directory; the clock starts on the day
/// before delivery (2025-09-15, cut-off 23:00 Asia/Shanghai), the scheduler is ticked by hand.
struct Harness {
    let daemon: Daemon
    let clock: TestClock
    let dir: String

    init(_ name: String = "server", now: String = "2025-09-15T12:00:00+08:00", edit: (inout ServerConfig) -> Void = { _ in }) throws {
        dir = try temporaryDirectory(name)
        var c = ServerConfig()
        c.scenario = Paths.smallCity
        c.database = dir + "/lastmile.db"
        c.writeToken = token
        c.scheduler = false
        c.routingIterations = 0   // the greedy construction: the tests are about the daemon, not the routes
        edit(&c)
        clock = TestClock(now)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        daemon = try Daemon(config: c, clock: clock, logger: logger)
    }

    /// The same on `backend`: SQLite in the directory, or a fresh database on the PostgreSQL test
    /// server (`edit` may point `database` at an earlier harness's, to restart on it).
    static func make(_ name: String, _ backend: Backend, now: String = "2025-09-15T12:00:00+08:00",
                     edit: (inout ServerConfig) -> Void = { _ in }) async throws -> Harness {
        let dir = try temporaryDirectory(name)
        var c = ServerConfig()
        c.scenario = Paths.smallCity
        c.database = backend == .postgres ? try await PGTest.freshDatabase() : dir + "/lastmile.db"
        c.writeToken = token
        c.scheduler = false
        c.routingIterations = 0
        edit(&c)
        let clock = TestClock(now)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return Harness(daemon: try await Daemon.open(config: c, clock: clock, logger: logger), clock: clock, dir: dir)
    }

    init(daemon: Daemon, clock: TestClock, dir: String) {
        self.daemon = daemon
        self.clock = clock
        self.dir = dir
    }

    func test<T: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await daemon.application().test(setup, body)
    }
}

/// The PostgreSQL server of the tests: `LASTMILE_TEST_POSTGRES_URL`, as `.ci/run` sets it.
enum PGTest {
    static let url = ProcessInfo.processInfo.environment["LASTMILE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let howToStart: Comment = """
        no PostgreSQL server for the tests: run `export LASTMILE_TEST_POSTGRES_URL=$(tools/pg-test-cluster start)` \
        (Debian's postgresql package; a throw-away cluster on port 55432), then swift test again
        """

    static func freshDatabase() async throws -> String {
        let name = "lm_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        return try await PostgresStore.createDatabase(onServerOf: try #require(url), name: name)
    }
}

/// The stores the API tests run on: SQLite always; PostgreSQL when the test server is set
/// (without it `PostgresAPITests` says, as a skipped suite, how to start one).
enum Backend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
    static var available: [Backend] { PGTest.url == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// The fixture's orders as JSON Lines text, and one order by id.
enum Orders {
    static let text = String(decoding: FileManager.default.contents(atPath: Paths.smallCity + "/orders.jsonl")!, as: UTF8.self)
    static var lines: [String] { text.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }

    static func one(_ id: String, point: String = "P1", group: String = "G-1", qty: Int = 2, date: String = "2025-09-16") -> String {
        #"{"order_id":"\#(id)","group_id":"\#(group)","pickup_point_id":"\#(point)","customer_id":"C-9","delivery_date":"\#(date)","completed_at":"2025-09-15T10:00:00+08:00","lines":[{"sku":"VEG","qty":\#(qty)}]}"#
    }
}

extension TestClientProtocol {
    func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, auth: String? = token) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let auth { headers[.authorization] = "Bearer \(auth)" }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    var problem: ProblemDocument? { try? JSONDecoder().decode(ProblemDocument.self, from: Data(text.utf8)) }
}
