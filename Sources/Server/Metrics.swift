import Foundation
import Prometheus

/// The daemon's Prometheus metrics, served at `/metrics`. One registry per daemon (tests run
/// several side by side); `lastmile serve` also bootstraps swift-metrics onto it.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let ordersCreated: Counter
    let ordersUnchanged: Counter
    let batchesRejected: Counter
    let orderLinesCreated: Counter
    let spoolFiles: Counter
    let spoolRejected: Counter
    let plansPublished: Counter
    let plansFailed: Counter
    let planSeconds: DurationHistogram
    let ingestSeconds: DurationHistogram

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        ordersCreated = registry.makeCounter(name: "lastmile_orders_created_total", help: "Orders stored")
        ordersUnchanged = registry.makeCounter(name: "lastmile_orders_unchanged_total", help: "Orders received again with the same body")
        orderLinesCreated = registry.makeCounter(name: "lastmile_order_lines_created_total", help: "Order lines stored")
        batchesRejected = registry.makeCounter(name: "lastmile_batches_rejected_total", help: "Batches rejected (nothing stored)")
        spoolFiles = registry.makeCounter(name: "lastmile_spool_files_total", help: "Spool files ingested")
        spoolRejected = registry.makeCounter(name: "lastmile_spool_files_rejected_total", help: "Spool files moved to rejected/")
        plansPublished = registry.makeCounter(name: "lastmile_plans_published_total", help: "Plan versions published")
        plansFailed = registry.makeCounter(name: "lastmile_plan_jobs_failed_total", help: "Plan jobs failed")
        let planBuckets: [Duration] = [.seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300)]
        planSeconds = registry.makeDurationHistogram(name: "lastmile_plan_duration_seconds", buckets: planBuckets,
                                                     help: "Time to plan and publish a version")
        let fast: [Duration] = [.milliseconds(5), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                .milliseconds(500), .seconds(1), .seconds(2.5)]
        ingestSeconds = registry.makeDurationHistogram(name: "lastmile_ingest_duration_seconds", buckets: fast,
                                                       help: "Time to validate and store a batch")
    }

    func request(method: String, status: Int, since start: ContinuousClock.Instant) {
        registry.makeCounter(name: "lastmile_http_requests_total", labels: [("method", method), ("status", "\(status)")],
                             help: "HTTP requests by method and status").increment()
        _ = start
    }

    public func text() -> String { registry.emitToString() }
}
