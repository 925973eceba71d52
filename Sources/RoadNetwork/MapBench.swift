import Foundation

/// Human-readable description of a loaded map (`lastmile map import` / `map info`).
public enum RoadMapReport {
    public static func text(_ m: RoadMap) -> String {
        let s = m.stats
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "0%" : String(format: "%.1f%%", 100 * Double(a) / Double(b)) }
        return """
        map        \(m.sourcePath)
        profile    \(m.profile.name)
        graph key  \(m.key.prefix(16))… (\(m.loadedFromCache ? "read from cache" : "built"), \(String(format: "%.3f", m.loadSeconds)) s)
        OSM        \(s.osmNodes) nodes, \(s.osmWays) ways, \(s.osmRelations) relations; \(s.routableWays) ways usable by the vehicle
        graph      \(s.graphNodesKept) of \(s.graphNodes) intersections kept, \(s.segmentsKept) of \(s.segments) directed road segments kept (\(s.segmentsDropped) dropped, \(pct(s.segmentsDropped, s.segments)))
        roads      \(String(format: "%.1f", s.roadKmKept)) of \(String(format: "%.1f", s.roadKm)) km kept in the largest strongly connected part
        turns      \(s.turnsKept) allowed turns, \(s.restrictionsApplied) turn restrictions applied, \(s.restrictionsIgnored) ignored; \(s.signals) traffic signals, \(s.barriers) blocking barriers
        hierarchy  \(s.shortcuts) shortcuts
        build      parse \(String(format: "%.3f", s.parseSeconds)) s, graph \(String(format: "%.3f", s.graphSeconds)) s, contraction \(String(format: "%.3f", s.contractSeconds)) s (cold build)
        """
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so the benchmark's sample points
/// are the same on every run.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Comparison of a matrix with a reference matrix over the off-diagonal pairs.
public struct MatrixAgreement: Sendable {
    /// Pairs where both agree on reachability, as a share of all pairs.
    public var reachability: Double
    public var durationMedian: Double
    public var durationP90: Double
    public var distanceMedian: Double
    public var distanceP90: Double
    /// Median of ours / reference durations (> 1: ours slower).
    public var durationRatio: Double

    public init(ours: TravelMatrix, reference: (durations: [Double?], distances: [Double?])) {
        let n = ours.size
        var agree = 0, pairs = 0
        var rd: [Double] = [], rl: [Double] = [], ratio: [Double] = []
        for i in 0..<n {
            for j in 0..<n where i != j {
                pairs += 1
                let k = i * n + j
                let refD = reference.durations[k], ourD = ours.durations[k]
                let ourReach = ourD != TravelMatrix.unreachable
                if ourReach == (refD != nil) { agree += 1 }
                if let refD, ourReach, refD > 0 {
                    rd.append(abs(Double(ourD) - refD) / refD)
                    ratio.append(Double(ourD) / refD)
                }
                if let refL = reference.distances[k], ourReach, refL > 0 {
                    rl.append(abs(Double(ours.distances[k]) - refL) / refL)
                }
            }
        }
        func q(_ a: [Double], _ p: Double) -> Double {
            if a.isEmpty { return .nan }
            let s = a.sorted()
            return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
        }
        reachability = pairs == 0 ? 1 : Double(agree) / Double(pairs)
        durationMedian = q(rd, 0.5); durationP90 = q(rd, 0.9)
        distanceMedian = q(rl, 0.5); distanceP90 = q(rl, 0.9)
        durationRatio = q(ratio, 0.5)
    }
}

/// `lastmile map bench`: import and query timings and agreement with OSRM on the shared extracts.
public struct MapBenchmark: Sendable {
    public var mapsDirectory: String
    public var files: [String]
    public var profiles: [VehicleProfile]
    public var seed: UInt64 = 20_261_121

    public init(mapsDirectory: String, files: [String], profiles: [VehicleProfile]) {
        self.mapsDirectory = mapsDirectory
        self.files = files
        self.profiles = profiles
    }

    /// Reads a reference matrix CSV (empty cell = unreachable).
    static func readMatrix(_ path: String) throws -> [Double?] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RoadNetworkError.fileNotFound(path: path, what: "reference matrix") }
        var values: [Double?] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            for cell in line.split(separator: ",", omittingEmptySubsequences: false) { values.append(Double(cell)) }
        }
        return values
    }

    /// The reference points of an extract: (idx, lon, lat).
    static func readReferencePoints(_ path: String) throws -> [NamedPoint] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RoadNetworkError.fileNotFound(path: path, what: "reference points") }
        var pts: [NamedPoint] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",")
            guard f.count >= 4, let lon = Double(f[2]), let lat = Double(f[3]) else { continue }
            pts.append(NamedPoint(id: "reference point \(f[0])", coordinate: Coordinate(lon: lon, lat: lat)))
        }
        return pts
    }

    /// `count` geometry points of the graph drawn with a fixed seed.
    static func samplePoints(_ m: RoadMap, count: Int, seed: UInt64) -> [NamedPoint] {
        var rng = SplitMix64(state: seed)
        let g = m.graph
        return (0..<count).map { i in
            let v = rng.below(g.lat.count)
            return NamedPoint(id: "sample \(i)", coordinate: Coordinate(lon: g.lon[v], lat: g.lat[v]))
        }
    }

    public func run(_ out: (String) -> Void) throws {
        let tmp = NSTemporaryDirectory() + "lastmile-bench-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        out("| map | profile | import cold s | from cache s | intersections kept / dropped | segments kept / dropped | 200×200 s | 2000×2000 s | ref. points off our largest SCC (snap > 25 m) | reachability agree | dur. rel. diff median / p90 | ours/OSRM median | dist. rel. diff median / p90 |")
        out("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for file in files {
            let path = mapsDirectory + "/" + file
            let name = String(file.prefix { $0 != "." })
            for profile in profiles {
                let cold = try RoadMap.load(path: path, profile: profile, cacheDirectory: nil)
                _ = try RoadMap.load(path: path, profile: profile, cacheDirectory: tmp)
                let cached = try RoadMap.load(path: path, profile: profile, cacheDirectory: tmp)
                precondition(cached.loadedFromCache)
                let s = cold.stats

                let refDir = mapsDirectory + "/reference/"
                var farSnaps = 0
                var ref200 = "–", agreeText = "–", ratioText = "–", distText = "–", reachText = "–"
                if let pts = try? Self.readReferencePoints(refDir + name + ".osrm_mld.points.csv"), !pts.isEmpty {
                    let t0 = Date()
                    // OSRM snapped these within 10 m of a car way, but some of those ways are cut off
                    // by the extract's edge. OSRM then routes from the nearest road of its big
                    // component (SnapPhantomNodes); snapping to our largest strongly connected part
                    // does the same, so the limit here is wide and such points are counted.
                    let m = try cold.matrix(pts, snapLimit: 2000)
                    let snaps = try cold.snap(pts, limit: 2000)
                    farSnaps = snaps.filter { $0.distance > 25 }.count
                    ref200 = String(format: "%.3f", Date().timeIntervalSince(t0))
                    let refD = try Self.readMatrix(refDir + name + ".osrm_mld.durations.csv")
                    let refL = try Self.readMatrix(refDir + name + ".osrm_mld.distances.csv")
                    if refD.count == m.size * m.size && refL.count == m.size * m.size {
                        let a = MatrixAgreement(ours: m, reference: (refD, refL))
                        reachText = String(format: "%.2f%%", 100 * a.reachability)
                        agreeText = String(format: "%.1f%% / %.1f%%", 100 * a.durationMedian, 100 * a.durationP90)
                        ratioText = String(format: "%.3f", a.durationRatio)
                        distText = String(format: "%.1f%% / %.1f%%", 100 * a.distanceMedian, 100 * a.distanceP90)
                    }
                }
                let sample = Self.samplePoints(cold, count: 2000, seed: seed)
                let t1 = Date()
                _ = try cold.matrix(sample, snapLimit: 100)
                let big = Date().timeIntervalSince(t1)
                out("| \(name) | \(profile.name) | \(String(format: "%.3f", cold.loadSeconds)) | \(String(format: "%.3f", cached.loadSeconds)) | \(s.graphNodesKept) / \(s.graphNodesDropped) | \(s.segmentsKept) / \(s.segmentsDropped) | \(ref200) | \(String(format: "%.3f", big)) | \(farSnaps) | \(reachText) | \(agreeText) | \(ratioText) | \(distText) |")
            }
        }
    }
}
