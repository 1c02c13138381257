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
/// refused before sending.
public struct PredictionFilter: Hashable, Sendable {
    public var from: Date?
    public var to: Date?
    public var model: SkytellsModelID?

    public init(from: Date? = nil, to: Date? = nil, model: SkytellsModelID? = nil) {
        self.from = from
        self.to = to
        self.model = model
    }

    func queryItems(page: Int) throws(MediaGenError) -> [(name: String, value: String)] {
        if let from, let to, from > to {
            throw .invalidInput(
                "from", "the range starts (\(Self.day(from))) after it ends (\(Self.day(to)))", provider: .skytells)
        }
        var items: [(name: String, value: String)] = [("page", String(page))]
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
