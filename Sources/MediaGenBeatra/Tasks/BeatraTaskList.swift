import Foundation
import MediaGenCore

/// One page of `GET /v1/tasks`: `{"object": "list", "data": [...], "has_more"}`.
///
/// ```swift
/// let page = try await beatra.listTasks(limit: 20)
/// for task in page.data { print(task.id, task.rawStatus) }
/// if page.hasMore, let cursor = page.nextCursor {
///     let next = try await beatra.listTasks(limit: 20, after: cursor)
/// }
/// ```
///
/// The cursor for the next page is the last task's id, sent as `after`.
public struct BeatraTaskPage: Hashable, Sendable, Decodable {
    public let data: [BeatraTask]
    public let hasMore: Bool

    public init(data: [BeatraTask], hasMore: Bool) {
        self.data = data
        self.hasMore = hasMore
    }

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

/// Your tasks, newest first, one page at a time, as an `AsyncSequence`; ``tasks`` flattens it.
///
/// ```swift
/// for try await page in beatra.taskPages(limit: 50) {
///     print(page.data.count, "tasks")
/// }
/// for try await task in beatra.taskPages().tasks where task.status == .succeeded {
///     print(task.id, task.clips.count)
/// }
/// ```
///
/// Pages are fetched only as you iterate; iteration ends after a page without `has_more` (or an
/// empty one, so a server that keeps saying `has_more` cannot loop it forever).
public struct BeatraTaskPages: AsyncSequence, Sendable {
    public typealias Element = BeatraTaskPage

    let fetch: @Sendable (_ after: String?) async throws -> BeatraTaskPage

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch)
    }

    /// Every task of every page.
    public var tasks: BeatraTaskList {
        BeatraTaskList(pages: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (String?) async throws -> BeatraTaskPage
        var cursor: String?
        var finished = false

        public mutating func next() async throws -> BeatraTaskPage? {
            guard !finished else { return nil }
            let page = try await fetch(cursor)
            cursor = page.nextCursor
            finished = cursor == nil
            return page
        }
    }
}

/// Every task of ``BeatraTaskPages``, one at a time.
///
/// ```swift
/// for try await task in beatra.taskPages().tasks { print(task.id) }
/// ```
public struct BeatraTaskList: AsyncSequence, Sendable {
    public typealias Element = BeatraTask

    let pages: BeatraTaskPages

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: BeatraTaskPages.AsyncIterator
        var buffer: [BeatraTask] = []

        public mutating func next() async throws -> BeatraTask? {
            while buffer.isEmpty {
                guard let page = try await pages.next() else { return nil }
                buffer = page.data
            }
            return buffer.removeFirst()
        }
    }
}
