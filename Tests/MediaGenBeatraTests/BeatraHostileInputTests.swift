import Foundation
import MediaGenBeatra
import MediaGenCore
import TestSupport
import Testing

/// Non-finite numbers never reach Beatra: free-form JSON is checked as it is encoded.
@Suite("Beatra hostile input")
struct BeatraHostileInputTests {
    @Test func aNaNInMetadataIsRefusedNamingTheField() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        var request = BeatraMusicRequest(model: .suno55, prompt: "dream pop")
        request.metadata = ["scores": [1, .number(.nan)]]
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == "metadata.scores[1]")
        #expect(error?.provider == .beatra)
        #expect(harness.requests.isEmpty)
    }

    @Test func aNaNInFreeFormModelOptionsIsRefusedNamingTheField() async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let options: MinimaxOptions = ["temperature": .number(Decimal(Double.nan))]
        let request = BeatraMusicRequest(model: .minimaxMusic26, prompt: "lo-fi piano", modelOptions: options)
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == "model_options.minimax.temperature")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteStyleWeightIsRefused(weight: Double) async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(
            model: .suno55, prompt: "dream pop", modelOptions: SunoOptions(styleWeight: weight))
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == "model_options.suno.style_weight")
        #expect(harness.requests.isEmpty)
    }
}
