import Foundation
import Planning

/// When the order book of a delivery day closes. Orders for day D close on D−1 at the local
/// cut-off times of their pickup point's waves: the point's warehouse (`previous_warehouse_id`)
/// may have waves of its own, else the default waves (config), else the scenario's `cutoff`.
/// An order belongs to the first wave still open when it arrives; after the last wave its day is
/// closed.
public struct CutoffCalendar: Sendable {
    public let timeZone: TimeZone
    let defaultWaves: [LocalTime]
    let warehouseWaves: [String: [LocalTime]]
    let home: [String: String]

    public init(scenario: Scenario, config: ServerConfig) throws {
        guard let tz = TimeZone(identifier: scenario.timeZone) else {
            throw InputError(field: "time_zone", "unknown time zone \"\(scenario.timeZone)\"")
        }
        timeZone = tz
        defaultWaves = config.waves.isEmpty ? [scenario.cutoff] : config.waves
        warehouseWaves = config.warehouseWaves
        var home: [String: String] = [:]
        for p in scenario.pickupPoints { home[p.id] = p.previousWarehouseId }
        self.home = home
    }

    public func waves(pickupPoint: String) -> [LocalTime] {
        home[pickupPoint].flatMap { warehouseWaves[$0] } ?? defaultWaves
    }

    /// The latest cut-off of any wave: the planner's `cutoff` (orders completed later belong to
    /// the next day).
    public var latest: LocalTime {
        (warehouseWaves.values.compactMap(\.last) + [defaultWaves.last!]).max()!
    }

    /// The instant of local time `t` on the day before `date`.
    public func instant(_ t: LocalTime, before date: CalendarDate) -> Int {
        DayClock(date: date.adding(days: -1), timeZone: timeZone).epochSeconds(at: t.seconds)
    }

    /// The cut-off of the wave an order arriving `now` joins, or nil with the reason its day is closed.
    public func wave(pickupPoint: String, deliveryDate: CalendarDate, now: Int) -> (cutoffAt: Int?, closed: String?) {
        let ws = waves(pickupPoint: pickupPoint)
        if let t = ws.first(where: { instant($0, before: deliveryDate) > now }) { return (instant(t, before: deliveryDate), nil) }
        let last = ws.last!
        return (nil, "the order book of \(deliveryDate) closed at the \(last) cut-off on \(deliveryDate.adding(days: -1)) (\(timeZone.identifier))")
    }

    /// Every cut-off instant of a delivery day, increasing.
    public func instants(deliveryDate: CalendarDate) -> [Int] {
        Set((warehouseWaves.values.joined() + defaultWaves).map { instant($0, before: deliveryDate) }).sorted()
    }

    /// The local date at an instant.
    public func localDate(_ epoch: Int) -> CalendarDate {
        let off = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epoch)))
        return CalendarDate(daysSinceEpoch: Int((Double(epoch + off) / 86_400).rounded(.down)))
    }

    /// ISO 8601 with the zone's offset ("2025-09-15T23:00:00+08:00").
    public func iso(_ epoch: Int) -> String {
        let d = localDate(epoch)
        let clock = DayClock(date: d, timeZone: timeZone)
        return clock.iso(epoch - clock.epochSeconds(at: 0))
    }
}
