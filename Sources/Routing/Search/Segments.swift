/// Summaries of route pieces that concatenate in O(1), so a move is evaluated from the cached
/// prefix and suffix data of the routes it touches (Vidal et al. 2013, "A hybrid genetic
/// algorithm with adaptive diversity management for a large class of vehicle routing problems
/// with time-windows", section 4.2; Vidal 2022 for the CVRP case).

/// Time-window segment: minimal duration, unavoidable time warp and the window of start times
/// that achieve them. `first`/`last` locations are carried by `Piece`.
struct TimeSeg {
    var duration: Int
    var timeWarp: Int
    var earliest: Int
    var latest: Int

    @inline(__always)
    static func merge(_ a: TimeSeg, _ b: TimeSeg, travel: Int) -> TimeSeg {
        let delta = a.duration - a.timeWarp + travel
        let deltaWait = max(b.earliest - delta - a.latest, 0)
        let deltaWarp = max(a.earliest + delta - b.latest, 0)
        return TimeSeg(
            duration: a.duration + b.duration + travel + deltaWait,
            timeWarp: a.timeWarp + b.timeWarp + deltaWarp,
            earliest: max(b.earliest - delta, a.earliest) - deltaWait,
            latest: min(b.latest - delta, a.latest) + deltaWarp)
    }
}

typealias Load = SIMD4<Int>

@inline(__always) func excess(_ load: Load, _ cap: Load) -> Int {
    max(load[0] - cap[0], 0) + max(load[1] - cap[1], 0) + max(load[2] - cap[2], 0) + max(load[3] - cap[3], 0)
}

/// Load of a piece that may contain reloads at the depot (multi-trip): `head` is the load
/// before the first reload, `tail` after the last one, `inner` the excess of the complete
/// trips in between. Without a reload head == tail == the whole load.
struct LoadSeg {
    var head: Load
    var tail: Load
    var inner: Int
    var reload: Bool

    static let zero = LoadSeg(head: .zero, tail: .zero, inner: 0, reload: false)
    static let marker = LoadSeg(head: .zero, tail: .zero, inner: 0, reload: true)

    @inline(__always)
    static func merge(_ a: LoadSeg, _ b: LoadSeg, cap: Load) -> LoadSeg {
        if !a.reload {
            if !b.reload { let s = a.head &+ b.head; return LoadSeg(head: s, tail: s, inner: 0, reload: false) }
            return LoadSeg(head: a.head &+ b.head, tail: b.tail, inner: b.inner, reload: true)
        }
        if !b.reload { return LoadSeg(head: a.head, tail: a.tail &+ b.head, inner: a.inner, reload: true) }
        return LoadSeg(head: a.head, tail: b.tail, inner: a.inner + b.inner + excess(a.tail &+ b.head, cap), reload: true)
    }

    @inline(__always) func totalExcess(_ cap: Load) -> Int {
        reload ? excess(head, cap) + inner + excess(tail, cap) : excess(head, cap)
    }
}

/// A contiguous piece of a (candidate) route: distance, clients, end locations, time and load.
struct Piece {
    var dist: Int
    var clients: Int
    var first: Int
    var last: Int
    var time: TimeSeg
    var load: LoadSeg
}
