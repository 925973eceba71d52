import Foundation

/// How a vehicle uses the road network: which ways it may drive, how fast, and what turning costs.
/// Kept as JSON in `maps/` (`van-profile.json` for planning, `car-osrm.json` mirroring OSRM's
/// car.lua to check the engine against the OSRM reference matrices).
public struct VehicleProfile: Codable, Sendable, Hashable {
    public var name: String
    /// `highway=*` values the vehicle may use, with their speed in km/h. Other values are skipped.
    public var highwaySpeeds: [String: Double]
    /// Speed in km/h for `highway=service` ways by their `service=*` value; a value listed with
    /// speed 0 is not driven (e.g. `emergency_access`).
    public var serviceSpeeds: [String: Double]
    /// A tagged `maxspeed` gives speed = maxspeed × factor (drivers rarely hold the limit).
    public var maxspeedFactor: Double
    /// Upper bound on any speed, km/h (the vehicle's own top speed).
    public var maxSpeedKmh: Double
    /// Access keys from most to least specific; the first one present decides.
    public var accessKeys: [String]
    /// Access values that forbid driving.
    public var blockedAccessValues: [String]
    /// `highway` values that are one-way unless tagged `oneway=no` (besides roundabouts).
    public var impliedOnewayHighways: [String]
    /// `barrier=*` values the vehicle can pass; any other barrier on a node blocks it.
    public var passableBarriers: [String]
    /// Honour `restriction=no_*` / `only_*` relations.
    public var useTurnRestrictions: Bool
    /// Turn cost in seconds at intersections, after OSRM's car.lua: penalty / (1 + e^(−(13/bias·θ/180 − 6.5·bias)))
    /// for right turns (θ > 0), with bias inverted for left turns, so left turns cost more.
    public var turnPenalty: Double
    public var turnBias: Double
    /// Extra seconds for a U-turn (only allowed at dead ends).
    public var uTurnPenalty: Double
    /// Seconds lost at a `highway=traffic_signals` node.
    public var trafficSignalPenalty: Double

    /// snake_case, as every JSON file of the project.
    enum CodingKeys: String, CodingKey {
        case name
        case highwaySpeeds = "highway_speeds"
        case serviceSpeeds = "service_speeds"
        case maxspeedFactor = "maxspeed_factor"
        case maxSpeedKmh = "max_speed_kmh"
        case accessKeys = "access_keys"
        case blockedAccessValues = "blocked_access_values"
        case impliedOnewayHighways = "implied_oneway_highways"
        case passableBarriers = "passable_barriers"
        case useTurnRestrictions = "use_turn_restrictions"
        case turnPenalty = "turn_penalty"
        case turnBias = "turn_bias"
        case uTurnPenalty = "u_turn_penalty"
        case trafficSignalPenalty = "traffic_signal_penalty"
    }

    public init(name: String, highwaySpeeds: [String: Double], serviceSpeeds: [String: Double],
                maxspeedFactor: Double, maxSpeedKmh: Double, accessKeys: [String],
                blockedAccessValues: [String], impliedOnewayHighways: [String], passableBarriers: [String],
                useTurnRestrictions: Bool, turnPenalty: Double, turnBias: Double, uTurnPenalty: Double,
                trafficSignalPenalty: Double) {
        self.name = name
        self.highwaySpeeds = highwaySpeeds
        self.serviceSpeeds = serviceSpeeds
        self.maxspeedFactor = maxspeedFactor
        self.maxSpeedKmh = maxSpeedKmh
        self.accessKeys = accessKeys
        self.blockedAccessValues = blockedAccessValues
        self.impliedOnewayHighways = impliedOnewayHighways
        self.passableBarriers = passableBarriers
        self.useTurnRestrictions = useTurnRestrictions
        self.turnPenalty = turnPenalty
        self.turnBias = turnBias
        self.uTurnPenalty = uTurnPenalty
        self.trafficSignalPenalty = trafficSignalPenalty
    }

    /// A delivery van in a Chinese city: urban speeds below OSRM's car defaults (kerbside stops,
    /// mixed traffic, e-bikes), goods/motorcar access rules, OSRM's turn model.
    /// `maps/van-profile.json` holds the same values (a test keeps them equal).
    public static let van = VehicleProfile(
        name: "van",
        highwaySpeeds: [
            "motorway": 70, "motorway_link": 40, "trunk": 60, "trunk_link": 35,
            "primary": 45, "primary_link": 25, "secondary": 40, "secondary_link": 22,
            "tertiary": 32, "tertiary_link": 18, "unclassified": 22, "residential": 20,
            "living_street": 8, "service": 12, "road": 20,
        ],
        serviceSpeeds: [
            "alley": 5, "parking": 5, "parking_aisle": 5, "driveway": 5, "drive-through": 5,
            "emergency_access": 0,
        ],
        maxspeedFactor: 0.7, maxSpeedKmh: 90,
        accessKeys: ["goods", "motorcar", "motor_vehicle", "vehicle", "access"],
        blockedAccessValues: [
            "no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "military", "use_sidepath",
        ],
        impliedOnewayHighways: ["motorway"],
        passableBarriers: [
            "border_control", "toll_booth", "gate", "lift_gate", "no", "entrance", "sally_port",
            "cattle_grid", "height_restrictor", "arch",
        ],
        useTurnRestrictions: true,
        turnPenalty: 7.5, turnBias: 1.075, uTurnPenalty: 20, trafficSignalPenalty: 2)

    /// OSRM's stock car.lua speeds and penalties (no van slow-down), to check the engine against
    /// the OSRM reference matrices. `maps/car-osrm.json` holds the same values.
    public static let osrmCar = VehicleProfile(
        name: "car-osrm",
        highwaySpeeds: [
            "motorway": 90, "motorway_link": 45, "trunk": 85, "trunk_link": 40,
            "primary": 65, "primary_link": 30, "secondary": 55, "secondary_link": 25,
            "tertiary": 40, "tertiary_link": 20, "unclassified": 25, "residential": 25,
            "living_street": 10, "service": 15,
        ],
        serviceSpeeds: [
            "alley": 5, "parking": 5, "parking_aisle": 5, "driveway": 5, "drive-through": 5, "drive-thru": 5,
            "emergency_access": 0,
        ],
        maxspeedFactor: 0.8, maxSpeedKmh: 180,
        accessKeys: ["motorcar", "motor_vehicle", "vehicle", "access"],
        blockedAccessValues: [
            "no", "private", "agricultural", "forestry", "emergency", "psv", "customers", "delivery",
        ],
        impliedOnewayHighways: ["motorway"],
        passableBarriers: [
            "cattle_grid", "border_control", "toll_booth", "sally_port", "gate", "lift_gate", "no",
            "entrance", "height_restrictor", "arch",
        ],
        useTurnRestrictions: true,
        turnPenalty: 7.5, turnBias: 1.075, uTurnPenalty: 20, trafficSignalPenalty: 2)

    public static func load(path: String) throws -> VehicleProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RoadNetworkError.fileNotFound(path: path, what: "profile")
        }
        do {
            return try JSONDecoder().decode(VehicleProfile.self, from: data)
        } catch {
            throw RoadNetworkError.malformed(path: path, reason: "not a vehicle profile: \(error)")
        }
    }

    /// Canonical JSON (sorted keys), the profile's part of the graph cache key.
    public func canonicalJSON() -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? enc.encode(self)) ?? Data()
    }

    var fingerprint: String { ContentHash.hex(canonicalJSON()) }

    // MARK: - Tag interpretation

    /// Speeds (km/h) forward and backward along a way, 0 where the vehicle may not drive;
    /// nil if the way is not a road for this vehicle at all.
    func wayAccess(_ tags: [(String, String)]) -> (forward: Double, backward: Double)? {
        func tag(_ k: String) -> String? {
            for (key, value) in tags where key == k { return value }
            return nil
        }
        guard let highway = tag("highway"), var speed = highwaySpeeds[highway] else { return nil }
        if tag("area") == "yes" { return nil }
        for key in accessKeys {
            if let v = tag(key) {
                if blockedAccessValues.contains(v) { return nil }
                break
            }
        }
        if highway == "service", let s = tag("service"), let sv = serviceSpeeds[s] {
            if sv <= 0 { return nil }
            speed = sv
        }
        var forward = speed, backward = speed
        if let m = Self.parseMaxspeed(tag("maxspeed")) { forward = m * maxspeedFactor; backward = forward }
        if let m = Self.parseMaxspeed(tag("maxspeed:forward")) { forward = m * maxspeedFactor }
        if let m = Self.parseMaxspeed(tag("maxspeed:backward")) { backward = m * maxspeedFactor }
        forward = min(forward, maxSpeedKmh)
        backward = min(backward, maxSpeedKmh)

        let junction = tag("junction")
        switch tag("oneway") {
        case "yes", "true", "1":
            backward = 0
        case "-1", "reverse":
            forward = 0
        case "reversible", "alternating":
            return nil
        case "no", "false", "0":
            break
        default:
            if junction == "roundabout" || junction == "circular" || impliedOnewayHighways.contains(highway) {
                backward = 0
            }
        }
        if forward <= 0 && backward <= 0 { return nil }
        return (forward, backward)
    }

    /// `50`, `50 km/h`, `30 mph`, `50;60` (first value); national codes like `CN:urban` are ignored.
    static func parseMaxspeed(_ s: String?) -> Double? {
        guard let s else { return nil }
        var digits = ""
        for ch in s {
            if ch.isNumber || ch == "." { digits.append(ch) } else { break }
        }
        guard let v = Double(digits), v > 0 else { return nil }
        return s.contains("mph") ? v * 1.609344 : v
    }

    func blocksAtBarrier(_ value: String) -> Bool { !passableBarriers.contains(value) }

    /// Seconds for turning by `angle` degrees (0 straight, +90 right, −90 left, ±180 back).
    func turnSeconds(angle: Double) -> Double {
        let a = abs(angle) / 180
        let x = angle >= 0 ? (13 / turnBias) * a - 6.5 * turnBias : (13 * turnBias) * a - 6.5 / turnBias
        return turnPenalty / (1 + exp(-x))
    }
}
