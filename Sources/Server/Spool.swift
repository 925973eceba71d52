import Foundation
import Logging
import Planning
import ServiceLifecycle
import Store

/// Watches a spool directory for `*.jsonl` files of completed group orders dropped by upstream
/// systems (write under another name, then rename into place). A file is one batch, all or
/// nothing: once its orders are stored it moves to `done/`; a file with any bad line moves to
/// `rejected/` beside `<name>.error`, which lists every problem, and nothing of it is stored.
/// A crash between storing and moving only means the file is read again: its orders are then
/// exact repeats (no-ops) and it moves to `done/`.
public final class SpoolWatcher: Service, Sendable {
    let directory: String
    let ingest: IngestService
    let logger: Logger
    let interval: Duration

    public init(directory: String, ingest: IngestService, logger: Logger, interval: Duration) {
        self.directory = directory
        self.ingest = ingest
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        let fm = FileManager.default
        for sub in ["", "/done", "/rejected"] {
            try fm.createDirectory(atPath: directory + sub, withIntermediateDirectories: true)
        }
        while !Task.isCancelledOrShuttingDown {
            await scan()
            try? await Task.sleep(for: interval)
        }
    }

    /// Ingests every `*.jsonl` file present, in name order (tests call it directly).
    public func scan() async {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        for name in names {
            await process(name)
        }
    }

    func process(_ name: String) async {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { return }
        do {
            let outcome = try await ingest.ingest(Array(data), source: "spool:\(name)", maxItems: ingest.limits.maxSpoolOrders, what: "file")
            switch outcome {
            case .stored(let result):
                move(name, to: "done")
                ingest.metrics.spoolFiles.increment()
                logger.info("spool file ingested", metadata: ["file": "\(name)", "created": "\(result.created)", "unchanged": "\(result.unchanged)"])
            case .rejected(let problem, let lines):
                reject(name, problem: problem, lines: lines)
            }
        } catch let e as APIError {
            reject(name, problem: e.problem, lines: [])
        } catch {
            // The database failed: leave the file where it is and try again later.
            logger.error("spool file not ingested; will retry", metadata: ["file": "\(name)", "error": "\(error)"])
        }
    }

    func reject(_ name: String, problem: ProblemDocument, lines: [Int]) {
        var text = "\(name): \(problem.detail)\n"
        for e in problem.errors ?? [] {
            let item = e.pointer.split(separator: "/").first.flatMap { Int($0) }
            let line = item.flatMap { $0 < lines.count ? lines[$0] : nil }
            text += "\(name):\(line.map(String.init) ?? "?"): \(e.pointer): \(e.detail)\n"
        }
        let errorPath = directory + "/rejected/" + name + ".error"
        try? Data(text.utf8).write(to: URL(fileURLWithPath: errorPath))
        move(name, to: "rejected")
        ingest.metrics.spoolRejected.increment()
        logger.warning("spool file rejected", metadata: ["file": "\(name)", "problem": "\(problem.detail)"])
    }

    func move(_ name: String, to sub: String) {
        let fm = FileManager.default
        let target = directory + "/" + sub + "/" + name
        if fm.fileExists(atPath: target) { try? fm.removeItem(atPath: target) }
        do { try fm.moveItem(atPath: directory + "/" + name, toPath: target) } catch {
            logger.error("could not move spool file", metadata: ["file": "\(name)", "to": "\(sub)", "error": "\(error)"])
        }
    }
}
