import Foundation
import Testing

@testable import Planning

/// The printable HTML sheets, read back from the written plan the way a person reads them:
/// by their rows.
@Suite struct PrintPagesTests {
    struct Output {
        var plan: Plan
        var book: OrderBook
        var scenario: Scenario
        var dir: String
        func page(_ path: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + path)), as: UTF8.self)
        }
    }

    /// The small city planned greedily, written, and passed by the checker.
    func written(_ name: String) throws -> Output {
        let s = try Fixture.scenario()
        let book = try Fixture.orders(Fixture.ordersText, scenario: s)
        let (plan, dir, report) = try planAndCheck(s, book, name: name)
        #expect(report.violations == [])
        return Output(plan: plan, book: book, scenario: s, dir: dir)
    }

    @Test func pickListTotalsPerClassAreThePlansCrates() throws {
        let o = try written("print-totals")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        for wh in o.scenario.warehouses {
            let html = try o.page("print/warehouses/\(wh.id)/pick-list.html")
            let stops = o.plan.routes.filter { $0.warehouseId == wh.id }.flatMap(\.stops)
            #expect(!stops.isEmpty)
            var all = 0
            for t in TemperatureClass.allCases {
                // label, full crates, loose units, units, kg, crates to sort
                let cells = try #require(rows(html, attribute: "id=\"total-\(t.rawValue)\"").first)
                let crates = stops.reduce(0) { $0 + $1.load.crates(t) }
                #expect(Int(cells[5]) == crates, "\(wh.id) \(t)")
                all += crates
            }
            let grand = try #require(rows(html, attribute: "id=\"total-all\"").first)
            #expect(Int(grand[5]) == all && all == stops.reduce(0) { $0 + $1.load.crates })
            #expect(html.contains("<h1>拣货单 Pick list</h1>") && html.contains(o.plan.deliveryDate.description))
        }
    }

    @Test func fullCratesAndLooseUnitsMakeTheOrderedQuantity() throws {
        let o = try written("print-crates")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        let orders = Dictionary(uniqueKeysWithValues: o.book.orders.map { ($0.orderId, $0) })
        let skus = Dictionary(uniqueKeysWithValues: o.scenario.skus.map { ($0.id, $0) })
        var seen = 0
        for wh in o.scenario.warehouses {
            var ordered: [String: Int] = [:]
            for r in o.plan.routes where r.warehouseId == wh.id {
                for id in r.stops.flatMap(\.orderIds) { for l in orders[id]!.lines { ordered[l.sku, default: 0] += l.qty } }
            }
            let html = try o.page("print/warehouses/\(wh.id)/pick-list.html")
            var listed: [String: Int] = [:]
            // box, sku, name, units per crate, full crates, loose units, units, kg
            for cells in rows(html, attribute: "data-sku=") {
                let (sku, perCrate, full, loose) = (cells[1], Int(cells[3])!, Int(cells[4])!, Int(cells[5])!)
                #expect(perCrate == skus[sku]?.unitsPerCrate)
                #expect(loose < perCrate)
                #expect(full * perCrate + loose == Int(cells[6]))
                listed[sku] = full * perCrate + loose
            }
            #expect(listed == ordered, "\(wh.id)")
            seen += listed.count
        }
        #expect(seen > 0)
    }

    @Test func everyTripHasALoadingSheetInReverseStopOrder() throws {
        let o = try written("print-loading")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        #expect(!o.plan.routes.isEmpty)
        for r in o.plan.routes {
            let html = try o.page("print/vehicles/\(r.vehicleId)/loading-list.html")
            let sheet = try #require(section(html, id: "trip-\(r.trip)"), "\(r.routeId)")
            let points = matches(sheet, #"<tr data-point="([^"]*)""#)
            #expect(points == r.stops.reversed().map(\.pickupPointId), "\(r.routeId)")
            #expect(sheet.contains("<dd>\(r.vehicleId) (") && sheet.contains("<dd>\(clock(r.departure))</dd>"))
            #expect(sheet.contains("<dt>趟次 Trip</dt><dd>\(r.trip) / "))
        }
        // One sheet per trip, no more.
        for (v, trips) in tripsByVehicle(o.plan) {
            #expect(try o.page("print/vehicles/\(v)/loading-list.html").components(separatedBy: "<section class=\"sheet\"").count == trips.count + 1)
        }
    }

    @Test func everyPointWithOrdersHasAHandoverPageWithASignatureLine() throws {
        let o = try written("print-handover")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        let delivered = Dictionary(grouping: o.plan.routes.flatMap(\.stops), by: \.pickupPointId)
        #expect(delivered.count == 8)
        for (point, stops) in delivered {
            let html = try o.page("print/handover/\(point).html")
            #expect(html.contains("团长签收 Leader's signature <span class=\"line\"></span> 时间 Time"))
            #expect(Set(matches(html, #"data-order="([^"]*)""#)) == Set(stops.flatMap(\.orderIds)), "\(point)")
            let p = o.scenario.pickupPoints.first { $0.id == point }!
            #expect(html.contains("<dd>\(p.leader.name)</dd>"))
        }
        // The warehouse file holds each of its points once, a page each.
        for wh in o.scenario.warehouses {
            let html = try o.page("print/warehouses/\(wh.id)/handover.html")
            let mine = Set(o.plan.routes.filter { $0.warehouseId == wh.id }.flatMap { $0.stops.map(\.pickupPointId) })
            #expect(matches(html, #"<section class="sheet" id="point-([^"]*)""#).sorted() == mine.sorted())
            #expect(html.contains(".sheet { break-after: page; page-break-after: always; }"))
            #expect(html.components(separatedBy: "团长签收 Leader's signature").count == mine.count + 1)
        }
    }

    @Test func idsAndNamesFromTheInputAreEscaped() throws {
        var s = try Fixture.scenario()
        let evil = "P<script>x"
        s.pickupPoints[0].id = evil
        s.pickupPoints[0].name = "<script>alert(1)</script>"
        s.pickupPoints[0].leader.name = "\"O'Neil\" & co"
        let text = Fixture.ordersText.replacingOccurrences(of: #""pickup_point_id": "P1","#, with: #""pickup_point_id": "P<script>x","#)
            .replacingOccurrences(of: #""customer_id": "C-1","#, with: #""customer_id": "<script>c</script>","#)
        let book = try Fixture.orders(text, scenario: s)
        let travel = try TravelTimes.choose(for: s, scenarioFile: nil)
        let plan = try DailyPlanner.plan(scenario: s, orders: book, travel: travel, options: .greedy())
        let files = try PlanDocuments.render(plan: plan, scenario: s, orders: book, paths: travel.provider.path)
        let pages = files.filter { $0.path.hasSuffix(".html") }
        #expect(pages.count > 1)
        for f in pages {
            let html = String(decoding: f.contents, as: UTF8.self)
            #expect(!html.lowercased().contains("<script"), "\(f.path)")
        }
        let page = String(decoding: try #require(files.first { $0.path == "print/" + DocumentPath.handover(evil, ext: "html") }).contents, as: UTF8.self)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; (P&lt;script&gt;x)"))
        #expect(page.contains("&quot;O&#39;Neil&quot; &amp; co"))
        #expect(page.contains("&lt;script&gt;c&lt;/script&gt;"))
        let index = String(decoding: try #require(files.first { $0.path == "print/index.html" }).contents, as: UTF8.self)
        // The file is named with the id's percent-encoding (DocumentPath); the link encodes that name.
        #expect(index.contains("href=\"handover/P%253Cscript%253Ex.html\""))
    }

    @Test func theIndexLinksEveryPageAndEveryPageLinksBack() throws {
        let o = try written("print-index")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        let fm = FileManager.default
        let generated = Set((fm.enumerator(atPath: o.dir + "/print")?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") })
        #expect(generated.count == 1 + 3 * 2 + Set(o.plan.routes.map(\.vehicleId)).count + 8)
        let index = try o.page("print/index.html")
        let linked = Set(matches(index, #"<a href="([^"]*)""#).map { $0.removingPercentEncoding! })
        #expect(linked == generated.subtracting(["index.html"]))
        for page in generated.subtracting(["index.html"]) {
            let href = try #require(matches(try o.page("print/" + page), #"<nav><a href="([^"]*)""#).first)
            #expect(URL(fileURLWithPath: o.dir + "/print/" + page).deletingLastPathComponent().appendingPathComponent(href)
                .standardizedFileURL.path == URL(fileURLWithPath: o.dir + "/print/index.html").standardizedFileURL.path, "\(page)")
        }
    }

    @Test func textHandoverBreaksPagesAndEndsWithTheSignature() throws {
        let o = try written("print-text")
        defer { try? FileManager.default.removeItem(atPath: o.dir) }
        let orders = Dictionary(uniqueKeysWithValues: o.book.orders.map { ($0.orderId, $0) })
        var h = try #require(HandoverSheet.all(plan: o.plan, scenario: o.scenario, orders: orders).first)
        // Forty customers: more than one page.
        h.orders = (0..<40).map { k in
            var x = h.orders[k % h.orders.count]
            x.customerId = "C-\(100 + k)"
            return x
        }
        let skus = Dictionary(uniqueKeysWithValues: o.scenario.skus.map { ($0.id, $0) })
        let pages = PlanDocuments.printableHandover(h, skus: skus, date: o.plan.deliveryDate).components(separatedBy: "\u{0C}")
        #expect(pages.count > 1)
        for (k, p) in pages.enumerated() {
            #expect(p.split(separator: "\n", omittingEmptySubsequences: false).count - 1 <= PlanDocuments.linesPerPage)
            #expect(p.hasPrefix("提货单 Handover sheet — \(h.point.name) (\(h.point.id))"))
            #expect(p.contains("团长签收 Leader's signature") == (k == pages.count - 1))
        }
        #expect(pages.joined().components(separatedBy: "[ ] C-").count == 41)
        // The written sheets end with the signature too.
        let sheet = try o.page("handover/P1.txt")
        #expect(sheet.hasSuffix("团长签收 Leader's signature ________________    时间 Time ________\n"))
    }
}

/// Rows of a table whose `<tr` carries `attribute`, as the text of their cells (a row is one line).
func rows(_ html: String, attribute: String) -> [[String]] {
    matches(html, "<tr [^>]*" + NSRegularExpression.escapedPattern(for: attribute) + "[^>]*>(.*)</tr>")
        .map { matches($0, #"<td[^>]*>([^<]*)</td>"#) }
}

/// The `<section>` with this id, up to its end.
func section(_ html: String, id: String) -> String? {
    guard let start = html.range(of: "<section class=\"sheet\" id=\"\(id)\">") else { return nil }
    return html[start.lowerBound...].components(separatedBy: "</section>").first
}

/// The first capture group of every match.
func matches(_ text: String, _ pattern: String) -> [String] {
    let re = try! NSRegularExpression(pattern: pattern)
    return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
}
