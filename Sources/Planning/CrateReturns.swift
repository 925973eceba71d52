/// Empty returnable crates (周转筐): every pickup point hands back the crates of its previous
/// delivery, and the van that delivers today takes them to the warehouse. The van then both
/// drops and collects at every stop, so its load is not a running sum (the routing core's
/// simultaneous delivery and pickup, `Client.pickup`).
public struct CrateReturns: Codable, Sendable, Equatable {
    /// Share of the previous delivery's crates that come back, 0…100.
    public var ratePercent: Int
    /// Weight of one empty crate, 0…20,000 g.
    public var emptyCrateGrams: Int

    public init(ratePercent: Int, emptyCrateGrams: Int) {
        self.ratePercent = ratePercent
        self.emptyCrateGrams = emptyCrateGrams
    }

    enum CodingKeys: String, CodingKey {
        case ratePercent = "rate_percent"
        case emptyCrateGrams = "empty_crate_g"
    }
}

extension Scenario {
    /// Empty crates point `p` hands back to the vans that deliver `crates` to it today: its own
    /// count if it has one, else the rate of its previous delivery (today's crates when unknown).
    public func emptyCrates(at p: PickupPoint, deliveredToday crates: Int) -> Int {
        if let n = p.returnedCrates { return n }
        guard let r = crateReturns else { return 0 }
        return (p.previousDeliveryCrates ?? crates) * r.ratePercent / 100
    }

    public var emptyCrateGrams: Int { crateReturns?.emptyCrateGrams ?? 0 }

    /// Whether plans carry crate-return figures: the scenario sets a rate or a point has empties.
    public var hasCrateReturns: Bool { crateReturns != nil || pickupPoints.contains { $0.returnedCrates != nil } }
}

extension Context {
    /// Writes the empties and the load after each stop onto one trip's `stops` (from `drops`,
    /// in the same order); returns the trip's empties (nil without crate returns) and its peak.
    func recordCrateReturns(_ stops: inout [PlannedStop], drops: [Drop]) -> (returned: Int?, peak: OnBoard) {
        let (after, peak) = OnBoard.along(drops.map { ($0.load.crates, $0.load.grams, $0.empties) },
                                          emptyCrateGrams: scenario.emptyCrateGrams)
        guard scenario.hasCrateReturns else { return (nil, peak) }
        for k in stops.indices {
            stops[k].returnedCrates = drops[k].empties
            stops[k].onBoardAfter = after[k]
        }
        return (drops.reduce(0) { $0 + $1.empties }, peak)
    }
}

/// `total` empties shared over drops carrying `crates`: in proportion, whole crates, summing
/// to `total` (cumulative rounding, so no crate is lost or counted twice).
func emptyCrateShares(_ total: Int, over crates: [Int]) -> [Int] {
    let sum = crates.reduce(0, +)
    guard sum > 0 else { return crates.indices.map { $0 == 0 ? total : 0 } }
    var before = 0, given = 0
    return crates.map { c in
        before += c
        let upTo = total * before / sum
        defer { given = upTo }
        return upTo - given
    }
}

/// What a van has on board after each stop of one trip: it leaves with every delivery of the
/// trip, and at each stop drops that stop's delivery and loads its empties.
public struct OnBoard: Codable, Sendable, Equatable {
    public var crates: Int
    public var grams: Int

    /// Load after each stop of `stops` (delivered crates and grams, empties collected), and the
    /// most the van carries at any point of the trip, departure included.
    public static func along(_ stops: [(crates: Int, grams: Int, empties: Int)], emptyCrateGrams: Int)
        -> (after: [OnBoard], peak: OnBoard) {
        var now = OnBoard(crates: stops.reduce(0) { $0 + $1.crates }, grams: stops.reduce(0) { $0 + $1.grams })
        var peak = now
        var after: [OnBoard] = []
        for s in stops {
            now.crates += s.empties - s.crates
            now.grams += s.empties * emptyCrateGrams - s.grams
            peak = OnBoard(crates: max(peak.crates, now.crates), grams: max(peak.grams, now.grams))
            after.append(now)
        }
        return (after, peak)
    }
}
