import Foundation
import Testing

@testable import Planning

@Suite struct JSONParserTests {
    @Test func valuesKeepTheirLines() throws {
        let node = try JSONParser.parse("{\n  \"a\": [1,\n    {\"b\": \"x\\u00e9\\ud83d\\ude00\"}],\n  \"c\": -2.5e3\n}", firstLine: 10)
        guard case .object(let m) = node.value, case .array(let items) = m[0].node.value, case .object(let inner) = items[1].value else {
            Issue.record("unexpected shape")
            return
        }
        #expect(node.line == 10)
        #expect(m[0].node.line == 11)
        #expect(items[1].line == 12)
        #expect(inner[0].node.value == .string("xé😀"))
        #expect(m[1].node.value == .number("-2.5e3"))
        #expect(m[1].node.line == 13)
    }

    @Test(arguments: [
        ("[1,]", "unexpected ']', expected a value", 4),
        ("{\"a\" 1}", "unexpected '1', expected ':' after \"a\"", 6),
        ("01", "invalid number: leading zero", 2),
        ("\"abc", "unterminated string", 5),
        ("[1] 2", "unexpected '2' after the JSON value", 5),
        ("tru", "unexpected 't', expected a value", 1),
        ("\"\\x\"", "invalid escape \\'x'", 3),
    ])
    func syntaxErrors(text: String, message: String, column: Int) {
        #expect(throws: JSONSyntaxError(line: 1, column: column, message: message)) { try JSONParser.parse(text) }
    }
}

@Suite struct TimeTests {
    @Test func calendarDatesRoundTripThroughDays() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let d = CalendarDate(daysSinceEpoch: days)
            #expect(d.daysSinceEpoch == days)
            #expect(CalendarDate.parse(d.description) == d || d.year < 0 || d.year > 9999)
        }
        #expect(CalendarDate.parse("2024-02-29") != nil)
        #expect(CalendarDate.parse("2025-02-29") == nil)
        #expect(CalendarDate.parse("1900-02-29") == nil)
        #expect(CalendarDate.parse("2000-02-29")?.daysSinceEpoch == 11_016)
    }

    @Test func timestampsHonourTheirOffset() {
        #expect(Timestamp.parse("2025-09-15T23:00:00+08:00")?.epochSeconds == Timestamp.parse("2025-09-15T15:00:00Z")?.epochSeconds)
        #expect(Timestamp.parse("2025-09-15T10:00:00.250-03:30")?.epochSeconds == Timestamp.parse("2025-09-15T13:30:00Z")?.epochSeconds)
        #expect(Timestamp.parse("2025-09-15T24:00:00+08:00") == nil)
        #expect(Timestamp.parse("2025-09-15 23:00:00+0800") == nil)
    }

    @Test func localTimes() {
        #expect(LocalTime.parse("06:30")?.seconds == 23_400)
        #expect(LocalTime.parse("24:00")?.minutes == 1440)
        #expect(LocalTime.parse("24:01") == nil)
        #expect(LocalTime.parse("6:30") == nil)
        #expect(LocalTime.format(seconds: 23_459) == "06:30")
    }

    @Test func dayClockWritesISOWithTheZonesOffset() throws {
        let tz = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let c = DayClock(date: CalendarDate.parse("2025-09-16")!, timeZone: tz)
        #expect(c.iso(6 * 3600 + 41 * 60 + 5) == "2025-09-16T06:41:05+08:00")
        #expect(c.iso(-3600) == "2025-09-15T23:00:00+08:00")
        #expect(c.epochSeconds(at: 0) == Timestamp.parse("2025-09-15T16:00:00Z")!.epochSeconds)
        // A zone with daylight saving: 2025-03-30 in Berlin switches at 02:00 local from +01:00 to +02:00.
        let berlin = DayClock(date: CalendarDate.parse("2025-03-30")!, timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        #expect(berlin.iso(3600) == "2025-03-30T01:00:00+01:00")
        #expect(berlin.iso(4 * 3600) == "2025-03-30T04:00:00+02:00")
    }
}

@Suite struct FormattingTests {
    @Test func numbersForPeople() {
        #expect(PlanSummary.group(1_234_567) == "1,234,567")
        #expect(PlanSummary.group(-1000) == "-1,000")
        #expect(PlanSummary.yuan(736_721) == "7,367.21")
        #expect(PlanSummary.yuan(5) == "0.05")
        #expect(PlanSummary.tenths(700_849, per: 1000) == "700.8")
        #expect(kg(84_500) == "84.5")
        #expect(kg(250) == "0.25")
        #expect(kg(3000) == "3")
        #expect(fixed6(121.4207471) == "121.420747")
        #expect(fixed6(-0.0000004) == "0.000000")
    }

    @Test func jsonPointers() {
        #expect(InputErrors.pointer("lines[2].qty") == "/lines/2/qty")
        #expect(InputErrors.pointer("warehouses[0].vehicle_types[1].class") == "/warehouses/0/vehicle_types/1/class")
        #expect(InputErrors.pointer(nil) == "")
    }

    @Test func mapPathsResolveBesideTheScenario() {
        #expect(TravelTimes.resolveMap("../../../shared/maps/x.osm", scenarioFile: "scenarios/shanghai-center/scenario.json")
            == "../shared/maps/x.osm")
        #expect(TravelTimes.resolveMap("/abs/x.osm", scenarioFile: "a/scenario.json") == "/abs/x.osm")
        #expect(TravelTimes.resolveMap("x.osm", scenarioFile: "/repo/./s/scenario.json") == "/repo/s/x.osm")
    }
}
