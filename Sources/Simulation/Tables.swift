import Foundation
import Planning

/// The simulation's tables: kpis.csv and warehouses.csv (one row per variant and day, then a
/// `total` row per variant that is the exact sum of its days), and the terminal summary.
/// Money in yuan with two decimals (exact cents), distances in km with three (exact metres).
public enum SimulationTables {
    public static let kpiColumns = [
        "variant", "day", "date", "weekday", "orders", "orders_planned", "orders_unassigned", "orders_rolled_over",
        "failed_group_orders", "cost_yuan", "van_cost_yuan", "van_day_cost_yuan", "van_distance_cost_yuan",
        "van_time_cost_yuan", "warehouse_cost_yuan", "cost_per_order_yuan", "km", "van_hours", "vans_used", "trips", "stops",
        "on_time_stops", "on_time_percent", "crates", "sorting_capacity_crates", "utilisation_percent", "points_moved",
    ]

    public static func kpis(_ r: SimulationResult) -> OutputFile {
        var csv = CSV(kpiColumns)
        for v in r.variants {
            for d in v.days {
                csv.row(kpiRow(v.name, day: "\(d.day)", date: "\(d.date)", weekday: DemandModel.weekdayNames[DemandModel.weekday(d.date)], d.figures))
            }
            csv.row(kpiRow(v.name, day: "total", date: "", weekday: "", v.totals))
        }
        return csv.file("kpis.csv")
    }

    static func kpiRow(_ variant: String, day: String, date: String, weekday: String, _ f: KPIFigures) -> [String] {
        [variant, day, date, weekday, "\(f.orders)", "\(f.ordersPlanned)", "\(f.ordersUnassigned)", "\(f.ordersRolledOver)",
         "\(f.failedGroupOrders)", yuan(f.cost), yuan(f.vanCost), yuan(f.vanDayCost), yuan(f.vanDistanceCost),
         yuan(f.vanTimeCost), yuan(f.warehouseCost), f.ordersPlanned > 0 ? ratio(f.cost, 100 * f.ordersPlanned, decimals: 4) : "",
         km(f.distanceM), ratio(f.vanSeconds, 3600, decimals: 2), "\(f.vansUsed)", "\(f.trips)", "\(f.stops)",
         "\(f.onTimeStops)", f.stops > 0 ? ratio(100 * f.onTimeStops, f.stops, decimals: 1) : "", "\(f.crates)",
         "\(f.sortingCapacityCrates)", f.sortingCapacityCrates > 0 ? ratio(100 * f.crates, f.sortingCapacityCrates, decimals: 1) : "",
         "\(f.pointsMoved)"]
    }

    public static let warehouseColumns = [
        "variant", "day", "date", "warehouse_id", "orders", "crates", "sorting_capacity_crates", "utilisation_percent",
        "peak_utilisation_percent", "vans_used", "trips", "km", "van_cost_yuan", "fixed_cost_yuan",
    ]

    public static func warehouses(_ r: SimulationResult) -> OutputFile {
        var csv = CSV(warehouseColumns)
        func row(_ v: String, _ day: String, _ date: String, _ w: WarehouseFigures) {
            csv.row([v, day, date, w.warehouseId, "\(w.orders)", "\(w.crates)", "\(w.sortingCapacityCrates)",
                     w.sortingCapacityCrates > 0 ? ratio(100 * w.crates, w.sortingCapacityCrates, decimals: 1) : "",
                     w.peakUtilisation.map { percent($0) } ?? "", "\(w.vansUsed)", "\(w.trips)", km(w.distanceM),
                     yuan(w.vanCost), yuan(w.fixedCost)])
        }
        for v in r.variants {
            for d in v.days { for w in d.warehouses { row(v.name, "\(d.day)", "\(d.date)", w) } }
            for w in v.warehouseTotals { row(v.name, "total", "", w) }
        }
        return csv.file("warehouses.csv")
    }

    /// One aligned row per variant (totals over the horizon), then the best variant.
    public static func summary(_ r: SimulationResult) -> String {
        let header = ["variant", "orders", "planned", "unassigned", "cost ¥", "¥/order", "km", "van-hours", "vans/day", "on time",
                      "sorting"]
        var rows: [[String]] = []
        for v in r.variants {
            let t = v.totals
            rows.append([v.name, PlanSummary.group(t.orders), PlanSummary.group(t.ordersPlanned), PlanSummary.group(t.ordersUnassigned),
                         PlanSummary.yuan(t.cost), t.ordersPlanned > 0 ? ratio(t.cost, 100 * t.ordersPlanned, decimals: 4) : "–",
                         PlanSummary.tenths(t.distanceM, per: 1000), PlanSummary.tenths(t.vanSeconds, per: 3600),
                         ratio(t.vansUsed, max(1, v.days.count), decimals: 1),
                         t.stops > 0 ? ratio(100 * t.onTimeStops, t.stops, decimals: 1) + "%" : "–",
                         t.sortingCapacityCrates > 0 ? ratio(100 * t.crates, t.sortingCapacityCrates, decimals: 1) + "%" : "–"])
        }
        var out = [
            "Simulation \(r.scenario) (\(r.city)): \(r.days) day\(r.days == 1 ? "" : "s") from \(r.startDate), "
                + "demand seed \(r.seed), \(r.variants.count) variant\(r.variants.count == 1 ? "" : "s")",
            "travel times: \(r.travelTimes)",
            "routing: \(r.solver)",
            "",
        ]
        out += PlanSummary.aligned(header: header, rows: rows)
        out.append(bestLine(r))
        return out.joined(separator: "\n")
    }

    /// "best variant by cost per order: … ¥2.4123 per order (base ¥2.5012, -3.6%), 0 orders unassigned".
    public static func bestLine(_ r: SimulationResult) -> String {
        guard let best = r.best, let cpo = best.totals.costPerOrder else { return "best variant by cost per order: none (no orders planned)" }
        let t = best.totals
        var s = "best variant by cost per order: \(best.name), ¥\(ratio(t.cost, 100 * t.ordersPlanned, decimals: 4)) per order"
        if let base = r.variants.first(where: { $0.name == Variant.baseName }), base.name != best.name,
           let baseCPO = base.totals.costPerOrder {
            let b = base.totals
            s += " (base ¥\(ratio(b.cost, 100 * b.ordersPlanned, decimals: 4)), \(signedPercent(cpo / baseCPO - 1)))"
        }
        s += ", \(PlanSummary.group(t.ordersUnassigned)) order\(t.ordersUnassigned == 1 ? "" : "s") unassigned over \(r.days) day\(r.days == 1 ? "" : "s")"
        // Orders left out cost nothing, so a variant that drops some can look cheap: name the
        // cheapest one that plans every order too.
        if t.ordersUnassigned > 0, let complete = r.variants
            .filter({ $0.totals.ordersUnassigned == 0 && $0.totals.ordersPlanned > 0 })
            .min(by: { $0.totals.costPerOrder! < $1.totals.costPerOrder! }) {
            let c = complete.totals
            s += "; best that plans every order: \(complete.name), ¥\(ratio(c.cost, 100 * c.ordersPlanned, decimals: 4)) per order"
        }
        return s
    }
}

/// Cents as yuan, "-1234.56" (no grouping: a spreadsheet reads it as a number).
func yuan(_ cents: Int) -> String {
    let a = abs(cents)
    return (cents < 0 ? "-" : "") + "\(a / 100)." + pad(a % 100, 2)
}

/// Metres as km with three decimals.
func km(_ metres: Int) -> String {
    let a = abs(metres)
    return (metres < 0 ? "-" : "") + "\(a / 1000)." + pad(a % 1000, 3)
}

/// a / b rounded half up to `decimals` places, from integers (no floating-point noise).
func ratio(_ a: Int, _ b: Int, decimals: Int) -> String {
    precondition(b > 0)
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let negative = a < 0
    let v = (2 * abs(a) * scale + b) / (2 * b)
    let whole = "\(v / scale)"
    let sign = negative && v > 0 ? "-" : ""
    return decimals == 0 ? sign + whole : sign + whole + "." + pad(v % scale, decimals)
}

/// 0.731 → "73.1".
func percent(_ x: Double) -> String {
    let t = Int((x * 1000).rounded())
    return (t < 0 ? "-" : "") + "\(abs(t) / 10).\(abs(t) % 10)"
}

/// -0.0362 → "-3.6%".
func signedPercent(_ x: Double) -> String {
    (x > 0 ? "+" : "") + percent(x) + "%"
}

/// The files of a simulation's output directory.
public enum SimulationOutput {
    public static func render(_ r: SimulationResult) -> [OutputFile] {
        [SimulationTables.kpis(r), SimulationTables.warehouses(r),
         OutputFile(path: "report.html", contents: Data(SimulationReport.render(r).utf8))]
    }

    /// Writes the files into `dir` (created if needed); nothing else in it is touched.
    public static func write(_ files: [OutputFile], to dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for f in files { try f.contents.write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(f.path))) }
        } catch {
            throw GeneralError(.output, "writing \(dir): \(error.localizedDescription)")
        }
    }
}
