import Foundation
import Synchronization

/// One server-sent event: a name ("plan", "job") and a JSON payload.
public struct ServerEvent: Sendable, Equatable {
    public var name: String
    public var json: String

    /// The event as the `text/event-stream` format frames it.
    var frame: String { "event: \(name)\ndata: \(json)\n\n" }
}

/// Fans published plans and job changes out to every open `GET /v1/events` stream. A slow reader
/// loses old events, never blocks the publisher (each stream buffers the newest 64).
/// With `relayed`, every published event is also queued on `outgoing` for an `EventRelay` to
/// send to the other workers of the store, and `deliver` takes theirs.
public final class EventHub: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<ServerEvent>.Continuation] = [:]
    }
    private let state = Mutex(State())
    /// Tells this hub's own announcements from other workers' ones.
    public let origin = UUID().uuidString
    private let outbox: (stream: AsyncStream<ServerEvent>, continuation: AsyncStream<ServerEvent>.Continuation)?

    public init(relayed: Bool = false) {
        outbox = relayed ? AsyncStream<ServerEvent>.makeStream(bufferingPolicy: .bufferingNewest(1_024)) : nil
    }

    /// Events published here, for the relay (nil: not relayed).
    public var outgoing: AsyncStream<ServerEvent>? { outbox?.stream }

    public func subscribe() -> (id: Int, events: AsyncStream<ServerEvent>) {
        let (stream, continuation) = AsyncStream<ServerEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id = state.withLock { s in
            s.next += 1
            s.subscribers[s.next] = continuation
            return s.next
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        let c = state.withLock { $0.subscribers.removeValue(forKey: id) }
        c?.finish()
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// To this worker's streams at once, and (relayed) to the other workers'.
    public func publish(_ event: ServerEvent) {
        deliver(event)
        outbox?.continuation.yield(event)
    }

    /// To this worker's streams only (an event another worker published).
    public func deliver(_ event: ServerEvent) {
        for c in state.withLock({ Array($0.subscribers.values) }) { c.yield(event) }
    }

    /// Publishes `value` encoded as JSON under `name`.
    public func publish<T: Encodable>(_ name: String, _ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        publish(ServerEvent(name: name, json: String(decoding: data, as: UTF8.self)))
    }

    /// Ends every stream (at shutdown).
    public func finishAll() {
        for c in state.withLock({ s in defer { s.subscribers = [:] }; return Array(s.subscribers.values) }) { c.finish() }
    }
}

/// The payload of a "plan" event.
struct PlanEvent: Encodable {
    var planId: Int64
    var deliveryDate: String
    var version: Int
    var trigger: String
    var note: String?
    enum CodingKeys: String, CodingKey {
        case version, trigger, note
        case planId = "plan_id", deliveryDate = "delivery_date"
    }
}

/// The payload of a "job" event: a plan job changed state.
struct JobEvent: Encodable {
    var jobId: Int64
    var deliveryDate: String
    var trigger: String
    var state: String
    var reason: String?
    var planId: Int64?
    enum CodingKeys: String, CodingKey {
        case trigger, state, reason
        case jobId = "job_id", deliveryDate = "delivery_date", planId = "plan_id"
    }
}
