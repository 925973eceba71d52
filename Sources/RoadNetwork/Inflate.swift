import CZlib
import Foundation

/// zlib / gzip decompression (zlib's inflate). `gzip` selects the gzip wrapper of `.osm.gz`.
func inflate(_ input: UnsafeRawBufferPointer, expectedSize: Int, gzip: Bool) -> [UInt8]? {
    var stream = z_stream()
    let windowBits: Int32 = gzip ? 15 + 16 : 15
    guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: max(expectedSize, 1024))
    var produced = 0
    stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
    stream.avail_in = uInt(input.count)
    while true {
        if produced == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
        let status: Int32 = out.withUnsafeMutableBufferPointer { buf in
            stream.next_out = buf.baseAddress! + produced
            stream.avail_out = uInt(buf.count - produced)
            let s = CZlib.inflate(&stream, Z_NO_FLUSH)
            produced = buf.count - Int(stream.avail_out)
            return s
        }
        if status == Z_STREAM_END {
            // A gzip file may hold several members (concatenated streams).
            if gzip && stream.avail_in > 0 {
                guard inflateReset(&stream) == Z_OK else { return nil }
                continue
            }
            break
        }
        if status != Z_OK && status != Z_BUF_ERROR { return nil }
        if status == Z_BUF_ERROR && stream.avail_in == 0 { return nil }
    }
    out.removeLast(out.count - produced)
    return out
}
