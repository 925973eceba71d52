import Foundation

/// Protocol-buffer wire decoding over a byte range: the OSM PBF schema is small enough to
/// decode by hand (fileformat.proto and osmformat.proto of the OSM-binary project).
struct ProtoReader {
    let base: UnsafePointer<UInt8>
    var pos: Int
    let end: Int

    init(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        self.base = base
        self.pos = start
        self.end = end
    }

    var atEnd: Bool { pos >= end }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while pos < end {
            let b = base[pos]
            pos += 1
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { break }
        }
        throw PBFError.truncated
    }

    mutating func sint() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// The next field: number and wire type.
    mutating func key() throws -> (field: Int, wire: Int) {
        let k = try varint()
        return (Int(k >> 3), Int(k & 7))
    }

    /// A length-delimited field's byte range.
    mutating func bytes() throws -> Range<Int> {
        let n = Int(try varint())
        guard n >= 0, pos + n <= end else { throw PBFError.truncated }
        defer { pos += n }
        return pos..<(pos + n)
    }

    mutating func skip(_ wire: Int) throws {
        switch wire {
        case 0: _ = try varint()
        case 1: pos += 8
        case 2: _ = try bytes()
        case 5: pos += 4
        default: throw PBFError.badWireType
        }
        if pos > end { throw PBFError.truncated }
    }

    func sub(_ r: Range<Int>) -> ProtoReader { ProtoReader(base, r.lowerBound, r.upperBound) }

    /// Packed (or single, wire type 0) varints of a repeated field, appended.
    mutating func packedVarints(_ wire: Int, into out: inout [UInt64]) throws {
        if wire == 0 { out.append(try varint()); return }
        var r = sub(try bytes())
        while !r.atEnd { out.append(try r.varint()) }
    }

    mutating func packedSints(_ wire: Int, into out: inout [Int64]) throws {
        if wire == 0 { out.append(try sint()); return }
        var r = sub(try bytes())
        while !r.atEnd { out.append(try r.sint()) }
    }
}

enum PBFError: Error { case truncated, badWireType, unsupported(String), inflate }

/// Reads `.osm.pbf`: a sequence of (length, BlobHeader, Blob); each OSMData blob is a zlib
/// compressed PrimitiveBlock with a string table and groups of (dense) nodes, ways, relations.
enum OSMPBFReader {
    static func read(data: Data, path: String, into sink: OSMCollector) throws {
        do {
            try data.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return }
                var pos = 0
                while pos + 4 <= raw.count {
                    let hlen = Int(base[pos]) << 24 | Int(base[pos + 1]) << 16 | Int(base[pos + 2]) << 8 | Int(base[pos + 3])
                    pos += 4
                    guard pos + hlen <= raw.count else { throw PBFError.truncated }
                    var header = ProtoReader(base, pos, pos + hlen)
                    var type = ""
                    var dataSize = 0
                    while !header.atEnd {
                        let (f, w) = try header.key()
                        switch f {
                        case 1: type = string(base, try header.bytes())
                        case 3: dataSize = Int(try header.varint())
                        default: try header.skip(w)
                        }
                    }
                    pos += hlen
                    guard pos + dataSize <= raw.count else { throw PBFError.truncated }
                    let blobRange = pos..<(pos + dataSize)
                    pos += dataSize
                    guard type == "OSMData" else { continue }
                    let block = try blobBytes(base, blobRange)
                    try block.withUnsafeBufferPointer { b in
                        try primitiveBlock(b.baseAddress!, b.count, sink)
                    }
                }
            }
        } catch let e as PBFError {
            throw RoadNetworkError.malformed(path: path, reason: "bad PBF: \(e)")
        }
    }

    private static func string(_ base: UnsafePointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + r.lowerBound, count: r.count), as: UTF8.self)
    }

    private static func blobBytes(_ base: UnsafePointer<UInt8>, _ r: Range<Int>) throws -> [UInt8] {
        var blob = ProtoReader(base, r.lowerBound, r.upperBound)
        var rawSize = 0
        var raw: Range<Int>?
        var zlib: Range<Int>?
        while !blob.atEnd {
            let (f, w) = try blob.key()
            switch f {
            case 1: raw = try blob.bytes()
            case 2: rawSize = Int(try blob.varint())
            case 3: zlib = try blob.bytes()
            case 4, 5, 6, 7: throw PBFError.unsupported("blob compression field \(f) (only zlib and raw)")
            default: try blob.skip(w)
            }
        }
        if let raw { return Array(UnsafeBufferPointer(start: base + raw.lowerBound, count: raw.count)) }
        guard let zlib else { throw PBFError.truncated }
        let input = UnsafeRawBufferPointer(start: base + zlib.lowerBound, count: zlib.count)
        guard let out = inflate(input, expectedSize: rawSize, gzip: false) else { throw PBFError.inflate }
        return out
    }

    private static func primitiveBlock(_ base: UnsafePointer<UInt8>, _ count: Int, _ sink: OSMCollector) throws {
        var r = ProtoReader(base, 0, count)
        var strings: [String] = []
        var groups: [Range<Int>] = []
        var granularity: Int64 = 100
        var latOffset: Int64 = 0, lonOffset: Int64 = 0
        while !r.atEnd {
            let (f, w) = try r.key()
            switch f {
            case 1:
                var st = r.sub(try r.bytes())
                while !st.atEnd {
                    let (sf, sw) = try st.key()
                    if sf == 1 { strings.append(string(base, try st.bytes())) } else { try st.skip(sw) }
                }
            case 2: groups.append(try r.bytes())
            case 17: granularity = Int64(try r.varint())
            case 19: latOffset = Int64(bitPattern: try r.varint())
            case 20: lonOffset = Int64(bitPattern: try r.varint())
            default: try r.skip(w)
            }
        }
        let ctx = Context(strings: strings, granularity: granularity, latOffset: latOffset, lonOffset: lonOffset)
        for g in groups {
            var gr = r.sub(g)
            while !gr.atEnd {
                let (f, w) = try gr.key()
                switch f {
                case 1: try node(gr.sub(try gr.bytes()), ctx, sink)
                case 2: try dense(gr.sub(try gr.bytes()), ctx, sink)
                case 3: try way(gr.sub(try gr.bytes()), ctx, sink)
                case 4: try relation(gr.sub(try gr.bytes()), ctx, sink)
                default: try gr.skip(w)
                }
            }
        }
    }

    private struct Context {
        var strings: [String]
        var granularity: Int64
        var latOffset: Int64
        var lonOffset: Int64
        func lat(_ v: Int64) -> Double { Double(latOffset + granularity * v) * 1e-9 }
        func lon(_ v: Int64) -> Double { Double(lonOffset + granularity * v) * 1e-9 }
        func str(_ i: UInt64) throws -> String {
            guard i < strings.count else { throw PBFError.truncated }
            return strings[Int(i)]
        }
        func tags(_ keys: [UInt64], _ vals: [UInt64]) throws -> [(String, String)] {
            var t: [(String, String)] = []
            for i in 0..<min(keys.count, vals.count) { t.append((try str(keys[i]), try str(vals[i]))) }
            return t
        }
    }

    private static func node(_ rr: ProtoReader, _ c: Context, _ sink: OSMCollector) throws {
        var r = rr
        var id: Int64 = 0, la: Int64 = 0, lo: Int64 = 0
        var keys: [UInt64] = [], vals: [UInt64] = []
        while !r.atEnd {
            let (f, w) = try r.key()
            switch f {
            case 1: id = try r.sint()
            case 2: try r.packedVarints(w, into: &keys)
            case 3: try r.packedVarints(w, into: &vals)
            case 8: la = try r.sint()
            case 9: lo = try r.sint()
            default: try r.skip(w)
            }
        }
        sink.node(id: id, lat: c.lat(la), lon: c.lon(lo), tags: try c.tags(keys, vals))
    }

    private static func dense(_ rr: ProtoReader, _ c: Context, _ sink: OSMCollector) throws {
        var r = rr
        var ids: [Int64] = [], lats: [Int64] = [], lons: [Int64] = []
        var kv: [UInt64] = []
        while !r.atEnd {
            let (f, w) = try r.key()
            switch f {
            case 1: try r.packedSints(w, into: &ids)
            case 8: try r.packedSints(w, into: &lats)
            case 9: try r.packedSints(w, into: &lons)
            case 10: try r.packedVarints(w, into: &kv)
            default: try r.skip(w)
            }
        }
        guard lats.count == ids.count, lons.count == ids.count else { throw PBFError.truncated }
        var id: Int64 = 0, la: Int64 = 0, lo: Int64 = 0
        var k = 0
        var tags: [(String, String)] = []
        for i in 0..<ids.count {
            id += ids[i]; la += lats[i]; lo += lons[i]
            tags.removeAll(keepingCapacity: true)
            // keys_vals: key, value pairs per node, each node ended by 0 (absent when no node has tags).
            while k < kv.count {
                let key = kv[k]
                k += 1
                if key == 0 { break }
                guard k < kv.count else { throw PBFError.truncated }
                tags.append((try c.str(key), try c.str(kv[k])))
                k += 1
            }
            sink.node(id: id, lat: c.lat(la), lon: c.lon(lo), tags: tags)
        }
    }

    private static func way(_ rr: ProtoReader, _ c: Context, _ sink: OSMCollector) throws {
        var r = rr
        var id: Int64 = 0
        var keys: [UInt64] = [], vals: [UInt64] = []
        var refs: [Int64] = []
        while !r.atEnd {
            let (f, w) = try r.key()
            switch f {
            case 1: id = Int64(bitPattern: try r.varint())
            case 2: try r.packedVarints(w, into: &keys)
            case 3: try r.packedVarints(w, into: &vals)
            case 8: try r.packedSints(w, into: &refs)
            default: try r.skip(w)
            }
        }
        var acc: Int64 = 0
        for i in 0..<refs.count {
            acc += refs[i]
            refs[i] = acc
        }
        sink.way(id: id, refs: refs, tags: try c.tags(keys, vals))
    }

    private static func relation(_ rr: ProtoReader, _ c: Context, _ sink: OSMCollector) throws {
        var r = rr
        var id: Int64 = 0
        var keys: [UInt64] = [], vals: [UInt64] = []
        var roles: [UInt64] = [], memids: [Int64] = [], types: [UInt64] = []
        while !r.atEnd {
            let (f, w) = try r.key()
            switch f {
            case 1: id = Int64(bitPattern: try r.varint())
            case 2: try r.packedVarints(w, into: &keys)
            case 3: try r.packedVarints(w, into: &vals)
            case 8: try r.packedVarints(w, into: &roles)
            case 9: try r.packedSints(w, into: &memids)
            case 10: try r.packedVarints(w, into: &types)
            default: try r.skip(w)
            }
        }
        var members: [OSMMember] = []
        var acc: Int64 = 0
        for i in 0..<min(memids.count, roles.count, types.count) {
            acc += memids[i]
            members.append(OSMMember(type: UInt8(truncatingIfNeeded: types[i]), ref: acc, role: try c.str(roles[i])))
        }
        sink.relation(id: id, members: members, tags: try c.tags(keys, vals))
    }
}
