import Foundation

/// Flat binary encoding of a `RoadGraph`: a magic, a format version, then each array as its
/// element count and raw little-endian bytes. Loading is a few memcpy calls.
enum GraphCache {
    static let magic: UInt32 = 0x4C4D_5247  // "LMRG"
    /// Bump when the graph layout or the build algorithm changes, so old caches are ignored.
    static let formatVersion: UInt32 = 2

    static func encode(_ g: RoadGraph) -> Data {
        var w = BinaryWriter()
        w.scalar(magic)
        w.scalar(formatVersion)
        w.array(g.lat); w.array(g.lon)
        w.array(g.geometryFirst); w.array(g.geometry); w.array(g.directedOf); w.array(g.directedEdge)
        w.array(g.cost); w.array(g.length)
        w.array(g.turnFirst); w.array(g.turnHead); w.array(g.turnCost)
        w.array(g.reverseTurnFirst); w.array(g.reverseTurnTail); w.array(g.reverseTurnCost)
        let ch = g.ch
        w.array(ch.rank)
        w.array(ch.upFirst); w.array(ch.upHead); w.array(ch.upWeight); w.array(ch.upLength); w.array(ch.upMiddle)
        w.array(ch.downFirst); w.array(ch.downHead); w.array(ch.downWeight); w.array(ch.downLength); w.array(ch.downMiddle)
        w.scalar(Int64(ch.shortcuts))
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys  // same graph, same bytes
        w.array(Array((try? json.encode(g.stats)) ?? Data()))
        return w.data
    }

    static func decode(_ data: Data) -> RoadGraph? {
        var r = BinaryReader(data)
        guard r.scalar(UInt32.self) == magic, r.scalar(UInt32.self) == formatVersion else { return nil }
        guard let lat: [Double] = r.array(), let lon: [Double] = r.array(),
              let gf: [Int32] = r.array(), let geom: [Int32] = r.array(), let dOf: [Int32] = r.array(),
              let dEdge: [Int32] = r.array(), let cost: [Int32] = r.array(), let len: [Int32] = r.array(),
              let tf: [Int32] = r.array(), let th: [Int32] = r.array(), let tc: [Int32] = r.array(),
              let rtf: [Int32] = r.array(), let rtt: [Int32] = r.array(), let rtc: [Int32] = r.array()
        else { return nil }
        var ch = ContractionHierarchy()
        guard let rank: [Int32] = r.array(),
              let uf: [Int32] = r.array(), let uh: [Int32] = r.array(), let uw: [Int32] = r.array(),
              let ul: [Int32] = r.array(), let um: [Int32] = r.array(),
              let df: [Int32] = r.array(), let dh: [Int32] = r.array(), let dw: [Int32] = r.array(),
              let dl: [Int32] = r.array(), let dm: [Int32] = r.array(),
              let sc = r.scalar(Int64.self), let statsBytes: [UInt8] = r.array(),
              let stats = try? JSONDecoder().decode(ImportStats.self, from: Data(statsBytes))
        else { return nil }
        ch.rank = rank
        ch.upFirst = uf; ch.upHead = uh; ch.upWeight = uw; ch.upLength = ul; ch.upMiddle = um
        ch.downFirst = df; ch.downHead = dh; ch.downWeight = dw; ch.downLength = dl; ch.downMiddle = dm
        ch.shortcuts = Int(sc)
        let g = RoadGraph(lat: lat, lon: lon, geometryFirst: gf, geometry: geom, directedOf: dOf,
                          directedEdge: dEdge, cost: cost, length: len, turnFirst: tf, turnHead: th, turnCost: tc,
                          reverseTurnFirst: rtf, reverseTurnTail: rtt, reverseTurnCost: rtc, ch: ch, stats: stats)
        return g.isConsistent ? g : nil
    }
}

extension RoadGraph {
    /// Array sizes agree with each other (guards against a truncated or foreign cache file).
    var isConsistent: Bool {
        let n = directedCount, e = edgeCount
        return lat.count == lon.count && e >= 0
            && Int(geometryFirst.last ?? -1) == geometry.count && directedOf.count == 2 * e
            && cost.count == n && length.count == n && turnFirst.count == n + 1
            && Int(turnFirst.last ?? -1) == turnHead.count && turnCost.count == turnHead.count
            && reverseTurnFirst.count == n + 1 && reverseTurnTail.count == turnHead.count
            && ch.rank.count == n && ch.upFirst.count == n + 1 && ch.downFirst.count == n + 1
            && Int(ch.upFirst.last ?? -1) == ch.upHead.count && Int(ch.downFirst.last ?? -1) == ch.downHead.count
            && ch.upWeight.count == ch.upHead.count && ch.downWeight.count == ch.downHead.count
            && geometry.allSatisfy { $0 >= 0 && Int($0) < lat.count }
    }
}

struct BinaryWriter {
    var data = Data()
    mutating func scalar<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
    }
    mutating func array<T>(_ a: [T]) {
        scalar(Int64(a.count))
        a.withUnsafeBytes { data.append(contentsOf: $0) }
    }
}

struct BinaryReader {
    let data: Data
    var pos = 0
    init(_ d: Data) { data = d }

    mutating func scalar<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard pos + size <= data.count else { return nil }
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { dst in
            data.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[pos..<(pos + size)])) }
        }
        pos += size
        return T(littleEndian: v)
    }

    mutating func array<T>() -> [T]? {
        guard let c = scalar(Int64.self), c >= 0 else { return nil }
        let count = Int(c)
        let bytes = count * MemoryLayout<T>.stride
        guard pos + bytes <= data.count else { return nil }
        let start = pos
        let result = [T](unsafeUninitializedCapacity: count) { buf, initialized in
            data.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + bytes)]))
            }
            initialized = count
        }
        pos += bytes
        return result
    }
}
