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

/// Load of a stretch of a trip (no reload inside) that concatenates in O(1). The search is
/// generic over it so that plain delivery problems keep the small summary and pay nothing for
/// pickups.
protocol TripLoad {
    static var zero: Self { get }
    /// One client: it must carry its delivery there and its pickup away.
    init(delivery: Load, pickup: Load)
    static func merge(_ a: Self, _ b: Self) -> Self
    /// Most the van carries at any point of the stretch.
    var peak: Load { get }
}

/// Deliveries only: the load on board is highest when leaving the depot, so the peak of a
/// stretch is simply the sum of its deliveries.
struct DeliveryLoad: TripLoad {
    var peak: Load

    static let zero = DeliveryLoad(peak: .zero)

    init(peak: Load) { self.peak = peak }
    init(delivery: Load, pickup: Load) { peak = delivery }

    @inline(__always) static func merge(_ a: DeliveryLoad, _ b: DeliveryLoad) -> DeliveryLoad {
        DeliveryLoad(peak: a.peak &+ b.peak)
    }
}

/// Simultaneous delivery and pickup: what the stretch delivers, what it picks up, and the peak
/// on board within it. Deliveries ride from the depot, pickups to it, so the load at a point is
/// the deliveries still ahead plus the pickups behind, and
/// peak(a ⊕ b) = max(peak(a) + delivery(b), pickup(a) + peak(b)) (Vidal et al. 2014, "A unified
/// solution framework for multi-attribute vehicle routing problems", the load resource of the
/// VRP with simultaneous delivery and pickup).
struct DeliveryPickupLoad: TripLoad {
    var delivery: Load
    var pickup: Load
    var peak: Load

    static let zero = DeliveryPickupLoad(delivery: .zero, pickup: .zero, peak: .zero)

    init(delivery: Load, pickup: Load, peak: Load) {
        self.delivery = delivery
        self.pickup = pickup
        self.peak = peak
    }

    init(delivery: Load, pickup: Load) {
        self.init(delivery: delivery, pickup: pickup, peak: pointwiseMax(delivery, pickup))
    }

    @inline(__always)
    static func merge(_ a: DeliveryPickupLoad, _ b: DeliveryPickupLoad) -> DeliveryPickupLoad {
        DeliveryPickupLoad(delivery: a.delivery &+ b.delivery, pickup: a.pickup &+ b.pickup,
                           peak: pointwiseMax(a.peak &+ b.delivery, a.pickup &+ b.peak))
    }
}

/// Load of a piece that may contain reloads at the depot (multi-trip): `head` is the stretch
/// before the first reload, `tail` after the last one, `inner` the excess of the complete
/// trips in between. Without a reload head == tail == the whole piece.
struct LoadSeg<Trip: TripLoad> {
    var head: Trip
    var tail: Trip
    var inner: Int
    var reload: Bool

    static var zero: LoadSeg { LoadSeg(head: .zero, tail: .zero, inner: 0, reload: false) }
    static var marker: LoadSeg { LoadSeg(head: .zero, tail: .zero, inner: 0, reload: true) }

    @inline(__always)
    static func merge(_ a: LoadSeg, _ b: LoadSeg, cap: Load) -> LoadSeg {
        if !a.reload {
            if !b.reload { let s = Trip.merge(a.head, b.head); return LoadSeg(head: s, tail: s, inner: 0, reload: false) }
            return LoadSeg(head: Trip.merge(a.head, b.head), tail: b.tail, inner: b.inner, reload: true)
        }
        if !b.reload { return LoadSeg(head: a.head, tail: Trip.merge(a.tail, b.head), inner: a.inner, reload: true) }
        let joined = Trip.merge(a.tail, b.head)
        return LoadSeg(head: a.head, tail: b.tail, inner: a.inner + b.inner + excess(joined.peak, cap), reload: true)
    }

    @inline(__always) func totalExcess(_ cap: Load) -> Int {
        reload ? excess(head.peak, cap) + inner + excess(tail.peak, cap) : excess(head.peak, cap)
    }
}

/// A contiguous piece of a (candidate) route: distance, travel time (when some vehicle type pays
/// for it), clients, end locations, time and load.
struct Piece<Trip: TripLoad> {
    var dist: Int
    var travel: Int
    var clients: Int
    var first: Int
    var last: Int
    var time: TimeSeg
    var load: LoadSeg<Trip>
}
