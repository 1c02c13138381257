import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal
import MediaGenSkytells
import Testing

/// What a followed task's async frames hold stays small. A Swift task keeps its deepest frames for
/// as long as it lives, so every byte of these values held in a frame between polls is paid once
/// per followed task: laid out inline, they made each of 10,000 followed predictions cost about
/// 8 KiB more (figure 4 in Documentation/Performance.md, "Figure 4 at 10,000 tasks").
@Suite("Followed task footprint")
struct FollowedTaskFootprintTests {
    @Test func theErrorTheIntentAndTheExecutorAreOneWordEach() {
        #expect(MemoryLayout<MediaGenError>.size == 8)  // 648 bytes inline
        #expect(MemoryLayout<RequestIntent>.size == 8)  // 93
        #expect(MemoryLayout<RequestExecutor>.size == 8)  // 560
    }

    @Test func everyProvidersTaskIsOneWordOrClose() {
        #expect(MemoryLayout<Prediction>.size == 8)  // 264 bytes inline
        #expect(MemoryLayout<BeatAPITask>.size == 8)  // 544
        #expect(MemoryLayout<BeatraTask>.size == 8)  // 520
        #expect(MemoryLayout<FalRequest>.size <= 200)  // its URLs and output; fal follows a task by stream
    }

    @Test func everyClientIsAFewWords() {
        // The executor was most of each: a copy of the client goes into every poll closure.
        #expect(MemoryLayout<SkytellsClient>.size <= 80)  // 624
        #expect(MemoryLayout<BeatAPIClient>.size <= 80)
        #expect(MemoryLayout<BeatraClient>.size <= 80)
        #expect(MemoryLayout<FalClient>.size <= 160)  // two executors and fal's storage state
    }
}
