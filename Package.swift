// swift-tools-version: 6.1
import PackageDescription

// Solver cores (GLPK, RoadNetwork, Routing, Allocation) never import the domain (Planning and
// above). Executables are thin: they parse, load, call and write.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// Hot solver loops: whole-module optimisation is on in release; bounds checks stay on.
let solver: [SwiftSetting] = strict
// Routing only: its innermost loops index flat buffers whose bounds the search maintains itself.
let routingSettings: [SwiftSetting] = strict + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "Lastmile",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lastmile", targets: ["lastmile"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        .library(name: "Routing", targets: ["Routing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // Already in the graph through Hummingbird's dependencies; SHA-256 of the cache keys.
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        // Quoted fields in the points CSV of `lastmile map matrix`.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // The PostgreSQL store (`--db postgres://…`), for several workers on one database.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // C shim over glpk.h (Debian libglpk-dev ships no pkg-config file: link `glpk` by name).
        .target(
            name: "CGLPK",
            linkerSettings: [.linkedLibrary("glpk")]
        ),
        .target(name: "GLPK", dependencies: ["CGLPK"], swiftSettings: solver),
        // zlib (Debian zlib1g-dev; linked by name): inflate for OSM PBF blobs and .osm.gz.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "RoadNetwork",
            dependencies: ["CZlib", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "SwiftCSV", package: "SwiftCSV")],
            swiftSettings: solver
        ),
        .target(name: "Routing", dependencies: ["GLPK"], swiftSettings: routingSettings),
        .target(name: "Allocation", dependencies: ["GLPK"], swiftSettings: solver),
        // VROOM JSON in and out, and the checker of VROOM-shaped answers (docs/vroom.md).
        .target(name: "Interchange", dependencies: ["Routing"], swiftSettings: strict),
        .target(name: "AllocationBench", dependencies: ["Allocation"], swiftSettings: strict),
        // Benchmark runner behind `lastmile bench` and tools/bench (no domain imports).
        .target(name: "Benchmarks", dependencies: ["Routing"], swiftSettings: strict),
        .target(
            name: "Planning",
            dependencies: ["Routing", "Allocation", "RoadNetwork"],
            swiftSettings: strict
        ),
        .target(
            name: "Store",
            dependencies: ["Planning", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strict
        ),
        // The dispatcher's web console: our own HTML, CSS and JavaScript, served by the daemon.
        .target(name: "Console", resources: [.copy("Resources/console")], swiftSettings: strict),
        .target(
            name: "Server",
            dependencies: [
                "Planning", "Store", "Console", "RoadNetwork", "Interchange",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // Independent plan checker: Foundation only, shares no code with the planner.
        .target(name: "PlanCheck", swiftSettings: strict),
        .target(name: "Simulation", dependencies: ["Planning", "Allocation", "Routing", "RoadNetwork"], swiftSettings: strict),
        .executableTarget(
            name: "lastmile",
            dependencies: [
                "Planning", "PlanCheck", "Routing", "Allocation", "AllocationBench", "RoadNetwork", "Server",
                "Simulation", "Store", "Benchmarks", "Interchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "GLPKTests", dependencies: ["GLPK"], swiftSettings: strict),
        .testTarget(name: "RoadNetworkTests", dependencies: ["RoadNetwork"], swiftSettings: strict),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "GLPK"], swiftSettings: strict),
        .testTarget(name: "InterchangeTests", dependencies: ["Interchange", "Routing"], swiftSettings: strict),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Routing"], swiftSettings: strict),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation", "GLPK", "Routing"], swiftSettings: strict),
        .testTarget(
            name: "PlanningTests", dependencies: ["Planning", "PlanCheck", "Routing", "RoadNetwork"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Planning"], swiftSettings: strict),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                // `lastmile` so that the crash test finds the built executable beside the tests.
                "Server", "Store", "Planning", "PlanCheck", "lastmile",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SimulationTests", dependencies: ["Simulation", "Planning", "Routing"], exclude: ["Fixtures"],
            swiftSettings: strict),
    ]
)
