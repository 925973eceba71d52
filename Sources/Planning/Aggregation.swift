/// What a set of orders puts on a van: crates per temperature class and weight.
///
/// Crate rule (docs/scenario-format.md): goods for one drop are sown into crates per temperature
/// class, SKUs sharing crates, and a unit takes 1/units_per_crate of a crate. So for each class
/// crates = ⌈Σ qty / units_per_crate⌉ over the SKUs of that class, summed over the drop's
/// orders, computed exactly in integers (`CrateFraction`: the fractional crates of many SKUs
/// with coprime units_per_crate need more than 64 bits).
public struct Load: Sendable, Hashable, Codable {
    /// Indexed by `TemperatureClass.allCases`.
    public var cratesByClass: [Int]
    public var grams: Int

    public init(cratesByClass: [Int] = [0, 0, 0], grams: Int = 0) {
        self.cratesByClass = cratesByClass
        self.grams = grams
    }

    public var crates: Int { cratesByClass.reduce(0, +) }
    public func crates(_ t: TemperatureClass) -> Int { cratesByClass[TemperatureClass.allCases.firstIndex(of: t)!] }

    public static func + (a: Load, b: Load) -> Load {
        Load(cratesByClass: zip(a.cratesByClass, b.cratesByClass).map { $0 + $1 }, grams: a.grams + b.grams)
    }
}

/// Units per SKU, turned into crates by the crate rule.
public struct UnitTally: Sendable {
    public private(set) var units: [String: Int] = [:]
    public init() {}

    public mutating func add(_ order: Order) {
        for l in order.lines { units[l.sku, default: 0] += l.qty }
    }

    public func load(skus: [String: SKU]) -> Load {
        var full = [0, 0, 0]
        var fraction = [CrateFraction(), CrateFraction(), CrateFraction()]
        var grams = 0
        for (id, q) in units.sorted(by: { $0.key < $1.key }) {
            let s = skus[id]!
            let k = TemperatureClass.allCases.firstIndex(of: s.temperature)!
            grams += q * s.weightGrams
            full[k] += q / s.unitsPerCrate
            let r = q % s.unitsPerCrate
            if r > 0 && fraction[k].add(r, over: s.unitsPerCrate) { full[k] += 1 }
        }
        return Load(cratesByClass: (0..<3).map { full[$0] + (fraction[$0].isZero ? 0 : 1) }, grams: grams)
    }
}

/// The exact fractional crate of a temperature class, num/den < 1, where den is the least
/// common multiple of the units_per_crate values added so far. Denominators of many SKUs with
/// coprime units_per_crate outgrow any fixed-width integer, so both are unsigned multi-word
/// integers (32-bit limbs, least significant first); units_per_crate (≤ `InputLimits.unitsPerCrate`)
/// fits one limb. The fast case (a few SKUs) stays within one or two limbs.
struct CrateFraction {
    private var num: [UInt32] = []
    private var den: [UInt32] = [1]

    var isZero: Bool { num.isEmpty }

    /// Adds r/u (0 < r < u < 2^32); true when the sum reached a whole crate (carried out, the
    /// fraction keeps the rest).
    mutating func add(_ r: Int, over u: Int) -> Bool {
        let g = UInt32(gcd(Int(Self.remainder(den, UInt32(u))), u))
        let m = UInt32(u) / g
        let scaledDen = Self.multiply(den, m)
        var sum = Self.add(Self.multiply(num, m), Self.multiply(Self.divide(den, g), UInt32(r)))
        let carried = Self.compare(sum, scaledDen) >= 0
        if carried { sum = Self.subtract(sum, scaledDen) }
        num = sum
        den = scaledDen
        return carried
    }

    private static func trimmed(_ a: [UInt32]) -> [UInt32] {
        var a = a
        while a.last == 0 { a.removeLast() }
        return a
    }

    private static func multiply(_ a: [UInt32], _ m: UInt32) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count + 1)
        var carry: UInt64 = 0
        for limb in a {
            let p = UInt64(limb) * UInt64(m) + carry
            out.append(UInt32(truncatingIfNeeded: p))
            carry = p >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return trimmed(out)
    }

    private static func divide(_ a: [UInt32], _ d: UInt32) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: a.count)
        var rest: UInt64 = 0
        for i in a.indices.reversed() {
            let cur = (rest << 32) | UInt64(a[i])
            out[i] = UInt32(cur / UInt64(d))
            rest = cur % UInt64(d)
        }
        return trimmed(out)
    }

    private static func remainder(_ a: [UInt32], _ d: UInt32) -> UInt32 {
        var rest: UInt64 = 0
        for limb in a.reversed() { rest = ((rest << 32) | UInt64(limb)) % UInt64(d) }
        return UInt32(rest)
    }

    private static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a − b for a ≥ b.
    private static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var borrow: Int64 = 0
        for i in a.indices {
            var d = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 1 << 32 }
            out.append(UInt32(d))
        }
        return trimmed(out)
    }

    private static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in a.indices.reversed() where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }
}

@inline(__always) func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

/// The demand of one pickup point on the delivery day.
public struct PointDemand: Sendable {
    public var point: Int
    /// Orders in order-id order.
    public var orders: [Order]
    public var load: Load
}

public enum Aggregation {
    public static func load(of orders: some Sequence<Order>, skus: [String: SKU]) -> Load {
        var t = UnitTally()
        for o in orders { t.add(o) }
        return t.load(skus: skus)
    }

    /// Orders grouped per pickup point (index into `scenario.pickupPoints`), points without
    /// orders left out.
    public static func demand(of orders: [Order], scenario: Scenario) -> [PointDemand] {
        let skus = Dictionary(uniqueKeysWithValues: scenario.skus.map { ($0.id, $0) })
        var byPoint: [String: [Order]] = [:]
        for o in orders { byPoint[o.pickupPointId, default: []].append(o) }
        return scenario.pickupPoints.enumerated().compactMap { (i, p) in
            guard let os = byPoint[p.id] else { return nil }
            let sorted = os.sorted { $0.orderId < $1.orderId }
            return PointDemand(point: i, orders: sorted, load: load(of: sorted, skus: skus))
        }
    }

    /// Splits a point's orders into drops that each fit `crates` and `grams`, filling drops in
    /// order-id order (first fit). An order that fits no van alone gets a drop of its own, which
    /// the routing core then reports as too large.
    public static func split(_ orders: [Order], crates: Int, grams: Int, skus: [String: SKU]) -> [[Order]] {
        let whole = load(of: orders, skus: skus)
        if whole.crates <= crates && whole.grams <= grams { return [orders] }
        var drops: [(orders: [Order], tally: UnitTally)] = []
        for o in orders {
            var placed = false
            for k in drops.indices {
                var t = drops[k].tally
                t.add(o)
                let l = t.load(skus: skus)
                if l.crates <= crates && l.grams <= grams {
                    drops[k].orders.append(o)
                    drops[k].tally = t
                    placed = true
                    break
                }
            }
            if !placed {
                var t = UnitTally()
                t.add(o)
                drops.append(([o], t))
            }
        }
        return drops.map(\.orders)
    }
}
