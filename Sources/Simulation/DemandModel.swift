import Planning

/// The synthetic demand of a simulation, declared in scenario.json under `simulation.demand`
/// (docs/simulation.md). Every figure is an expectation; `DemandGenerator` draws the days.
///
/// Expected orders placed at pickup point p for delivery day d:
///
///     orders_per_point × point_factor[p] × weekday_factor[weekday(d)] × Π promotion factors(d)
///       × (1 + weekly_growth_percent/100)^(d/7)
///
/// Each order joins one of the point's `groups_per_point` group deals; a group fails to
/// complete (成团) with probability `group_failure_rate`, and its orders never become orders.
public struct DemandModel: Sendable, Equatable {
    /// Mean orders placed per pickup point per day, before the factors and group failures.
    public var ordersPerPoint: Double
    /// Multiplier per pickup point id (absent: 1).
    public var pointFactors: [String: Double]
    /// Monday … Sunday of the delivery day.
    public var weekdayFactors: [Double]
    public var promotions: [Promotion]
    /// Compounded: day d has (1 + g/100)^(d/7) times the demand of the first day (d = 0).
    public var weeklyGrowthPercent: Double
    /// Popularity per SKU id; nil: every SKU alike. SKUs not listed are not ordered.
    public var skuWeights: [String: Double]?
    /// Share of order lines per temperature class (weights); nil: as the SKU weights fall.
    public var temperatureMix: [TemperatureClass: Double]?
    /// Weights of 1, 2, 3, … lines per order (distinct SKUs).
    public var linesPerOrder: [Double]
    /// Weights of 1, 2, 3, … units per line.
    public var unitsPerLine: [Double]
    public var groupsPerPoint: Int
    public var groupFailureRate: Double
    /// When groups complete on the day before delivery: triangular distribution.
    public var completion: Completion

    public struct Promotion: Sendable, Equatable {
        public var name: String
        public enum When: Sendable, Equatable {
            case date(CalendarDate)
            /// 1-based day of the horizon.
            case day(Int)
        }
        public var when: When
        public var factor: Double
        public init(name: String, when: When, factor: Double) {
            self.name = name
            self.when = when
            self.factor = factor
        }
    }

    /// Triangular distribution of group completion times (local time on the day before delivery).
    public struct Completion: Sendable, Equatable {
        public var from: LocalTime
        public var peak: LocalTime
        public var to: LocalTime
        public init(from: LocalTime, peak: LocalTime, to: LocalTime) {
            self.from = from
            self.peak = peak
            self.to = to
        }
    }

    public init(ordersPerPoint: Double, pointFactors: [String: Double] = [:], weekdayFactors: [Double] = Array(repeating: 1, count: 7),
                promotions: [Promotion] = [], weeklyGrowthPercent: Double = 0, skuWeights: [String: Double]? = nil,
                temperatureMix: [TemperatureClass: Double]? = nil, linesPerOrder: [Double] = [1], unitsPerLine: [Double] = [1],
                groupsPerPoint: Int = 3, groupFailureRate: Double = 0,
                completion: Completion = Completion(from: LocalTime(7, 0), peak: LocalTime(21, 0), to: LocalTime(24, 0))) {
        self.ordersPerPoint = ordersPerPoint
        self.pointFactors = pointFactors
        self.weekdayFactors = weekdayFactors
        self.promotions = promotions
        self.weeklyGrowthPercent = weeklyGrowthPercent
        self.skuWeights = skuWeights
        self.temperatureMix = temperatureMix
        self.linesPerOrder = linesPerOrder
        self.unitsPerLine = unitsPerLine
        self.groupsPerPoint = groupsPerPoint
        self.groupFailureRate = groupFailureRate
        self.completion = completion
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    public static func weekday(_ date: CalendarDate) -> Int {
        ((date.daysSinceEpoch + 3) % 7 + 7) % 7
    }

    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The day's factor common to every point: weekday × promotions × growth. `day` is 0-based
    /// from `start` (-1: the day before the horizon).
    public func dayFactor(day: Int, start: CalendarDate) -> Double {
        let date = start.adding(days: day)
        var f = weekdayFactors[Self.weekday(date)]
        for p in promotions {
            switch p.when {
            case .date(let d) where d == date: f *= p.factor
            case .day(let k) where k == day + 1: f *= p.factor
            default: break
            }
        }
        return f * pow1p(weeklyGrowthPercent / 100, Double(day) / 7)
    }

    /// Expected orders placed at a point (before group failures).
    public func mean(point id: String, day: Int, start: CalendarDate) -> Double {
        ordersPerPoint * (pointFactors[id] ?? 1) * dayFactor(day: day, start: start)
    }
}

/// (1 + x)^y without Foundation.
func pow1p(_ x: Double, _ y: Double) -> Double {
    y == 0 ? 1 : exp(y * log1p(x))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
