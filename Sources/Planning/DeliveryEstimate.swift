import RoadNetwork

/// Estimates shared by the daily allocation (`DailyPlanner.allocate`) and network design
/// (`NetworkDesign`), so both price a pickup point's delivery the same way.
extension Context {
    /// Estimated cost in cents (unrounded) of delivering `crates` crates to point `p` from
    /// warehouse `w` on one day, on the largest of the warehouse's vans that may reach the point:
    /// the point's share (crates ÷ van capacity) of a radial round trip — km and hour cost of
    /// warehouse → point → warehouse plus the van's day cost spread over its trips — plus the van's
    /// hour cost during the service time. The radial share follows Daganzo 1984, "The distance
    /// traveled to visit N points with a maximum of C stops per vehicle". Nil when no van of the
    /// warehouse may reach the point (lane too narrow, or no vans).
    func estimatedDeliveryCost(crates: Int, point p: Int, warehouse w: Int, matrix: TravelMatrix) -> Double? {
        guard let t = largestAllowed(point: p, warehouse: w) else { return nil }
        let vt = scenario.warehouses[w].vehicleTypes[fleet.types[w][t].type]
        let a = loc(warehouse: w), b = loc(point: p)
        let share = Double(crates) / Double(vt.capacityCrates)
        let km = Double(matrix.distance(a, b) + matrix.distance(b, a)) / 1000
        let hours = Double(matrix.duration(a, b) + matrix.duration(b, a)) / 3600
        let trip = km * Double(vt.costPerKmCents) + hours * Double(vt.costPerHourCents)
            + Double(vt.costPerDayCents) / Double(vt.maxTrips)
        let service = Double(scenario.serviceTime(of: scenario.pickupPoints[p]).seconds(crates: crates)) / 3600
            * Double(vt.costPerHourCents)
        return share * trip + service
    }

    /// Travel times over the scenario's warehouses then its pickup points, with how far each
    /// point was snapped to a road. Points are named, so one too far from any road is reported
    /// by its id.
    func travelMatrix(_ travel: TravelTimes) throws -> (matrix: TravelMatrix, snaps: [SnapReport]) {
        let named = scenario.warehouses.map { NamedPoint(id: $0.id, coordinate: $0.location) }
            + scenario.pickupPoints.map { NamedPoint(id: $0.id, coordinate: $0.location) }
        do {
            return (try mappingRoadErrors { try travel.provider.matrix(for: named) },
                    try mappingRoadErrors { try travel.provider.snapReports(for: named) })
        } catch let e as LastmileError {
            throw e
        } catch {
            throw GeneralError(.planning, "travel times: \(error)")
        }
    }
}
