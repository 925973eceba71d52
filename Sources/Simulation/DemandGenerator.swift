import Foundation
import Planning
import Routing

/// The orders placed for one nominal delivery day (they complete on the day before it). Which
/// delivery day they reach depends on the cut-off: `Simulator` splits a cohort there.
public struct Cohort: Sendable {
    /// 0-based day of the horizon whose delivery the orders were placed for (-1: the day before).
    public var day: Int
    /// Completed orders (delivery date: the nominal day), in pickup-point order.
    public var orders: [Order]
    /// Orders placed in group deals that failed to complete (never become orders).
    public var failedOrders: Int
    public var failedGroups: Int
    public var groups: Int
}

/// Draws cohorts from a `DemandModel`.
///
/// Common random numbers: every (day, pickup point) has its own random streams, derived from
/// one key drawn from the RNG passed in, so variants of a scenario see the same groups, the
/// same completion times and the same base orders; a demand factor k > 1 adds orders from a
/// separate stream, k < 1 thins the base orders. The same seed gives the same orders in every
/// variant and whatever the order days are drawn in.
public struct DemandGenerator: Sendable {
    public let model: DemandModel
    public let start: CalendarDate
    let timeZone: TimeZone
    let points: [String]
    let pools: [Int]
    let key: UInt64
    let basket: Basket

    /// `rng` gives the key of the streams (one draw).
    public init(model: DemandModel, scenario: Scenario, start: CalendarDate, rng: inout RNG) throws {
        guard let tz = TimeZone(identifier: scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(scenario.timeZone)\"")
        }
        self.model = model
        self.start = start
        timeZone = tz
        points = scenario.pickupPoints.map(\.id)
        // Residents who order at a point: about as many as its usual daily orders.
        pools = points.map { max(5, Int((model.ordersPerPoint * (model.pointFactors[$0] ?? 1) * 0.8).rounded())) }
        key = rng.next()
        basket = Basket(model: model, skus: scenario.skus)
    }

    /// Orders for nominal delivery day `day`, with per-point demand factors (variants; 1: base).
    public func cohort(day: Int, factors: [Double]) -> Cohort {
        precondition(factors.count == points.count)
        let nominal = start.adding(days: day)
        let orderDay = DayClock(date: nominal.adding(days: -1), timeZone: timeZone)
        let ymd = "\(nominal)".replacingOccurrences(of: "-", with: "")
        let mmdd = String(ymd.suffix(4))
        let dayFactor = model.dayFactor(day: day, start: start)
        var out = Cohort(day: day, orders: [], failedOrders: 0, failedGroups: 0, groups: 0)
        let c = model.completion
        for (p, id) in points.enumerated() {
            let lambda = model.ordersPerPoint * (model.pointFactors[id] ?? 1) * dayFactor
            let groupCount = max(1, model.groupsPerPoint)
            // Stream 0: the point's group deals (completion time, success).
            var g = Self.stream(key, day, p, 0)
            var groups: [(at: Timestamp, failed: Bool)] = []
            for _ in 0..<groupCount {
                let s = min(86_399, Int(triangular(&g, c.from.seconds, c.peak.seconds, c.to.seconds)))
                groups.append((Timestamp(text: orderDay.iso(s), epochSeconds: orderDay.epochSeconds(at: s)),
                               g.unit() < model.groupFailureRate))
            }
            out.groups += groupCount
            out.failedGroups += groups.filter(\.failed).count

            func draw(_ n: Int, _ r: inout RNG, prefix: String) -> [(Int, Order)] {
                var made: [(Int, Order)] = []
                for i in 0..<n {
                    let group = r.below(groupCount)
                    let customer = r.below(pools[p]) + 1
                    let lines = basket.draw(&r)
                    made.append((group, Order(
                        orderId: "O-\(ymd)-\(id)-\(prefix)\(pad(i + 1, 4))", groupId: "G-\(mmdd)-\(id)-\(group + 1)",
                        pickupPointId: id, customerId: "C-\(id)-\(pad(customer, 3))", deliveryDate: nominal,
                        completedAt: groups[group].at, lines: lines)))
                }
                return made
            }
            // Stream 1: the base orders; stream 2: what a demand factor adds or removes.
            var a = Self.stream(key, day, p, 1)
            var b = Self.stream(key, day, p, 2)
            let k = factors[p]
            var orders = draw(poisson(lambda, &a), &a, prefix: "")
            if k < 1 {
                orders = orders.filter { _ in b.unit() < k }
            } else if k > 1 {
                orders += draw(poisson(lambda * (k - 1), &b), &b, prefix: "X")
            }
            for (group, o) in orders {
                if groups[group].failed { out.failedOrders += 1 } else { out.orders.append(o) }
            }
        }
        return out
    }

    /// An independent generator per (day, point, purpose): SplitMix64's finaliser over the parts.
    static func stream(_ key: UInt64, _ parts: Int...) -> RNG {
        var h = key
        for part in parts {
            h ^= UInt64(bitPattern: Int64(part))
            h &+= 0x9E37_79B9_7F4A_7C15
            h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        return RNG(seed: h)
    }
}

/// The SKU and quantity draws of one order.
struct Basket: Sendable {
    let skus: [SKU]
    /// Per temperature class (or one bucket for all when no mix is given): SKU indices and weights.
    let buckets: [(skus: [Int], pick: Weighted)]
    let bucketPick: Weighted?
    let lines: Weighted
    let units: Weighted
    let sellable: Int

    init(model: DemandModel, skus: [SKU]) {
        self.skus = skus
        let weight = skus.map { sku in model.skuWeights.map { $0[sku.id] ?? 0 } ?? 1 }
        sellable = weight.filter { $0 > 0 }.count
        if let mix = model.temperatureMix {
            var b: [(skus: [Int], pick: Weighted)] = []
            var shares: [Double] = []
            for t in TemperatureClass.allCases {
                let members = skus.indices.filter { skus[$0].temperature == t && weight[$0] > 0 }
                guard !members.isEmpty else { continue }
                b.append((members, Weighted(members.map { weight[$0] })))
                shares.append(mix[t] ?? 0)
            }
            buckets = b
            bucketPick = Weighted(shares)
        } else {
            let members = skus.indices.filter { weight[$0] > 0 }
            buckets = [(members, Weighted(members.map { weight[$0] }))]
            bucketPick = nil
        }
        lines = Weighted(model.linesPerOrder)
        units = Weighted(model.unitsPerLine)
    }

    /// 1 … n distinct SKUs; a duplicate draw is drawn again (a few times at most).
    func draw(_ r: inout RNG) -> [OrderLine] {
        let want = min(lines.draw(&r) + 1, sellable)
        var chosen: [Int] = []
        var attempts = 0
        while chosen.count < want && attempts < 20 * want {
            attempts += 1
            let bucket = buckets[bucketPick?.draw(&r) ?? 0]
            let s = bucket.skus[bucket.pick.draw(&r)]
            if !chosen.contains(s) { chosen.append(s) }
        }
        return chosen.map { OrderLine(sku: skus[$0].id, qty: units.draw(&r) + 1) }
    }
}

/// Draws an index with probability proportional to its weight (weights ≥ 0, not all 0).
struct Weighted: Sendable {
    let cumulative: [Double]
    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { sum += $0; return sum }
    }
    func draw(_ r: inout RNG) -> Int {
        let u = r.unit() * cumulative.last!
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Inverse CDF of the triangular distribution on [a, b] with mode c.
func triangular(_ r: inout RNG, _ a: Int, _ c: Int, _ b: Int) -> Double {
    let (a, b, c) = (Double(a), Double(b), Double(c))
    guard b > a else { return a }
    let u = r.unit()
    let f = (c - a) / (b - a)
    return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
}

/// A Poisson variate: inversion by sequential search for small means; above 10, Hörmann's
/// transformed rejection with squeeze, PTRS (Hörmann 1993, "The transformed rejection method for
/// generating Poisson random variables", Insurance: Mathematics and Economics 12).
func poisson(_ lambda: Double, _ r: inout RNG) -> Int {
    guard lambda > 0 else { return 0 }
    if lambda < 10 {
        var k = 0
        var p = exp(-lambda)
        var cdf = p
        let u = r.unit()
        while u > cdf && k < 1000 {
            k += 1
            p *= lambda / Double(k)
            cdf += p
        }
        return k
    }
    let sq = lambda.squareRoot(), logLambda = log(lambda)
    let b = 0.931 + 2.53 * sq
    let a = -0.059 + 0.02483 * b
    let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
        let u = r.unit() - 0.5
        let v = r.unit()
        let us = 0.5 - abs(u)
        let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
        if us >= 0.07 && v <= vr { return Int(k) }
        if k < 0 || (us < 0.013 && v > us) { continue }
        if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * logLambda - lgamma(k + 1) { return Int(k) }
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
