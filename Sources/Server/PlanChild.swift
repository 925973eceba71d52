import Foundation
import Planning
import Store

/// Planning in a child process of the daemon's own executable (`lastmile plan-job INPUT OUTPUT`):
/// a trap, an abort or memory exhaustion while planning one day kills the child, the job fails
/// with the reason, and the daemon keeps serving. The child reads the job as JSON, plans with
/// `PlanRunner.compute` (the same code as in-process planning) and writes the `PlanWrite` as JSON;
/// the daemon stores it, so the store is written by the daemon alone.
public enum PlanChild {
    /// What the child needs: the scenario as the daemon plans it (latest cut-off), the orders, the
    /// kept routes, the vans out of service and the routing options.
    public struct Input: Codable, Sendable {
        public var scenarioFile: String
        public var scenario: Scenario
        public var deliveryDate: String
        public var orders: [Order]
        public var kept: [RouteRecord]
        /// The kept routes that are dispatched (the others are kept by a re-optimisation).
        public var dispatched: [String]
        public var outages: [String]
        public var seed: UInt64
        public var routingIterations: Int
        public var routingTimeLimit: Double?
    }

    /// How the daemon starts children.
    public struct Launch: Sendable {
        /// The executable (the daemon's own).
        public var executable: String
        /// scenario.json as the daemon loaded it (the child resolves the map path from it).
        public var scenarioFile: String

        public init(executable: String, scenarioFile: String) {
            self.executable = executable
            self.scenarioFile = scenarioFile
        }

        /// Runs one job in a child and returns what it planned. A child that exits with an error
        /// gives that error (its message, its kind by exit code); one killed by a signal, an
        /// internal error naming the signal. Cancelling the task kills the child.
        func plan(_ input: Input) async throws -> PlanWrite {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-plan-job-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let inPath = dir + "/input.json", outPath = dir + "/output.json", errPath = dir + "/stderr.txt"
            try JSONEncoder().encode(input).write(to: URL(fileURLWithPath: inPath))
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["plan-job", inPath, outPath]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            let status: (reason: Process.TerminationReason, code: Int32) = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { c in
                    process.terminationHandler = { p in c.resume(returning: (p.terminationReason, p.terminationStatus)) }
                    do { try process.run() } catch {
                        process.terminationHandler = nil
                        c.resume(throwing: GeneralError(.internal, "cannot start the planning process \(executable): \(error)"))
                    }
                }
            } onCancel: {
                if process.isRunning { process.terminate() }
            }
            try Task.checkCancellation()
            let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
            let message = stderr.split(separator: "\n").map { $0.hasPrefix("error: ") ? String($0.dropFirst(7)) : String($0) }
                .filter { !$0.isEmpty }.suffix(20).joined(separator: "\n")
            if status.reason == .uncaughtSignal {
                throw GeneralError(.internal, "the planning process for \(input.deliveryDate) was killed by signal \(status.code)"
                                   + (message.isEmpty ? "" : ": " + String(message.suffix(500))))
            }
            guard status.code == 0 else {
                let kind = ErrorKind.allCases.first { $0.exitCode == status.code && $0 != .conflict } ?? .internal
                throw GeneralError(kind, message.isEmpty ? "the planning process exited with status \(status.code)" : message)
            }
            guard let data = FileManager.default.contents(atPath: outPath) else {
                throw GeneralError(.internal, "the planning process wrote no result")
            }
            return try JSONDecoder().decode(PlanWrite.self, from: data)
        }
    }

    /// The child's side: reads `input`, plans, writes `output`. Exits on its own when the daemon
    /// that started it is gone (a SIGKILLed daemon must not leave a plan running).
    public static func run(input: String, output: String) throws {
        watchParent()
        guard let data = FileManager.default.contents(atPath: input) else { throw GeneralError.noSuchFile(input) }
        let job = try JSONDecoder().decode(Input.self, from: data)
        guard let date = CalendarDate.parse(job.deliveryDate) else { throw GeneralError(.internal, "job date \(job.deliveryDate)") }
        var options = PlanOptions.routing(seed: job.seed, iterations: job.routingIterations)
        options.routingTimeLimit = job.routingTimeLimit
        let setup = PlanningSetup(scenario: job.scenario, travel: try TravelTimes.choose(for: job.scenario, scenarioFile: job.scenarioFile),
                                  options: options)
        let write = try PlanRunner.compute(setup: setup, date: date, orders: job.orders, keptRecords: job.kept, outages: Set(job.outages),
                                           dispatched: Set(job.dispatched))
        do {
            try JSONEncoder().encode(write).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw GeneralError(.output, "\(output): \(error.localizedDescription)")
        }
    }

    /// Polls the parent process id; when it changes (the parent died), exits at once.
    static func watchParent() {
        let parent = getppid()
        let t = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                if getppid() != parent { exit(75) }
            }
        }
        t.start()
    }
}
