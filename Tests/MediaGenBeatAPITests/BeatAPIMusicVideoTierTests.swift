import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The standard and premium tiers' fields, limits and combination limits, as BeatAPI's published
/// description states them: each broken rule is refused before anything is sent, naming its field.
@Suite("BeatAPI music-video tiers")
struct BeatAPIMusicVideoTierTests {
    static let image = FileSource.url(Sample.image)
    static let face = FileSource.url(URL(string: "https://cdn.example.com/face.png")!)

    static func standard(_ change: (inout MusicVideoInput) -> Void = { _ in }) -> MusicVideoInput {
        var input = MusicVideoInput(images: [image], audio: .url(Sample.audio))
        change(&input)
        return input
    }

    static func premium(
        _ mode: BeatAPIMusicVideoMode?, images: Int = 0, faces: Int = 1,
        _ change: (inout MusicVideoInput) -> Void = { _ in }
    ) -> MusicVideoInput {
        var input = MusicVideoInput(images: Array(repeating: image, count: images), audio: .url(Sample.audio))
        input.tier = .premium
        input.premiumMode = mode
        input.lipReferences = Array(repeating: face, count: faces)
        change(&input)
        return input
    }

    static let refused: [(String, MusicVideoInput)] = [
        ("mv_tier", standard { $0.tier = "deluxe" }),
        // Standard: 1–7 images, no premium fields, its own enums and combinations.
        ("images", standard { $0.images = [] }),
        ("images", standard { $0.images = Array(repeating: image, count: 8) }),
        ("mv_mode", standard { $0.premiumMode = .sing }),
        ("lip_ref_urls", standard { $0.lipReferences = [face] }),
        ("language", standard { $0.language = "fr" }),
        ("quality", standard { $0.quality = "ultra" }),
        ("compose_mode", standard { $0.composeMode = "later" }),
        ("resolution", standard { $0.resolution = "4k" }),
        ("resolution", standard { ($0.resolution, $0.quality) = (.p540, .high) }),
        ("resolution", standard { ($0.resolution, $0.lipSync, $0.lipReference) = (.p540, true, face) }),
        ("lip_ref_url", standard { $0.lipSync = true }),
        ("lip_ref_url", standard { $0.lipReference = .url(URL(string: "http://cdn.example.com/face.png")!) }),
        ("srt_url", standard { $0.subtitleFile = .url(URL(string: "https://cdn.example.com/lyrics.txt")!) }),
        ("srt_url", standard { $0.subtitleFile = .url(URL(string: "https://10.0.0.8/lyrics.srt")!) }),
        ("duration", standard { $0.billingDuration = .seconds(9) }),
        ("duration", standard { $0.billingDuration = .seconds(181) }),
        ("duration", standard { $0.billingDuration = .milliseconds(30_500) }),
        // Shared: prompt, aspect ratio, subtitle colour.
        ("prompt", standard { $0.prompt = String(repeating: "a", count: 3001) }),
        ("prompt", standard { $0.prompt = "  " }),
        ("aspect_ratio", standard { $0.aspectRatio = "21:9" }),
        ("subtitle_color", standard { $0.subtitleColor = "white" }),
        // Premium: a mode, its image and lip-reference counts, 720p, no standard-only fields.
        ("mv_mode", premium(nil)),
        ("mv_mode", premium("rap")),
        ("images", premium(.sing, images: 7)),
        ("lip_ref_urls", premium(.sing, faces: 0)),
        ("lip_ref_urls", premium(.singPerform, faces: 3)),
        ("images", premium(.dance, images: 5, faces: 0)),
        ("images", premium(.perform, images: 7, faces: 0)),
        ("lip_ref_urls", premium(.dance, images: 6, faces: 1)),
        ("resolution", premium(.sing) { $0.resolution = .p1080 }),
        ("language", premium(.sing) { $0.language = .english }),
        ("quality", premium(.sing) { $0.quality = .standard }),
        ("lip_sync", premium(.sing) { $0.lipSync = false }),
        ("lip_ref_url", premium(.sing) { $0.lipReference = face }),
        ("srt_url", premium(.sing) { $0.subtitleFile = .url(URL(string: "https://cdn.example.com/a.srt")!) }),
        ("compose_mode", premium(.sing) { $0.composeMode = .auto }),
        ("duration", premium(.sing) { $0.billingDuration = .seconds(301) }),
        ("mv_tier", premium(.sing) { $0.additionalFields = ["mv_tier": "standard"] }),
    ]

    @Test(arguments: refused)
    func aBrokenTierRuleIsRefusedNamingItsFieldWithNothingSent(field: String, input: MusicVideoInput) async {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .beatAPI)
        #expect(harness.requests.isEmpty)
    }

    static let accepted: [(String, MusicVideoInput)] = [
        ("no prompt, no language (both optional)", standard()),
        ("seven images", standard { $0.images = Array(repeating: image, count: 7) }),
        ("3000-character prompt", standard { $0.prompt = String(repeating: "é", count: 3000) }),
        (
            "high quality at 1080p with lip sync",
            standard { ($0.quality, $0.lipSync, $0.lipReference, $0.resolution) = (.high, true, face, .p1080) }
        ),
        ("540p at standard quality", standard { ($0.resolution, $0.quality, $0.lipSync) = (.p540, .standard, false) }),
        (
            "manual compose, srt, 180 s fallback",
            standard {
                ($0.composeMode, $0.subtitleFile, $0.billingDuration) = (
                    .manual, .url(URL(string: "https://cdn.example.com/l.SRT")!), .seconds(180)
                )
            }
        ),
        ("sing with no scene image", premium(.sing)),
        ("sing_perform with six images and two faces", premium(.singPerform, images: 6, faces: 2)),
        ("dance with six images", premium(.dance, images: 6, faces: 0)),
        (
            "perform at 720p with a 300 s fallback",
            premium(.perform, images: 6, faces: 0) { ($0.resolution, $0.billingDuration) = (.p720, .seconds(300)) }
        ),
    ]

    @Test(arguments: accepted)
    func aValidTierInputPasses(name: String, input: MusicVideoInput) throws {
        try input.validate()
    }

    /// (fixture of a request body built from the schema, the input that must send it).
    static let bodies: [(String, MusicVideoInput)] = [
        (
            "music-video-request-standard",
            {
                var input = MusicVideoInput(
                    imageURLs: [URL(string: "https://media.example.com/reference.png")!],
                    audioURL: URL(string: "https://media.example.com/song.mp3")!,
                    prompt: "Cinematic nighttime performance with light trails.", language: .english,
                    resolution: .p1080)
                input.tier = .standard
                input.quality = .high
                input.style = "cinematic"
                input.aspectRatio = "9:16"
                input.lipSync = true
                input.lipReference = .url(URL(string: "https://media.example.com/face.png")!)
                input.subtitles = true
                input.subtitleColor = "#FFFFFF"
                input.subtitleFile = .url(URL(string: "https://media.example.com/lyrics.srt")!)
                input.composeMode = .manual
                input.billingDuration = .seconds(120)
                return input
            }()
        ),
        (
            "music-video-request-premium-sing",
            {
                var input = MusicVideoInput(
                    imageURLs: [URL(string: "https://media.example.com/stage.png")!],
                    audioURL: URL(string: "https://media.example.com/song.mp3")!,
                    prompt: "Night city chorus with brighter face lighting.", resolution: .p720)
                input.tier = .premium
                input.premiumMode = .sing
                input.lipReferences = [
                    .url(URL(string: "https://media.example.com/face.png")!),
                    .url(URL(string: "https://media.example.com/face-side.png")!),
                ]
                input.style = "anime"
                input.aspectRatio = "16:9"
                input.subtitles = false
                input.billingDuration = .seconds(240)
                return input
            }()
        ),
    ]

    @Test(arguments: bodies)
    func eachTierSendsItsSchemasFields(fixtureName: String, input: MusicVideoInput) async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        _ = try await harness.client.createTask(input)
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/music-video/tasks")
        #expect(request.json == (try fixtureJSON(fixtureName)))
    }

    /// (field, a local file BeatAPI's description does not accept for it).
    static let unacceptedFiles: [(String, MusicVideoInput)] = [
        ("images", standard { $0.images = [.data(Data([1]), fileName: "cover.gif")] }),
        ("audio_url", standard { $0.audio = .data(Data([1]), fileName: "song.ogg") }),
        ("lip_ref_url", standard { ($0.lipSync, $0.lipReference) = (true, .data(Data([1]), fileName: "face.bmp")) }),
        ("lip_ref_urls", premium(.sing, faces: 0) { $0.lipReferences = [.data(Data([1]), fileName: "face.gif")] }),
    ]

    @Test(arguments: unacceptedFiles)
    func aLocalFileOfATypeBeatAPIDoesNotTakeIsRefusedBeforeUploading(field: String, input: MusicVideoInput) async {
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("task-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test func aLocalSongOver50MBIsRefusedBeforeUploading() async throws {
        let song = try Sample.temporaryFile(named: "song.mp3", bytes: 16)
        defer { try? FileManager.default.removeItem(at: song.deletingLastPathComponent()) }
        let handle = try FileHandle(forWritingTo: song)
        try handle.truncate(atOffset: 50 * 1024 * 1024 + 1)  // sparse: nothing is written
        try handle.close()
        let harness = BeatAPIHarness(fixtures: [("file-audio", 201), ("task-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(Self.standard { $0.audio = .file(song) }) }
        #expect(error?.kind.field == "audio_url")
        #expect(harness.requests.isEmpty)
    }

    @Test func localLipReferencesAndSubtitlesAreUploadedAndSentInTheirFields() async throws {
        let face = try Sample.temporaryFile(named: "face.png")
        let lyrics = try Sample.temporaryFile(named: "lyrics.srt")
        defer {
            try? FileManager.default.removeItem(at: face.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: lyrics.deletingLastPathComponent())
        }
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("file-audio", 201), ("task-queued", 201)])
        let input = Self.standard {
            ($0.lipSync, $0.lipReference, $0.subtitleFile) = (true, .file(face), .file(lyrics))
        }
        _ = try await harness.client.createTask(input)
        #expect(harness.routes == ["POST /v1/files", "POST /v1/files", "POST /v1/music-video/tasks"])
        let body = try #require(harness.requests.last?.json)
        let uploaded = try fixtureJSON("file")["data"]?["url"]
        let uploadedAudio = try fixtureJSON("file-audio")["data"]?["url"]
        #expect(body["lip_ref_url"] == uploaded)
        #expect(body["srt_url"] == uploadedAudio)
        #expect(body["images"] == [JSONValue.string(Sample.image.absoluteString)])
    }
}

/// A song BeatAPI measured on upload (`audio_duration_seconds`) outside the tier's limits is refused
/// before the paid create is sent.
@Suite("BeatAPI song length by tier")
struct BeatAPISongLengthTests {
    /// (tier, measured seconds, whether the create is sent).
    static let lengths: [(BeatAPIMusicVideoTier, String, Bool)] = [
        (.standard, "9.5", false), (.standard, "10", true), (.standard, "180", true), (.standard, "180.5", false),
        (.premium, "10", true), (.premium, "300", true), (.premium, "300.01", false),
    ]

    @Test(arguments: lengths)
    func anUploadedSongOutsideTheTiersLimitsStopsTheCreate(
        tier: BeatAPIMusicVideoTier, seconds: String, sent: Bool
    ) async throws {
        var upload = try fixtureJSON("file-audio")
        upload = [
            "data": .object(
                (upload["data"]?.objectValue ?? [:]).merging([
                    "audio_duration_seconds": .number(Decimal(string: seconds)!)
                ]) { $1 })
        ]
        let answer = try JSONEncoder().encode(upload)
        let harness = BeatAPIHarness { request in
            request.url.path.hasSuffix("/files")
                ? HTTPResponse(status: 201, headers: ["Content-Type": "application/json"], body: answer)
                : try fixtureResponse("task-queued", status: 201)
        }
        var input = MusicVideoInput(images: [.url(Sample.image)], audio: .data(Data("RIFF".utf8), fileName: "song.wav"))
        if tier == .premium {
            (input.images, input.tier, input.premiumMode) = ([], .premium, .sing)
            input.lipReferences = [.url(URL(string: "https://cdn.example.com/face.png")!)]
        }
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(harness.routes.contains("POST /v1/music-video/tasks") == sent)
        #expect(error?.kind.field == (sent ? nil : "audio_url"))
    }
}
