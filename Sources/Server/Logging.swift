import Foundation
import Logging
import Metrics
import Planning
import Prometheus

extension Daemon {
    /// Process-wide set-up of `lastmile serve` (once per process, so not for tests): logs as text
    /// or JSON lines on stderr, swift-metrics (Hummingbird's own metrics) into the daemon's registry.
    public static func bootstrapProcess(logFormat: ServerConfig.LogFormat, metrics: ServerMetrics) {
        LoggingSystem.bootstrap { label -> any LogHandler in
            if logFormat == .json { return JSONLogHandler(label: label) }
            return StreamLogHandler.standardError(label: label)
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
    }
}

/// One JSON object per log line on stderr: time, level, label, message and every metadata key.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[k] = "\(v)" }
        fields["ts"] = Date().formatted(.iso8601)
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        let body = fields.keys.sorted().map { "\(jsonString($0)):\(jsonString(fields[$0]!))" }.joined(separator: ",")
        FileHandle.standardError.write(Data(("{" + body + "}\n").utf8))
    }
}
