import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A relation member as read from OSM: type 0 node, 1 way, 2 relation.
struct OSMMember {
    var type: UInt8
    var ref: Int64
    var role: String
}

/// A turn restriction relation with a via node (via-way restrictions are counted, not used).
struct RawRestriction {
    var only: Bool
    var fromWay: Int64
    var viaNode: Int64
    var toWay: Int64
}

/// Receives OSM objects while a file streams by and keeps only what the vehicle profile can use:
/// node coordinates, signal and barrier nodes, routable ways with their speeds, restrictions.
final class OSMCollector {
    let profile: VehicleProfile
    private let vehicleTypes: Set<String>

    var nodeIndex: [Int64: Int32] = [:]
    var nodeIDs: [Int64] = []
    var lat: [Double] = []
    var lon: [Double] = []
    var signalNodes = Set<Int32>()
    var barrierNodes = Set<Int32>()

    var wayIDs: [Int64] = []
    var wayRefFirst: [Int32] = [0]
    var wayRefs: [Int32] = []
    var wayForwardKmh: [Double] = []
    var wayBackwardKmh: [Double] = []
    var wayIndexByID: [Int64: Int32] = [:]

    var restrictions: [RawRestriction] = []
    var unsupportedRestrictions = 0

    /// Keep only ways entirely inside (minLon, minLat, maxLon, maxLat): lets tests use a corner of a big map.
    var crop: (Double, Double, Double, Double)?

    var osmNodeCount = 0
    var osmWayCount = 0
    var osmRelationCount = 0
    var missingNodeRefs = 0

    init(profile: VehicleProfile) {
        self.profile = profile
        vehicleTypes = Set(profile.accessKeys.filter { $0 != "access" })
    }

    func node(id: Int64, lat la: Double, lon lo: Double, tags: [(String, String)]) {
        osmNodeCount += 1
        let idx = Int32(nodeIDs.count)
        nodeIndex[id] = idx
        nodeIDs.append(id)
        lat.append(la)
        lon.append(lo)
        for (k, v) in tags {
            if k == "highway" && v == "traffic_signals" { signalNodes.insert(idx) }
            if k == "barrier" && profile.blocksAtBarrier(v) { barrierNodes.insert(idx) }
        }
    }

    func way(id: Int64, refs: [Int64], tags: [(String, String)]) {
        osmWayCount += 1
        guard let speeds = profile.wayAccess(tags) else { return }
        var kept = 0
        for r in refs {
            if let i = nodeIndex[r] {
                if let (x0, y0, x1, y1) = crop, !(lon[Int(i)] >= x0 && lon[Int(i)] <= x1 && lat[Int(i)] >= y0 && lat[Int(i)] <= y1) {
                    wayRefs.removeLast(kept)
                    return
                }
                wayRefs.append(i)
                kept += 1
            } else {
                missingNodeRefs += 1
            }
        }
        if kept < 2 {
            wayRefs.removeLast(kept)
            return
        }
        wayIndexByID[id] = Int32(wayIDs.count)
        wayIDs.append(id)
        wayRefFirst.append(Int32(wayRefs.count))
        wayForwardKmh.append(speeds.forward)
        wayBackwardKmh.append(speeds.backward)
    }

    func relation(id: Int64, members: [OSMMember], tags: [(String, String)]) {
        osmRelationCount += 1
        guard profile.useTurnRestrictions else { return }
        var type: String?, value: String?, except: String?
        for (k, v) in tags {
            switch k {
            case "type": type = v
            case "restriction": if value == nil { value = v }
            case "except": except = v
            default:
                if k.hasPrefix("restriction:"), vehicleTypes.contains(String(k.dropFirst(12))) { value = v }
            }
        }
        guard type == "restriction", let value else { return }
        if let except, except.split(separator: ";").contains(where: { vehicleTypes.contains(String($0)) }) { return }
        let only: Bool
        if value.hasPrefix("no_") { only = false } else if value.hasPrefix("only_") { only = true } else { return }
        var from: Int64?, to: Int64?, via: Int64?, viaWay = false
        for m in members {
            switch (m.role, m.type) {
            case ("from", 1): from = m.ref
            case ("to", 1): to = m.ref
            case ("via", 0): via = m.ref
            case ("via", 1): viaWay = true
            default: break
            }
        }
        guard let from, let to, let via, !viaWay else {
            unsupportedRestrictions += 1
            return
        }
        restrictions.append(RawRestriction(only: only, fromWay: from, viaNode: via, toWay: to))
    }
}

/// Streams OSM XML through libxml2's SAX parser (FoundationXML). Measured at 0.06–0.08 s for the
/// 3.7–5.5 MB extracts in ../shared/maps, so no hand-written scanner is needed.
final class OSMXMLReader: NSObject, XMLParserDelegate {
    private let sink: OSMCollector
    private var kind = 0  // 0 none, 1 node, 2 way, 3 relation
    private var id: Int64 = 0
    private var la = 0.0, lo = 0.0
    private var tags: [(String, String)] = []
    private var refs: [Int64] = []
    private var members: [OSMMember] = []
    private var badElement: String?

    init(sink: OSMCollector) { self.sink = sink }

    static func read(data: Data, path: String, into sink: OSMCollector) throws {
        // Fed as a stream: the parser then hands libxml2 small chunks. One 40 MB chunk
        // (`XMLParser(data:)`) trips libxml2's huge-input guard (seen on monaco.osm.gz, 42 MB).
        let parser = XMLParser(stream: InputStream(data: data))
        let reader = OSMXMLReader(sink: sink)
        parser.delegate = reader
        parser.shouldProcessNamespaces = false
        let ok = parser.parse()
        if let bad = reader.badElement {
            throw RoadNetworkError.malformed(path: path, reason: bad)
        }
        if !ok {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown XML error"
            throw RoadNetworkError.malformed(path: path, reason: "XML error at line \(parser.lineNumber): \(reason)")
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes a: [String: String] = [:]) {
        switch name {
        case "node":
            guard let i = a["id"].flatMap({ Int64($0) }), let y = a["lat"].flatMap({ Double($0) }),
                  let x = a["lon"].flatMap({ Double($0) }) else {
                fail(parser, "line \(parser.lineNumber): node without id, lat or lon")
                return
            }
            kind = 1; id = i; la = y; lo = x
            tags.removeAll(keepingCapacity: true)
        case "way":
            guard let i = a["id"].flatMap({ Int64($0) }) else { fail(parser, "line \(parser.lineNumber): way without id"); return }
            kind = 2; id = i
            tags.removeAll(keepingCapacity: true)
            refs.removeAll(keepingCapacity: true)
        case "relation":
            guard let i = a["id"].flatMap({ Int64($0) }) else { fail(parser, "line \(parser.lineNumber): relation without id"); return }
            kind = 3; id = i
            tags.removeAll(keepingCapacity: true)
            members.removeAll(keepingCapacity: true)
        case "tag":
            if kind != 0, let k = a["k"], let v = a["v"] { tags.append((k, v)) }
        case "nd":
            if kind == 2, let r = a["ref"].flatMap({ Int64($0) }) { refs.append(r) }
        case "member":
            if kind == 3, let r = a["ref"].flatMap({ Int64($0) }), let t = a["type"] {
                let type: UInt8 = t == "node" ? 0 : t == "way" ? 1 : 2
                members.append(OSMMember(type: type, ref: r, role: a["role"] ?? ""))
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "node" where kind == 1:
            sink.node(id: id, lat: la, lon: lo, tags: tags)
            kind = 0
        case "way" where kind == 2:
            sink.way(id: id, refs: refs, tags: tags)
            kind = 0
        case "relation" where kind == 3:
            sink.relation(id: id, members: members, tags: tags)
            kind = 0
        default:
            break
        }
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
        badElement = reason
        parser.abortParsing()
    }
}
