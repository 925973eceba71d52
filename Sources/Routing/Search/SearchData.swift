import Foundation

/// The problem flattened for the search: raw buffers indexed by location, so the innermost loops
/// neither bounds-check nor retain. Built once per solve; read-only afterwards.
final class SearchData: @unchecked Sendable {
    let data: ProblemData
    let depots: Int
    let clients: Int
    let locations: Int
    let dist: UnsafeMutablePointer<Int>
    let dur: UnsafeMutablePointer<Int>
    let early: UnsafeMutablePointer<Int>
    let late: UnsafeMutablePointer<Int>
    let service: UnsafeMutablePointer<Int>
    let demand: UnsafeMutablePointer<Load>
    let pickup: UnsafeMutablePointer<Load>
    /// Penalty for leaving a client out: its own penalty if optional, a prohibitive one if
    /// required (so required clients are dropped only when the fleet cannot take them).
    let dropPenalty: UnsafeMutablePointer<Double>
    let required: [Bool]
    /// Bit t set: vehicle type t may serve the location (all bits for depots).
    let allowed: UnsafeMutablePointer<UInt64>
    /// Clients that can be served at all (the others are reported, never routed).
    let active: [Int]
    let isActive: [Bool]
    let angle: [Int]   // polar angle around the client's nearest depot, 0 ..< 65536

    // Vehicle types.
    let types: Int
    let capacity: [Load]
    let typeDepot: [Int]
    let fixedCost: [Int]
    let distCost: [Int]
    let durCost: [Int]
    /// Cost per unit of travel time on the arcs (`VehicleType.travelCost`).
    let travelCost: [Int]
    let open: [Int]
    let close: [Int]
    let maxDuration: [Int]
    let maxTrips: [Int]
    let reload: [Int]

    /// Route slots: one per vehicle the search may use, with its type.
    let slotType: [Int]

    /// What the data needs beyond a plain CVRP; the search skips work it does not need.
    let hasTimes: Bool
    let hasMultiTrip: Bool
    /// Some client picks something up: loads are tracked as delivery, pickup and peak.
    let hasPickups: Bool
    let hasRestrictions: Bool
    let hasOptional: Bool
    let symmetric: Bool
    /// Some vehicle type has a fixed cost (moves that empty or open a route must count it).
    let hasFixed: Bool
    /// Some vehicle type pays for travel time: pieces then carry their travel time too.
    let hasTravelCost: Bool

    /// Granular neighbourhood: for each client location, the closest client locations under
    /// the time-window aware correlation of Vidal et al. (2013).
    let neighbours: [[Int]]
    let maxArcCost: Int
    /// Cost of a unit of distance or time, whichever is dearer (1 on the classic benchmarks): the
    /// scale of the penalty weights, so that instances with costs in fine money units are
    /// penalised as firmly as those with costs in distance units.
    let penaltyUnit: Double

    init(_ data: ProblemData, granularity: Int) {
        self.data = data
        let D = data.depots.count, N = data.clients.count, L = D + N
        depots = D; clients = N; locations = L
        let distP = UnsafeMutablePointer<Int>.allocate(capacity: L * L)
        let durP = UnsafeMutablePointer<Int>.allocate(capacity: L * L)
        data.distance.storage.withUnsafeBufferPointer { distP.initialize(from: $0.baseAddress!, count: L * L) }
        data.duration.storage.withUnsafeBufferPointer { durP.initialize(from: $0.baseAddress!, count: L * L) }
        dist = distP
        dur = durP
        early = .allocate(capacity: L); late = .allocate(capacity: L); service = .allocate(capacity: L)
        demand = .allocate(capacity: L); pickup = .allocate(capacity: L); dropPenalty = .allocate(capacity: L)
        let allowedP = UnsafeMutablePointer<UInt64>.allocate(capacity: L)
        allowed = allowedP
        let T = data.vehicleTypes.count
        precondition(T <= MetaheuristicSolver.maxVehicleTypes, "at most 64 vehicle types")
        precondition(data.dimensions <= MetaheuristicSolver.maxDimensions, "at most 4 load dimensions")
        types = T
        for d in 0..<D {
            early[d] = data.depots[d].earliest; late[d] = data.depots[d].latest; service[d] = 0
            demand[d] = .zero; pickup[d] = .zero; dropPenalty[d] = 0; allowed[d] = ~0
        }
        var maxArc = 0, maxTravel = 0
        for v in data.distance.storage { maxArc = max(maxArc, v) }
        for v in data.duration.storage { maxTravel = max(maxTravel, v) }
        let maxDistCost = data.vehicleTypes.map(\.distanceCost).max() ?? 1
        let maxTravelCost = data.vehicleTypes.map(\.travelCost).max() ?? 0
        let maxFixed = data.vehicleTypes.map(\.fixedCost).max() ?? 0
        maxArcCost = maxArc * max(1, maxDistCost) + maxTravel * maxTravelCost
        penaltyUnit = Double(max(1, maxDistCost, maxTravelCost, data.vehicleTypes.map(\.durationCost).max() ?? 1))
        // Dropping a required client must cost more than any route could: big but far from overflow.
        let big = Double(max(1, maxArcCost) * 4 + maxFixed) * 1000 + 1e6
        let scale = Self.dimensionScale(data)
        var req: [Bool] = []
        var optional = false
        for c in 0..<N {
            let cl = data.clients[c], l = D + c
            early[l] = cl.earliest; late[l] = cl.latest; service[l] = cl.serviceDuration
            var q = Load.zero, back = Load.zero
            for k in 0..<data.dimensions { q[k] = cl.demand[k] * scale[k]; back[k] = cl.pickup[k] * scale[k] }
            demand[l] = q
            pickup[l] = back
            dropPenalty[l] = cl.required ? big : Double(cl.penalty)
            req.append(cl.required)
            if !cl.required { optional = true }
            var mask: UInt64 = 0
            for t in 0..<T where data.allows(t, c) { mask |= 1 << UInt64(t) }
            allowed[l] = mask
        }
        required = req
        hasOptional = optional
        hasRestrictions = data.clients.contains { $0.allowedVehicleTypes != nil }

        let caps = Self.scaledCapacities(data, scale: scale)
        capacity = caps
        typeDepot = data.vehicleTypes.map(\.depot)
        fixedCost = data.vehicleTypes.map(\.fixedCost)
        distCost = data.vehicleTypes.map(\.distanceCost)
        durCost = data.vehicleTypes.map(\.durationCost)
        travelCost = data.vehicleTypes.map(\.travelCost)
        hasTravelCost = maxTravelCost > 0
        open = data.vehicleTypes.map { max($0.shiftStart, data.depots[$0.depot].earliest) }
        close = data.vehicleTypes.map { min($0.shiftEnd, data.depots[$0.depot].latest) }
        maxDuration = data.vehicleTypes.map(\.maxDuration)
        maxTrips = data.vehicleTypes.map(\.maxTrips)
        reload = data.vehicleTypes.map(\.reloadDuration)
        hasFixed = data.vehicleTypes.contains { $0.fixedCost != 0 }
        hasMultiTrip = data.vehicleTypes.contains { $0.maxTrips > 1 && $0.count > 0 }
        hasPickups = data.hasPickups

        hasTimes = Self.timeCanBind(data)
        symmetric = Self.isSymmetric(distP, locations: L) && (maxTravelCost == 0 || Self.isSymmetric(durP, locations: L))

        var act: [Int] = [], isAct = [Bool](repeating: false, count: L)
        for c in 0..<N where data.whyUnservableAlone(c) == nil { act.append(D + c); isAct[D + c] = true }
        active = act
        isActive = isAct

        angle = Self.polarAngles(data)
        slotType = Self.routeSlots(data, active: act, allowed: allowedP, demand: demand, capacities: caps,
                                   capacityBound: !hasTimes && !hasMultiTrip)
        // Closeness by the dearest arc cost when travel time is paid for, by distance otherwise.
        var near = distP
        if maxTravelCost > 0 {
            near = .allocate(capacity: L * L)
            for k in 0..<(L * L) { near[k] = maxDistCost * distP[k] + maxTravelCost * durP[k] }
        }
        defer { if near != distP { near.deallocate() } }
        neighbours = Self.granularNeighbours(
            active: act, granularity: granularity, locations: L, dist: near, dur: durP,
            windows: hasTimes ? (early, late, service) : nil)
    }

    /// Several load dimensions (crates and grams, say) are brought to one scale, so that an
    /// excess in each weighs the same share of a vehicle: dimension k is multiplied by the
    /// largest capacity of all dimensions over its own largest capacity.
    private static func dimensionScale(_ data: ProblemData) -> [Int] {
        var dimCap = [Int](repeating: 0, count: data.dimensions)
        for vt in data.vehicleTypes { for k in 0..<data.dimensions { dimCap[k] = max(dimCap[k], vt.capacity[k]) } }
        let top = dimCap.max() ?? 1
        return dimCap.map { c in c <= 0 || c >= Int.max / 8 || top >= Int.max / 8 ? 1 : max(1, top / c) }
    }

    /// Vehicle capacities on the common scale; unused dimensions (and unbounded ones) never bind.
    private static func scaledCapacities(_ data: ProblemData, scale: [Int]) -> [Load] {
        data.vehicleTypes.map { vt in
            var cap = Load(repeating: Int.max / 4)
            for k in 0..<data.dimensions { cap[k] = vt.capacity[k] >= Int.max / 8 ? vt.capacity[k] : vt.capacity[k] * scale[k] }
            return cap
        }
    }

    /// Time matters when a window, a shift, a duration limit or a duration cost can bind.
    private static func timeCanBind(_ data: ProblemData) -> Bool {
        let horizonOpen = data.clients.allSatisfy { $0.earliest <= 0 && $0.latest >= Int.max / 8 }
        let noShift = data.vehicleTypes.allSatisfy {
            $0.shiftEnd >= Int.max / 8 && $0.maxDuration >= Int.max / 8 && $0.durationCost == 0 && $0.shiftStart <= 0
        } && data.depots.allSatisfy { $0.earliest <= 0 && $0.latest >= Int.max / 8 }
        return !(horizonOpen && noShift)
    }

    private static func isSymmetric(_ dist: UnsafeMutablePointer<Int>, locations L: Int) -> Bool {
        for i in 0..<L { for j in 0..<i where dist[i * L + j] != dist[j * L + i] { return false } }
        return true
    }

    /// Polar angles (for SWAP* sectors) of the clients around their nearest depot, 0 ..< 65536.
    private static func polarAngles(_ data: ProblemData) -> [Int] {
        let D = data.depots.count
        var ang = [Int](repeating: 0, count: D + data.clients.count)
        for c in data.clients.indices {
            let cl = data.clients[c]
            var best = 0, bd = Double.infinity
            for d in 0..<D {
                let dx = cl.x - data.depots[d].x, dy = cl.y - data.depots[d].y
                if dx * dx + dy * dy < bd { bd = dx * dx + dy * dy; best = d }
            }
            let a = atan2(cl.y - data.depots[best].y, cl.x - data.depots[best].x)
            ang[D + c] = Int((32768 * a / Double.pi).rounded(.down)) & 0xFFFF
        }
        return ang
    }

    /// Route slots: as many vehicles as could be useful, never more than exist. With
    /// `capacityBound` (no times, single trips) capacity alone bounds the vehicles a type needs.
    private static func routeSlots(_ data: ProblemData, active: [Int], allowed: UnsafeMutablePointer<UInt64>,
                                   demand: UnsafeMutablePointer<Load>, capacities caps: [Load], capacityBound: Bool) -> [Int] {
        var slots: [Int] = []
        var total = Load.zero
        for l in active { total &+= demand[l] }
        for (t, vt) in data.vehicleTypes.enumerated() where vt.count > 0 {
            let served = active.filter { allowed[$0] & (1 << UInt64(t)) != 0 }.count
            guard served > 0 else { continue }
            var estimate = served
            if capacityBound {
                var need = 1
                for k in 0..<data.dimensions where caps[t][k] > 0 {
                    need = max(need, Int((Double(total[k]) / Double(caps[t][k])).rounded(.up)))
                }
                estimate = min(served, Int(Double(need) * 1.5) + 5)
            }
            slots += [Int](repeating: t, count: min(vt.count, estimate))
        }
        return slots
    }

    /// Granular neighbours (Vidal et al. 2013): distance plus weighted waiting time and time
    /// warp incurred when going from one client to the other, the smaller of both directions;
    /// `windows` (earliest, latest, service by location) nil when time cannot bind.
    private static func granularNeighbours(
        active act: [Int], granularity: Int, locations L: Int, dist: UnsafeMutablePointer<Int>, dur: UnsafeMutablePointer<Int>,
        windows: (early: UnsafeMutablePointer<Int>, late: UnsafeMutablePointer<Int>, service: UnsafeMutablePointer<Int>)?
    ) -> [[Int]] {
        var nb: [[Int]] = [[Int]](repeating: [], count: L)
        let gWait = 0.2, gWarp = 1.0
        for u in act {
            var scored: [(Double, Int)] = []
            scored.reserveCapacity(act.count)
            for v in act where v != u {
                var best = Double.infinity
                for (i, j) in [(u, v), (v, u)] {
                    var s = Double(dist[i * L + j])
                    if let w = windows {
                        let arrive = w.early[i] + w.service[i] + dur[i * L + j]
                        s += gWait * Double(max(w.early[j] - (w.late[i] + w.service[i] + dur[i * L + j]), 0))
                        s += gWarp * Double(max(arrive - w.late[j], 0))
                    }
                    best = min(best, s)
                }
                scored.append((best, v))
            }
            scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            nb[u] = scored.prefix(granularity).map(\.1)
        }
        return nb
    }

    deinit {
        dist.deallocate(); dur.deallocate(); early.deallocate(); late.deallocate(); service.deallocate()
        demand.deallocate(); pickup.deallocate(); dropPenalty.deallocate(); allowed.deallocate()
    }

    /// SWAP* keeps a cache of R × locations entries; skip it when that would be too big.
    var useSwapStarCache: Bool { slotType.count * locations <= 8_000_000 && !hasMultiTrip }

    @inline(__always) func d(_ i: Int, _ j: Int) -> Int { dist[i * locations + j] }
    @inline(__always) func t(_ i: Int, _ j: Int) -> Int { dur[i * locations + j] }
    /// The arc i → j, for a move's change in arcs (`price`); its travel time is read only when
    /// some type pays for it, so a plain CVRP loads the distance matrix alone.
    @inline(__always) func arc(_ i: Int, _ j: Int) -> ArcSum {
        let k = i * locations + j
        return ArcSum(distance: dist[k], travel: hasTravelCost ? dur[k] : 0)
    }
    /// What vehicle type t pays for a change in arcs: the sums are formed first and priced once,
    /// one multiplication per rate and move rather than per arc. Not `arcCost`: without travel
    /// rates it skips the travel rate's load (measured 7 % of a CVRP search's time).
    @inline(__always) func price(_ s: ArcSum, type t: Int) -> Int {
        hasTravelCost ? distCost[t] * s.distance + travelCost[t] * s.travel : distCost[t] * s.distance
    }
    /// Types t and u price every arc alike (a piece costs the same in both).
    @inline(__always) func sameArcCost(_ t: Int, _ u: Int) -> Bool {
        distCost[t] == distCost[u] && travelCost[t] == travelCost[u]
    }
    /// What type t pays for arcs summing to `distance` and `travel`.
    @inline(__always) func arcCost(distance: Int, travel: Int, type t: Int) -> Int {
        distCost[t] * distance + travelCost[t] * travel
    }
    /// What type t pays for the arcs of a piece.
    @inline(__always) func arcCost<Trip: TripLoad>(_ p: Piece<Trip>, type t: Int) -> Int {
        arcCost(distance: p.dist, travel: p.travel, type: t)
    }
    @inline(__always) func isClient(_ l: Int) -> Bool { l >= depots }
    @inline(__always) func allows(_ type: Int, _ l: Int) -> Bool { allowed[l] & (1 << UInt64(type)) != 0 }

    /// The one-node piece of a client.
    @inline(__always) func clientPiece<Trip: TripLoad>(_ l: Int) -> Piece<Trip> {
        let load = Trip(delivery: demand[l], pickup: pickup[l])
        return Piece(dist: 0, travel: 0, clients: 1, first: l, last: l,
                     time: TimeSeg(duration: service[l], timeWarp: 0, earliest: early[l], latest: late[l]),
                     load: LoadSeg(head: load, tail: load, inner: 0, reload: false))
    }

    /// The depot of a vehicle type: start, end, or (with `reload`) a reload stop between trips.
    @inline(__always) func depotPiece<Trip: TripLoad>(type t: Int, reload isReload: Bool) -> Piece<Trip> {
        let l = typeDepot[t]
        return Piece(dist: 0, travel: 0, clients: 0, first: l, last: l,
                     time: TimeSeg(duration: isReload ? reload[t] : 0, timeWarp: 0, earliest: open[t], latest: close[t]),
                     load: isReload ? .marker : .zero)
    }

    @inline(__always) func merge<Trip: TripLoad>(_ a: Piece<Trip>, _ b: Piece<Trip>, type t: Int) -> Piece<Trip> {
        var time = a.time
        if hasTimes { time = TimeSeg.merge(a.time, b.time, travel: self.t(a.last, b.first)) }
        return Piece(dist: a.dist + d(a.last, b.first) + b.dist,
                     travel: hasTravelCost ? a.travel + self.t(a.last, b.first) + b.travel : 0, clients: a.clients + b.clients,
                     first: a.first, last: b.last, time: time,
                     load: hasMultiTrip ? LoadSeg.merge(a.load, b.load, cap: capacity[t]) : singleTrip(a.load, b.load))
    }

    /// Both pieces within one trip: the load is just the joined stretch.
    @inline(__always) private func singleTrip<Trip: TripLoad>(_ a: LoadSeg<Trip>, _ b: LoadSeg<Trip>) -> LoadSeg<Trip> {
        let joined = Trip.merge(a.head, b.head)
        return LoadSeg(head: joined, tail: joined, inner: 0, reload: false)
    }
}

/// Distance and travel time summed over arcs, with signs: the change a move makes.
struct ArcSum {
    var distance: Int
    var travel: Int
    static let zero = ArcSum(distance: 0, travel: 0)
    @inline(__always) static func + (a: ArcSum, b: ArcSum) -> ArcSum {
        ArcSum(distance: a.distance + b.distance, travel: a.travel + b.travel)
    }
    @inline(__always) static func - (a: ArcSum, b: ArcSum) -> ArcSum {
        ArcSum(distance: a.distance - b.distance, travel: a.travel - b.travel)
    }
}

/// What a whole route costs and breaks, whichever load summary computed it.
struct RouteTotals {
    var clients: Int
    var distance: Int
    /// Travel time over the arcs, counted only when some type pays for it (0 otherwise).
    var travel: Int
    var duration: Int
    var timeWarp: Int
    var excessLoad: Int
}

extension SearchData {
    /// A whole route of type t from its stops (reloads as depot locations), in O(length).
    func routePiece<Trip: TripLoad>(_ seq: [Int], type t: Int) -> Piece<Trip> {
        var p: Piece<Trip> = depotPiece(type: t, reload: false)
        for l in seq { p = merge(p, l < depots ? depotPiece(type: t, reload: true) : clientPiece(l), type: t) }
        return merge(p, depotPiece(type: t, reload: false), type: t)
    }

    @inline(__always) func excessLoad<Trip: TripLoad>(_ p: Piece<Trip>, type t: Int) -> Int {
        hasMultiTrip ? p.load.totalExcess(capacity[t]) : excess(p.load.head.peak, capacity[t])
    }

    func totals(_ seq: [Int], type t: Int) -> RouteTotals {
        hasPickups ? totals(routePiece(seq, type: t) as Piece<DeliveryPickupLoad>, type: t)
            : totals(routePiece(seq, type: t) as Piece<DeliveryLoad>, type: t)
    }

    private func totals<Trip: TripLoad>(_ p: Piece<Trip>, type t: Int) -> RouteTotals {
        RouteTotals(clients: p.clients, distance: p.dist, travel: p.travel, duration: p.time.duration, timeWarp: p.time.timeWarp,
                    excessLoad: excessLoad(p, type: t))
    }
}

/// Weights of the penalties on infeasibility, adapted during the search (Vidal et al. 2012).
struct Penalties {
    var load: Double
    var time: Double
}

extension SearchData {
    /// Cost of a complete route piece (start depot … end depot) of type t under penalties.
    @inline(__always) func cost<Trip: TripLoad>(_ p: Piece<Trip>, type t: Int, _ w: Penalties) -> Double {
        guard p.clients > 0 else { return 0 }
        var c = Double(fixedCost[t] + arcCost(p, type: t))
        if hasTimes {
            let over = max(0, p.time.duration - maxDuration[t])
            c += Double(durCost[t] * p.time.duration) + w.time * Double(p.time.timeWarp + over)
        }
        return c + w.load * Double(excessLoad(p, type: t))
    }
}
