import Foundation
import MediaGenCore
import MediaGenSkytells
import TestSupport
import Testing

@Suite("Skytells input rules")
struct SkytellsInputTests {
    static let face = URL(string: "https://cdn.example.com/face.png")
    static let voice = URL(string: "https://cdn.example.com/voice.mp3")

    static let badMusic: [(String, BeatFusionInput, String)] = [
        ("empty prompt", BeatFusionInput(prompt: "  "), "prompt"),
        ("too short", BeatFusionInput(prompt: "jazz", duration: .seconds(4)), "duration_seconds"),
        ("too long", BeatFusionInput(prompt: "jazz", duration: .seconds(121)), "duration_seconds"),
        ("fractional", BeatFusionInput(prompt: "jazz", duration: .milliseconds(10_500)), "duration_seconds"),
        ("slow tempo", BeatFusionInput(prompt: "jazz", bpm: 5), "bpm"),
        ("fast tempo", BeatFusionInput(prompt: "jazz", bpm: 500), "bpm"),
        ("bad key", BeatFusionInput(prompt: "jazz", key: "H major"), "key"),
    ]

    @Test(arguments: badMusic)
    func badMusicIsRefusedBeforeSendingNamingTheField(_ label: String, input: BeatFusionInput, field: String) async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let error = await mediaError { try await harness.client.createPrediction(.beatFusion2, input: input) }
        guard case .invalidRequest = error?.kind else {
            Issue.record("\(label): expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: ["C major", "F# minor", "Bb", "a minor", "Ebm", "G♯ maj"])
    func musicalKeysInCommonSpellingsAreAccepted(key: String) throws {
        try BeatFusionInput(prompt: "jazz", key: key).validate(for: .beatFusion2)
    }

    @Test(arguments: [5, 30, 120])
    func musicDurationsInRangeAreAccepted(seconds: Int) throws {
        try BeatFusionInput(prompt: "jazz", duration: .seconds(seconds)).validate(for: .beatFusion1)
    }

    static let badVideo: [(String, SkytellsModelID, SkytellsVideoInput, String)] = [
        ("no prompt", .trueFusionVideoPro, SkytellsVideoInput(prompt: ""), "prompt"),
        (
            "too short", .trueFusionVideoPro, SkytellsVideoInput(prompt: "forest", duration: .seconds(2)),
            "duration_seconds"
        ),
        ("too long", .sora2, SkytellsVideoInput(prompt: "forest", duration: .seconds(31)), "duration_seconds"),
        ("fps", .mera, SkytellsVideoInput(prompt: "forest", fps: 60), "fps"),
        ("lipfusion without face", .lipFusion, SkytellsVideoInput(prompt: "talk", audio: voice), "face"),
        ("lipfusion without audio", .lipFusion, SkytellsVideoInput(prompt: "talk", face: face), "audio"),
        (
            "lipfusion with a local file", .lipFusion,
            SkytellsVideoInput(prompt: "talk", face: URL(fileURLWithPath: "/tmp/face.png"), audio: voice), "face"
        ),
        ("face on another model", .lumo, SkytellsVideoInput(prompt: "talk", face: face), "face"),
        ("video input for music", .beatFusion2, SkytellsVideoInput(prompt: "forest"), "model"),
    ]

    @Test(arguments: badVideo)
    func badVideoIsRefusedBeforeSendingNamingTheField(
        _ label: String,
        model: SkytellsModelID,
        input: SkytellsVideoInput,
        field: String
    ) async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let error = await mediaError { try await harness.client.createPrediction(model, input: input) }
        guard case .invalidRequest = error?.kind else {
            Issue.record("\(label): expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test func lipFusionTakesAFaceAndAnAudioURL() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let face = try #require(Self.face)
        let voice = try #require(Self.voice)
        _ = try await harness.client.createPrediction(
            .lipFusion, input: SkytellsVideoInput.lipSync(face: face, audio: voice, prompt: "natural"))
        #expect(
            harness.requests.first?.jsonBody?["input"] == [
                "prompt": "natural", "face": "https://cdn.example.com/face.png",
                "audio": "https://cdn.example.com/voice.mp3",
            ]
        )
    }

    @Test func aJSONInputMustBeAnObject() async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let error = await mediaError { try await harness.client.createPrediction("custom", input: JSONValue.array([])) }
        #expect(error?.kind == .invalidRequest(field: "input", reason: "a Skytells input is a JSON object"))
    }

    @Test func aMusicRequestMapsToBeatFusion() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let request = MusicRequest(
            prompt: "lo-fi", duration: .seconds(60), seed: 3, bpm: 85, key: "C major", lyrics: "hey")
        _ = try await harness.client.generateMusic(request)
        #expect(
            harness.requests.first?.jsonBody == [
                "model": "beatfusion-2.0",
                "input": [
                    "prompt": "lo-fi", "duration_seconds": 60, "seed": 3, "bpm": 85, "key": "C major", "lyrics": "hey",
                ],
            ]
        )
    }

    @Test(arguments: [
        (MusicRequest(prompt: "lo-fi", negativePrompt: "drums"), "negativePrompt"),
        (MusicRequest(prompt: "lo-fi", instrumental: true), "instrumental"),
        (MusicRequest(prompt: "lo-fi", title: "Study"), "title"),
    ])
    func musicFieldsBeatFusionLacksAreRefusedNotDropped(request: MusicRequest, field: String) async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let error = await mediaError { try await harness.client.generateMusic(request) }
        guard case .invalidRequest = error?.kind else {
            Issue.record("expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test func aVideoRequestMapsToTheDefaultVideoModel() async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let request = VideoRequest(
            prompt: "drone flyover", duration: .seconds(10), aspectRatio: "9:16", fps: 30, negativePrompt: "blur")
        _ = try await harness.client.generateVideo(request)
        #expect(
            harness.requests.first?.jsonBody == [
                "model": "truefusion-video-pro",
                "input": [
                    "prompt": "drone flyover", "duration_seconds": 10, "aspect_ratio": "9:16", "fps": 30,
                    "negative_prompt": "blur",
                ],
            ]
        )
    }

    @Test func anUnknownAspectRatioIsRefused() {
        #expect(throws: MediaGenError.self) {
            try SkytellsHarness(fixtures: []).client.estimateCost(of: VideoRequest(prompt: "x", aspectRatio: "21:9"))
        }
    }
}
