import Foundation
@testable import Routing

/// Random Euclidean instances for tests, built from one seeded RNG.
struct RandomInstance {
    var n = 10
    var depots = 1
    var capacity = 30
    var vehicles = 10
    var windows = false
    var service = 0
    var seed: UInt64 = 1
    /// Each client also picks up 0…`pickups` (simultaneous delivery and pickup); 0: none drawn.
    var pickups = 0

    func make() throws -> ProblemData {
        var rng = RNG(seed: seed)
        let pts = (0..<(depots + n)).map { _ in (Double(rng.below(100)), Double(rng.below(100))) }
        let m = Matrix(size: pts.count) { i, j in
            Int((((pts[i].0 - pts[j].0) * (pts[i].0 - pts[j].0) + (pts[i].1 - pts[j].1) * (pts[i].1 - pts[j].1)).squareRoot() * 10).rounded())
        }
        let clients = (0..<n).map { k -> Client in
            let p = pts[depots + k]
            var c = Client(x: p.0, y: p.1, demand: [1 + rng.below(10)], serviceDuration: service)
            if pickups > 0 { c.pickup = [rng.below(pickups + 1)] }
            if windows {
                let start = rng.below(1500)
                c.earliest = start
                c.latest = start + 200 + rng.below(600)
            }
            return c
        }
        let ds = (0..<depots).map { Depot(x: pts[$0].0, y: pts[$0].1, latest: windows ? 3000 : .max / 4) }
        let types = (0..<depots).map { VehicleType(count: vehicles, capacity: [capacity], depot: $0) }
        return try ProblemData(depots: ds, clients: clients, vehicleTypes: types, distance: m, duration: m)
    }
}
