import Foundation

/// Progress of a run on the terminal: a bar redrawn in place on a TTY, one plain line per
/// planned day otherwise (logs, CI). Thread-safe: variants report from their own tasks.
public final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let started = ContinuousClock.now
    private var done = 0

    public init(total: Int, interactive: Bool, write: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.interactive = interactive
        self.write = write
    }

    /// On stderr; a bar when stderr is a terminal.
    public static func standardError(total: Int) -> ProgressMeter {
        ProgressMeter(total: total, interactive: isatty(2) == 1) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    public func report(_ e: ProgressEvent) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let elapsed = (ContinuousClock.now - started).secondsDouble
        if interactive {
            write("\r\u{1B}[K" + Self.bar(done: done, total: total, elapsed: elapsed) + "  \(e.variant) \(e.date)")
        } else {
            write("simulate: \(done)/\(total) plans (\(e.variant), day \(e.day), \(e.date)), \(Self.clock(elapsed)) elapsed\n")
        }
    }

    /// Ends the bar's line.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if interactive { write("\n") }
    }

    /// "[##########----------] 28/56 plans  0:41 elapsed, ~0:41 left".
    public static func bar(done: Int, total: Int, elapsed: Double, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, done * width / total) : width
        var s = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
        s += "\(done)/\(total) plans  \(clock(elapsed)) elapsed"
        if done > 0 && done < total { s += ", ~\(clock(elapsed / Double(done) * Double(total - done))) left" }
        return s
    }

    /// Seconds as "m:ss".
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return "\(s / 60):\(pad(s % 60, 2))"
    }
}

extension Duration {
    var secondsDouble: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
