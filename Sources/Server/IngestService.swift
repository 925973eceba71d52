import Foundation
import Planning
import Store

public struct Limits: Sendable {
    public var maxBodyBytes: Int
    public var maxBatchOrders: Int
    public var maxSpoolOrders: Int
}

/// Validates and stores batches, from HTTP and from the spool alike.
public final class IngestService: Sendable {
    let store: any Store
    let ingestor: Ingestor
    let clock: any WallClock
    let metrics: ServerMetrics
    public let limits: Limits

    public init(store: any Store, ingestor: Ingestor, clock: any WallClock, metrics: ServerMetrics, limits: Limits) {
        self.store = store
        self.ingestor = ingestor
        self.clock = clock
        self.metrics = metrics
        self.limits = limits
    }

    public enum Outcome: Sendable {
        case stored(IngestResult)
        /// Nothing stored; the problem lists every bad item. `lines`: the body line of each item.
        case rejected(ProblemDocument, lines: [Int])
    }

    /// Stored means durable: the transaction has committed (WAL fsynced) when this returns.
    public func ingest(_ body: [UInt8], source: String, maxItems: Int, what: String) async throws -> Outcome {
        let start = ContinuousClock.now
        let now = clock.now()
        let parsed = try ingestor.parse(body, maxItems: maxItems, now: now, what: what)
        if !parsed.errors.isEmpty {
            metrics.batchesRejected.increment()
            let n = Set(parsed.errors.map { $0.pointer.split(separator: "/").first ?? "" }).count
            return .rejected(APIError(.input, "\(n) of the \(parsed.count) orders of the \(what) are invalid; nothing was stored",
                                      errors: parsed.errors).problem, lines: parsed.itemLines)
        }
        let result = try await store.ingest(parsed.orders, source: source, now: now)
        if !result.issues.isEmpty {
            metrics.batchesRejected.increment()
            let errors = result.issues.map { i in
                ProblemDocument.ItemError(pointer: "/\(i.index)/" + (i.kind == .conflict ? "order_id" : "delivery_date"), detail: i.detail)
            }
            return .rejected(APIError(.conflict, "\(result.issues.count) of the \(parsed.count) orders of the \(what) conflict with stored "
                                      + "orders or arrived after their cut-off; nothing was stored", errors: errors).problem,
                             lines: parsed.itemLines)
        }
        var stored = result
        stored.unchanged += parsed.repeatedInBatch
        metrics.ordersCreated.increment(by: Int64(result.created))
        metrics.ordersUnchanged.increment(by: Int64(stored.unchanged))
        metrics.orderLinesCreated.increment(by: Int64(result.linesCreated))
        metrics.ingestSeconds.record(ContinuousClock.now - start)
        return .stored(stored)
    }
}
