import Foundation
import NIOConcurrencyHelpers

/// How many plan jobs one process runs at once over all its regions (a counting semaphore):
/// each region has its own runner, but planning is CPU-bound, so a worker takes a job only
/// when a slot is free (and leaves the rest to other workers).
public final class PlanningSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextId: UInt64 = 0
    }
    private let state: NIOLockedValueBox<State>
    public let count: Int

    public init(_ count: Int) {
        self.count = max(1, count)
        state = NIOLockedValueBox(State(free: max(1, count)))
    }

    /// Waits for a free slot; throws `CancellationError` if the task is cancelled while waiting.
    public func acquire() async throws {
        let id: UInt64 = state.withLockedValue { s in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let now: Bool = state.withLockedValue { s in
                    if Task.isCancelled { return false }
                    if s.free > 0 {
                        s.free -= 1
                        return true
                    }
                    s.waiters.append((id, c))
                    return false
                }
                if now { c.resume() } else if Task.isCancelled { c.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { s -> CheckedContinuation<Void, any Error>? in
                guard let k = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: k).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Frees a slot taken by `acquire`, handing it to the longest waiter if there is one.
    public func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, any Error>? in
            if s.waiters.isEmpty {
                s.free += 1
                return nil
            }
            return s.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
