import Foundation

/// Moves an orders.jsonl file to another delivery day: every order's `delivery_date` becomes the
/// new day and its `completed_at` moves by the same number of days (same local time and offset),
/// so a closed demo book can be sent to a daemon whose clock is today.
public enum OrderRetiming {
    /// One line out per order line in; blank lines are dropped. Errors name the line.
    public static func retime(_ bytes: [UInt8], file: String, to day: CalendarDate) throws -> String {
        var out = ""
        var lineNo = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNo += 1
            guard raw.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            guard var order = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any] else {
                throw InputError(file: file, line: lineNo, "must be a JSON object")
            }
            guard let d = order["delivery_date"] as? String, let from = CalendarDate.parse(d) else {
                throw InputError(file: file, line: lineNo, field: "delivery_date", "must be a date YYYY-MM-DD")
            }
            let shift = day.daysSinceEpoch - from.daysSinceEpoch
            order["delivery_date"] = day.description
            if let c = order["completed_at"] as? String {
                guard c.count > 10, let cd = CalendarDate.parse(String(c.prefix(10))) else {
                    throw InputError(file: file, line: lineNo, field: "completed_at", "must be an ISO 8601 time, got \"\(c)\"")
                }
                order["completed_at"] = cd.adding(days: shift).description + c.dropFirst(10)
            }
            let data = try JSONSerialization.data(withJSONObject: order, options: [.sortedKeys, .withoutEscapingSlashes])
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }
}
