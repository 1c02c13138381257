import Foundation

/// One event of a `text/event-stream` answer (server-sent events).
///
/// ```swift
/// var parser = ServerSentEventParser()
/// for event in try parser.feed(Data("event: status\ndata: {\"status\": \"IN_QUEUE\"}\n\n".utf8)) {
///     print(event.event, event.data)   // status {"status": "IN_QUEUE"}
/// }
/// ```
public struct ServerSentEvent: Hashable, Sendable {
    /// The event's type: its `event:` field, `message` when it has none.
    public var event: String
    /// Its `data:` lines, joined with line feeds.
    public var data: String
    /// The last `id:` the stream gave, if any.
    public var id: String?

    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Reads server-sent events out of a body that arrives in pieces, as the HTML standard's "parsing
/// an event stream" does: lines end with CRLF, LF or CR (also when a CR and its LF arrive in
/// different pieces); `data:` lines accumulate until a blank line dispatches the event; a line
/// starting with `:` is a comment (a keep-alive); one space after the colon is dropped; an event
/// with no data is not dispatched; an unfinished event at the end of the stream is dropped.
///
/// ```swift
/// var parser = ServerSentEventParser()
/// var events = try parser.feed(Data("data: one\r\n\r\ndata: tw".utf8))   // [one]
/// events += try parser.feed(Data("o\n\n".utf8))                          // [two]
/// ```
///
/// A line longer than `maximumLineLength` bytes, or an event whose data grows past it, throws
/// ``LineTooLong``: a server that never ends a line cannot make the reader hold it all.
public struct ServerSentEventParser: Sendable {
    /// A line or an event's data grew past ``ServerSentEventParser/maximumLineLength``.
    public struct LineTooLong: Error, Hashable, Sendable {
        public var limit: Int

        public init(limit: Int) {
            self.limit = limit
        }
    }

    /// The longest line, and the most data an event may carry, in bytes: 1 MiB.
    public let maximumLineLength: Int
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var atStart = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""
    private var lastID: String?

    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// The events completed by `chunk`, in order.
    public mutating func feed(_ chunk: Data) throws(LineTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk {
            switch byte {
            case UInt8(ascii: "\n") where lastWasCR:
                lastWasCR = false
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                lastWasCR = byte == UInt8(ascii: "\r")
                if let event = try endLine() { events.append(event) }
            default:
                lastWasCR = false
                guard line.count < maximumLineLength else { throw LineTooLong(limit: maximumLineLength) }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() throws(LineTooLong) -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            // A byte-order mark may open the stream, and only the stream.
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        guard line.first != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch name {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            guard data.count + value.count < maximumLineLength else { throw LineTooLong(limit: maximumLineLength) }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "id" where !value.contains(0):
            lastID = String(decoding: value, as: UTF8.self)
        default:
            break  // `retry` and unknown fields: nothing to keep here
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            event: eventType.isEmpty ? "message" : eventType, data: String(decoding: data, as: UTF8.self), id: lastID)
    }
}

/// The events of a streamed answer, parsed as they arrive.
///
/// ```swift
/// let answer = try await URLSessionTransport().stream(HTTPRequest(method: .get, url: eventsURL))
/// for try await event in ServerSentEvents(answer.body) {
///     print(event.event, event.data)
/// }
/// ```
///
/// It ends when the body ends; an unfinished last event is dropped, as the standard says.
public struct ServerSentEvents: AsyncSequence, Sendable {
    public typealias Element = ServerSentEvent

    private let body: AsyncThrowingStream<Data, any Error>
    private let transform: @Sendable (ServerSentEvent) -> ServerSentEvent

    /// The events of `body`, each passed through `transform` (which the SDK uses to remove
    /// credentials a server echoed).
    public init(
        _ body: AsyncThrowingStream<Data, any Error>,
        transform: @escaping @Sendable (ServerSentEvent) -> ServerSentEvent = { $0 }
    ) {
        self.body = body
        self.transform = transform
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: body.makeAsyncIterator(), transform: transform)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var body: AsyncThrowingStream<Data, any Error>.AsyncIterator
        let transform: @Sendable (ServerSentEvent) -> ServerSentEvent
        var parser = ServerSentEventParser()
        var ready: [ServerSentEvent] = []

        public mutating func next() async throws -> ServerSentEvent? {
            while ready.isEmpty {
                guard let piece = try await body.next() else { return nil }
                ready = try parser.feed(piece)
            }
            return transform(ready.removeFirst())
        }
    }
}
