import Foundation
import Testing

@testable import Planning

/// The error table: every error reaches a kind, an exit code and a problem document.
struct ErrorTableTests {
    /// Held as `any LastmileError` (as the CLI and the server hold it), a batch's errors keep
    /// their per-item list: `problem` is a requirement, not only an extension.
    @Test func inputErrorsKeepTheirItemsAsAnyLastmileError() throws {
        let bad = [Fixture.order("O-1", lines: #"[{"sku":"VEG","qty":-3}]"#), Fixture.order("O-2", point: "NOPE")]
        do {
            _ = try Fixture.orders(bad.joined(separator: "\n"))
            Issue.record("the orders were accepted")
        } catch let held as any LastmileError {
            let items = try #require(held.problem.errors)
            #expect(items.count == 2)
            #expect(items.map(\.pointer) == ["/1/lines/0/qty", "/2/pickup_point_id"])
            #expect(held.kind.exitCode == 65)
        }
    }

    @Test func missingFileIsNotFoundWithOneMessage() throws {
        let e = GeneralError.noSuchFile("in/orders.jsonl")
        #expect(e.kind.exitCode == 66 && e.kind.httpStatus == 404)
        #expect(e.detail == "in/orders.jsonl: no such file")
        #expect(throws: e) { try GeneralError.requireInput("in/orders.jsonl") }
        try GeneralError.requireInput(Paths.smallCity)
    }

    /// Foundation's own "no such file" reads like ours; an unknown error is internal (exit 70).
    @Test func otherErrorsAreClassified() throws {
        do {
            _ = try String(contentsOfFile: "/nonexistent-lastmile/x.tsv", encoding: .utf8)
            Issue.record("read a file that does not exist")
        } catch {
            let e = GeneralError.classifying(error)
            #expect(e.kind == .notFound)
            #expect(e.detail == "/nonexistent-lastmile/x.tsv: no such file")
        }
        struct DatabaseLocked: Error {}
        let other = GeneralError.classifying(DatabaseLocked())
        #expect(other.kind == .internal && other.kind.exitCode == 70)
        #expect(other.detail.hasPrefix("internal error: "))
        let input = InputError(file: "a", line: 1, "bad")
        #expect(GeneralError.classifying(input) as? InputError == input)
    }

    @Test func countsTakeTheRightNoun() {
        #expect(PlanSummary.counted(1, "order") == "1 order")
        #expect(PlanSummary.counted(0, "order") == "0 orders")
        #expect(PlanSummary.counted(8_000, "order") == "8,000 orders")
        #expect(PlanSummary.counted(1, "pickup point") == "1 pickup point")
    }

    /// Money in plan.json says its unit, as distances and durations do.
    @Test func planMoneyFieldsNameCents() throws {
        let plan = try DailyPlanner.plan(scenario: try Fixture.scenario(), orders: try Fixture.orders(Fixture.ordersText),
                                         travel: TravelTimes.straightLines(for: try Fixture.scenario()), options: .greedy())
        let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(plan)) as? [String: Any])
        #expect(json["format"] as? String == "lastmile-plan/2")
        let totals = try #require(json["totals"] as? [String: Any])
        for key in ["cost_cents", "fixed_cost_cents", "cost_per_order_cents"] { #expect(totals[key] is Int, "totals.\(key)") }
        for key in ["cost", "fixed_cost", "cost_per_order"] { #expect(totals[key] == nil, "totals.\(key)") }
        let route = try #require((json["routes"] as? [[String: Any]])?.first)
        #expect(route["cost_cents"] as? Int == plan.routes[0].cost)
        let warehouse = try #require((json["warehouses"] as? [[String: Any]])?.first)
        #expect(warehouse["cost_cents"] != nil && warehouse["fixed_cost_cents"] != nil)
        #expect((json["allocation"] as? [String: Any])?["estimated_cost_cents"] is Int)
        #expect(try JSONDecoder().decode(Plan.self, from: try JSONEncoder().encode(plan)) == plan)
    }
}
