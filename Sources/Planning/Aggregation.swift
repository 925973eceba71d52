/// What a set of orders puts on a van: crates per temperature class and weight.
///
/// Crate rule (docs/scenario-format.md): goods for one drop are sown into crates per temperature
/// class, SKUs sharing crates, and a unit takes 1/units_per_crate of a crate. So for each class
/// crates = ⌈Σ qty / units_per_crate⌉ over the SKUs of that class, summed over the drop's
/// orders, computed exactly in integers.
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
        var fraction = [(num: 0, den: 1), (num: 0, den: 1), (num: 0, den: 1)]
        var grams = 0
        for (id, q) in units.sorted(by: { $0.key < $1.key }) {
            let s = skus[id]!
            let k = TemperatureClass.allCases.firstIndex(of: s.temperature)!
            grams += q * s.weightGrams
            full[k] += q / s.unitsPerCrate
            let r = q % s.unitsPerCrate
            guard r > 0 else { continue }
            // fraction += r / unitsPerCrate, reduced; on overflow the partial crate counts whole.
            let f = fraction[k]
            let g = gcd(f.den, s.unitsPerCrate)
            let (a, o1) = f.num.multipliedReportingOverflow(by: s.unitsPerCrate / g)
            let (b, o2) = r.multipliedReportingOverflow(by: f.den / g)
            let (den, o3) = f.den.multipliedReportingOverflow(by: s.unitsPerCrate / g)
            let (num, o4) = a.addingReportingOverflow(b)
            if o1 || o2 || o3 || o4 {
                full[k] += 1
                continue
            }
            let h = gcd(num, den)
            fraction[k] = (num / h, den / h)
        }
        let crates = (0..<3).map { full[$0] + (fraction[$0].num + fraction[$0].den - 1) / fraction[$0].den }
        return Load(cratesByClass: crates, grams: grams)
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
