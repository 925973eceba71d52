import Crypto
import Foundation

/// Keys of the graph and matrix caches: SHA-256 (swift-crypto) of the content as 64 lowercase hex
/// digits, the same digests as the hand-written hash this replaced, so caches stay valid.
struct ContentHash {
    private var hasher = SHA256()

    init() {}

    mutating func update<D: DataProtocol>(_ bytes: D) { hasher.update(data: bytes) }
    mutating func update(_ s: String) { update(Array(s.utf8)) }

    func hexDigest() -> String { Self.hex(digest: hasher.finalize()) }

    static func hex<D: DataProtocol>(_ bytes: D) -> String { hex(digest: SHA256.hash(data: bytes)) }

    private static func hex(digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
