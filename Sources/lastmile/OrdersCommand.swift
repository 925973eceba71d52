import ArgumentParser
import Foundation
import Planning

struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Work with order files.", subcommands: [Retime.self])

    struct Retime: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move every order of an orders.jsonl file to another delivery day (completed_at moves by as many days).",
            discussion: "Example: lastmile orders retime scenarios/shanghai-center/orders.jsonl --delivery-date tomorrow --out /tmp/orders.jsonl")

        @Argument(help: "orders.jsonl file.")
        var file: String

        @Option(help: "YYYY-MM-DD, or 'tomorrow' (in the scenario's time zone).")
        var deliveryDate: String = "tomorrow"

        @Option(help: "Scenario whose time zone 'tomorrow' is counted in.")
        var scenario: String = "scenarios/shanghai-center"

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func run() async throws {
            try await reportingErrors {
                let day: CalendarDate
                if deliveryDate == "tomorrow" {
                    let (s, _) = try ScenarioLoader.load(path: scenario)
                    guard let tz = TimeZone(identifier: s.timeZone) else { throw InputError(field: "time_zone", "unknown time zone \"\(s.timeZone)\"") }
                    var cal = Calendar(identifier: .gregorian)
                    cal.timeZone = tz
                    let c = cal.dateComponents([.year, .month, .day], from: Date())
                    day = CalendarDate(year: c.year!, month: c.month!, day: c.day!)!.adding(days: 1)
                } else {
                    guard let d = CalendarDate.parse(deliveryDate) else {
                        throw InputError(field: "--delivery-date", "must be YYYY-MM-DD or tomorrow, got \"\(deliveryDate)\"")
                    }
                    day = d
                }
                guard let data = FileManager.default.contents(atPath: file) else { throw GeneralError.noSuchFile(file) }
                let text = try OrderRetiming.retime(Array(data), file: file, to: day)
                if let out {
                    do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                        throw GeneralError(.output, "writing \(out): \(error.localizedDescription)")
                    }
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            }
        }
    }
}
