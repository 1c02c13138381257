import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import Testing

@Suite("fal catalog")
struct FalCatalogTests {
    @Test func beatovenIsListedAsMusicWithAnUnknownPriceAndNoInventedLatency() throws {
        let model = try #require(FalAppID.beatovenMusicGeneration.descriptor)
        #expect(model.id == "beatoven/music-generation")
        #expect(model.provider == .fal)
        #expect(model.kind == .music)
        #expect(model.price == nil)
        #expect(model.estimateCost(duration: .seconds(30)) == nil)
        #expect(model.typicalLatency == nil)
        #expect(model.durationRange == .seconds(5)...(.seconds(150)))
        #expect(model.description.contains("price unknown"))
        #expect(FalClient(apiKey: testKey).catalog == FalCatalog.models)
        #expect(FalCatalog.models.count == 1)
    }

    @Test func aSubpathOfADocumentedAppFindsItsEntryAndOtherAppsNone() {
        #expect(FalAppID("beatoven/music-generation/stems").descriptor?.id == "beatoven/music-generation")
        #expect(FalAppID("fal-ai/stable-audio").descriptor == nil)
        #expect(FalAppID("fal-ai/whisper/stems").queueApp == "fal-ai/whisper")
        #expect(FalAppID("/fal-ai/whisper/").segments == ["fal-ai", "whisper"])
    }

    @Test func withNoPublishedLatencyRequestsArePolledAtTheDefaultPace() async throws {
        let client = FalClient(apiKey: testKey)
        #expect(client.pollingPolicy(for: seedHandle) == .default)
        // Not fal's own 0.1 s.
        #expect(PollingPolicy.default.firstDelay == .seconds(2))
    }
}
