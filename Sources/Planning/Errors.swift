import Foundation

/// Every error a user can see, from the CLI (message + exit code) and over HTTP (a JSON problem
/// document, RFC 9457). One table of kinds gives both, so they never drift apart.
public enum ErrorKind: String, Sendable, Codable, CaseIterable {
    /// Bad input: a malformed file, a field out of range, an unknown id.
    case input
    /// A file, scenario, order or plan that does not exist.
    case notFound = "not-found"
    /// A request that contradicts what is stored (same order id, different body; cancel after cut-off).
    case conflict
    /// Planning could not produce a plan (the solver failed, not the data).
    case planning
    /// Writing output failed.
    case output
    /// A bug or an environment failure.
    case `internal`

    /// Process exit code (sysexits.h), stable across releases.
    public var exitCode: Int32 {
        switch self {
        case .input: 65        // EX_DATAERR
        case .notFound: 66     // EX_NOINPUT
        case .conflict: 65
        case .planning: 70     // EX_SOFTWARE
        case .output: 73       // EX_CANTCREAT
        case .internal: 70
        }
    }

    /// HTTP status of the same error.
    public var httpStatus: Int {
        switch self {
        case .input: 422
        case .notFound: 404
        case .conflict: 409
        case .planning: 500
        case .output: 500
        case .internal: 500
        }
    }

    public var title: String {
        switch self {
        case .input: "Invalid input"
        case .notFound: "Not found"
        case .conflict: "Conflict"
        case .planning: "Planning failed"
        case .output: "Output failed"
        case .internal: "Internal error"
        }
    }
}

/// An error with a kind, a one-line detail and, for input errors, where it is.
public protocol LastmileError: Error, CustomStringConvertible {
    var kind: ErrorKind { get }
    var detail: String { get }
    /// The field at fault as a path (`lines[2].qty`), when there is one.
    var field: String? { get }
    /// The error as an HTTP problem document. A requirement, so that a batch's per-item list
    /// (`InputErrors`) is kept when the error is held as `any LastmileError`.
    var problem: ProblemDocument { get }
}

extension LastmileError {
    public var field: String? { nil }
    public var description: String { detail }
    public var problem: ProblemDocument {
        ProblemDocument(type: "https://lastmile.example/errors/\(kind.rawValue)", title: kind.title,
                        status: kind.httpStatus, detail: detail, field: field)
    }
}

/// RFC 9457 problem details, plus the field at fault.
public struct ProblemDocument: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var field: String?
    /// Per-item errors of a batch.
    public var errors: [ItemError]?

    public init(type: String, title: String, status: Int, detail: String, field: String? = nil, errors: [ItemError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.field = field
        self.errors = errors
    }

    public struct ItemError: Codable, Sendable, Equatable {
        /// JSON pointer to the field, e.g. `/17/lines/2/qty`.
        public var pointer: String
        public var detail: String
        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }
}

/// Bad input at a place in a file: prints as `orders.jsonl:118: lines[2].qty: must be a
/// positive integer, got -3`.
public struct InputError: LastmileError, Equatable {
    public var file: String?
    public var line: Int?
    public var field: String?
    public var reason: String

    public init(file: String? = nil, line: Int? = nil, field: String? = nil, _ reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var kind: ErrorKind { .input }
    public var detail: String {
        var parts: [String] = []
        switch (file, line) {
        case let (f?, l?): parts.append("\(f):\(l)")
        case let (f?, nil): parts.append(f)
        case let (nil, l?): parts.append("line \(l)")
        default: break
        }
        if let field { parts.append(field) }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}

/// Any other error with a kind.
public struct GeneralError: LastmileError, Equatable {
    public var kind: ErrorKind
    public var detail: String
    public init(_ kind: ErrorKind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The one message for an input file that is not there (exit 66, HTTP 404), whichever command reads it.
    public static func noSuchFile(_ path: String) -> GeneralError { GeneralError(.notFound, "\(path): no such file") }

    /// Throws `noSuchFile` unless `path` names an existing file or directory.
    public static func requireInput(_ path: String) throws(GeneralError) {
        guard FileManager.default.fileExists(atPath: path) else { throw noSuchFile(path) }
    }

    /// Any error as one with a kind, so that every error reaches the exit-code table: a
    /// `LastmileError` as it is; Foundation's "no such file" as `noSuchFile`; anything else
    /// (a database that cannot be opened, a bug) as `internal` with the error's own words.
    public static func classifying(_ error: any Error) -> any LastmileError {
        if let e = error as? any LastmileError { return e }
        let ns = error as NSError
        let missing = (ns.domain == NSCocoaErrorDomain && [NSFileNoSuchFileError, NSFileReadNoSuchFileError].contains(ns.code))
            || (ns.domain == NSPOSIXErrorDomain && ns.code == Int(ENOENT))
        if missing, let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path {
            return noSuchFile(path)
        }
        return GeneralError(.internal, "internal error: \(error)")
    }
}

/// Several input errors found in one pass over a file (e.g. one per bad line of orders.jsonl),
/// so a whole file can be fixed at once. Prints one error per line, the first `shown` of them.
public struct InputErrors: LastmileError, Equatable {
    public var errors: [InputError]
    public static let shown = 20

    public init(_ errors: [InputError]) {
        precondition(!errors.isEmpty, "InputErrors needs at least one error")
        self.errors = errors
    }

    public var kind: ErrorKind { .input }
    public var field: String? { errors.count == 1 ? errors[0].field : nil }
    public var detail: String {
        var lines = errors.prefix(Self.shown).map(\.detail)
        if errors.count > Self.shown { lines.append("… and \(errors.count - Self.shown) more errors") }
        return lines.joined(separator: "\n")
    }

    /// The problem document lists every error, pointing at line N as `/N` followed by the field.
    public var problem: ProblemDocument {
        ProblemDocument(
            type: "https://lastmile.example/errors/\(kind.rawValue)", title: kind.title, status: kind.httpStatus,
            detail: errors.count == 1 ? errors[0].detail : "\(errors.count) errors; the first: \(errors[0].detail)",
            field: field,
            errors: errors.map { e in
                ProblemDocument.ItemError(pointer: (e.line.map { "/\($0)" } ?? "") + Self.pointer(e.field), detail: e.reason)
            })
    }

    /// `lines[2].qty` → `/lines/2/qty`.
    public static func pointer(_ field: String?) -> String {
        guard let field else { return "" }
        var out = ""
        for part in field.split(separator: ".") {
            var s = Substring(part)
            if let b = s.firstIndex(of: "[") {
                out += "/" + s[..<b]
                s = s[b...]
                while let open = s.firstIndex(of: "["), let close = s.firstIndex(of: "]") {
                    out += "/" + s[s.index(after: open)..<close]
                    s = s[s.index(after: close)...]
                }
            } else {
                out += "/" + s
            }
        }
        return out
    }
}
