import Foundation
import MediaGenCore
import Testing

/// The event-stream parsing rules of the HTML standard ("Parsing an event stream"), which fal's
/// status stream is read by.
@Suite("Server-sent events")
struct ServerSentEventParserTests {
    static func parse(_ pieces: [String]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return try pieces.flatMap { try parser.feed(Data($0.utf8)) }
    }

    @Test(
        arguments: [
            (["data: one\n\n"], [ServerSentEvent(data: "one")]),
            (["data: one\r\n\r\n"], [ServerSentEvent(data: "one")]),
            (["data: one\r\r"], [ServerSentEvent(data: "one")]),
            // A CR and its LF in different pieces end one line, not two.
            (
                ["data: one\r", "\n\r", "\ndata: two\n\n"],
                [ServerSentEvent(data: "one"), ServerSentEvent(data: "two")]
            ),
            (["data: a\ndata:b\ndata:  c\n\n"], [ServerSentEvent(data: "a\nb\n c")]),
            (["event: status\nid: 7\ndata: {}\n\n"], [ServerSentEvent(event: "status", data: "{}", id: "7")]),
            ([": keep-alive\n\n", "data: x\n\n"], [ServerSentEvent(data: "x")]),
            (["event: ping\n\n", "data: y\n\n"], [ServerSentEvent(data: "y")]),  // no data: not dispatched
            (["\u{FEFF}data: bom\n\n"], [ServerSentEvent(data: "bom")]),
            (["data\n\n"], [ServerSentEvent(data: "")]),
            (["retry: 10\nunknown: z\ndata: w\n\n"], [ServerSentEvent(data: "w")]),
            (["data: unfinished\n"], []),  // no blank line before the end: dropped
            (["da", "ta: split ", "across\n", "\n"], [ServerSentEvent(data: "split across")]),
        ] as [([String], [ServerSentEvent])])
    func eventsAreReadAsTheStandardSays(pieces: [String], events: [ServerSentEvent]) throws {
        #expect(try Self.parse(pieces) == events)
    }

    @Test func theLastIDCarriesOverToLaterEvents() throws {
        #expect(try Self.parse(["id: 1\ndata: a\n\ndata: b\n\n"]).map(\.id) == ["1", "1"])
    }

    @Test func aLineThatNeverEndsIsRefusedPastTheLimit() {
        var parser = ServerSentEventParser(maximumLineLength: 64)
        #expect(throws: ServerSentEventParser.LineTooLong(limit: 64)) {
            _ = try parser.feed(Data(repeating: UInt8(ascii: "x"), count: 65))
        }
        var growing = ServerSentEventParser(maximumLineLength: 64)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            for _ in 0..<10 { _ = try growing.feed(Data("data: 0123456789\n".utf8)) }
        }
    }

    @Test func eventsAreReadFromAStreamedBody() async throws {
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.yield(Data("data: {\"status\": \"IN_QUEUE\"}\n".utf8))
        continuation.yield(Data("\ndata: {\"status\": \"COMPLETED\"}\n\n".utf8))
        continuation.finish()
        var seen: [String] = []
        for try await event in ServerSentEvents(body, transform: { ServerSentEvent(data: $0.data.uppercased()) }) {
            seen.append(event.data)
        }
        #expect(seen == [#"{"STATUS": "IN_QUEUE"}"#, #"{"STATUS": "COMPLETED"}"#])
    }
}
