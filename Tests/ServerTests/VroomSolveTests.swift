import Foundation
import NIOCore
import Testing

/// `POST /v1/solve`: VROOM JSON in, vroom-express's answer out.
struct VroomSolveTests {
    static let body = #"""
    {"jobs": [{"id": 1, "location_index": 1, "delivery": [2]}, {"id": 2, "location_index": 2, "pickup": [1]}],
     "vehicles": [{"id": 5, "start_index": 0, "end_index": 0, "capacity": [4]}],
     "matrices": {"car": {"durations": [[0, 10, 20], [10, 0, 15], [20, 15, 0]]}}}
    """#

    @Test func solvesAndAnswersInVroomShape() async throws {
        let h = try Harness("vroom-solve") { $0.readAccess = .token; $0.readToken = readToken }
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/solve?seconds=0.2", Self.body)
            #expect(r.status.code == 200)
            #expect(r.json["code"] as? Int == 0)
            #expect((r.json["summary"] as? [String: Any])?["cost"] as? Int == 45)
            let steps = (r.json["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]
            #expect(steps?.map { $0["load"] as? [Int] } == [[2], [0], [1], [1]] || steps?.map { $0["load"] as? [Int] } == [[2], [3], [1], [1]])
            // A read: the read token does, and vroom-express's root path answers too.
            let root = try await c.send(.post, "/?seconds=0.1", Self.body, auth: readToken)
            #expect(root.status.code == 200)
            #expect(root.json["code"] as? Int == 0)
            #expect(try await c.send(.post, "/v1/solve", Self.body, auth: nil).status.code == 401)
        }
    }

    @Test func inputErrorsAre400WithVroomsShape() async throws {
        let h = try Harness("vroom-error")
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/solve", #"{"jobs": [], "shipments": [{}], "vehicles": []}"#)
            #expect(r.status.code == 400)
            #expect(r.json["code"] as? Int == 2)
            #expect(r.json["error"] as? String == "/shipments: shipments are not supported yet")
            let bad = try await c.send(.post, "/v1/solve?seconds=3601", Self.body)
            #expect(bad.status.code == 400)
            #expect(bad.json["error"] as? String == "?seconds: must be a number in 0.01...3600, got \"3601\"")
            let form = try await c.execute(uri: "/v1/solve", method: .post,
                                           headers: [.authorization: "Bearer \(token)", .contentType: "application/x-www-form-urlencoded"],
                                           body: ByteBuffer(string: Self.body))
            #expect(form.status.code == 415)
            #expect((form.json["error"] as? String)?.hasPrefix("Content-Type") == true)
        }
    }

    /// Coordinates without matrices: the daemon's own travel (straight lines for this fixture).
    @Test func coordinatesUseTheDaemonsTravel() async throws {
        let h = try Harness("vroom-coords")
        let body = #"""
        {"jobs": [{"id": 1, "location": [121.45, 31.23]}, {"id": 2, "location": [121.47, 31.25]}],
         "vehicles": [{"id": 1, "start": [121.43, 31.21], "end": [121.43, 31.21]}]}
        """#
        try await h.test { c async throws in
            let r = try await c.send(.post, "/v1/solve?seconds=0.1", body)
            #expect(r.status.code == 200)
            let summary = r.json["summary"] as? [String: Any]
            #expect((summary?["distance"] as? Int ?? 0) > 0)
            #expect(summary?["cost"] as? Int == summary?["duration"] as? Int)
            let steps = (r.json["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]
            #expect(steps?.first?["location"] as? [Double] == [121.43, 31.21])
        }
    }
}
