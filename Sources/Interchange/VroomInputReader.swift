/// Ranges of every number read from VROOM JSON (docs/vroom.md, "Ranges"). Times and matrix
/// entries are VROOM's own unsigned 32-bit; amounts stay far from overflow when summed.
public enum VroomRanges {
    public static let id = 0...9_007_199_254_740_991           // 2^53 − 1: exact in every JSON reader
    public static let time = 0...4_294_967_295                   // seconds, also timestamps
    public static let amount = 0...2_147_483_647
    public static let dimensions = 1...16
    public static let skill = 0...4_294_967_295
    public static let priority = 0...100
    public static let fixedCost = 0...1_000_000_000
    public static let ratePerHourOrKm = 0...10_000_000
    public static let matrixEntry = 0...4_294_967_295
    public static let matrixSize = 1...10_000
    public static let count = 0...100_000                        // jobs and vehicles
    public static let maxTasks = 0...1_000_000
    public static let maxTrips = 1...100
    public static let reload = 0...86_400
    public static let seconds = 0.01...3_600.0
}

extension VroomInput {
    static func read(_ root: Node) throws(VroomError) -> VroomInput {
        let f = try root.object(known: ["jobs", "vehicles", "matrices", "shipments", "matrix", "options", "lastmile"])
        if let s = f["shipments"], try !s.array().isEmpty { throw VroomError.notYet(s.pointer, "shipments are") }
        if let m = f["matrix"] { throw m.fail("the deprecated single matrix is not supported: use \"matrices\": {\"car\": {\"durations\": …}}") }
        if let o = f["options"] {
            let of = try o.object(known: ["g", "t", "x", "c"])
            if let g = of["g"], case .bool(true) = g.value { throw VroomError.notYet(g.pointer, "route geometry is") }
            if let c = of["c"], case .bool(true) = c.value { throw VroomError.notYet(c.pointer, "plan mode (choosing ETAs of given routes) is") }
        }
        var options = VroomSolveOptions()
        if let l = f["lastmile"] {
            let lf = try l.object(known: ["seconds", "seed"])
            if let s = lf["seconds"] {
                let v = try s.number()
                guard VroomRanges.seconds.contains(v) else { throw s.fail("\(v) is out of range 0.01...3600") }
                options.seconds = v
            }
            if let s = lf["seed"] { options.seed = UInt64(try s.integer(in: VroomRanges.id)) }
        }
        let jobNodes = try f.required("jobs").array()
        let vehicleNodes = try f.required("vehicles").array()
        guard jobNodes.count <= VroomRanges.count.upperBound else { throw try f.required("jobs").fail("more than 100000 jobs") }
        guard !vehicleNodes.isEmpty else { throw try f.required("vehicles").fail("at least one vehicle is needed") }
        guard vehicleNodes.count <= VroomRanges.count.upperBound else { throw try f.required("vehicles").fail("more than 100000 vehicles") }
        var jobs: [VroomJob] = []
        var jobIds = Set<Int>()
        for n in jobNodes {
            let j = try readJob(n)
            guard jobIds.insert(j.id).inserted else { throw n.child("id", .null).fail("duplicate job id \(j.id)") }
            jobs.append(j)
        }
        var vehicles: [VroomVehicle] = []
        var vehicleIds = Set<Int>()
        for n in vehicleNodes {
            let v = try readVehicle(n)
            guard vehicleIds.insert(v.id).inserted else { throw n.child("id", .null).fail("duplicate vehicle id \(v.id)") }
            vehicles.append(v)
        }
        var matrices: [String: VroomMatrices] = [:]
        if let m = f["matrices"] {
            guard case .object(let profiles) = m.value else { throw m.fail("expected an object, found \(m.value.kind)") }
            for key in profiles.keys.sorted() { matrices[key] = try readMatrices(m.child(key, profiles[key]!)) }
        }
        return VroomInput(jobs: jobs, vehicles: vehicles, matrices: matrices, options: options)
    }

    static func readJob(_ n: Node) throws(VroomError) -> VroomJob {
        let f = try n.object(known: ["id", "description", "location", "location_index", "setup", "service", "delivery",
                                     "pickup", "skills", "priority", "time_windows", "amount", "setup_per_type", "service_per_type"])
        for key in ["setup_per_type", "service_per_type"] {
            if let x = f[key] { throw VroomError.notYet(x.pointer, "durations per vehicle type are") }
        }
        // VROOM still reads the deprecated `amount` as the delivery when there is no `delivery`.
        if let a = f["amount"], f["delivery"] != nil { throw a.fail("the deprecated \"amount\" beside \"delivery\" is ambiguous: keep one") }
        var job = VroomJob(
            id: try f.required("id").integer(in: VroomRanges.id),
            description: try f["description"]?.string(),
            location: try f["location"].map { n throws(VroomError) in try readCoordinates(n) },
            locationIndex: try f["location_index"]?.integer(in: 0...(VroomRanges.matrixSize.upperBound - 1)),
            setup: try f["setup"]?.integer(in: VroomRanges.time) ?? 0,
            service: try f["service"]?.integer(in: VroomRanges.time) ?? 0,
            delivery: try readAmount(f["delivery"] ?? f["amount"]), pickup: try readAmount(f["pickup"]),
            skills: Set(try f["skills"]?.integers(in: VroomRanges.skill) ?? []),
            priority: try f["priority"]?.integer(in: VroomRanges.priority) ?? 0, timeWindow: nil)
        if let tws = f["time_windows"] {
            let list = try tws.array()
            if list.count > 1 { throw VroomError.notYet(tws.pointer, "several time windows per job are") }
            if let w = list.first { job.timeWindow = try readWindow(w) }
            if list.isEmpty { throw tws.fail("an empty list of time windows leaves no time to serve the job") }
        }
        return job
    }

    static func readVehicle(_ n: Node) throws(VroomError) -> VroomVehicle {
        let f = try n.object(known: ["id", "profile", "description", "start", "start_index", "end", "end_index", "capacity",
                                     "costs", "skills", "type", "time_window", "breaks", "speed_factor", "max_tasks",
                                     "max_travel_time", "max_distance", "steps", "lastmile"])
        if let b = f["breaks"], try !b.array().isEmpty { throw VroomError.notYet(b.pointer, "breaks are") }
        if let s = f["steps"], try !s.array().isEmpty { throw VroomError.notYet(s.pointer, "vehicle steps (a given starting route) are") }
        if let s = f["speed_factor"], try s.number() != 1 { throw VroomError.notYet(s.pointer, "a speed factor other than 1 is") }
        _ = try f["type"]?.string()   // only meaningful with per-type durations, which are refused
        var v = VroomVehicle(
            id: try f.required("id").integer(in: VroomRanges.id), profile: try f["profile"]?.string() ?? "car",
            description: try f["description"]?.string(),
            start: try f["start"].map { n throws(VroomError) in try readCoordinates(n) },
            startIndex: try f["start_index"]?.integer(in: 0...(VroomRanges.matrixSize.upperBound - 1)),
            end: try f["end"].map { n throws(VroomError) in try readCoordinates(n) },
            endIndex: try f["end_index"]?.integer(in: 0...(VroomRanges.matrixSize.upperBound - 1)),
            capacity: try f["capacity"].map { n throws(VroomError) in try readAmount(n) },
            skills: Set(try f["skills"]?.integers(in: VroomRanges.skill) ?? []), costs: VroomCosts(),
            timeWindow: try f["time_window"].map { n throws(VroomError) in try readWindow(n) },
            maxTasks: try f["max_tasks"]?.integer(in: VroomRanges.maxTasks),
            maxTravelTime: try f["max_travel_time"]?.integer(in: VroomRanges.time),
            maxDistance: try f["max_distance"]?.integer(in: VroomRanges.time), maxTrips: 1, reloadDuration: 0)
        if let c = f["costs"] {
            let cf = try c.object(known: ["fixed", "per_hour", "per_km", "per_task_hour"])
            if let t = cf["per_task_hour"], try t.integer(in: VroomRanges.ratePerHourOrKm) != 0 { throw VroomError.notYet(t.pointer, "a cost of task time is") }
            v.costs.fixed = try cf["fixed"]?.integer(in: VroomRanges.fixedCost) ?? 0
            v.costs.perHour = try cf["per_hour"]?.integer(in: VroomRanges.ratePerHourOrKm) ?? 3600
            v.costs.perKm = try cf["per_km"]?.integer(in: VroomRanges.ratePerHourOrKm) ?? 0
        }
        if let x = f["lastmile"] {
            let xf = try x.object(known: ["max_trips", "reload_s", "per_hour_on"])
            if let on = xf["per_hour_on"] {
                let mode = try on.string()
                guard mode == "route" || mode == "travel" else {
                    throw VroomError(pointer: on.pointer, "must be \"route\" or \"travel\", got \"\(mode)\"")
                }
                v.hourlyOnRoute = mode == "route"
            }
            v.maxTrips = try xf["max_trips"]?.integer(in: VroomRanges.maxTrips) ?? 1
            v.reloadDuration = try xf["reload_s"]?.integer(in: VroomRanges.reload) ?? 0
        }
        return v
    }

    static func readMatrices(_ n: Node) throws(VroomError) -> VroomMatrices {
        let f = try n.object(known: ["durations", "distances", "costs"])
        let d = try f.required("durations")
        let durations = try readSquare(d, size: nil)
        let size = try d.array().count
        return VroomMatrices(size: size, durations: durations,
                             distances: try f["distances"].map { m throws(VroomError) in try readSquare(m, size: size) },
                             costs: try f["costs"].map { m throws(VroomError) in try readSquare(m, size: size) })
    }

    static func readSquare(_ n: Node, size: Int?) throws(VroomError) -> [Int] {
        let rows = try n.array()
        guard VroomRanges.matrixSize.contains(rows.count) else { throw n.fail("\(rows.count) rows, expected 1...10000") }
        if let size, rows.count != size { throw n.fail("\(rows.count) rows, expected \(size) as in durations") }
        var out: [Int] = []
        out.reserveCapacity(rows.count * rows.count)
        for r in rows {
            let row = try r.integers(in: VroomRanges.matrixEntry)
            guard row.count == rows.count else { throw r.fail("\(row.count) entries, expected \(rows.count) (a square matrix)") }
            out += row
        }
        return out
    }

    static func readAmount(_ n: Node?) throws(VroomError) -> [Int] {
        guard let n else { return [] }
        let a = try n.integers(in: VroomRanges.amount)
        guard a.count <= VroomRanges.dimensions.upperBound else { throw n.fail("\(a.count) dimensions, at most 16") }
        return a
    }

    static func readCoordinates(_ n: Node) throws(VroomError) -> [Double] {
        let items = try n.array()
        guard items.count == 2 else { throw n.fail("expected [lon, lat]") }
        let lon = try items[0].number(), lat = try items[1].number()
        guard (-180...180).contains(lon) else { throw items[0].fail("longitude \(lon) is out of range -180...180") }
        guard (-90...90).contains(lat) else { throw items[1].fail("latitude \(lat) is out of range -90...90") }
        return [lon, lat]
    }

    static func readWindow(_ n: Node) throws(VroomError) -> ClosedRange<Int> {
        let items = try n.array()
        guard items.count == 2 else { throw n.fail("expected [start, end]") }
        let a = try items[0].integer(in: VroomRanges.time), b = try items[1].integer(in: VroomRanges.time)
        guard a <= b else { throw n.fail("window [\(a), \(b)] is empty") }
        return a...b
    }
}
