/// A VROOM-JSON input that cannot be taken as it is: the JSON pointer of the field and why.
/// Fields the routing core cannot represent exactly are refused here, never dropped.
public struct VroomError: Error, Equatable, Sendable, CustomStringConvertible {
    /// RFC 6901 pointer into the input ("" for the whole document).
    public var pointer: String
    public var reason: String
    /// VROOM's status code: 2 input error (the default), 3 routing error (no travel data).
    public var code: Int

    public init(pointer: String, _ reason: String, code: Int = 2) {
        self.pointer = pointer
        self.reason = reason
        self.code = code
    }

    /// `/jobs/3/time_windows: several time windows per job are not supported yet`.
    public var description: String { pointer.isEmpty ? reason : "\(pointer): \(reason)" }

    static func notYet(_ pointer: String, _ what: String) -> VroomError {
        VroomError(pointer: pointer, "\(what) not supported yet")
    }
}
