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

/// Load of a stretch of a trip (no reload inside): what it delivers, what it picks up, and the
/// peak load on board within it. Deliveries ride from the depot, pickups to it, so the load at a
/// point is the deliveries still ahead plus the pickups behind; concatenation is O(1):
/// peak(a ⊕ b) = max(peak(a) + delivery(b), pickup(a) + peak(b)) (Vidal et al. 2014, "A unified
/// solution framework for multi-attribute vehicle routing problems", the load resource of the
/// VRP with simultaneous delivery and pickup). Without pickups peak == delivery and only `peak`
/// is kept up to date (`SearchData.hasPickups`).
struct TripLoad {
    var delivery: Load
    var pickup: Load
    var peak: Load

    static let zero = TripLoad(delivery: .zero, pickup: .zero, peak: .zero)

    init(delivery: Load, pickup: Load, peak: Load) {
        self.delivery = delivery
        self.pickup = pickup
        self.peak = peak
    }

    /// One client: it must carry its delivery there and its pickup away.
    init(delivery: Load, pickup: Load) {
        self.init(delivery: delivery, pickup: pickup, peak: pointwiseMax(delivery, pickup))
    }

    @inline(__always)
    static func merge(_ a: TripLoad, _ b: TripLoad, pickups: Bool) -> TripLoad {
        guard pickups else { return TripLoad(delivery: .zero, pickup: .zero, peak: a.peak &+ b.peak) }
        return TripLoad(delivery: a.delivery &+ b.delivery, pickup: a.pickup &+ b.pickup,
                        peak: pointwiseMax(a.peak &+ b.delivery, a.pickup &+ b.peak))
    }
}

/// Load of a piece that may contain reloads at the depot (multi-trip): `head` is the stretch
/// before the first reload, `tail` after the last one, `inner` the excess of the complete
/// trips in between. Without a reload head == tail == the whole piece.
struct LoadSeg {
    var head: TripLoad
    var tail: TripLoad
    var inner: Int
    var reload: Bool

    static let zero = LoadSeg(head: .zero, tail: .zero, inner: 0, reload: false)
    static let marker = LoadSeg(head: .zero, tail: .zero, inner: 0, reload: true)

    @inline(__always)
    static func merge(_ a: LoadSeg, _ b: LoadSeg, cap: Load, pickups: Bool) -> LoadSeg {
        if !a.reload {
            if !b.reload { let s = TripLoad.merge(a.head, b.head, pickups: pickups); return LoadSeg(head: s, tail: s, inner: 0, reload: false) }
            return LoadSeg(head: TripLoad.merge(a.head, b.head, pickups: pickups), tail: b.tail, inner: b.inner, reload: true)
        }
        if !b.reload { return LoadSeg(head: a.head, tail: TripLoad.merge(a.tail, b.head, pickups: pickups), inner: a.inner, reload: true) }
        let joined = TripLoad.merge(a.tail, b.head, pickups: pickups)
        return LoadSeg(head: a.head, tail: b.tail, inner: a.inner + b.inner + excess(joined.peak, cap), reload: true)
    }

    @inline(__always) func totalExcess(_ cap: Load) -> Int {
        reload ? excess(head.peak, cap) + inner + excess(tail.peak, cap) : excess(head.peak, cap)
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
