import Foundation
import Logging
import ServiceLifecycle
import Store

/// Carries a hub's events between the workers of one PostgreSQL store, so that a console open on
/// any worker hears of a plan another worker published: each event published here is announced
/// (`Store.announce`, NOTIFY), and every announcement of another hub is delivered to this one's
/// streams. Runs only where the store is shared (`Store.sharedByWorkers`).
public struct EventRelay: Service {
    let store: any Store
    let hub: EventHub
    let logger: Logger

    public init(store: any Store, hub: EventHub, logger: Logger) {
        self.store = store
        self.hub = hub
        self.logger = logger
    }

    /// `origin`, name and JSON on three lines (names and origins hold no line break).
    static func message(_ e: ServerEvent, origin: String) -> String { origin + "\n" + e.name + "\n" + e.json }

    static func event(_ message: String) -> (origin: String, event: ServerEvent)? {
        let parts = message.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return (String(parts[0]), ServerEvent(name: String(parts[1]), json: String(parts[2])))
    }

    public func run() async throws {
        guard let outgoing = hub.outgoing else { return }
        let (store, hub, logger) = (self.store, self.hub, self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await e in outgoing {
                    // The store refuses a text over `announcementBytes`: logged, not sent.
                    do { try await store.announce(Self.message(e, origin: hub.origin)) } catch {
                        logger.warning("event not announced to the other workers", metadata: ["event": "\(e.name)", "error": "\(error)"])
                    }
                }
            }
            group.addTask {
                // A lost connection is listened on again; what was announced meanwhile is missed
                // here (the versions themselves are in the store, GET /v1/plans lists them).
                while !Task.isCancelled {
                    do {
                        try await store.listen { text in
                            guard let (origin, event) = Self.event(text), origin != hub.origin else { return }
                            hub.deliver(event)
                        }
                    } catch where !Task.isCancelled {
                        logger.warning("listening for other workers' events failed; again in 1 s", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            try await gracefulShutdown()
            group.cancelAll()
        }
    }
}
