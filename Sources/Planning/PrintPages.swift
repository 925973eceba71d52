import Foundation

/// Printable HTML sheets for the warehouse floor and the group leaders, A4 portrait:
///
///     print/index.html                                  links every page
///     print/warehouses/<id>/pick-list.html              batch pick per SKU: full crates and loose units
///     print/warehouses/<id>/sort-sheet.html             pickup points per trip in stop order
///     print/warehouses/<id>/handover.html               all its handover sheets, one point per page
///     print/vehicles/<vehicle>/loading-list.html        one page per trip, last drop loaded first
///     print/handover/<point>.html                       one pickup point's handover sheet
///
/// Each page is self-contained (one short stylesheet, no script, no font or file fetched), so it
/// prints the same from a USB stick as from the daemon. A `.sheet` ends a printed page; table
/// headers repeat on every page. Every id and name from the input is escaped.
enum PrintPages {
    struct Page {
        var path: String
        var title: String
        var html: String
    }

    static let index = "print/index.html"

    static func render(plan: Plan, scenario: Scenario, pickLists: [String: PickList], handovers: [HandoverSheet]) -> [OutputFile] {
        let c = Context(plan: plan, scenario: scenario)
        let byPoint = Dictionary(uniqueKeysWithValues: handovers.map { ($0.point.id, $0) })
        var groups: [Group] = []
        for wh in scenario.warehouses {
            let trips = plan.routes.filter { $0.warehouseId == wh.id }
            let sheets = pointsInStopOrder(trips).compactMap { byPoint[$0] }
            groups.append(Group(
                warehouse: wh,
                floor: [pickListPage(wh, pickLists[wh.id]!, c), sortSheetPage(wh, trips, c), warehouseHandoverPage(wh, sheets, c)],
                loading: tripsByVehicle(plan).filter { $0.trips[0].warehouseId == wh.id }.map { loadingListPage($0.vehicle, $0.trips, c) },
                handover: sheets.map { handoverPage($0, c) }))
        }
        let pages = [indexPage(groups, c)] + groups.flatMap(\.pages)
        return pages.map { OutputFile(path: $0.path, contents: Data($0.html.utf8)) }
    }

    /// A warehouse's pages, as the index lists them.
    struct Group {
        var warehouse: Warehouse
        var floor: [Page]
        var loading: [Page]
        var handover: [Page]
        var pages: [Page] { floor + loading + handover }
    }

    /// What every sheet's heading needs besides its own rows.
    struct Context {
        let plan: Plan
        let scenario: Scenario
        let points: [String: PickupPoint]
        let types: [String: VehicleType]
        let skus: [String: SKU]

        init(plan: Plan, scenario: Scenario) {
            self.plan = plan
            self.scenario = scenario
            points = Dictionary(uniqueKeysWithValues: scenario.pickupPoints.map { ($0.id, $0) })
            types = Dictionary(scenario.warehouses.flatMap(\.vehicleTypes).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            skus = Dictionary(scenario.skus.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }

        var planName: String { "\(plan.scenario) · \(plan.solver), seed \(plan.seed)" }
        func point(_ id: String) -> String { "\(points[id]?.name ?? "") (\(id))" }
        func van(_ r: PlannedRoute) -> String { "\(r.vehicleId) (\(types[r.vehicleTypeId]?.name ?? r.vehicleTypeId))" }
    }

    /// Pickup points in the order the trips visit them (each once), so a warehouse's handover
    /// sheets come off the printer in the order the crates are staged.
    static func pointsInStopOrder(_ trips: [PlannedRoute]) -> [String] {
        var seen: Set<String> = []
        return trips.flatMap { $0.stops.map(\.pickupPointId) }.filter { seen.insert($0).inserted }
    }
}

// MARK: - The sheets

extension PrintPages {
    static func pickListPage(_ wh: Warehouse, _ list: PickList, _ c: Context) -> Page {
        let path = "print/" + DocumentPath.warehouse(wh.id, "pick-list.html")
        var body = heading("拣货单 Pick list", facts: [("仓库 Warehouse", "\(wh.name) (\(wh.id))"),
                                                   ("配送日期 Delivery date", "\(c.plan.deliveryDate)"), ("方案 Plan", c.planName)])
        let head = ["✓", "SKU", "品名 Name", "每筐 Units/crate", "整筐 Full crates", "散件 Loose units", "总数 Units", "重量 kg"]
        for t in TemperatureClass.allCases where !list.lines(t).isEmpty {
            let rows = list.lines(t).map { l in
                tr([box, td(l.sku.id), td(l.sku.name), num(l.sku.unitsPerCrate), num(l.fullCrates), num(l.looseUnits),
                    num(l.units), td(kg(l.grams), "n")], attrs: "data-sku=\"\(escapeHTML(l.sku.id))\"")
            }
            let x = list.totals(t)
            let total = tr([td("合计 Total", colspan: 4), num(x.fullCrates), num(x.looseUnits), num(x.units), td(kg(x.grams), "n")],
                           attrs: "class=\"total\"")
            // The class heads the table, so a page that starts mid-class still says which class it is.
            body += table(head, rows + [total], numeric: 3..., caption: t.label, captionClass: "heading")
        }
        body += "<h2>合计 Totals</h2>\n" + table(["温层 Class", "整筐 Full crates", "散件 Loose units", "总数 Units", "重量 kg",
                                               "分拣筐 Crates to sort"],
                                              TemperatureClass.allCases.map { totalsRow($0.label, $0.rawValue, list.totals($0)) }
                                                  + [totalsRow("总计 Grand total", "all", list.totals(nil))], numeric: 1...)
        body += "<p class=\"note\">分拣筐 = 按自提点分拣后的筐数（方案） Crates to sort: crates after sowing per pickup point, as planned.</p>\n"
        return Page(path: path, title: "拣货单 Pick list \(wh.id)", html: document("拣货单 Pick list \(wh.id) \(c.plan.deliveryDate)", path,
                                                                           sheet(body)))
    }

    static func totalsRow(_ label: String, _ id: String, _ x: PickTotals) -> String {
        tr([td(label), num(x.fullCrates), num(x.looseUnits), num(x.units), td(kg(x.grams), "n"), num(x.sortCrates)],
           attrs: "id=\"total-\(id)\"" + (id == "all" ? " class=\"total\"" : ""))
    }

    static func sortSheetPage(_ wh: Warehouse, _ trips: [PlannedRoute], _ c: Context) -> Page {
        let path = "print/" + DocumentPath.warehouse(wh.id, "sort-sheet.html")
        var body = heading("分拣单 Sort sheet", facts: [("仓库 Warehouse", "\(wh.name) (\(wh.id))"),
                                                    ("配送日期 Delivery date", "\(c.plan.deliveryDate)"), ("方案 Plan", c.planName)])
        let head = ["✓", "顺序 Stop", "自提点 Pickup point", "地址 Address", "到达 Arrival", "订单 Orders", "常温 Amb.", "冷藏 Chill.",
                    "冷冻 Froz.", "筐数 Crates"]
        for r in trips {
            let rows = r.stops.map { s in
                tr([box, num(s.sequence), td(c.point(s.pickupPointId)), td(c.points[s.pickupPointId]?.address ?? ""),
                    td(clock(s.arrival)), num(s.orderIds.count)] + crateCells(s.load), attrs: "data-point=\"\(escapeHTML(s.pickupPointId))\"")
            }
            let total = tr([td("合计 Total", colspan: 5), num(r.stops.reduce(0) { $0 + $1.orderIds.count })] + crateCells(r.load),
                           attrs: "class=\"total\"")
            body += "<div class=\"trip\">\n<h2>车辆 Van \(escapeHTML(c.van(r))) · 第 \(r.trip) 趟 Trip \(r.trip) · 发车 Departure "
                + "\(clock(r.departure))</h2>\n" + table(head, rows + [total], numeric: 5...) + "</div>\n"
        }
        if trips.isEmpty { body += "<p>无车次 No trips.</p>\n" }
        return Page(path: path, title: "分拣单 Sort sheet \(wh.id)", html: document("分拣单 Sort sheet \(wh.id) \(c.plan.deliveryDate)", path,
                                                                            sheet(body)))
    }

    static func crateCells(_ l: LoadFigures) -> [String] { [num(l.ambient), num(l.chilled), num(l.frozen), num(l.crates)] }

    /// One sheet per trip: the van, trip and departure are on the sheet the loader holds.
    static func loadingListPage(_ vehicle: String, _ trips: [PlannedRoute], _ c: Context) -> Page {
        let path = "print/" + DocumentPath.vehicle(vehicle, "loading-list.html")
        let head = ["✓", "装车 Load", "站 Stop", "自提点 Pickup point", "常温 Amb.", "冷藏 Chill.", "冷冻 Froz.", "筐数 Crates", "重量 kg",
                    "订单 Orders"]
        let sheets = trips.map { r in
            let rows = r.loadOrder.enumerated().map { k, s in
                tr([box, num(k + 1), num(s.sequence), td(c.point(s.pickupPointId))] + crateCells(s.load)
                    + [td(kg(s.load.grams), "n"), num(s.orderIds.count)], attrs: "data-point=\"\(escapeHTML(s.pickupPointId))\"")
            }
            let total = tr([td("合计 Total", colspan: 4)] + crateCells(r.load) + [td(kg(r.load.grams), "n"),
                                                                               num(r.stops.reduce(0) { $0 + $1.orderIds.count })],
                           attrs: "class=\"total\"")
            return sheet(heading("装车单 Loading list", facts: [
                ("车辆 Van", c.van(r)), ("趟次 Trip", "\(r.trip) / \(trips.count)"), ("发车 Departure", clock(r.departure)),
                ("仓库 Warehouse", r.warehouseId), ("配送日期 Delivery date", "\(c.plan.deliveryDate)")]
                + emptiesFact(r))
                + "<p class=\"note\">按顺序装车：最后一站先装 Load in this order: last drop first, so each drop is at the door.</p>\n"
                + table(head, rows + [total], numeric: 4...)
                + "<p class=\"sign\">装车 Loaded by <span class=\"line\"></span> 司机 Driver <span class=\"line\"></span></p>\n",
                id: "trip-\(r.trip)")
        }
        return Page(path: path, title: "装车单 Loading list \(vehicle)",
                    html: document("装车单 Loading list \(vehicle) \(c.plan.deliveryDate)", path, sheets.joined()))
    }

    /// With crate returns: the empty crates the trip brings back, for the dock to count.
    static func emptiesFact(_ r: PlannedRoute) -> [(String, String)] {
        guard let n = r.returnedCrates else { return [] }
        return [("回收空筐 Empty crates back", "\(n)")]
    }

    static func handoverPage(_ h: HandoverSheet, _ c: Context) -> Page {
        let path = "print/" + DocumentPath.handover(h.point.id, ext: "html")
        return Page(path: path, title: "提货单 Handover \(h.point.name) (\(h.point.id))",
                    html: document("提货单 Handover sheet \(h.point.id) \(c.plan.deliveryDate)", path, handoverSheet(h, c)))
    }

    /// Every handover sheet of a warehouse in one file, a page each, in stop order.
    static func warehouseHandoverPage(_ wh: Warehouse, _ sheets: [HandoverSheet], _ c: Context) -> Page {
        let path = "print/" + DocumentPath.warehouse(wh.id, "handover.html")
        let body = sheets.isEmpty ? sheet("<p>无自提点 No pickup points.</p>\n") : sheets.map { handoverSheet($0, c) }.joined()
        return Page(path: path, title: "提货单 Handover sheets \(wh.id) (\(sheets.count))",
                    html: document("提货单 Handover sheets \(wh.id) \(c.plan.deliveryDate)", path, body))
    }

    /// Who collects what at one pickup point, customer by customer, then the leader's signature.
    static func handoverSheet(_ h: HandoverSheet, _ c: Context) -> String {
        let p = h.point
        let units = h.orders.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.qty } }
        let body = heading("提货单 Handover sheet", facts: handoverFacts(h, c))
            + table(["✓", "顾客 Customer", "订单 Order", "商品 Item", "温层 Class", "数量 Qty"], [], numeric: 5...,
                    bodies: customerBodies(h, c), caption: "提货单 Handover sheet — \(p.name) (\(p.id)), \(c.plan.deliveryDate)")
            + "<p class=\"note\">\(Set(h.orders.map(\.customerId)).count) 位顾客 customers · \(h.orders.count) 单 orders · \(units) 件 units</p>\n"
            + "<p class=\"sign\">团长签收 Leader's signature <span class=\"line\"></span> 时间 Time <span class=\"line short\"></span></p>\n"
        return sheet(body, id: "point-\(p.id)")
    }

    static func handoverFacts(_ h: HandoverSheet, _ c: Context) -> [(String, String)] {
        let p = h.point
        var facts = [("自提点 Pickup point", "\(p.name) (\(p.id))"), ("地址 Address", p.address), ("团长 Leader", p.leader.name)]
        if let phone = p.leader.phone { facts.append(("电话 Phone", phone)) }
        facts.append(("配送日期 Delivery date", "\(c.plan.deliveryDate)"))
        for v in h.visits {
            let l = v.stop.load
            facts.append(("车辆 Van", "\(c.van(v.route)) 到达 arrives \(clock(v.stop.arrival)) · \(v.stop.orderIds.count) 单 orders · "
                          + "\(l.crates) 筐 crates (常温 \(l.ambient) / 冷藏 \(l.chilled) / 冷冻 \(l.frozen))"
                          + (v.stop.returnedCrates.map { " · 回收空筐 takes back \($0) empty crates" } ?? "")))
        }
        return facts
    }

    /// One `<tbody>` per customer (kept on one printed page): a tick box and the customer on the
    /// first row, the order id on each order's first row, an item a row.
    static func customerBodies(_ h: HandoverSheet, _ c: Context) -> [String] {
        var bodies: [String] = []
        var customer: String?
        for o in h.orders {
            if o.customerId != customer { bodies.append("") }
            for (k, l) in o.lines.enumerated() {
                let first = k == 0 && o.customerId != customer
                let s = c.skus[l.sku]
                bodies[bodies.count - 1] += tr([first ? box : td(""), td(first ? o.customerId : ""), td(k == 0 ? o.orderId : ""),
                                                td(s?.name ?? l.sku), td(s?.temperature.label ?? ""), num(l.qty)],
                                               attrs: k == 0 ? "data-order=\"\(escapeHTML(o.orderId))\"" : "")
            }
            customer = o.customerId
        }
        return bodies.map { "<tbody class=\"customer\">\n\($0)</tbody>\n" }
    }

    static func indexPage(_ groups: [Group], _ c: Context) -> Page {
        func links(_ label: String, _ pages: [Page]) -> String {
            "<h3>\(label)</h3>\n<ul class=\"links\">\n"
                + pages.map { "<li><a href=\"\(href(from: index, to: $0.path))\">\(escapeHTML($0.title))</a></li>\n" }.joined() + "</ul>\n"
        }
        var body = "<h1>打印 Print — \(escapeHTML(c.plan.scenario)) (\(escapeHTML(c.plan.city))), \(c.plan.deliveryDate)</h1>\n"
        for g in groups {
            body += "<h2>仓库 Warehouse \(escapeHTML(g.warehouse.name)) (\(escapeHTML(g.warehouse.id)))</h2>\n"
                + links("仓库单据 Warehouse floor", g.floor) + links("装车单 Loading lists (\(g.loading.count))", g.loading)
                + links("提货单 Handover sheets (\(g.handover.count))", g.handover)
        }
        return Page(path: index, title: "打印 Print", html: document("打印 Print \(c.plan.scenario) \(c.plan.deliveryDate)", index, body,
                                                                  back: false))
    }
}

// MARK: - HTML

extension PrintPages {
    /// A4 portrait; a `.sheet` ends a page, header rows repeat, rows and customers are not split.
    static let style = """
        @page { size: A4 portrait; margin: 12mm 10mm 14mm 10mm;
                @bottom-right { content: "第 " counter(page) " 页 Page " counter(page) " / " counter(pages); font-size: 8pt; } }
        * { box-sizing: border-box; }
        body { font: 10pt/1.3 "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif;
               color: #000; margin: 0; }
        @media screen { body { max-width: 190mm; margin: 8mm auto; padding: 0 4mm; } .sheet { border-bottom: 1px dashed #999; padding-bottom: 6mm; margin-bottom: 6mm; } }
        @media print { nav { display: none; } }
        .sheet { break-after: page; page-break-after: always; }
        .sheet:last-of-type { break-after: auto; page-break-after: auto; }
        h1 { font-size: 15pt; margin: 0 0 2mm; }
        h2 { font-size: 12pt; margin: 4mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 3mm; }
        dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
        table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
        thead { display: table-header-group; }
        tr, tbody.customer { break-inside: avoid; page-break-inside: avoid; }
        tbody.customer { border-top: 0.6mm solid #000; }
        th, td { border: 0.25mm solid #555; padding: 0.5mm 1.5mm; text-align: left; vertical-align: top; }
        tr.caption th { background: none; border: none; padding: 0 0 1mm; font-size: 8.5pt; font-weight: normal; color: #333; }
        tr.heading th { background: none; border: none; padding: 3mm 0 1.5mm; font-size: 12pt; }
        th { background: #e8e8e8; font-size: 9pt; word-break: keep-all; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .n { text-align: right; font-variant-numeric: tabular-nums; width: 1%; } td.n { white-space: nowrap; }
        tr.total td { font-weight: bold; border-top: 0.5mm solid #000; } tr.total { break-before: avoid; page-break-before: avoid; }
        .box { width: 6mm; } td.box::before { content: ""; display: inline-block; width: 3.5mm; height: 3.5mm; border: 0.3mm solid #000; }
        .trip { break-inside: avoid; page-break-inside: avoid; }
        .note { font-size: 9pt; margin: 1mm 0; }
        .sign { margin-top: 10mm; font-size: 11pt; break-inside: avoid; }
        .line { display: inline-block; width: 55mm; border-bottom: 0.3mm solid #000; margin-right: 6mm; } .line.short { width: 35mm; }
        h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
        ul.links { columns: 2; padding-left: 5mm; margin: 0 0 2mm; }
        """

    static func document(_ title: String, _ path: String, _ body: String, back: Bool = true) -> String {
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n<title>\(escapeHTML(title))</title>\n"
            + "<style>\n\(style)\n</style>\n</head>\n<body>\n"
            + (back ? "<nav><a href=\"\(href(from: path, to: index))\">← 打印目录 Print index</a></nav>\n" : "")
            + body + "</body>\n</html>\n"
    }

    static func sheet(_ content: String, id: String? = nil) -> String {
        "<section class=\"sheet\"\(id.map { " id=\"\(escapeHTML($0))\"" } ?? "")>\n\(content)</section>\n"
    }

    /// Title and the facts every copy of the sheet must carry (label already bilingual, value escaped).
    static func heading(_ title: String, facts: [(String, String)]) -> String {
        "<h1>\(title)</h1>\n<dl class=\"facts\">\n"
            + facts.map { "<dt>\($0.0)</dt><dd>\(escapeHTML($0.1))</dd>\n" }.joined() + "</dl>\n"
    }

    /// Columns in `numeric` are right-aligned. `bodies` replaces the one tbody of `rows`; a
    /// `caption` (escaped here) heads every printed page of the table, naming whose rows they are.
    static func table(_ head: [String], _ rows: [String], numeric: PartialRangeFrom<Int>, bodies: [String]? = nil,
                      caption: String? = nil, captionClass: String = "caption") -> String {
        let ths = head.enumerated().map { k, h in
            "<th\(numeric.contains(k) ? " class=\"n\"" : k == 0 && h == "✓" ? " class=\"box\"" : "")>\(h)</th>"
        }
        let top = caption.map { "<tr class=\"\(captionClass)\"><th colspan=\"\(head.count)\">\(escapeHTML($0))</th></tr>" } ?? ""
        return "<table>\n<thead>\(top)<tr>\(ths.joined())</tr></thead>\n"
            + (bodies?.joined() ?? "<tbody>\n\(rows.joined())</tbody>\n") + "</table>\n"
    }

    static func tr(_ cells: [String], attrs: String = "") -> String {
        "<tr\(attrs.isEmpty ? "" : " " + attrs)>\(cells.joined())</tr>\n"
    }

    static func td(_ text: String, _ cls: String = "", colspan: Int = 1) -> String {
        "<td\(cls.isEmpty ? "" : " class=\"\(cls)\"")\(colspan > 1 ? " colspan=\"\(colspan)\"" : "")>\(escapeHTML(text))</td>"
    }

    static func num(_ n: Int) -> String { td("\(n)", "n") }

    /// An empty tick box the floor marks by hand.
    static let box = "<td class=\"box\"></td>"

    /// `to` relative to the folder of `from` (both paths inside the output directory), each
    /// segment percent-encoded so that any id is a working link.
    static func href(from: String, to: String) -> String {
        let dir = from.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        let target = to.split(separator: "/", omittingEmptySubsequences: false)
        var common = 0
        while common < dir.count && common < target.count - 1 && dir[dir.startIndex + common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: dir.count - common)
        return escapeHTML((up + target[common...].map { percentEncoded(String($0)) }).joined(separator: "/"))
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: unreserved) ?? segment
    }
}

/// Text made safe for HTML element content and attribute values (the print pages and the
/// simulation report share it).
public func escapeHTML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}
