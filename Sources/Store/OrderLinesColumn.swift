import Planning

/// `orders.lines` (migration v4): an order's lines in the order they were sent, as a JSON array
/// of `[sku, qty]` pairs, `[["VEG",2],["MILK",1]]`. Kept in the order's own row so that storing
/// an order is one row, not one per line: on PostgreSQL that halved the server's work per batch.
enum OrderLinesColumn {
    static func text(_ lines: [OrderLine]) -> String {
        var s = "["
        s.reserveCapacity(2 + 24 * lines.count)
        for (k, l) in lines.enumerated() {
            s += k > 0 ? ",[" : "["
            appendJSONString(l.sku, to: &s)
            s += ","
            s += String(l.qty)
            s += "]"
        }
        s += "]"
        return s
    }

    /// The lines back; a stored value that is not such an array is a damaged row.
    static func lines(_ text: String, orderId: String) throws -> [OrderLine] {
        let damaged = GeneralError(.internal, "order \(orderId): stored lines unreadable")
        guard case .array(let pairs) = (try? JSONParser.parse(text))?.value else { throw damaged }
        return try pairs.map { pair in
            guard case .array(let p) = pair.value, p.count == 2, case .string(let sku) = p[0].value,
                  case .number(let n) = p[1].value, let qty = Int(n) else { throw damaged }
            return OrderLine(sku: sku, qty: qty)
        }
    }
}
