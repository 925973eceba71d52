/// What an import kept and dropped, for `map info` and the bench table.
public struct ImportStats: Sendable, Hashable, Codable {
    public var osmNodes = 0
    public var osmWays = 0
    public var osmRelations = 0
    /// Ways the profile may drive.
    public var routableWays = 0
    /// Intersections and way ends (graph nodes after collapsing degree-2 chains).
    public var graphNodes = 0
    public var graphNodesKept = 0
    /// Directed road segments between graph nodes (one per driveable direction).
    public var segments = 0
    public var segmentsKept = 0
    /// Allowed turns between directed segments in the kept component.
    public var turnsKept = 0
    public var roadKm = 0.0
    public var roadKmKept = 0.0
    public var restrictionsApplied = 0
    /// Restrictions not used: via a way, or naming ways/nodes that are not in the graph.
    public var restrictionsIgnored = 0
    public var signals = 0
    public var barriers = 0
    public var missingNodeRefs = 0
    public var shortcuts = 0
    /// Seconds of the cold build: reading and parsing, graph building, contraction.
    public var parseSeconds = 0.0
    public var graphSeconds = 0.0
    public var contractSeconds = 0.0

    public init() {}

    public var segmentsDropped: Int { segments - segmentsKept }
    public var graphNodesDropped: Int { graphNodes - graphNodesKept }
}

/// The road graph of one map and profile, as compact arrays (what the cache stores).
///
/// Roads are split at intersections into *edges* (collapsed degree-2 chains, geometry kept).
/// Routing runs on the edge-based graph (as OSRM does): a search node is a directed edge and an
/// arc is a turn, so turn restrictions and turn costs are exact. Only the largest strongly
/// connected part of that graph is kept.
struct RoadGraph: Sendable {
    /// Geometry points (OSM nodes on kept edges).
    var lat: [Double]
    var lon: [Double]
    /// Edge e's geometry is `geometry[geometryFirst[e]..<geometryFirst[e+1]]`, from its first to its last node.
    var geometryFirst: [Int32]
    var geometry: [Int32]
    /// Directed edge of each undirected edge: `directedOf[2e]` along, `directedOf[2e+1]` against
    /// the geometry; -1 where that direction is not driveable or not kept.
    var directedOf: [Int32]
    /// For each directed edge (a search node): `edge << 1 | reversed`.
    var directedEdge: [Int32]
    /// Travel time of each directed edge, deciseconds (signals inside a collapsed chain included).
    var cost: [Int32]
    /// Length of each directed edge, decimetres.
    var length: [Int32]
    /// Turns out of directed edge d: `turnHead[turnFirst[d]..<turnFirst[d+1]]`, with the turn's own
    /// cost (deciseconds, not counting the next edge).
    var turnFirst: [Int32]
    var turnHead: [Int32]
    var turnCost: [Int32]
    /// The same turns indexed by their head (`reverseTurnTail` is the directed edge turned from).
    var reverseTurnFirst: [Int32]
    var reverseTurnTail: [Int32]
    var reverseTurnCost: [Int32]
    var ch: ContractionHierarchy
    var stats: ImportStats

    var edgeCount: Int { geometryFirst.count - 1 }
    var directedCount: Int { directedEdge.count }

    /// Geometry node indices of directed edge d in driving order.
    func directedGeometry(_ d: Int) -> [Int32] {
        let code = Int(directedEdge[d])
        let e = code >> 1
        let slice = geometry[Int(geometryFirst[e])..<Int(geometryFirst[e + 1])]
        return code & 1 == 0 ? Array(slice) : slice.reversed()
    }

    func coordinate(_ node: Int32) -> Coordinate { Coordinate(lon: lon[Int(node)], lat: lat[Int(node)]) }
}
