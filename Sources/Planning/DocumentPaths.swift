/// Where each plan document lives, relative to the output directory (`lastmile plan --out`) or
/// the daemon's plan (`GET /v1/plans/{id}/…`, the store's `lists.path`). The one place that turns
/// ids into path segments, so the CLI, the daemon and the console agree.
///
/// File-name encoding (docs/scenario-format.md, "File names"): every byte of the id's UTF-8
/// outside `A–Z a–z 0–9 . _ -` is written `%XX` (upper-case hex), and an id that is `.` or `..`
/// has its dots encoded as well; so a name never holds `/`, is never `.` or `..`, and decodes
/// back to the id by percent-decoding. Ids are at most `InputLimits.idBytes` bytes, so a name is at
/// most 3 × 64 + 5 bytes, within every file system's 255.
public enum DocumentPath {
    public static func segment(_ id: String) -> String {
        let dots = id == "." || id == ".."
        var out = ""
        out.reserveCapacity(id.utf8.count)
        for b in id.utf8 {
            let plain = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == 0x5F || b == 0x2D || (b == 0x2E && !dots)
            if plain {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(b >> 4)])
                out.unicodeScalars.append(hex[Int(b & 0x0F)])
            }
        }
        return out
    }

    /// The id a segment was made from (nil: not a segment `segment` writes).
    public static func id(ofSegment s: String) -> String? {
        guard let id = s.removingPercentEncodingStrictly(), segment(id) == s else { return nil }
        return id
    }

    /// `warehouses/<id>/<name>` (pick-list.csv, pick-list.json, sort-sheet.csv, sort-sheet.json).
    public static func warehouse(_ id: String, _ name: String) -> String { "warehouses/\(segment(id))/\(name)" }
    /// `vehicles/<id>/<name>` (loading-list.csv, loading-list.json).
    public static func vehicle(_ id: String, _ name: String) -> String { "vehicles/\(segment(id))/\(name)" }
    /// `handover/<id>.<ext>` (csv, txt, json).
    public static func handover(_ id: String, ext: String) -> String { "handover/\(segment(id)).\(ext)" }

    /// A path as a client writes it in a URL (each segment percent-encoded, or not, or partly):
    /// the stored path it names. Each segment is percent-decoded once, then encoded as above,
    /// keeping the extension of the last one; so `handover/中 1.json`,
    /// `handover/%E4%B8%AD%201.json` and the stored `handover/%E4%B8%AD%201.json` all match.
    public static func normalized(_ urlPath: String) -> String? {
        var out: [String] = []
        for raw in urlPath.split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = String(raw).removingPercentEncodingStrictly(), !decoded.isEmpty else { return nil }
            out.append(segment(decoded))
        }
        return out.joined(separator: "/")
    }
}

extension String {
    /// Percent-decoding that refuses malformed escapes and bytes that are not UTF-8.
    func removingPercentEncodingStrictly() -> String? {
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            guard b == 0x25 else { bytes.append(b); continue }
            guard it.count >= 2, let hi = hexValue(it.popFirst()!), let lo = hexValue(it.popFirst()!) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
