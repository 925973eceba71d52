/// The terminal summary of a plan: one aligned row per warehouse and a total row.
public enum PlanSummary {
    public static func table(_ plan: Plan) -> String {
        let header = ["warehouse", "points", "orders", "crates", "sorting", "vans", "trips", "stops", "km", "hours",
                      "van cost ¥", "wh cost ¥", "¥/order", "on time", "unassigned"]
        var rows: [[String]] = []
        for w in plan.warehouses {
            rows.append([w.warehouseId, group(w.pickupPoints), group(w.orders), group(w.crates),
                         "\(oneDecimal(w.utilisationPercent))%", group(w.vehicles), group(w.trips), group(w.stops),
                         tenths(w.distanceM, per: 1000), tenths(w.durationS, per: 3600), yuan(w.cost), yuan(w.fixedCost),
                         w.orders > 0 ? yuan((w.cost + w.fixedCost + w.orders / 2) / w.orders) : "–",
                         "\(w.onTimeStops)/\(w.stops)", group(w.unassignedOrders)])
        }
        let t = plan.totals
        let sorting = plan.warehouses.reduce(0) { $0 + $1.sortingCapacityCrates }
        rows.append(["total", group(t.pickupPoints), group(t.ordersPlanned), group(t.crates),
                     sorting > 0 ? "\(oneDecimal((Double(t.crates) * 1000 / Double(sorting)).rounded() / 10))%" : "–",
                     group(t.vehicles), group(t.trips), group(t.stops), tenths(t.distanceM, per: 1000),
                     tenths(t.durationS, per: 3600), yuan(t.cost), yuan(t.fixedCost),
                     t.ordersPlanned > 0 ? yuan(t.costPerOrder) : "–", "\(t.onTimeStops)/\(t.stops)", group(t.ordersUnassigned)])
        var out = aligned(header: header, rows: Array(rows.dropLast()), footer: rows.last)
        out.insert("Plan \(plan.scenario) (\(plan.city)), delivery \(plan.deliveryDate): \(counted(t.orders, "order")), "
                   + "\(group(t.ordersPlanned)) planned, \(group(t.ordersUnassigned)) unassigned", at: 0)
        out.insert("travel times: \(plan.travelTimes)", at: 1)
        out.insert("allocation (GLPK): \(plan.allocation.status); \(counted(plan.allocation.pointsMoved, "pickup point")) moved "
                   + "from yesterday's warehouse, \(plan.allocation.pointsNew) new", at: 2)
        out.insert("routing: \(plan.solver), seed \(plan.seed)", at: 3)
        out.insert("", at: 4)
        if let back = t.returnedCrates {
            out.append("empty crates back: " + plan.warehouses.map { "\($0.warehouseId) \(group($0.returnedCrates ?? 0))" }.joined(separator: ", ")
                       + " (total \(group(back)))")
        }
        out += unassignedLines(plan)
        return out.joined(separator: "\n")
    }

    /// "1 order", "2 orders", "8,000 orders": the count grouped, the noun in the number it needs.
    public static func counted(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(group(n)) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// A text table: the first column left-aligned, the others right-aligned; a rule under the
    /// header and above the footer (a rule closes the table when there is no footer).
    public static func aligned(header: [String], rows: [[String]], footer: [String]? = nil) -> [String] {
        let all = [header] + rows + (footer.map { [$0] } ?? [])
        let widths = header.indices.map { c in all.map { $0[c].count }.max()! }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return c == 0 ? s + pad : pad + s
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return [line(header), rule] + rows.map(line) + [rule] + (footer.map { [line($0)] } ?? [])
    }

    /// Unassigned orders grouped by pickup point and reason, most orders first.
    static func unassignedLines(_ plan: Plan, limit: Int = 10) -> [String] {
        guard !plan.unassigned.isEmpty else { return [] }
        var groups: [String: (point: String, reason: String, orders: Int)] = [:]
        for u in plan.unassigned {
            groups[u.pickupPointId + "\u{0}" + u.reason, default: (u.pickupPointId, u.reason, 0)].orders += 1
        }
        let sorted = groups.values.sorted { ($1.orders, $0.point) < ($0.orders, $1.point) }
        var lines = ["", "unassigned:"]
        for g in sorted.prefix(limit) {
            lines.append("  \(g.point) (\(g.orders) order\(g.orders == 1 ? "" : "s")): \(g.reason)")
        }
        if sorted.count > limit { lines.append("  … \(sorted.count - limit) more; see unassigned.csv") }
        return lines
    }

    /// 12345 → "12,345".
    public static func group(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Cents as yuan with two decimals, thousands grouped.
    public static func yuan(_ cents: Int) -> String {
        let r = abs(cents) % 100
        return (cents < 0 ? "-" : "") + group(abs(cents) / 100) + "." + (r < 10 ? "0" : "") + "\(r)"
    }

    /// `value / per` rounded to one decimal.
    public static func tenths(_ value: Int, per: Int) -> String {
        let t = (value * 10 + per / 2) / per
        return group(t / 10) + ".\(t % 10)"
    }

    public static func oneDecimal(_ x: Double) -> String {
        let t = Int((x * 10).rounded())
        return "\(t / 10).\(abs(t % 10))"
    }
}
