import ArgumentParser
import Foundation
import Logging
import Planning
import Server

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the dispatch daemon: take in orders, plan at each cut-off, publish (docs/daemon.md).",
        discussion: "The write token comes from the environment variable LASTMILE_TOKEN.")

    @Option(help: "Config file (JSON); flags and LASTMILE_* variables override it.")
    var config: String?

    @Option(help: "Scenario directory or scenario.json (default: scenarios/shanghai-center; LASTMILE_SCENARIO).")
    var scenario: String?

    @Option(help: "The store: an SQLite file, created if missing, or postgres://user@host:port/database for several workers on one server (default: lastmile.db; LASTMILE_DB).")
    var db: String?

    @Option(help: "This worker's name in plan jobs; keep it stable across restarts (default: host name and pid; LASTMILE_WORKER_ID).")
    var workerId: String?

    @Option(help: "Address to listen on (default: 127.0.0.1; LASTMILE_HOST).")
    var host: String?

    @Option(parsing: .unconditional, help: "Port to listen on; 0: any free port, the chosen one is printed (default: 8080; LASTMILE_PORT).")
    var port: Int?

    @Option(help: "Spool directory watched for *.jsonl order files (default: none; LASTMILE_SPOOL).")
    var spool: String?

    @Option(parsing: .unconditional, help: "Routing iterations per warehouse (iterated local search); 0: the greedy construction alone (default: 2000).")
    var routingIterations: Int?

    @Option(help: "Log format: text or json (default: text).")
    var logFormat: String?

    func validate() throws {
        try OptionRange.check("--routing-iterations", routingIterations, in: OptionRange.iterations)
        try OptionRange.check("--port", port, in: 0...65_535)
    }

    func run() async throws {
        try await reportingErrors {
            var c = ServerConfig()
            if let config { try c.apply(file: config) }
            try c.apply(environment: ProcessInfo.processInfo.environment)
            if let scenario { c.scenario = scenario }
            if let db { c.database = db }
            if let workerId { c.workerId = try ServerConfig.workerId(workerId, field: "--worker-id") }
            if let host { c.host = host }
            if let port { c.port = port }
            if let spool { c.spool = spool }
            if let routingIterations { c.routingIterations = routingIterations }
            if let logFormat {
                guard let f = ServerConfig.LogFormat(rawValue: logFormat) else { throw InputError(field: "--log-format", "must be text or json") }
                c.logFormat = f
            }
            // Plan in child processes of this executable: a crash while planning fails the job, not the daemon.
            c.planningExecutable = Bundle.main.executablePath ?? CommandLine.arguments[0]
            let metrics = ServerMetrics()
            Daemon.bootstrapProcess(logFormat: c.logFormat, metrics: metrics)
            var logger = Logger(label: "lastmile.serve")
            logger.logLevel = .info
            let host = c.host
            if !c.regions.isEmpty {
                let network = try await RegionHost.open(config: c, logger: logger, metrics: metrics)
                let names = network.regions.map(\.id).joined(separator: ", ")
                try await network.run { port in
                    FileHandle.standardOutput.write(Data("lastmile serve: listening on http://\(host):\(port)\nregions: \(names) (consoles at http://\(host):\(port)/regions/{id}/)\n".utf8))
                }
                return
            }
            let daemon = try await Daemon.open(config: c, logger: logger, metrics: metrics)
            let travel = daemon.runner.setup.travel.note
            try await daemon.run { port in
                // The first line on stdout, written at once (a pipe reader waits for it).
                FileHandle.standardOutput.write(Data("lastmile serve: listening on http://\(host):\(port)\nconsole: http://\(host):\(port)/\ntravel times: \(travel)\n".utf8))
            }
        }
    }
}
