import Foundation
import HTTPTypes
import Hummingbird
import Interchange
import NIOCore
import RoadNetwork

/// `POST /v1/solve`: vroom-express's endpoint (docs/vroom.md). Same body, same answer; errors
/// are VROOM's `{"code": 2, "error": …}` with HTTP 400 (input) or 500 (internal, routing).
extension API {
    /// Longest budget a request may ask for (`?seconds=` or the body's `lastmile.seconds`): an
    /// hour, the input's own limit, so that a client can give a 1,000-job problem twice what
    /// VROOM takes on it (about 1,000 s at exploration level 5 on the project machine).
    static let maxSolveSeconds = 3_600.0
    static let solveSlots = Slots(ProcessInfo.processInfo.activeProcessorCount)

    func addVroomRoutes(to router: RouteCollection<BasicRequestContext>) {
        router.post("/v1/solve") { r, _ in try await self.solveVroom(r) }
        // vroom-express listens at its root: a client pointed at the daemon's base URL works too.
        router.post("/") { r, _ in try await self.solveVroom(r) }
    }

    func solveVroom(_ request: Request) async throws -> Response {
        // Solving stores nothing: a read.
        try auth.requireRead(request)
        var seconds: Double?
        if let s = request.uri.queryParameters.get("seconds") {
            guard let v = Double(s), v >= 0.01, v <= Self.maxSolveSeconds else {
                return vroomResponse(VroomAnswer(code: 2, error: "?seconds: must be a number in 0.01...3600, got \"\(s)\""))
            }
            seconds = v
        }
        let bytes: Data
        do { bytes = Data(try await body(request)) } catch let e as APIError {
            // A body refused before reading (size, Content-Type, framing): VROOM's shape, the HTTP status kept.
            return vroomResponse(VroomAnswer(code: 2, error: e.problem.detail), status: HTTPResponse.Status(code: e.problem.status))
        }
        let travel = vroomTravel(runner.setup.travel.provider)
        let budget = seconds
        // The search is CPU-bound for seconds: off the cooperative pool, one per core at a time
        // (a wall-clock budget shared by more searches than cores only makes each one worse).
        await Self.solveSlots.acquire()
        let answer = await withCheckedContinuation { (k: CheckedContinuation<VroomAnswer, Never>) in
            DispatchQueue.global().async {
                k.resume(returning: VroomSolve.answer(bytes, seconds: budget, maxSeconds: Self.maxSolveSeconds, travel: travel))
            }
        }
        await Self.solveSlots.release()
        return vroomResponse(answer)
    }

    func vroomResponse(_ answer: VroomAnswer, status: HTTPResponse.Status? = nil) -> Response {
        var data = VroomSolve.json(answer)
        data.append(0x0A)
        let byCode: HTTPResponse.Status = switch answer.code {
        case 0: .ok
        case 2: .badRequest
        default: .internalServerError
        }
        let status = status ?? byCode
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Travel between coordinates from a provider (the daemon's road map, or its straight lines
/// when the scenario has no map); unreachable pairs are a routing error.
public func vroomTravel(_ provider: any TravelTimeProvider) -> VroomTravel {
    { points in
        let m = try provider.matrix(for: points.map { Coordinate(lon: $0[0], lat: $0[1]) })
        if let k = m.durations.firstIndex(of: TravelMatrix.unreachable) {
            throw VroomError(pointer: "", "no road path from point \(k / m.size) to point \(k % m.size) of the coordinates", code: 3)
        }
        return VroomMatrices(size: m.size, durations: m.durations, distances: m.distances, costs: nil)
    }
}

/// A counting semaphore for async callers: waiters are resumed in arrival order.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(1, count) }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
