import Foundation
import PlanCheck
import RoadNetwork

@testable import Planning

/// Paths resolved from this file, not from the working directory.
enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let smallCity = packageRoot + "/Tests/PlanningTests/Fixtures/small-city"
    static let shanghai = packageRoot + "/scenarios/shanghai-center"
}

enum Fixture {
    static func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self) }

    static var scenarioText: String { text(Paths.smallCity + "/scenario.json") }
    static var ordersText: String { text(Paths.smallCity + "/orders.jsonl") }

    static func scenario() throws -> Scenario {
        try ScenarioLoader.parse(Array(scenarioText.utf8), file: "scenario.json")
    }

    /// Parses orders.jsonl text against the small-city scenario.
    static func orders(_ text: String, scenario: Scenario? = nil) throws -> OrderBook {
        try OrderLoader.parse(Array(text.utf8), file: "orders.jsonl", scenario: scenario ?? self.scenario())
    }

    /// One order line of the small city.
    static func order(_ id: String, point: String = "P1", customer: String = "C-1", date: String = "2025-09-16",
                      completed: String = "2025-09-15T20:00:00+08:00", lines: String = #"[{"sku":"VEG","qty":2}]"#) -> String {
        #"{"order_id":"\#(id)","group_id":"G-1","pickup_point_id":"\#(point)","customer_id":"\#(customer)","delivery_date":"\#(date)","completed_at":"\#(completed)","lines":\#(lines)}"#
    }
}

/// A fresh, empty directory under the system's temporary directory.
func temporaryDirectory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Plans, writes the documents and runs the independent checker over what was written.
func planAndCheck(_ scenario: Scenario, _ book: OrderBook, options: PlanOptions = .greedy(),
                  name: String) throws -> (plan: Plan, dir: String, report: PlanCheckReport) {
    let travel = try TravelTimes.choose(for: scenario, scenarioFile: nil)
    let plan = try DailyPlanner.plan(scenario: scenario, orders: book, travel: travel, options: options)
    let files = try PlanDocuments.render(plan: plan, scenario: scenario, orders: book, paths: travel.provider.path)
    let dir = try temporaryDirectory(name)
    try PlanDocuments.write(files, to: dir)
    // The checker reads the inputs as files, like `lastmile check`.
    let encoder = JSONEncoder()
    try encoder.encode(scenario).write(to: URL(fileURLWithPath: dir + "/scenario.input.json"))
    let orderLines = try book.orders.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
    try Data(orderLines.utf8).write(to: URL(fileURLWithPath: dir + "/orders.input.jsonl"))
    let report = PlanChecker.check(outputDirectory: dir, scenarioFile: dir + "/scenario.input.json", ordersFile: dir + "/orders.input.jsonl")
    return (plan, dir, report)
}

/// The greedy construction with re-planning inputs: these tests are about what re-planning keeps.
func greedyOptions(locked: [PlannedRoute] = [], unavailableVehicles: Set<String> = []) -> PlanOptions {
    var o = PlanOptions.greedy()
    o.locked = locked
    o.unavailableVehicles = unavailableVehicles
    return o
}
