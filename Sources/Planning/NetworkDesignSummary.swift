extension NetworkDesignReport {
    /// The terminal summary: what was designed for, then one row per site (open or not) and a
    /// total over the open ones, then the comparison with the scenario's own network.
    public func summary() -> String {
        typealias S = PlanSummary
        var out: [String] = []
        out.append("Network design \(scenario) (\(city)): \(S.group(demand.pickupPoints)) pickup points, "
                   + "\(S.oneDecimal(demand.cratesPerDay)) crates/day, \(S.oneDecimal(demand.ordersPerDay)) orders/day (\(demand.source))")
        out.append("travel times: \(travelTimes)")
        let existingCount = warehouses.filter(\.existing).count
        let new = warehouses.filter { !$0.existing }
        out.append("sites: \(existingCount) in the scenario" + (new.isEmpty ? "" : ", \(new.count) candidate"
                   + (new.count == 1 ? "" : "s") + " (" + new.map { "\($0.warehouseId) from \(Self.source(of: $0))" }.joined(separator: "; ") + ")")
                   + "; \(sourcing == .single ? "single sourcing (one warehouse per pickup point)" : "split demand")"
                   + (demand.days > 1 ? "; capacity holds each point's \(capacityBasis == .peak ? "busiest" : "average") day" : ""))
        let money = objective.map { "¥" + S.yuan(Int($0.rounded())) + " per day" } ?? "no solution"
        out.append("facility location (Lagrangian + GLPK): \(status.rawValue), \(money), "
                   + String(format: "%.1f s", seconds) + (gap.map { $0 > 1e-9 ? String(format: ", gap %.2f%%", $0 * 100) : "" } ?? ""))
        if objective == nil {
            let usable = warehouses.filter { $0.status != .closed }.reduce(0) { $0 + $1.capacityCratesPerDay }
            out.append("no design: \(S.oneDecimal(demand.capacityCratesPerDay)) crates a day must fit"
                       + (demand.days > 1 && capacityBasis == .peak ? " (each point's busiest day)" : "")
                       + " into sites that are not closed with \(S.group(usable)) crates a day of capacity"
                       + (sourcing == .single ? ", one warehouse per pickup point" : "")
                       + (demand.days > 1 && capacityBasis == .peak ? "; --capacity-basis average holds the mean day instead" : ""))
        }
        out.append("")
        let header = ["warehouse", "site", "status", "open", "points", "crates/day", "capacity/day", "utilisation",
                      "peak day", "fixed ¥/day", "delivery ¥/day", "total ¥/day"]
        var rows: [[String]] = []
        for w in warehouses {
            rows.append([w.warehouseId, w.existing ? "scenario" : (w.variant == nil ? "candidate" : "variant"), w.status.rawValue,
                         w.open ? "yes" : "no", S.group(w.pickupPoints), S.oneDecimal(w.cratesPerDay), S.group(w.capacityCratesPerDay),
                         w.open ? "\(S.oneDecimal(w.utilisationPercent))%" : "–",
                         w.open ? "\(S.oneDecimal(w.peakUtilisationPercent))%" : "–", w.open ? S.yuan(w.fixedCost) : "–",
                         w.open ? S.yuan(w.assignmentCost) : "–", w.open ? S.yuan(w.cost) : "–"])
        }
        let opened = warehouses.filter(\.open)
        let capacity = opened.reduce(0) { $0 + $1.capacityCratesPerDay }
        let crates = opened.reduce(0.0) { $0 + $1.cratesPerDay }
        let footer = ["total", "", "", "\(opened.count) of \(warehouses.count)", S.group(opened.reduce(0) { $0 + $1.pickupPoints }),
                      S.oneDecimal(crates), S.group(capacity),
                      capacity > 0 ? "\(S.oneDecimal(Self.percent(crates, of: capacity)))%" : "–", "",
                      cost.map { S.yuan($0.fixed) } ?? "–", cost.map { S.yuan($0.assignment) } ?? "–", cost.map { S.yuan($0.total) } ?? "–"]
        out += S.aligned(header: header, rows: rows, footer: footer)
        // The model holds the average over the days to capacity; say where a busy day does not fit.
        for w in opened where w.peakCratesPerDay > Double(w.capacityCratesPerDay) {
            out.append("\(w.warehouseId): its busiest day needs \(S.oneDecimal(w.peakCratesPerDay)) crates, above its capacity of "
                       + "\(S.group(w.capacityCratesPerDay)) a day (the design holds the \(demand.days)-day average to capacity; "
                       + "--capacity-basis peak makes every day fit)")
        }
        if let e = existingNetwork {
            out.append("")
            var line = "existing network (\(e.openIds.isEmpty ? "none open" : e.openIds.joined(separator: ", "))): "
            if let ec = e.cost {
                line += "¥\(S.yuan(ec.total)) per day (fixed ¥\(S.yuan(ec.fixed)), delivery ¥\(S.yuan(ec.assignment)))"
                if e.status == .feasible { line += ", not proven optimal" }
                if let c = cost {
                    let d = ec.total - c.total
                    let pct = ec.total > 0 ? Double(d) * 100 / Double(ec.total) : 0
                    line += d > 0 ? "; this design saves ¥\(S.yuan(d)) per day (\(S.oneDecimal(pct))%)"
                        : d == 0 ? "; this design costs the same" : "; this design costs ¥\(S.yuan(-d)) per day more"
                }
            } else {
                line += "\(e.status.rawValue) (its warehouses cannot serve this demand)"
            }
            out.append(line)
        }
        if !unserved.isEmpty {
            out.append("")
            out.append("unserved (no site can serve them):")
            for u in unserved.prefix(10) {
                out.append("  \(u.pickupPointId) (\(S.oneDecimal(u.cratesPerDay)) crates/day): \(u.reason)")
            }
            if unserved.count > 10 { out.append("  … \(unserved.count - 10) more; see the JSON") }
        }
        return out.joined(separator: "\n")
    }

    static func source(of w: SiteFigures) -> String {
        w.variant.map { "variant \"\($0)\"" } ?? w.origin
    }
}
