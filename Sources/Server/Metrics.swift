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
    let jobsClaimed: Counter
    let leasesLost: Counter
    let planBusySeconds: Counter
    let ingestSeconds: DurationHistogram

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        ordersCreated = registry.makeCounter(descriptor: Self.name("orders_created", "total", "Orders stored"))
        ordersUnchanged = registry.makeCounter(descriptor: Self.name("orders_unchanged", "total", "Orders received again with the same body"))
        orderLinesCreated = registry.makeCounter(descriptor: Self.name("order_lines_created", "total", "Order lines stored"))
        batchesRejected = registry.makeCounter(descriptor: Self.name("batches_rejected", "total", "Batches rejected (nothing stored)"))
        spoolFiles = registry.makeCounter(descriptor: Self.name("spool_files", "total", "Spool files ingested"))
        spoolRejected = registry.makeCounter(descriptor: Self.name("spool_files_rejected", "total", "Spool files moved to rejected/"))
        plansPublished = registry.makeCounter(descriptor: Self.name("plans_published", "total", "Plan versions published"))
        plansFailed = registry.makeCounter(descriptor: Self.name("plan_jobs_failed", "total", "Plan jobs failed"))
        jobsClaimed = registry.makeCounter(descriptor: Self.name("plan_jobs_claimed", "total", "Plan jobs this worker claimed (attempts)"))
        leasesLost = registry.makeCounter(descriptor: Self.name("plan_job_leases_lost", "total",
                                                                "Plan jobs this worker stopped because its lease passed and another worker took them"))
        planBusySeconds = registry.makeCounter(descriptor: Self.name("plan_busy", "seconds_total", "Seconds this worker spent on plan jobs"))
        let planBuckets: [Duration] = [.seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300)]
        planSeconds = registry.makeDurationHistogram(descriptor: Self.name("plan_duration", "seconds", "Time to plan and publish a version"),
                                                     buckets: planBuckets)
        let fast: [Duration] = [.milliseconds(5), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                .milliseconds(500), .seconds(1), .seconds(2.5)]
        ingestSeconds = registry.makeDurationHistogram(descriptor: Self.name("ingest_duration", "seconds", "Time to validate and store a batch"),
                                                       buckets: fast)
    }

    /// Counts a request and records its duration (from `start` to the answer's head) by method
    /// and status class, so the histogram keeps a handful of series whatever the paths are.
    func request(method: String, status: Int, since start: ContinuousClock.Instant) {
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests by method and status"),
                             labels: [("method", method), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "Time to answer an HTTP request, by method and status class"),
            labels: [("method", method), ("status", "\(status / 100)xx")], buckets: Self.requestBuckets
        ).record(ContinuousClock.now - start)
    }

    static let requestBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(50),
                                             .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                             .seconds(2.5), .seconds(10), .seconds(60)]

    /// `lastmile_<name>_<unit>`.
    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "lastmile", metricName: metric, unitName: unit, helpText: help)
    }

    public func text() -> String { registry.emitToString() }
}
