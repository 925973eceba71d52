import Planning

/// Small SVG charts drawn by hand: no scripts, no external assets, every text escaped.
enum SVG {
    /// Colour-blind-safe palette (Okabe & Ito 2008), cycled for more series.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    static func colour(_ i: Int) -> String { palette[i % palette.count] }

    /// Coordinates with two decimals.
    static func n(_ x: Double) -> String {
        let v = Int((x * 100).rounded())
        return (v < 0 ? "-" : "") + "\(abs(v) / 100)" + (abs(v) % 100 == 0 ? "" : "." + pad(abs(v) % 100, 2))
    }

    /// Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> (values: [Double], decimals: Int) {
        var (lo, hi) = (lo, hi)
        if hi <= lo { hi = lo + max(1, abs(lo) * 0.1) }
        let raw = (hi - lo) / Double(count)
        let mag = pow10(Int((log10(raw)).rounded(.down)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        var values: [Double] = []
        var k = 0
        while lo + Double(k) * step <= hi + step / 2 {
            values.append(lo + Double(k) * step)
            k += 1
        }
        let decimals = max(0, -Int((log10(step)).rounded(.down)))
        return (values, decimals)
    }

    static func pow10(_ k: Int) -> Double {
        var x = 1.0
        if k >= 0 { for _ in 0..<k { x *= 10 } } else { for _ in 0..<(-k) { x /= 10 } }
        return x
    }

    /// A value with `decimals` places and thousands grouped.
    static func label(_ x: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let v = Int((abs(x) * scale).rounded())
        let s = Int(scale)
        let whole = PlanSummary.group(v / s)
        let sign = x < 0 && v != 0 ? "-" : ""
        return decimals == 0 ? sign + whole : sign + whole + "." + pad(v % s, decimals)
    }

    struct Series {
        var name: String
        /// One value per x position; nil: no value that day.
        var values: [Double?]
    }

    /// A line chart of `series` over `xLabels` (one label per position; every `labelEvery`-th is
    /// shown), with `shaded` positions (weekends) lightly filled.
    static func lineChart(title: String, unit: String, xLabels: [String], shaded: Set<Int>, series: [Series],
                          decimals: Int, width: Double = 640, height: Double = 250) -> String {
        let (left, right, top, bottom) = (64.0, 16.0, 12.0, 36.0)
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap { $0.values.compactMap { $0 } }
        var lo = all.min() ?? 0, hi = all.max() ?? 1
        if lo >= 0 && lo < 0.25 * hi { lo = 0 }
        let t = ticks(lo, hi)
        let (y0, y1) = (t.values.first!, t.values.last!)
        let count = max(1, xLabels.count)
        func x(_ i: Int) -> Double { left + (count == 1 ? plotW / 2 : plotW * Double(i) / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - y0) / (y1 - y0)) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(escapeHTML(title))\">"
        out += "<title>\(escapeHTML(title))</title>"
        let band = count == 1 ? plotW : plotW / Double(count - 1)
        for i in shaded.sorted() where i < count {
            out += "<rect class=\"shade\" x=\"\(n(x(i) - band / 2))\" y=\"\(n(top))\" width=\"\(n(band))\" height=\"\(n(plotH))\"/>"
        }
        for v in t.values {
            out += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\"/>"
            out += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(escapeHTML(label(v, decimals: t.decimals)))</text>"
        }
        let every = max(1, (count + 9) / 10)
        for i in stride(from: 0, to: count, by: every) {
            out += "<text class=\"tick\" x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\">\(escapeHTML(xLabels[i]))</text>"
        }
        out += "<text class=\"unit\" x=\"\(n(left))\" y=\"\(n(height - 4))\">\(escapeHTML(unit))</text>"
        for (k, s) in series.enumerated() {
            let pts = s.values.enumerated().compactMap { i, v in v.map { "\(n(x(i))),\(n(y($0)))" } }
            if pts.count > 1 {
                out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour(k))\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"/>"
            }
            for (i, v) in s.values.enumerated() {
                guard let v else { continue }
                out += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(v)))\" r=\"2.5\" fill=\"\(colour(k))\"><title>\(escapeHTML("\(s.name), \(xLabels[i]): \(label(v, decimals: decimals)) \(unit)"))</title></circle>"
            }
        }
        out += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\"/>"
        return out + "</svg>"
    }

    /// Horizontal stacked bars: one bar per row, one segment per part.
    static func stackedBars(title: String, unit: String, rows: [(name: String, parts: [Double])], partNames: [String],
                            decimals: Int, width: Double = 640) -> String {
        // Room for the longest name (about 7 px a character at 12 px; CJK counts double).
        let nameWidth = rows.map { $0.name.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 13 : 7.2) } }.max() ?? 0
        let (left, right, top, barH, gap) = (max(80, nameWidth + 16), 90.0, 12.0, 22.0, 10.0)
        let height = top + Double(rows.count) * (barH + gap) + 30
        let plotW = width - left - right
        let maxTotal = max(rows.map { $0.parts.reduce(0, +) }.max() ?? 1, 1e-9)
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(escapeHTML(title))\">"
        out += "<title>\(escapeHTML(title))</title>"
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * (barH + gap)
            out += "<text class=\"name\" x=\"\(n(left - 8))\" y=\"\(n(y + barH * 0.7))\" text-anchor=\"end\">\(escapeHTML(row.name))</text>"
            var x = left
            for (k, v) in row.parts.enumerated() {
                let w = plotW * v / maxTotal
                out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(barH))\" fill=\"\(colour(k))\"><title>\(escapeHTML("\(row.name), \(partNames[k]): \(label(v, decimals: decimals)) \(unit)"))</title></rect>"
                x += max(0, w)
            }
            out += "<text class=\"value\" x=\"\(n(x + 6))\" y=\"\(n(y + barH * 0.7))\">\(escapeHTML(label(row.parts.reduce(0, +), decimals: decimals)))</text>"
        }
        var lx = left
        let ly = top + Double(rows.count) * (barH + gap) + 12
        for (k, p) in partNames.enumerated() {
            out += "<rect x=\"\(n(lx))\" y=\"\(n(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(colour(k))\"/>"
            out += "<text class=\"tick\" x=\"\(n(lx + 14))\" y=\"\(n(ly))\">\(escapeHTML(p))</text>"
            lx += 24 + Double(p.count) * 6.5
        }
        return out + "</svg>"
    }

    /// Vertical grouped bars: one group per category, one bar per series; `marks` draws a
    /// short line per bar (e.g. the peak day), nil where absent.
    static func groupedBars(title: String, unit: String, categories: [String], series: [(name: String, values: [Double?], marks: [Double?])],
                            decimals: Int, reference: Double? = nil, width: Double = 640, height: Double = 260) -> String {
        let (left, right, top, bottom) = (56.0, 16.0, 12.0, 40.0)
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap { $0.values.compactMap { $0 } + $0.marks.compactMap { $0 } } + [reference ?? 0]
        // A little headroom so that bars, ticks and the reference line stay inside the frame.
        let t = ticks(0, max((all.max() ?? 1) * 1.04, 1e-9))
        let y1 = t.values.last!
        func y(_ v: Double) -> Double { top + plotH * (1 - v / y1) }
        let groupW = plotW / Double(max(1, categories.count))
        let barW = groupW * 0.8 / Double(max(1, series.count))
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(escapeHTML(title))\">"
        out += "<title>\(escapeHTML(title))</title>"
        for v in t.values {
            out += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\"/>"
            out += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(escapeHTML(label(v, decimals: t.decimals)))</text>"
        }
        for (c, name) in categories.enumerated() {
            let gx = left + groupW * Double(c) + groupW * 0.1
            out += "<text class=\"tick\" x=\"\(n(left + groupW * (Double(c) + 0.5)))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\">\(escapeHTML(name))</text>"
            for (k, s) in series.enumerated() {
                let bx = gx + barW * Double(k)
                if let v = s.values[c] {
                    out += "<rect x=\"\(n(bx))\" y=\"\(n(y(v)))\" width=\"\(n(barW * 0.9))\" height=\"\(n(max(0, top + plotH - y(v))))\" fill=\"\(colour(k))\"><title>\(escapeHTML("\(s.name), \(name): \(label(v, decimals: decimals)) \(unit)"))</title></rect>"
                }
                if let m = s.marks[c] {
                    out += "<line class=\"mark\" x1=\"\(n(bx))\" x2=\"\(n(bx + barW * 0.9))\" y1=\"\(n(y(m)))\" y2=\"\(n(y(m)))\"><title>\(escapeHTML("\(s.name), \(name): peak \(label(m, decimals: decimals)) \(unit)"))</title></line>"
                }
            }
        }
        if let reference {
            out += "<line class=\"reference\" x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(y(reference)))\" y2=\"\(n(y(reference)))\"/>"
        }
        out += "<text class=\"unit\" x=\"\(n(left))\" y=\"\(n(height - 4))\">\(escapeHTML(unit))</text>"
        out += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\"/>"
        return out + "</svg>"
    }

    /// Colour swatches with the series names.
    static func legend(_ names: [String]) -> String {
        "<ul class=\"legend\">" + names.enumerated().map { k, name in
            "<li><span class=\"swatch\" style=\"background:\(colour(k))\"></span>\(escapeHTML(name))</li>"
        }.joined() + "</ul>"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
