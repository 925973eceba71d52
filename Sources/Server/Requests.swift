import Foundation
import HTTPTypes
import Hummingbird
import Planning

/// Request checks shared by the API's routes: Content-Type, path parameters.
extension API {
    /// Media types a body may have (parameters such as `; charset=utf-8` are ignored).
    static let bodyTypes: Set<String> = ["application/json", "application/x-ndjson", "application/jsonl", "application/json-lines",
                                         "application/jsonlines", "application/x-jsonlines", "text/jsonl"]

    func checkContentType(_ request: Request) throws {
        guard let header = request.headers[.contentType] else { return }
        let type = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.bodyTypes.contains(type) else {
            throw APIError(status: 415, type: "unsupported-media-type", title: "Unsupported Media Type",
                           detail: "Content-Type \"\(header)\" is not accepted; send application/json or application/x-ndjson (JSON Lines)")
        }
    }
}

/// A path parameter, percent-decoded (`/v1/orders/A%20B` is order "A B"); a malformed escape is 400.
func pathId(_ c: BasicRequestContext, _ name: String) throws -> String {
    let raw = try c.parameters.require(name)
    guard let id = raw.removingPercentEncoding else {
        throw APIError.badRequest("path parameter \(name) \"\(raw)\" is not valid percent-encoded UTF-8")
    }
    return id
}

/// The stored document a catch-all path names (`DocumentPath.normalized`).
func documentPath(_ segments: [Substring]) throws -> String {
    let raw = segments.joined(separator: "/")
    guard let path = DocumentPath.normalized(raw) else { throw APIError.badRequest("path \"\(raw)\" is not valid percent-encoded UTF-8") }
    return path
}

extension APIError {
    public static func badRequest(_ detail: String) -> APIError {
        APIError(status: 400, type: "bad-request", title: "Bad Request", detail: detail)
    }
}
