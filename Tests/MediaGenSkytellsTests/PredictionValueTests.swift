import Foundation
import MediaGenCore
import MediaGenSkytells
import Testing

/// `Prediction` keeps what Skytells sent behind one reference (so that the async frames following
/// it stay small, see `FollowedTaskFootprintTests` in the reliability tests); it is still a value.
@Suite("Prediction as a value")
struct PredictionValueTests {
    @Test func aPredictionComparesAndHashesByWhatWasDecoded() throws {
        let reader = JSONReader()
        let first = try reader.decode(Prediction.self, from: try fixture("prediction-succeeded-list"))
        let again = try reader.decode(Prediction.self, from: try fixture("prediction-succeeded-list"))
        let other = try reader.decode(Prediction.self, from: try fixture("prediction-queued"))
        #expect(first == again)
        #expect(first.hashValue == again.hashValue)
        #expect(first != other)
        #expect(Set([first, again, other]).count == 2)
    }
}
