import ArgumentParser
import Foundation
import Planning
import RoadNetwork

/// `lastmile map …`: import OSM extracts, inspect graphs, compute matrices, benchmark.
struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Road graphs from OpenStreetMap: import, info, matrices, benchmark.",
        subcommands: [MapImport.self, MapInfo.self, MapMatrix.self, MapProfile.self, MapBench.self])
}

struct MapOptions: ParsableArguments {
    @Option(help: "Vehicle profile: van, car-osrm, or a profile JSON file (see maps/).")
    var profile = "van"
    @Option(help: "Cache folder (default $LASTMILE_CACHE or .lastmile-cache).")
    var cacheDir: String?
    @Flag(help: "Do not read or write any cache.")
    var noCache = false

    func vehicleProfile() throws -> VehicleProfile {
        switch profile {
        case "van": .van
        case "car-osrm": .osrmCar
        default: try VehicleProfile.load(path: profile)
        }
    }

    var cacheDirectory: String? { noCache ? nil : (cacheDir ?? RoadMap.defaultCacheDirectory) }
}

/// Loads a map (building and caching its graph if needed) and prints what it holds.
func printMapReport(_ map: String, _ options: MapOptions) async throws {
    try await reportingErrors {
        let m = try mappingRoadErrors { try RoadMap.load(path: map, profile: try options.vehicleProfile(), cacheDirectory: options.cacheDirectory) }
        print(RoadMapReport.text(m))
    }
}

struct MapImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Build (and cache) the road graph of an OSM file.")
    @Argument(help: "An .osm, .osm.gz or .osm.pbf file.") var map: String
    @OptionGroup var options: MapOptions

    func run() async throws { try await printMapReport(map, options) }
}

struct MapInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Describe the road graph of an OSM file (read from the cache when it is there).")
    @Argument(help: "An .osm, .osm.gz or .osm.pbf file.") var map: String
    @OptionGroup var options: MapOptions

    func run() async throws { try await printMapReport(map, options) }
}

struct MapMatrix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Travel durations (s) and distances (m) between points.",
        discussion: "Writes durations.csv and distances.csv (row-major, no header, empty cell = unreachable) and snaps.csv.")
    @Argument(help: "An .osm, .osm.gz or .osm.pbf file.") var map: String
    @Option(help: "CSV with a header naming lon and lat columns (id optional).") var points: String
    @Option(help: "Output folder.") var out: String
    @Option(parsing: .unconditional, help: "A point farther than this many metres from a usable road is an error.") var snapLimit = 500.0
    @OptionGroup var options: MapOptions

    func run() async throws {
        try await reportingErrors {
            try mappingRoadErrors {
                let pts = try MatrixIO.readPoints(path: points)
                let provider = try RoadNetworkProvider(mapPath: map, profile: try options.vehicleProfile(),
                                                       cacheDirectory: options.cacheDirectory, snapLimit: snapLimit)
                let start = Date()
                let m = try provider.matrix(for: pts)
                let seconds = Date().timeIntervalSince(start)
                let snaps = try provider.snapReports(for: pts)
                try MatrixIO.write(m, snaps: snaps, to: out)
                let far = snaps.max { $0.distance < $1.distance }
                print("\(pts.count)×\(pts.count) matrix on \(provider.summary) in \(String(format: "%.3f", seconds)) s → \(out)")
                if let far { print("largest snap: \(far.id) \(String(format: "%.1f", far.distance)) m") }
            }
        }
    }
}

struct MapBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Import and matrix timings and agreement with the OSRM reference matrices (use a release build).")
    @Option(help: "Folder with the extracts and reference/ (../shared/maps).") var maps = "../shared/maps"
    @Option(help: "Profiles to run, comma-separated (van, car-osrm or JSON files).") var profiles = "car-osrm,van"
    @Option(help: "Extracts to run, comma-separated file names in the maps folder.")
    var files = "shanghai_center.osm,monaco.osm.pbf,baltimore.osm.pbf"

    func run() async throws {
        try await reportingErrors {
            try mappingRoadErrors {
                var list: [VehicleProfile] = []
                for p in profiles.split(separator: ",") {
                    var o = try MapOptions.parse([])
                    o.profile = String(p)
                    list.append(try o.vehicleProfile())
                }
                let bench = MapBenchmark(mapsDirectory: maps, files: files.split(separator: ",").map(String.init), profiles: list)
                try bench.run { print($0) }
            }
        }
    }
}

struct MapProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Print a vehicle profile as JSON (a starting point for your own).")
    @OptionGroup var options: MapOptions

    func run() async throws {
        try await reportingErrors {
            let p = try mappingRoadErrors { try options.vehicleProfile() }
            print(String(decoding: p.canonicalJSON(), as: UTF8.self))
        }
    }
}
