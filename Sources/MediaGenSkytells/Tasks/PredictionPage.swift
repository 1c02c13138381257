import Foundation
import MediaGenCore

/// Which predictions to list.
///
/// ```swift
/// let lastWeek = PredictionFilter(from: .now.addingTimeInterval(-7 * 86_400), model: .trueFusionVideoPro)
/// for try await prediction in skytells.predictions(lastWeek) {
///     print(prediction.id, prediction.rawStatus)
/// }
/// ```
///
/// Days are sent as `YYYY-MM-DD` in UTC (`from` and `to` are inclusive); a `from` after `to` is
/// refused before sending, as is a `perPage` outside 1–50 (Skytells answers both with a 400:
/// `INVALID_DATE_RANGE`, `INVALID_PARAMETER`).
public struct PredictionFilter: Hashable, Sendable {
    /// The page sizes Skytells accepts (API reference, prediction errors: `per_page` 1–50).
    public static let perPageRange = 1...50

    public var from: Date?
    public var to: Date?
    public var model: SkytellsModelID?
    /// Predictions per page (`per_page`); `nil` leaves Skytells' default.
    public var perPage: Int?

    public init(from: Date? = nil, to: Date? = nil, model: SkytellsModelID? = nil, perPage: Int? = nil) {
        self.from = from
        self.to = to
        self.model = model
        self.perPage = perPage
    }

    func queryItems(page: Int) throws(MediaGenError) -> [(name: String, value: String)] {
        if let from, let to, from > to {
            throw .invalidInput(
                "from", "the range starts (\(Self.day(from))) after it ends (\(Self.day(to)))", provider: .skytells)
        }
        if let perPage, !Self.perPageRange.contains(perPage) {
            throw .invalidInput(
                "per_page", "\(perPage) is outside \(Self.perPageRange.lowerBound)–\(Self.perPageRange.upperBound)",
                provider: .skytells)
        }
        var items: [(name: String, value: String)] = [("page", String(page))]
        if let perPage { items.append(("per_page", String(perPage))) }
        if let from { items.append(("from", Self.day(from))) }
        if let to { items.append(("to", Self.day(to))) }
        if let model { items.append(("model", model.rawValue)) }
        return items
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// One page of `GET /v1/predictions`.
///
/// ```swift
/// let page = try await skytells.predictionPage(page: 2)
/// for prediction in page.items { print(prediction.id) }
/// ```
///
/// Two answers are documented: `{"data": [...], "pagination": {...}}` (Skytells' TypeScript SDK,
/// `PaginatedResponse`) and a bare array of predictions (the API reference's list page). A bare
/// array says nothing about later pages, so it is read as the only page: ``pagination`` is `nil`
/// and ``hasMore`` is `false`.
public struct PredictionPage: Hashable, Sendable, Decodable {
    public struct Pagination: Hashable, Sendable, Decodable {
        public let currentPage: Int
        public let perPage: Int
        public let total: Int
        public let lastPage: Int

        private enum CodingKeys: String, CodingKey {
            case currentPage = "current_page"
            case perPage = "per_page"
            case total
            case lastPage = "last_page"
        }
    }

    public let data: [Prediction]
    public let pagination: Pagination?

    private enum CodingKeys: String, CodingKey {
        case data, pagination
    }

    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var predictions: [Prediction] = []
            while !list.isAtEnd { predictions.append(try list.decode(Prediction.self)) }
            data = predictions
            pagination = nil
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            data = try container.decode([Prediction].self, forKey: .data)
            pagination = try container.decodeIfPresent(Pagination.self, forKey: .pagination)
        }
    }

    /// Whether a later page exists.
    public var hasMore: Bool {
        guard let pagination else { return false }
        return pagination.currentPage < pagination.lastPage && !data.isEmpty
    }
}

extension PredictionPage: ListPage {
    /// The page's predictions.
    public var items: [Prediction] { data }
    /// The number of the next page, when ``hasMore``.
    public var nextCursor: Int? { hasMore ? (pagination?.currentPage ?? 0) + 1 : nil }
}

/// Every prediction matching a filter: the type ``SkytellsClient/predictions(_:)`` returned before
/// every client's lists became `PagedItems`.
@available(*, deprecated, message: "use PagedItems<PredictionPage>, what every client's list returns")
public typealias PredictionList = PagedItems<PredictionPage>
