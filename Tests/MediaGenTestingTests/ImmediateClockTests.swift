import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

struct ImmediateClockTests {
    @Test func aNewClockStartsAtZeroWithNoSleeps() {
        let clock = ImmediateClock()

        #expect(clock.now == ImmediateClock.Instant(offset: .zero))
        #expect(clock.elapsed == .zero)
        #expect(clock.sleeps.isEmpty)
        #expect(clock.minimumResolution == .zero)
    }

    // A century of virtual sleep: were it real, the time limit would end the test long before.
    @Test(.timeLimit(.minutes(5)))
    func sleepReturnsAtOnceAndMovesTimeForward() async throws {
        let clock = ImmediateClock()
        let century = Duration.seconds(100 * 365 * 86_400)

        try await clock.sleep(for: century)

        #expect(clock.now.offset == century)
        #expect(clock.elapsed == century)
    }

    @Test func sleepsRecordsEachDurationInOrder() async throws {
        let clock = ImmediateClock()
        let schedule: [Duration] = [.seconds(36), .milliseconds(4800), .milliseconds(250), .seconds(36)]

        for duration in schedule {
            try await clock.sleep(for: duration)
        }

        #expect(clock.sleeps == schedule)
        #expect(clock.elapsed == .milliseconds(77_050))
    }

    @Test func sleepingUntilAFutureDeadlineRecordsTheTimeToIt() async throws {
        let clock = ImmediateClock()
        clock.advance(by: .seconds(10))

        try await clock.sleep(until: ImmediateClock.Instant(offset: .seconds(25)), tolerance: nil)

        #expect(clock.sleeps == [.seconds(15)])
        #expect(clock.now.offset == .seconds(25))
    }

    @Test(arguments: [Duration.seconds(10), .seconds(3), .zero])
    func sleepingUntilAPastDeadlineRecordsZeroAndKeepsTime(deadline: Duration) async throws {
        let clock = ImmediateClock()
        clock.advance(by: .seconds(10))

        try await clock.sleep(until: ImmediateClock.Instant(offset: deadline), tolerance: nil)

        #expect(clock.sleeps == [.zero])
        #expect(clock.now.offset == .seconds(10))
    }

    @Test func advanceMovesTimeWithoutRecordingASleep() async throws {
        let clock = ImmediateClock()

        clock.advance(by: .seconds(5))
        try await clock.sleep(for: .seconds(1))
        clock.advance(by: .milliseconds(500))

        #expect(clock.now.offset == .milliseconds(6500))
        #expect(clock.sleeps == [.seconds(1)])
    }

    @Test func aCancelledTasksSleepThrowsCancellationErrorAndMovesNothing() async {
        let clock = ImmediateClock()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(30))
        }

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeps.isEmpty)
        #expect(clock.elapsed == .zero)
    }

    @Test func itIsUsableAsAnyClockOfDuration() async throws {
        let clock = ImmediateClock()
        let erased: any Clock<Duration> = clock

        try await erased.sleep(for: .seconds(2))
        try await Self.sleepTwice(on: erased, for: .milliseconds(300))

        #expect(clock.sleeps == [.seconds(2), .milliseconds(300), .milliseconds(300)])
        #expect(clock.elapsed == .milliseconds(2600))
    }

    @Test func instantsCompareAndMeasureByOffset() {
        let early = ImmediateClock.Instant(offset: .seconds(1))
        let late = early.advanced(by: .milliseconds(1500))

        #expect(early < late)
        #expect(early.duration(to: late) == .milliseconds(1500))
        #expect(late.duration(to: early) == .milliseconds(-1500))
        #expect(late == ImmediateClock.Instant(offset: .milliseconds(2500)))
    }

    // Concurrent sleepers share one virtual time: a sleep that starts before another one's deadline
    // has passed records only what is left of it, so the recorded sleeps always add up to `elapsed`.
    @Test func concurrentSleepersAreAllRecorded() async throws {
        let clock = ImmediateClock()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { try await clock.sleep(for: .seconds(1)) }
            }
            try await group.waitForAll()
        }

        #expect(clock.sleeps.count == 100)
        #expect(clock.sleeps.allSatisfy { $0 >= .zero && $0 <= .seconds(1) })
        #expect(clock.sleeps.reduce(.zero, +) == clock.elapsed)
        #expect(clock.elapsed >= .seconds(1) && clock.elapsed <= .seconds(100))
    }

    @Test func concurrentSleepersEndAtTheLatestDeadline() async throws {
        let clock = ImmediateClock()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for second in 1...100 {
                group.addTask {
                    try await clock.sleep(until: ImmediateClock.Instant(offset: .seconds(second)), tolerance: nil)
                }
            }
            try await group.waitForAll()
        }

        #expect(clock.sleeps.count == 100)
        #expect(clock.now.offset == .seconds(100))
        #expect(clock.sleeps.reduce(.zero, +) == .seconds(100))
    }

    private static func sleepTwice<C: Clock<Duration>>(on clock: C, for duration: Duration) async throws {
        try await clock.sleep(for: duration)
        try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
    }
}
