import Foundation
import MediaGenCore
import Testing

/// Provider timestamps are read with a format style made once; what they read must be what
/// `ISO8601DateFormatter` (the previous reader) gives, to the millisecond.
struct TimestampTests {
    @Test(arguments: [
        "2026-11-24T02:23:54.579Z", "2026-11-24T02:23:54Z", "2026-11-24T02:23:54+02:00", "2026-11-24T02:23:54.5+02:00",
        "2026-11-24T02:23:54.123456Z", "2026-11-24T02:23:54.579z", "2026-11-24T02:23:54.579+0200",
        " 2026-11-24T02:23:54Z ",
    ])
    func readsWhatISO8601DateFormatterReads(text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let withFraction = formatter.date(from: text.trimmingCharacters(in: .whitespaces))
        formatter.formatOptions = [.withInternetDateTime]
        let expected = try #require(withFraction ?? formatter.date(from: text.trimmingCharacters(in: .whitespaces)))
        let read = try #require(Timestamp.date(fromISO8601: text))
        #expect(abs(read.timeIntervalSince(expected)) < 0.001)
    }

    @Test(arguments: [
        "", "garbage", "2026-11-24", "2026-11-24T02:23:54", "2026-11-24 02:23:54Z", "2026-11-24T02:23Z",
        "2026-11-24T02:23:54.Z", "20261124T022354Z",
    ])
    func refusesWhatIsNotAnInternetDateTime(text: String) {
        #expect(Timestamp.date(fromISO8601: text) == nil)
    }

    @Test func nothingReadsAsNothing() {
        #expect(Timestamp.date(fromISO8601: nil) == nil)
    }
}
