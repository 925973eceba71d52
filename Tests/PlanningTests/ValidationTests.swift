import Foundation
import Testing

@testable import Planning

/// Each bad input gives one exact message naming file, line and field.
@Suite struct OrderValidationTests {
    /// The message of the single error the orders text raises.
    func message(_ text: String) throws -> String {
        do {
            _ = try Fixture.orders(text)
        } catch let e as InputErrors {
            #expect(e.errors.count == 1)
            return e.detail
        }
        Issue.record("no error for \(text)")
        return ""
    }

    func ok(_ n: Int) -> String { (1...n).map { Fixture.order("OK-\($0)") }.joined(separator: "\n") + "\n" }

    @Test func theFixtureIsValid() throws {
        let book = try Fixture.orders(Fixture.ordersText)
        #expect(book.orders.count == 48)
        #expect(book.deliveryDate.description == "2025-09-16")
        #expect(book.orders[0].lines == [OrderLine(sku: "EGG", qty: 1), OrderLine(sku: "MILK", qty: 1)])
        #expect(book.orders[0].completedAt.epochSeconds == 1_757_894_400)  // 2025-09-15T00:00:00Z
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let text = ok(2) + #"{"order_id":"O-9","group_id":"G-1" "pickup_point_id":"P1"}"# + "\n"
        #expect(try message(text) == "orders.jsonl:3: malformed JSON: unexpected '\"', expected ',' or '}' (column 36)")
    }

    @Test func truncatedLine() throws {
        #expect(try message(ok(1) + #"{"order_id":"O-9","lines":["# + "\n")
            == "orders.jsonl:2: malformed JSON: unexpected end of input, expected a value (column 28)")
    }

    @Test func unknownPickupPoint() throws {
        #expect(try message(ok(3) + Fixture.order("O-9", point: "P99"))
            == #"orders.jsonl:4: pickup_point_id: unknown pickup point "P99""#)
    }

    @Test func unknownSKU() throws {
        let lines = #"[{"sku":"VEG","qty":1},{"sku":"CAVIAR","qty":1}]"#
        #expect(try message(Fixture.order("O-9", lines: lines)) == #"orders.jsonl:1: lines[1].sku: unknown SKU "CAVIAR""#)
    }

    @Test func zeroQuantity() throws {
        #expect(try message(Fixture.order("O-9", lines: #"[{"sku":"VEG","qty":0}]"#))
            == "orders.jsonl:1: lines[0].qty: must be a positive integer, got 0")
    }

    @Test func negativeQuantity() throws {
        let lines = #"[{"sku":"VEG","qty":1},{"sku":"EGG","qty":2},{"sku":"MILK","qty":-3}]"#
        #expect(try message(ok(117) + Fixture.order("O-9", lines: lines))
            == "orders.jsonl:118: lines[2].qty: must be a positive integer, got -3")
    }

    @Test func fractionalQuantity() throws {
        #expect(try message(Fixture.order("O-9", lines: #"[{"sku":"VEG","qty":2.5}]"#))
            == "orders.jsonl:1: lines[0].qty: must be a positive integer, got 2.5")
    }

    @Test func quantityAsString() throws {
        #expect(try message(Fixture.order("O-9", lines: #"[{"sku":"VEG","qty":"2"}]"#))
            == #"orders.jsonl:1: lines[0].qty: must be a positive integer, got "2""#)
    }

    @Test func duplicateOrderId() throws {
        #expect(try message(ok(2) + Fixture.order("OK-1", point: "P2"))
            == #"orders.jsonl:3: order_id: duplicate order id "OK-1", first on line 1"#)
    }

    @Test func missingField() throws {
        let text = #"{"order_id":"O-1","group_id":"G-1","pickup_point_id":"P1","delivery_date":"2025-09-16","completed_at":"2025-09-15T20:00:00+08:00","lines":[{"sku":"VEG","qty":1}]}"#
        #expect(try message(text) == "orders.jsonl:1: customer_id: required field is missing")
    }

    @Test func wrongType() throws {
        let text = Fixture.order("O-1").replacingOccurrences(of: #""order_id":"O-1""#, with: #""order_id":17"#)
        #expect(try message(text) == "orders.jsonl:1: order_id: must be a string, got 17")
    }

    @Test func lineThatIsNotAnObject() throws {
        #expect(try message("[1, 2]\n") == "orders.jsonl:1: an order must be a JSON object, got an array")
    }

    @Test func badDate() throws {
        #expect(try message(Fixture.order("O-1", date: "2025-02-30"))
            == #"orders.jsonl:1: delivery_date: must be a date "YYYY-MM-DD", got "2025-02-30""#)
    }

    @Test func completionTimeWithoutOffset() throws {
        #expect(try message(Fixture.order("O-1", completed: "2025-09-15T20:00:00"))
            == #"orders.jsonl:1: completed_at: must be an ISO 8601 time with offset, e.g. "2025-09-15T21:04:05+08:00", got "2025-09-15T20:00:00""#)
    }

    @Test func twoDeliveryDaysInOneFile() throws {
        #expect(try message(ok(1) + Fixture.order("O-2", date: "2025-09-17"))
            == "orders.jsonl:2: delivery_date: 2025-09-17 differs from 2025-09-16 on line 1 (a file holds one delivery day)")
    }

    @Test func emptyLines() throws {
        #expect(try message(Fixture.order("O-1", lines: "[]")) == "orders.jsonl:1: lines: must not be empty")
    }

    @Test func repeatedSKUInOneOrder() throws {
        #expect(try message(Fixture.order("O-1", lines: #"[{"sku":"VEG","qty":1},{"sku":"VEG","qty":2}]"#))
            == #"orders.jsonl:1: lines[1].sku: SKU "VEG" is already in lines[0]"#)
    }

    @Test func misspelledField() throws {
        #expect(try message(Fixture.order("O-1", lines: #"[{"sku":"VEG","qyt":1}]"#))
            == "orders.jsonl:1: lines[0].qyt: unknown field (expected one of: sku, qty)")
    }

    @Test func emptyFile() throws {
        #expect(try message("\n\n") == "orders.jsonl: no orders (the file holds the completed orders of one delivery day)")
    }

    /// Every bad line is reported, blank lines count, good lines are kept quiet.
    @Test func everyBadLineIsReported() throws {
        let text = [Fixture.order("A"), "", Fixture.order("B", point: "X"), Fixture.order("C"), "{", Fixture.order("A")]
            .joined(separator: "\r\n")
        do {
            _ = try Fixture.orders(text)
            Issue.record("no error")
        } catch let e as InputErrors {
            #expect(e.errors.map(\.line) == [3, 5, 6])
            #expect(e.detail.split(separator: "\n").count == 3)
            #expect(e.problem.errors?.map(\.pointer) == ["/3/pickup_point_id", "/5", "/6/order_id"])
            #expect(e.kind.exitCode == 65)
        }
    }
}

@Suite struct ScenarioValidationTests {
    /// The scenario text with `old` replaced once, and the message it raises.
    func message(replacing old: String, with new: String) throws -> (line: Int, message: String) {
        let text = Fixture.scenarioText
        let range = try #require(text.range(of: old))
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        do {
            _ = try ScenarioLoader.parse(Array(text.replacingCharacters(in: range, with: new).utf8), file: "scenario.json")
        } catch {
            return (line, String(describing: error))
        }
        Issue.record("no error")
        return (line, "")
    }

    @Test func windowThatEndsBeforeItStarts() throws {
        let (line, m) = try message(replacing: "\"from\": \"06:30\",\n        \"to\": \"10:00\"",
                                    with: "\"from\": \"10:00\",\n        \"to\": \"06:30\"")
        #expect(m == "scenario.json:\(line - 1): pickup_points[0].receiving_window: window 10:00–06:30 ends before it starts")
    }

    @Test func badTimeOfDay() throws {
        let (line, m) = try message(replacing: #""cutoff": "23:00""#, with: #""cutoff": "23:60""#)
        #expect(m == #"scenario.json:\#(line): cutoff: must be a local time "HH:MM", got "23:60""#)
    }

    @Test func unknownTimeZone() throws {
        let (line, m) = try message(replacing: #""Asia/Shanghai""#, with: #""Asia/Shanghia""#)
        #expect(m == #"scenario.json:\#(line): time_zone: unknown time zone "Asia/Shanghia" (expected an IANA name such as "Asia/Shanghai")"#)
    }

    @Test func duplicatePickupPoint() throws {
        let (line, m) = try message(replacing: #""id": "P2""#, with: #""id": "P1""#)
        #expect(m == #"scenario.json:\#(line): pickup_points[1].id: duplicate pickup point id "P1", first at pickup_points[0]"#)
    }

    @Test func unknownPreviousWarehouse() throws {
        let (line, m) = try message(replacing: #""previous_warehouse_id": "WA""#, with: #""previous_warehouse_id": "WZ""#)
        #expect(m == #"scenario.json:\#(line): pickup_points[0].previous_warehouse_id: unknown warehouse "WZ""#)
    }

    @Test func unknownVehicleClass() throws {
        let (line, m) = try message(replacing: #""class": "small""#, with: #""class": "tiny""#)
        #expect(m == #"scenario.json:\#(line): warehouses[0].vehicle_types[1].class: must be one of "small", "medium", "large", got "tiny""#)
    }

    @Test func zeroUnitsPerCrate() throws {
        let (line, m) = try message(replacing: #""units_per_crate": 20"#, with: #""units_per_crate": 0"#)
        #expect(m == "scenario.json:\(line): skus[0].units_per_crate: must be a positive integer, got 0")
    }

    @Test func latitudeOutOfRange() throws {
        let (line, m) = try message(replacing: #""lat": 31.23"#, with: #""lat": 131.23"#)
        #expect(m == "scenario.json:\(line): warehouses[0].location.lat: must be between -90.0 and 90.0, got 131.23")
    }

    @Test func malformedScenario() throws {
        let (line, m) = try message(replacing: #""city": "Shanghai (test)","#, with: #""city": "Shanghai (test)""#)
        #expect(m == "scenario.json:\(line + 1): malformed JSON: unexpected '\"', expected ',' or '}' (column 3)")
    }

    @Test func duplicateKey() throws {
        let (line, m) = try message(replacing: #""cutoff": "23:00","#, with: #""cutoff": "23:00", "cutoff": "22:00","#)
        #expect(m == "scenario.json:\(line): malformed JSON: field \"cutoff\" appears twice (column 22)")
    }

    /// Encoding a scenario with Codable and reading it back through the validating loader
    /// gives the same value: the snake_case JSON of both paths agrees.
    @Test func codableRoundTrip() throws {
        let s = try Fixture.scenario()
        let data = try JSONEncoder().encode(s)
        #expect(try ScenarioLoader.parse(Array(data), file: "x") == s)
        #expect(s.pickupPoints[5].service == ServiceTime(fixedSeconds: 300, perCrateSeconds: 30))
        #expect(s.pickupPoints[2].maxVehicle == .small)
        #expect(s.pickupPoints[6].previousWarehouseId == nil)
    }

    @Test func ordersRoundTripThroughCodable() throws {
        let book = try Fixture.orders(Fixture.ordersText)
        let text = try book.orders.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        #expect(try Fixture.orders(text) == book)
    }
}
