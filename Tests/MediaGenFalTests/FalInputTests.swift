import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

@Suite("fal inputs checked before sending")
struct FalInputTests {
    @Test(arguments: [
        (BeatovenInput(prompt: ""), "prompt"),
        (BeatovenInput(prompt: "  \n "), "prompt"),
        (BeatovenInput(prompt: "jazz", duration: .milliseconds(4_999)), "duration"),
        (BeatovenInput(prompt: "jazz", duration: .milliseconds(150_001)), "duration"),
        (BeatovenInput(prompt: "jazz", duration: .zero), "duration"),
        (BeatovenInput(prompt: "jazz", creativity: .nan), "creativity"),
        (BeatovenInput(prompt: "jazz", creativity: .infinity), "creativity"),
    ])
    func invalidBeatovenInputsNameTheirFieldAndSendNothing(input: BeatovenInput, field: String) async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError { try await harness.client.createRequest(.beatovenMusicGeneration, input: input) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .fal)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [Duration.seconds(5), .seconds(150), .milliseconds(42_250)])
    func theWholeDocumentedDurationRangeIsAccepted(duration: Duration) throws {
        try BeatovenInput(prompt: "jazz", duration: duration).validate()
    }

    @Test func unsetFieldsAreLeftForFalsDefaults() throws {
        let body = try JSONDecoder().decode(
            JSONValue.self, from: JSONEncoder().encode(BeatovenInput(prompt: "Lo-fi hip hop")))
        #expect(body == ["prompt": "Lo-fi hip hop"])
        #expect(BeatovenInput.defaultDuration == .seconds(90))
        #expect(BeatovenInput.defaultRefinement == 100)
        #expect(BeatovenInput.defaultCreativity == 16)
    }

    @Test(
        arguments: [
            (["duration": 90] as JSONValue, "prompt"),
            (["prompt": 5], "prompt"),
            (["prompt": ""], "prompt"),
            (["prompt": "jazz", "negative_prompt": 1], "negative_prompt"),
            (["prompt": "jazz", "duration": "90"], "duration"),
            (["prompt": "jazz", "duration": 151], "duration"),
            (["prompt": "jazz", "duration": 4.5], "duration"),
            (["prompt": "jazz", "creativity": "high"], "creativity"),
            (["prompt": "jazz", "refinement": 2.5], "refinement"),
            (["prompt": "jazz", "seed": "7"], "seed"),
            ("just text", "input"),
        ] as [(JSONValue, String)])
    func untypedInputsToBeatovenAreCheckedAgainstItsSchema(input: JSONValue, field: String) async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError {
            try await harness.client.createRequest(FalJSONApp("beatoven/music-generation"), input: input)
        }
        #expect(error?.kind.field == field, "\(input)")
        #expect(harness.requests.isEmpty)
    }

    @Test func aValidUntypedBeatovenInputIsSentAsIs() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let input: JSONValue = ["prompt": "jazz", "duration": 12.5, "refinement": 80, "creativity": 9, "seed": 1]
        _ = try await harness.client.createRequest(FalJSONApp("beatoven/music-generation"), input: input)
        #expect(harness.requests.first?.jsonBody == input)
    }

    @Test func otherAppsOnlyNeedAJSONObject() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        _ = try await harness.client.createRequest(FalJSONApp("fal-ai/anything"), input: ["whatever": [1, 2]])
        let error = await mediaError {
            try await harness.client.createRequest(FalJSONApp("fal-ai/anything"), input: [1, 2])
        }
        #expect(error?.kind.field == "input")
        #expect(harness.requests.count == 1)
    }

    @Test func aTypedAppsOwnValidationRunsBeforeSending() async {
        struct Speech: Encodable, Sendable { var text: String }
        let app = FalApp<Speech, JSONValue>("fal-ai/some-tts") { input throws(MediaGenError) in
            if input.text.isEmpty { throw .invalidInput("text", "say something", provider: .fal) }
        }
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError { try await harness.client.createRequest(app, input: Speech(text: "")) }
        #expect(error?.kind.field == "text")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [
        (MusicRequest(prompt: "jazz", bpm: 120), "bpm"),
        (MusicRequest(prompt: "jazz", key: "C major"), "key"),
        (MusicRequest(prompt: "jazz", lyrics: "la la"), "lyrics"),
        (MusicRequest(prompt: "jazz", instrumental: false), "instrumental"),
        (MusicRequest(prompt: "jazz", title: "Night"), "title"),
        (MusicRequest(prompt: "jazz", model: "fal-ai/stable-audio"), "model"),
        (MusicRequest(prompt: "jazz", duration: .seconds(200)), "duration"),
        (MusicRequest(prompt: " "), "prompt"),
    ])
    func musicRequestsBeatovenCannotHonourAreRefusedNamingTheField(request: MusicRequest, field: String) async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError { try await harness.client.generateMusic(request) }
        #expect(error?.kind.field == field)
        #expect(throws: MediaGenError.self) { try harness.client.estimateCost(of: request) }
        #expect(harness.requests.isEmpty)
    }

    @Test func aMusicRequestMapsToBeatovensInput() async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let request = MusicRequest(
            prompt: "Hip-hop music, mellow keys and vinyl crackle", duration: .seconds(30),
            model: "beatoven/music-generation", negativePrompt: "drums", seed: 3, instrumental: true)
        let submitted = try await harness.client.generateMusic(request)
        #expect(submitted.app == .beatovenMusicGeneration)
        #expect(try harness.client.estimateCost(of: request) == nil)
        let sent = try #require(harness.requests.first)
        #expect(sent.url.absoluteString == "https://queue.fal.run/beatoven/music-generation")
        #expect(
            sent.jsonBody == [
                "prompt": "Hip-hop music, mellow keys and vinyl crackle", "negative_prompt": "drums", "duration": 30,
                "seed": 3,
            ])
    }

    @Test(arguments: [
        // Plain http to a public host is refused: fal would post the result in clear text.
        ("https", true), ("http", false), ("ftp", false), ("file", false),
    ])
    func webhooksMustBeHTTP(scheme: String, accepted: Bool) async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let url = try #require(URL(string: "\(scheme)://example.com/hook"))
        let error = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), webhookURL: url)
        }
        #expect((error == nil) == accepted)
        if !accepted { #expect(error?.kind.field == "webhookURL") }
    }

    @Test func aNonPositiveStartTimeoutIsRefused() async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let error = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), startTimeout: .zero)
        }
        #expect(error?.kind.field == "startTimeout")
        #expect(harness.requests.isEmpty)
    }
}
