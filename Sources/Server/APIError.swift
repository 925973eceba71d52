import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Planning

/// An error answered as an RFC 9457 problem document. Domain errors (`LastmileError`) keep their
/// kind's status and type; HTTP-only ones (401, 413, …) have their own type.
public struct APIError: Error, Sendable {
    public var problem: ProblemDocument

    public init(_ problem: ProblemDocument) { self.problem = problem }

    public init(status: Int, type: String, title: String, detail: String, field: String? = nil,
                errors: [ProblemDocument.ItemError]? = nil) {
        problem = ProblemDocument(type: "https://lastmile.example/errors/\(type)", title: title, status: status, detail: detail,
                                  field: field, errors: errors)
    }

    public init(_ kind: ErrorKind, _ detail: String, field: String? = nil, errors: [ProblemDocument.ItemError]? = nil) {
        problem = ProblemDocument(type: "https://lastmile.example/errors/\(kind.rawValue)", title: kind.title, status: kind.httpStatus,
                                  detail: detail, field: field, errors: errors)
    }

    public static func input(_ detail: String, field: String? = nil) -> APIError { APIError(.input, detail, field: field) }
    public static func notFound(_ detail: String) -> APIError { APIError(.notFound, detail) }
    public static func conflict(_ detail: String, field: String? = nil) -> APIError { APIError(.conflict, detail, field: field) }

    public static func tooLarge(what: String, count: Int, limit: Int) -> APIError {
        APIError(status: 413, type: "too-large", title: "Content too large",
                 detail: "the \(what) holds \(count) orders, more than the limit of \(limit); split it")
    }

    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: 413, type: "too-large", title: "Content too large", detail: "the request body is larger than \(limit) bytes")
    }

    static let unauthorized = APIError(status: 401, type: "unauthorized", title: "Unauthorized",
                                       detail: "this request needs the header Authorization: Bearer <token>")
    static let forbidden = APIError(status: 403, type: "forbidden", title: "Forbidden", detail: "the bearer token is not valid for this request")
}

/// Every error leaves as a problem document (`application/problem+json`), never as a bare status.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.response(for: error, request: request, logger: context.logger)
        }
        metrics.request(method: request.method.rawValue, status: response.status.code, since: start)
        return response
    }

    static func response(for error: Error, request: Request, logger: Logger) -> Response {
        let problem: ProblemDocument
        switch error {
        case let e as APIError: problem = e.problem
        case let e as LastmileError: problem = e.problem
        case let e as HTTPError:
            let kind = e.status.code == 404 ? "not-found" : "http-\(e.status.code)"
            let detail = e.status.code == 404 ? "no such resource: \(request.method) \(request.uri.path)" : (e.body ?? e.status.reasonPhrase)
            problem = ProblemDocument(type: "https://lastmile.example/errors/\(kind)", title: e.status.reasonPhrase,
                                      status: e.status.code, detail: detail)
        case is NIOTooManyBytesError:
            problem = APIError.bodyTooLarge(limit: 0).problem
        default:
            logger.error("internal error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            problem = APIError(.internal, "internal error; see the daemon's log").problem
        }
        return problemResponse(problem)
    }
}

func problemResponse(_ problem: ProblemDocument) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(problem)) ?? Data("{}".utf8)
    var headers = HTTPFields()
    headers[.contentType] = "application/problem+json"
    return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
