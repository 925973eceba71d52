import Foundation
import Planning
import Testing

@testable import Simulation

@Suite struct ReportTests {
    @Test func escaping() {
        #expect(escapeHTML(#"<b>"x" & 'y'</b> 北仓"#) == "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt; 北仓")
        #expect(escapeHTML("demand+30%") == "demand+30%")
    }

    @Test func reportHasOneChartPerKPIAndEveryVariant() async throws {
        let r = try await Fixture.simulate(days: 3)
        let page = SimulationReport.render(r)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.components(separatedBy: "<figure class=\"kpi-chart\"").count - 1 == SimulationReport.kpis.count)
        for k in SimulationReport.kpis { #expect(page.contains("id=\"chart-\(k.id)\"")) }
        #expect(page.contains("id=\"chart-cost-breakdown\"") && page.contains("id=\"chart-utilisation-by-warehouse\""))
        // Every KPI chart draws one line per variant.
        let firstChart = page.components(separatedBy: "<figure class=\"kpi-chart\"")[1].components(separatedBy: "</figure>")[0]
        #expect(firstChart.components(separatedBy: "<polyline").count - 1 == r.variants.count)
        // The side-by-side table has a column per variant, names escaped.
        let table = page.components(separatedBy: "<table class=\"side\">")[1].components(separatedBy: "</thead>")[0]
        #expect(table == "<thead><tr><th></th>" + r.variants.map { "<th>\(escapeHTML($0.name))</th>" }.joined() + "</tr>")
        // Scenario text is escaped wherever it appears; nothing is loaded from elsewhere.
        #expect(page.contains("busier: &quot;double 11&quot; &lt;b&gt;promo&lt;/b&gt;"))
        #expect(page.contains("add warehouse WC (北仓 &lt;新&gt;)"))
        #expect(!page.contains("<b>promo") && !page.contains("北仓 <新>"))
        for banned in ["<script", "src=", "href=", "@import", "url("] { #expect(!page.contains(banned), "\(banned)") }
        #expect(page.contains(escapeHTML(SimulationTables.bestLine(r))))
    }

    @Test func ticksAreRound() {
        let t = SVG.ticks(0, 1234)
        #expect(t.values == [0, 500, 1000, 1500])
        #expect(t.decimals == 0)
        let u = SVG.ticks(2.31, 2.58)
        #expect(u.values.count == 4 && abs(u.values[0] - 2.3) < 1e-9 && abs(u.values[3] - 2.6) < 1e-9 && u.decimals == 1)
        #expect(SVG.label(12345.678, decimals: 1) == "12,345.7")
        #expect(SVG.label(-1234.5, decimals: 1) == "-1,234.5")
    }

    @Test func progressBar() {
        #expect(ProgressMeter.bar(done: 14, total: 56, elapsed: 30, width: 8) == "[##------] 14/56 plans  0:30 elapsed, ~1:30 left")
        #expect(ProgressMeter.bar(done: 56, total: 56, elapsed: 125, width: 8) == "[########] 56/56 plans  2:05 elapsed")
        final class Lines: @unchecked Sendable { var text = "" }
        let out = Lines()
        let meter = ProgressMeter(total: 2, interactive: false) { out.text += $0 }
        let date = CalendarDate(year: 2025, month: 9, day: 15)!
        meter.report(ProgressEvent(variant: "base", day: 1, date: date))
        meter.finish()
        #expect(out.text.hasPrefix("simulate: 1/2 plans (base, day 1, 2025-09-15), 0:00 elapsed\n"))
    }

    @Test func exactFormatting() {
        #expect(yuan(123_456) == "1234.56" && yuan(-5) == "-0.05" && yuan(0) == "0.00")
        #expect(km(12_345) == "12.345" && km(7) == "0.007")
        #expect(ratio(1, 3, decimals: 4) == "0.3333" && ratio(2, 3, decimals: 2) == "0.67" && ratio(5, 2, decimals: 0) == "3")
        #expect(signedPercent(-0.0362) == "-3.6%" && signedPercent(0.1) == "+10.0%")
    }
}
