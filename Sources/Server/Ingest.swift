import Foundation
import Planning
import Store

/// Turns a batch of completed group orders (a JSON array, or JSON Lines) into orders ready to
/// store, with the same validation and messages as `lastmile plan` (`OrderLoader.parseOrder`).
/// A batch is all or nothing: one bad item and nothing of it is stored; the problem document
/// lists every bad item with a JSON pointer (`/17/lines/2/qty`: item 17 of the batch, counting
/// from 0; in JSON Lines, the 18th non-blank line).
public struct Ingestor: Sendable {
    public let catalogue: OrderLoader.Catalogue
    public let calendar: CutoffCalendar

    public init(scenario: Scenario, calendar: CutoffCalendar) {
        catalogue = OrderLoader.Catalogue(scenario)
        self.calendar = calendar
    }

    public enum Format: Sendable { case array, lines }

    public struct Parsed: Sendable {
        public var orders: [IncomingOrder] = []
        public var errors: [ProblemDocument.ItemError] = []
        /// Non-blank items seen (the batch size).
        public var count = 0
        /// Items repeated inside the batch with the same body (stored once).
        public var repeatedInBatch = 0
        /// Line of each item in the body (JSON Lines; for an array, the line its object starts on).
        public var itemLines: [Int] = []
    }

    /// The batch's format: an array if the first non-blank byte is `[`, else JSON Lines.
    public static func format(of body: [UInt8]) -> Format {
        body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "[") ? .array : .lines
    }

    /// Splits and validates. Throws a problem for a body that is not a batch at all (malformed
    /// array, too many items); item problems are in `errors`.
    public func parse(_ body: [UInt8], maxItems: Int, now: Int, what: String = "batch") throws -> Parsed {
        var items: [(node: JSONNode?, syntax: String?)] = []
        var lines: [Int] = []
        switch Self.format(of: body) {
        case .array:
            let root: JSONNode
            do { root = try JSONParser.parse(body) } catch {
                throw APIError.input("malformed JSON: \(error.message) (line \(error.line), column \(error.column))")
            }
            guard case .array(let nodes) = root.value else { throw APIError.input("the body must be a JSON array of orders or JSON Lines") }
            guard nodes.count <= maxItems else { throw APIError.tooLarge(what: what, count: nodes.count, limit: maxItems) }
            items = nodes.map { ($0, nil) }
            lines = nodes.map(\.line)
        case .lines:
            var start = 0, line = 0
            while start < body.count {
                var end = start
                while end < body.count && body[end] != 0x0A { end += 1 }
                line += 1
                var slice = start..<end
                start = end + 1
                if !slice.isEmpty, body[slice.upperBound - 1] == 0x0D { slice = slice.lowerBound..<(slice.upperBound - 1) }
                if body[slice].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard items.count < maxItems else {
                    let rest = start < body.count ? body[start...] : []
                    throw APIError.tooLarge(what: what, count: items.count + 1 + Self.countLines(rest), limit: maxItems)
                }
                lines.append(line)
                do { items.append((try JSONParser.parse(body, range: slice, firstLine: line), nil)) } catch {
                    items.append((nil, "malformed JSON: \(error.message) (line \(line), column \(error.column))"))
                }
            }
        }
        var out = Parsed()
        out.count = items.count
        out.itemLines = lines
        guard !items.isEmpty else { throw APIError.input("the \(what) holds no orders") }
        var first: [String: (index: Int, body: String)] = [:]
        for (i, item) in items.enumerated() {
            guard let node = item.node else {
                out.errors.append(.init(pointer: "/\(i)", detail: item.syntax!))
                continue
            }
            let order: Order
            do { order = try OrderLoader.parseOrder(node, file: nil, catalogue: catalogue) } catch {
                out.errors.append(.init(pointer: "/\(i)" + InputErrors.pointer(error.field), detail: error.reason))
                continue
            }
            let canonical = Self.canonicalJSON(order)
            if let f = first[order.orderId] {
                if f.body == canonical { out.repeatedInBatch += 1; continue }
                out.errors.append(.init(pointer: "/\(i)/order_id",
                                        detail: "duplicate order id \"\(order.orderId)\" with a different body, first at /\(f.index)"))
                continue
            }
            first[order.orderId] = (i, canonical)
            let w = calendar.wave(pickupPoint: order.pickupPointId, deliveryDate: order.deliveryDate, now: now)
            out.orders.append(IncomingOrder(order: order, body: canonical, cutoffAt: w.cutoffAt, closedReason: w.closed, index: i))
        }
        return out
    }

    static func countLines(_ rest: ArraySlice<UInt8>) -> Int {
        var n = 0, blank = true
        for b in rest {
            if b == 0x0A { if !blank { n += 1 }; blank = true } else if b != 0x20 && b != 0x09 && b != 0x0D { blank = false }
        }
        return n + (blank ? 0 : 1)
    }

    /// The order as JSON with sorted keys and lines sorted by SKU (an SKU appears once per
    /// order): two bodies are the same order exactly when these strings are equal.
    public static func canonicalJSON(_ o: Order) -> String {
        var s = ""
        s.reserveCapacity(128 + 48 * o.lines.count)
        s += "{\"completed_at\":"; appendJSONString(o.completedAt.text, to: &s)
        s += ",\"customer_id\":"; appendJSONString(o.customerId, to: &s)
        s += ",\"delivery_date\":\"\(o.deliveryDate)\",\"group_id\":"; appendJSONString(o.groupId, to: &s)
        s += ",\"lines\":["
        for (k, l) in o.lines.sorted(by: { $0.sku < $1.sku }).enumerated() {
            s += k > 0 ? ",{\"qty\":" : "{\"qty\":"
            s += String(l.qty)
            s += ",\"sku\":"; appendJSONString(l.sku, to: &s)
            s += "}"
        }
        s += "],\"order_id\":"; appendJSONString(o.orderId, to: &s)
        s += ",\"pickup_point_id\":"; appendJSONString(o.pickupPointId, to: &s)
        s += "}"
        return s
    }
}
