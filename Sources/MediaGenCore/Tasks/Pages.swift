/// One page of a provider's list: its items and the cursor of the page after it.
///
/// ```swift
/// struct NumberPage: ListPage {
///     var items: [Int]
///     var nextCursor: Int?
/// }
/// let pages = Pages<NumberPage> { cursor in
///     let start = cursor ?? 0
///     return NumberPage(items: Array(start..<start + 3), nextCursor: start < 6 ? start + 3 : nil)
/// }
/// for try await number in pages.items { print(number) }   // 0 through 8
/// ```
///
/// Skytells' `PredictionPage` (a page number), Beatra's `BeatraTaskPage` (the last id, sent as
/// `after`) and every later list conform, so every client lists the same way: `<nouns>(…)` for the
/// items, `<noun>Pages(…)` for whole pages.
public protocol ListPage: Sendable {
    associatedtype Item: Sendable
    /// What asks the provider for the next page: a page number, an id, an opaque token.
    associatedtype Cursor: Hashable & Sendable

    /// The page's items, in the provider's order.
    var items: [Item] { get }
    /// The cursor of the page after this one; `nil` on the last page.
    var nextCursor: Cursor? { get }
}

/// A provider's list, page after page, as an `AsyncSequence`: each page is fetched only when the
/// iteration reaches it.
///
/// ```swift
/// func count<Page: ListPage>(_ pages: Pages<Page>) async throws -> Int {
///     var total = 0
///     for try await page in pages { total += page.items.count }
///     return total
/// }
/// ```
///
/// Iteration ends after a page with no next cursor, after an empty page, or when a provider hands
/// back the cursor it was just asked with — so a server that keeps saying "more" cannot loop it
/// forever.
public struct Pages<Page: ListPage>: AsyncSequence, Sendable {
    public typealias Element = Page

    let first: Page.Cursor?
    let fetch: @Sendable (Page.Cursor?) async throws -> Page

    /// Pages fetched by `fetch`, starting with `first` (`nil`: the provider's first page).
    public init(startingAt first: Page.Cursor? = nil, fetch: @escaping @Sendable (Page.Cursor?) async throws -> Page) {
        self.first = first
        self.fetch = fetch
    }

    /// Every item of every page, one at a time.
    public var items: PagedItems<Page> {
        PagedItems(pages: self)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, cursor: first)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (Page.Cursor?) async throws -> Page
        var cursor: Page.Cursor?
        var finished = false

        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            let page = try await fetch(cursor)
            let next = page.nextCursor
            finished = next == nil || page.items.isEmpty || next == cursor
            cursor = next
            return page
        }
    }
}

/// Every item of a ``Pages`` sequence, in order: what `<nouns>(…)` returns on every client.
///
/// ```swift
/// func firstItem<Page: ListPage>(of pages: Pages<Page>) async throws -> Page.Item? {
///     for try await item in pages.items { return item }
///     return nil
/// }
/// ```
public struct PagedItems<Page: ListPage>: AsyncSequence, Sendable {
    public typealias Element = Page.Item

    /// The pages the items come from (for their cursors).
    public let pages: Pages<Page>

    public init(pages: Pages<Page>) {
        self.pages = pages
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: Pages<Page>.AsyncIterator
        var buffer: [Page.Item] = []
        var index = 0

        public mutating func next() async throws -> Page.Item? {
            while index == buffer.count {
                guard let page = try await pages.next() else { return nil }
                buffer = page.items
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
