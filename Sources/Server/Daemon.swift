import Foundation
import Hummingbird
import Logging
import NIOCore
import Planning
import ServiceLifecycle
import Store

/// The dispatch daemon: the HTTP API, the plan runner, the cut-off scheduler and the spool
/// watcher, run as one service group that shuts down gracefully on SIGTERM and SIGINT.
public struct Daemon: Sendable {
    public let config: ServerConfig
    public let store: any Store
    public let api: API
    public let runner: PlanRunner
    public let scheduler: Scheduler
    public let spool: SpoolWatcher?
    public let ingest: IngestService
    public let calendar: CutoffCalendar
    public let scenario: Scenario
    public let metrics: ServerMetrics
    public let logger: Logger

    /// Opens the store `config.database` names (a file, or a PostgreSQL URL) and builds the daemon on it.
    public static func open(config: ServerConfig, clock: any WallClock = SystemClock(), logger: Logger,
                            metrics: ServerMetrics = ServerMetrics()) async throws -> Daemon {
        try await Daemon(config: config, store: openStore(config.database), clock: clock, logger: logger, metrics: metrics)
    }

    /// The daemon on an SQLite file (`config.database` is its path).
    public init(config: ServerConfig, clock: any WallClock = SystemClock(), logger: Logger, metrics: ServerMetrics = ServerMetrics()) throws {
        try self.init(config: config, store: SQLiteStore(path: config.database), clock: clock, logger: logger, metrics: metrics)
    }

    /// `slots`: shared by the regions of one process (`RegionHost`); nil: `config.planningSlots` of its own.
    public init(config: ServerConfig, store: any Store, clock: any WallClock = SystemClock(), logger: Logger,
                metrics: ServerMetrics = ServerMetrics(), slots: PlanningSlots? = nil) throws {
        let (scenario, file) = try ScenarioLoader.load(path: config.scenario)
        try config.validate(scenario: scenario)
        let calendar = try CutoffCalendar(scenario: scenario, config: config)
        var planning = scenario
        planning.cutoff = calendar.latest
        var options = PlanOptions.routing(seed: config.seed, iterations: config.routingIterations)
        options.routingTimeLimit = config.routingTimeLimit
        let setup = PlanningSetup(scenario: planning, travel: try TravelTimes.choose(for: scenario, scenarioFile: file), options: options,
                                  child: config.planningExecutable.map { PlanChild.Launch(executable: $0, scenarioFile: file) })
        let runner = PlanRunner(store: store, setup: setup, clock: clock, logger: logger, metrics: metrics,
                                departedCountsAsDispatched: config.departedCountsAsDispatched,
                                events: EventHub(relayed: store.sharedByWorkers), workerId: config.workerId,
                                leaseSeconds: config.leaseSeconds, pollInterval: .milliseconds(Int(config.jobPollSeconds * 1000)),
                                slots: slots ?? PlanningSlots(config.planningSlots))
        let ingest = IngestService(store: store, ingestor: Ingestor(scenario: scenario, calendar: calendar), clock: clock, metrics: metrics,
                                   limits: Limits(maxBodyBytes: config.maxBodyBytes, maxBatchOrders: config.maxBatchOrders,
                                                  maxSpoolOrders: config.maxSpoolOrders))
        self.config = config
        self.store = store
        self.runner = runner
        self.ingest = ingest
        self.calendar = calendar
        self.scenario = scenario
        self.metrics = metrics
        self.logger = logger
        scheduler = Scheduler(store: store, calendar: calendar, runner: runner, clock: clock, logger: logger)
        spool = config.spool.map { SpoolWatcher(directory: $0, ingest: ingest, logger: logger, interval: .milliseconds(Int(config.spoolIntervalSeconds * 1000))) }
        api = API(store: store, ingest: ingest, runner: runner, calendar: calendar, scenario: scenario, clock: clock,
                  auth: Auth(writeToken: config.writeToken, readToken: config.readToken, readOpen: config.readAccess == .open, clock: clock),
                  metrics: metrics, departedCountsAsDispatched: config.departedCountsAsDispatched,
                  console: ConsoleState(tileURL: config.tileURL))
    }

    /// The background services: plan runner, scheduler (unless turned off), spool watcher, and
    /// on a store shared by workers the relay of live events between them.
    public var services: [any Service] {
        var s: [any Service] = [runner]
        if store.sharedByWorkers { s.append(EventRelay(store: store, hub: runner.events, logger: logger)) }
        if config.scheduler { s.append(scheduler) }
        if let spool { s.append(spool) }
        return s
    }

    /// The application: HTTP server plus the background services. `onRunning` gets the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: api.router(), configuration: .init(address: .hostname(config.host, port: config.port), serverName: "lastmile"),
                    services: services, onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops taking requests, lets the services finish and returns.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
