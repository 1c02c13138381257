import Foundation
import MediaGenCore

/// One page of `GET /v1/tasks`: `{"object": "list", "data": [...], "has_more"}`.
///
/// ```swift
/// let page = try await beatra.taskPage(limit: 20)
/// for task in page.items { print(task.id, task.rawStatus) }
/// if let cursor = page.nextCursor {
///     let next = try await beatra.taskPage(limit: 20, after: cursor)
/// }
/// ```
///
/// The cursor for the next page is the last task's id, sent as `after`.
public struct BeatraTaskPage: ListPage, Hashable, Sendable, Decodable {
    public let data: [BeatraTask]
    public let hasMore: Bool

    public init(data: [BeatraTask], hasMore: Bool) {
        self.data = data
        self.hasMore = hasMore
    }

    /// The page's tasks.
    public var items: [BeatraTask] { data }

    /// The `after` value that fetches the next page, when there is one.
    public var nextCursor: String? {
        hasMore ? data.last?.id : nil
    }

    private enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
    }

    public init(from decoder: any Decoder) throws {
        // A bare array is read as a last page, to be lenient: the list shape is not published.
        if let tasks = try? decoder.singleValueContainer().decode([BeatraTask].self) {
            self.init(data: tasks, hasMore: false)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            data: try container.decodeIfPresent([BeatraTask].self, forKey: .data) ?? [],
            hasMore: try container.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
        )
    }
}

/// Your tasks page by page: the type ``BeatraClient/taskPages(limit:)`` returned before every
/// client's lists became `Pages`.
@available(*, deprecated, message: "use Pages<BeatraTaskPage>, what every client's pages return")
public typealias BeatraTaskPages = Pages<BeatraTaskPage>

/// Every task of every page: the type before every client's lists became `PagedItems`.
@available(*, deprecated, message: "use PagedItems<BeatraTaskPage>, what every client's list returns")
public typealias BeatraTaskList = PagedItems<BeatraTaskPage>

extension Pages where Page == BeatraTaskPage {
    /// Every task of every page: the name before `items`.
    @available(*, deprecated, renamed: "items")
    public var tasks: PagedItems<BeatraTaskPage> { items }
}
