import Planning

/// report.html: one self-contained page (inline CSS and SVG, no scripts, no external assets)
/// with the variants side by side, one line chart per KPI over the days, the cost breakdown and
/// the warehouses' sorting utilisation. Every text from the scenario is escaped.
public enum SimulationReport {
    /// A KPI charted per day: its title, unit, decimals and value of a day (nil: undefined).
    public struct KPI: Sendable {
        public var id: String
        public var title: String
        public var unit: String
        public var decimals: Int
        public var value: @Sendable (KPIFigures) -> Double?
    }

    public static let kpis: [KPI] = [
        KPI(id: "cost", title: "Cost (vans + warehouses)", unit: "¥", decimals: 0) { Double($0.cost) / 100 },
        KPI(id: "cost-per-order", title: "Cost per order", unit: "¥", decimals: 2) { $0.costPerOrder.map { $0 / 100 } },
        KPI(id: "orders-planned", title: "Orders planned", unit: "orders", decimals: 0) { Double($0.ordersPlanned) },
        KPI(id: "unassigned", title: "Unassigned orders", unit: "orders", decimals: 0) { Double($0.ordersUnassigned) },
        KPI(id: "km", title: "Distance driven", unit: "km", decimals: 1) { Double($0.distanceM) / 1000 },
        KPI(id: "van-hours", title: "Van-hours (first departure to last return)", unit: "h", decimals: 1) { Double($0.vanSeconds) / 3600 },
        KPI(id: "vans", title: "Vans used", unit: "vans", decimals: 0) { Double($0.vansUsed) },
        KPI(id: "on-time", title: "On-time stops", unit: "%", decimals: 1) { $0.onTimeShare.map { $0 * 100 } },
        KPI(id: "utilisation", title: "Sorting utilisation (crates ÷ capacity, all warehouses)", unit: "%", decimals: 1) {
            $0.utilisation.map { $0 * 100 }
        },
    ]

    public static func render(_ r: SimulationResult) -> String {
        let dates = (0..<r.days).map { r.startDate.adding(days: $0) }
        var body = heading(r, dates: dates)
        body.append(variantList(r))
        body.append("<h2>Side by side (over the horizon)</h2>")
        body.append(sideBySide(r))
        body += kpiCharts(r, dates: dates)
        body += costBreakdown(r)
        body += utilisation(r)
        body.append("<p class=\"note\">Costs in CNY: vans (day cost per van used, distance, time from first departure to last return) "
            + "plus every warehouse's day cost. Cost per order = cost ÷ planned orders. Figures per day are in kpis.csv and "
            + "warehouses.csv; each variant's total row there is the exact sum of its days.</p>")

        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Simulation \(escapeHTML(r.scenario))</title>
            <style>\(css)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Title, what was simulated and how, and the best variant.
    static func heading(_ r: SimulationResult, dates: [CalendarDate]) -> [String] {
        let last: String = dates.last.map { "\($0)" } ?? "–"
        return [
            "<h1>Simulation \(escapeHTML(r.scenario)) <small>\(escapeHTML(r.city))</small></h1>",
            """
            <p class="meta">\(r.days) delivery day\(r.days == 1 ? "" : "s") from \(r.startDate) to \(last); \
            demand seed \(r.seed); routing: \(escapeHTML(r.solver)); travel times: \(escapeHTML(r.travelTimes)). \
            Every variant plans the same drawn demand (common random numbers) with the pipeline of <code>lastmile plan</code>; \
            yesterday's assignment is today's preferred warehouse.</p>
            """,
            "<p class=\"best\">\(escapeHTML(SimulationTables.bestLine(r)))</p>",
        ]
    }

    /// Variants and what they change, each with its chart colour.
    static func variantList(_ r: SimulationResult) -> String {
        var out = ["<h2>Variants</h2><ul class=\"variants\">"]
        for (k, v) in r.variants.enumerated() {
            let changes = v.world.changes
            let description: String = v.world.description.map { " — \(escapeHTML($0))" } ?? ""
            let changeList: String = changes.isEmpty
                ? "" : "<br><span class=\"changes\">\(changes.map(escapeHTML).joined(separator: "; "))</span>"
            out.append("<li><span class=\"swatch\" style=\"background:\(SVG.colour(k))\"></span><b>\(escapeHTML(v.name))</b>\(description)\(changeList)</li>")
        }
        out.append("</ul>")
        return out.joined(separator: "\n")
    }

    /// One line chart per KPI over the days, weekends shaded.
    static func kpiCharts(_ r: SimulationResult, dates: [CalendarDate]) -> [String] {
        let xLabels = dates.map { d in "\(d)".suffix(5).description }
        let weekends = Set(dates.indices.filter { DemandModel.weekday(dates[$0]) >= 5 })
        var out = ["<h2>KPIs per day</h2>", SVG.legend(r.variants.map(\.name)), "<div class=\"grid\">"]
        for kpi in kpis {
            let series = r.variants.map { v in SVG.Series(name: v.name, values: v.days.map { kpi.value($0.figures) }) }
            out.append("<figure class=\"kpi-chart\" id=\"chart-\(kpi.id)\"><figcaption>\(escapeHTML(kpi.title))</figcaption>"
                + SVG.lineChart(title: kpi.title, unit: kpi.unit, xLabels: xLabels, shaded: weekends, series: series, decimals: kpi.decimals)
                + "</figure>")
        }
        out.append("</div><p class=\"note\">Shaded: Saturdays and Sundays.</p>")
        return out
    }

    /// Cost over the horizon and per planned order, stacked by kind.
    static func costBreakdown(_ r: SimulationResult) -> [String] {
        let parts = ["warehouses", "van day cost", "van distance", "van time"]
        func rows(perOrder: Bool) -> [(name: String, parts: [Double])] {
            r.variants.map { v in
                let t = v.totals
                let n = perOrder ? Double(max(1, t.ordersPlanned)) : 1
                return (v.name, [t.warehouseCost, t.vanDayCost, t.vanDistanceCost, t.vanTimeCost].map { perOrder ? Double($0) / 100 / n : Double($0) / 100 })
            }
        }
        return [
            "<h2>Cost breakdown</h2>",
            "<figure class=\"breakdown\" id=\"chart-cost-breakdown\"><figcaption>Cost over the horizon by kind, ¥</figcaption>"
                + SVG.stackedBars(title: "Cost breakdown", unit: "¥", rows: rows(perOrder: false), partNames: parts, decimals: 0) + "</figure>",
            "<figure class=\"breakdown\" id=\"chart-cost-per-order-breakdown\"><figcaption>Cost per planned order by kind, ¥</figcaption>"
                + SVG.stackedBars(title: "Cost per order breakdown", unit: "¥", rows: rows(perOrder: true), partNames: parts, decimals: 2) + "</figure>",
        ]
    }

    /// Average and peak sorting utilisation per warehouse, as bars and as a table.
    static func utilisation(_ r: SimulationResult) -> [String] {
        var warehouses: [String] = []
        for v in r.variants { for w in v.world.scenario.warehouses where !warehouses.contains(w.id) { warehouses.append(w.id) } }
        let util = r.variants.map { v -> (name: String, values: [Double?], marks: [Double?]) in
            let totals = v.warehouseTotals
            let byId = Dictionary(uniqueKeysWithValues: totals.map { ($0.warehouseId, $0) })
            return (v.name, warehouses.map { byId[$0]?.utilisation.map { $0 * 100 } }, warehouses.map { byId[$0]?.peakUtilisation.map { $0 * 100 } })
        }
        return [
            "<h2>Warehouse sorting utilisation</h2>",
            "<figure class=\"utilisation\" id=\"chart-utilisation-by-warehouse\"><figcaption>Average crates ÷ sorting capacity per warehouse, %; "
                + "the black tick is the busiest day; the dashed line is 100%</figcaption>"
                + SVG.groupedBars(title: "Sorting utilisation per warehouse", unit: "%", categories: warehouses, series: util, decimals: 1,
                                  reference: 100)
                + SVG.legend(r.variants.map(\.name)) + "</figure>",
            warehouseTable(r, warehouses: warehouses),
        ]
    }

    static func sideBySide(_ r: SimulationResult) -> String {
        let base = r.variants.first { $0.name == Variant.baseName }?.totals
        typealias Row = (title: String, value: (KPIFigures, Int) -> String, delta: ((KPIFigures) -> Double?)?)
        let rows: [Row] = [
            ("Orders in the books", { f, _ in PlanSummary.group(f.orders) }, nil),
            ("Orders planned", { f, _ in PlanSummary.group(f.ordersPlanned) }, nil),
            ("Orders unassigned", { f, _ in PlanSummary.group(f.ordersUnassigned) }, nil),
            ("Orders rolled over to the next day (after the cut-off)", { f, _ in PlanSummary.group(f.ordersRolledOver) }, nil),
            ("Orders in failed group deals", { f, _ in PlanSummary.group(f.failedGroupOrders) }, nil),
            ("Cost ¥", { f, _ in PlanSummary.yuan(f.cost) }, { Double($0.cost) }),
            ("  vans ¥", { f, _ in PlanSummary.yuan(f.vanCost) }, { Double($0.vanCost) }),
            ("  warehouses ¥", { f, _ in PlanSummary.yuan(f.warehouseCost) }, { Double($0.warehouseCost) }),
            ("Cost per order ¥", { f, _ in f.ordersPlanned > 0 ? ratio(f.cost, 100 * f.ordersPlanned, decimals: 4) : "–" }, { $0.costPerOrder }),
            ("Distance km", { f, _ in PlanSummary.tenths(f.distanceM, per: 1000) }, { Double($0.distanceM) }),
            ("Van-hours", { f, _ in PlanSummary.tenths(f.vanSeconds, per: 3600) }, { Double($0.vanSeconds) }),
            ("Vans used per day", { f, days in ratio(f.vansUsed, max(1, days), decimals: 1) }, { Double($0.vansUsed) }),
            ("Trips per day", { f, days in ratio(f.trips, max(1, days), decimals: 1) }, nil),
            ("On-time stops", { f, _ in f.stops > 0 ? "\(ratio(100 * f.onTimeStops, f.stops, decimals: 1))% (\(PlanSummary.group(f.onTimeStops))/\(PlanSummary.group(f.stops)))" : "–" }, nil),
            ("Sorting utilisation", { f, _ in f.sortingCapacityCrates > 0 ? ratio(100 * f.crates, f.sortingCapacityCrates, decimals: 1) + "%" : "–" }, nil),
            ("Pickup points moved between warehouses", { f, _ in PlanSummary.group(f.pointsMoved) }, nil),
        ]
        let cells = rows.map { row in
            (row.title, r.variants.map { v -> String in
                let t = v.totals
                var cell = escapeHTML(row.value(t, v.days.count))
                if let delta = row.delta, let base, v.name != Variant.baseName, let a = delta(t), let b = delta(base), b != 0 {
                    cell += " <span class=\"delta\">\(escapeHTML(signedPercent(a / b - 1)))</span>"
                }
                return cell
            })
        }
        return variantTable(r, corner: "", rows: cells)
    }

    static func warehouseTable(_ r: SimulationResult, warehouses: [String]) -> String {
        let rows = warehouses.map { id in
            (id, r.variants.map { v -> String in
                guard let w = v.warehouseTotals.first(where: { $0.warehouseId == id }) else { return "–" }
                let avg = w.sortingCapacityCrates > 0 ? ratio(100 * w.crates, w.sortingCapacityCrates, decimals: 1) + "%" : "–"
                let peak = w.peakUtilisation.map { percent($0) + "%" } ?? "–"
                return escapeHTML("\(avg) avg, \(peak) peak; \(PlanSummary.group(w.orders)) orders, \(PlanSummary.yuan(w.vanCost + w.fixedCost)) ¥")
            })
        }
        return variantTable(r, corner: "warehouse", rows: rows)
    }

    /// A table with one column per variant; `rows` hold a title and one HTML cell per variant.
    static func variantTable(_ r: SimulationResult, corner: String, rows: [(String, [String])]) -> String {
        var out = "<table class=\"side\"><thead><tr><th>\(escapeHTML(corner))</th>"
        for v in r.variants { out += "<th>\(escapeHTML(v.name))</th>" }
        out += "</tr></thead><tbody>"
        for (title, cells) in rows {
            out += "<tr><th>\(escapeHTML(title))</th>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px auto;max-width:1360px;color:#222;padding:0 16px}
        h1 small{font-weight:normal;color:#666;font-size:60%}
        .meta,.note{color:#555;font-size:14px}
        .best{font-size:18px;font-weight:600;background:#eef6ee;border-left:4px solid #009E73;padding:8px 12px}
        table.side{border-collapse:collapse;margin:8px 0 24px;font-size:14px}
        table.side th,table.side td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right;white-space:nowrap}
        table.side th:first-child{text-align:left;font-weight:normal;white-space:pre}
        table.side thead th{border-bottom:2px solid #888;font-weight:600}
        .delta{color:#666;font-size:12px}
        .grid{display:flex;flex-wrap:wrap;gap:12px}
        figure{margin:0 0 16px}
        figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
        svg.chart{max-width:100%;height:auto;font-size:11px}
        svg .grid{stroke:#e4e4e4}
        svg .frame{stroke:#999}
        svg .shade{fill:#f3f3f3}
        svg .tick,svg .unit{fill:#555}
        svg .name,svg .value{fill:#222;font-size:12px}
        svg .mark{stroke:#000;stroke-width:2}
        svg .reference{stroke:#D55E00;stroke-dasharray:4 3}
        ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:16px;font-size:14px}
        ul.variants{list-style:none;padding:0}
        ul.variants li{margin:6px 0}
        .changes{color:#555;font-size:13px;margin-left:22px}
        .swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
        """
}
