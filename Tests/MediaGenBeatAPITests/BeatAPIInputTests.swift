import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI inputs are checked before sending")
struct BeatAPIInputTests {
    static func url(_ text: String) -> URL { URL(string: text)! }

    static func musicVideo(
        images: [FileSource] = [.url(Sample.image)],
        audio: FileSource = .url(Sample.audio),
        prompt: String = "Neon rooftop",
        language: BeatAPILanguage = .english,
        resolution: BeatAPIResolution? = nil,
        additionalFields: [String: JSONValue] = [:]
    ) -> MusicVideoInput {
        MusicVideoInput(
            images: images, audio: audio, prompt: prompt, language: language, resolution: resolution,
            additionalFields: additionalFields)
    }

    static let badMusicVideos: [(String, MusicVideoInput)] = [
        ("images", musicVideo(images: [])),
        ("images", musicVideo(images: [.url(url("http://cdn.example.com/a.png"))])),
        ("images", musicVideo(images: [.url(Sample.image), .url(url("https://127.0.0.1/a.png"))])),
        ("images", musicVideo(images: [.data(Data([1]), fileName: "notes.txt")])),
        ("images", musicVideo(images: [.file(URL(fileURLWithPath: "/no/such/cover.png"))])),
        ("audio_url", musicVideo(audio: .url(url("http://cdn.example.com/song.mp3")))),
        ("audio_url", musicVideo(audio: .url(url("https://192.168.1.20/song.mp3")))),
        ("audio_url", musicVideo(audio: .data(Data([1]), fileName: "cover.png"))),
        ("audio_url", musicVideo(audio: .url(url("ftp://cdn.example.com/song.mp3")))),
        ("prompt", musicVideo(prompt: "")),
        ("prompt", musicVideo(prompt: " \n ")),
        ("language", musicVideo(language: "")),
        ("language", musicVideo(language: "english please")),
        ("resolution", musicVideo(resolution: "4k")),
        ("resolution", musicVideo(resolution: "720")),
        ("prompt", musicVideo(additionalFields: ["prompt": "again"])),
        ("additionalFields", musicVideo(additionalFields: ["": 1])),
    ]

    @Test(arguments: badMusicVideos)
    func aBadMusicVideoIsRefusedNamingItsFieldWithNothingSent(field: String, input: MusicVideoInput) async {
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("task-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .beatAPI)
        #expect(harness.requests.isEmpty)
    }

    static let badEcommerceVideos: [(String, EcommerceVideoInput)] = [
        ("images", EcommerceVideoInput(imageURLs: [])),
        ("images", EcommerceVideoInput(imageURLs: [url("https://localhost/a.png")])),
        ("prompt", EcommerceVideoInput(imageURLs: [Sample.image], prompt: "  ")),
        ("language", EcommerceVideoInput(imageURLs: [Sample.image], language: "e")),
        ("resolution", EcommerceVideoInput(imageURLs: [Sample.image], resolution: "8k")),
        ("duration", EcommerceVideoInput(imageURLs: [Sample.image], duration: .milliseconds(15_500))),
        ("duration", EcommerceVideoInput(imageURLs: [Sample.image], duration: .zero)),
        ("aspect_ratio", EcommerceVideoInput(imageURLs: [Sample.image], aspectRatio: "portrait")),
        ("aspect_ratio", EcommerceVideoInput(imageURLs: [Sample.image], aspectRatio: "0:1")),
        ("duration", EcommerceVideoInput(imageURLs: [Sample.image], additionalFields: ["duration": 30])),
        ("duration", EcommerceVideoInput(imageURLs: [Sample.image])),
    ]

    @Test(arguments: badEcommerceVideos)
    func aBadEcommerceVideoIsRefusedNamingItsField(field: String, input: EcommerceVideoInput) async {
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test func theSeedsInputIsValid() throws {
        try Sample.seedInput.validate()
        try Sample.ecommerce.validate()
    }

    // MARK: - Public HTTPS only

    static let refusedURLs = [
        "http://cdn.example.com/a.mp3",
        "https://localhost/a.mp3",
        "https://LOCALHOST./a.mp3",
        "https://api.localhost/a.mp3",
        "https://127.0.0.1/a.mp3",
        "https://127.8.9.10:8443/a.mp3",
        "https://127.1/a.mp3",
        "https://2130706433/a.mp3",
        "https://0x7f000001/a.mp3",
        "https://0177.0.0.1/a.mp3",
        "https://0.0.0.0/a.mp3",
        "https://10.1.2.3/a.mp3",
        "https://172.16.0.1/a.mp3",
        "https://172.31.255.254/a.mp3",
        "https://192.168.0.10/a.mp3",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/a.mp3",
        "https://[::1]/a.mp3",
        "https://[::]/a.mp3",
        "https://[fc00::1]/a.mp3",
        "https://[fd12:3456:789a::1]/a.mp3",
        "https://[fe80::1%25en0]/a.mp3",
        "https://[::ffff:127.0.0.1]/a.mp3",
        "https://[::ffff:10.0.0.1]/a.mp3",
        "file:///etc/passwd",
        "https:///no-host.mp3",
    ]

    @Test(arguments: refusedURLs)
    func aNonPublicOrNonHTTPSURLIsRefused(text: String) throws {
        let input = Self.musicVideo(audio: .url(try #require(URL(string: text))))
        let error = #expect(throws: MediaGenError.self) { try input.validate() }
        #expect(error?.kind.field == "audio_url")
    }

    static let acceptedURLs = [
        "https://cdn.example.com/song.mp3",
        "HTTPS://CDN.EXAMPLE.COM/song.mp3",
        "https://8.8.8.8/song.mp3",
        "https://172.32.0.1/song.mp3",
        "https://172.15.255.255/song.mp3",
        "https://[2001:db8::1]/song.mp3",
        "https://cdn.example.com:8443/song.mp3?sig=a+b",
        "https://10.example.com/song.mp3",
    ]

    @Test(arguments: acceptedURLs)
    func aPublicHTTPSURLIsAccepted(text: String) throws {
        try Self.musicVideo(audio: .url(try #require(URL(string: text)))).validate()
    }

    @Test func aTestHostIsAllowedOnlyWhenNamedExplicitly() async throws {
        let local = try #require(URL(string: "http://127.0.0.1:8089/media/tone.wav"))
        let input = Self.musicVideo(audio: .url(local))

        // Pointing the client at a local server does not relax the rule by itself.
        let pointed = BeatAPIHarness(baseURL: URL(string: "http://127.0.0.1:8089/beatapi/v1")) { _ in
            try fixtureResponse("task-queued", status: 201)
        }
        #expect(pointed.client.allowedTestHosts.isEmpty)
        let refused = await mediaError { try await pointed.client.createTask(input) }
        #expect(refused?.kind.field == "audio_url")
        #expect(pointed.requests.isEmpty)

        let allowed = BeatAPIHarness(fixtures: [("task-queued", 201)], allowedTestHosts: ["127.0.0.1"])
        _ = try await allowed.client.createTask(input)
        #expect(allowed.requests.first?.json?["audio_url"] == "http://127.0.0.1:8089/media/tone.wav")

        // Only the named host: another private address is still refused.
        let other = Self.musicVideo(audio: .url(try #require(URL(string: "http://10.0.0.7/tone.wav"))))
        #expect(throws: MediaGenError.self) { try other.validate(allowedTestHosts: ["127.0.0.1"]) }
        try input.validate(allowedTestHosts: ["127.0.0.1"])
        try Self.musicVideo(audio: .url(try #require(URL(string: "http://[::1]:9/a.wav"))))
            .validate(allowedTestHosts: ["[::1]"])
    }

    // MARK: - Values

    @Test func resolutionsComeFromTheDocumentedSet() throws {
        #expect(BeatAPIResolution.known.map(\.rawValue) == ["540p", "720p", "1080p"])
        #expect(try BeatAPIResolution.parse("1080P") == .p1080)
        let error = #expect(throws: MediaGenError.self) { try BeatAPIResolution.parse("4k") }
        #expect(error?.kind.field == "resolution")
    }

    /// The published description lists `en` and `zh` for music videos; the seed's example is `en`.
    @Test(arguments: [BeatAPILanguage.english, .chinese])
    func theDescribedLanguagesAreSentAsGiven(language: BeatAPILanguage) async throws {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        _ = try await harness.client.createTask(Self.musicVideo(language: language))
        #expect(harness.requests.first?.json?["language"] == .string(language.rawValue))
    }

    @Test func aLanguageTheDescriptionDoesNotListIsRefusedForMusicVideos() async {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        let error = await mediaError { try await harness.client.createTask(Self.musicVideo(language: "pt-BR")) }
        #expect(error?.kind.field == "language")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: ["", "order key", "ключ", String(repeating: "k", count: 256)])
    func aBadIdempotencyKeyIsRefused(key: String) async {
        let harness = BeatAPIHarness(fixtures: [("task-queued", 201)])
        let error = await mediaError {
            try await harness.client.createTask(Sample.seedInput, idempotencyKey: key)
        }
        #expect(error?.kind.field == "idempotencyKey")
        #expect(harness.requests.isEmpty)
    }

    @Test func webhookEndpointInputsAreChecked() async throws {
        let harness = BeatAPIHarness(fixtures: [("webhook-endpoint", 200)])
        let ftp = try #require(URL(string: "ftp://app.example.com/hook"))
        let hook = try #require(URL(string: "https://app.example.com/hook"))
        #expect(await mediaError { try await harness.client.createWebhookEndpoint(url: ftp) }?.kind.field == "url")
        #expect(
            await mediaError { try await harness.client.createWebhookEndpoint(url: hook, events: []) }?.kind.field
                == "events")
        #expect(await mediaError { try await harness.client.updateWebhookEndpoint(id: "wh_1") }?.kind.field == "update")
        #expect(await mediaError { try await harness.client.webhookEndpoint(id: " ") }?.kind.field == "id")
        #expect(await mediaError { try await harness.client.task(id: "") }?.kind.field == "id")
        #expect(harness.requests.isEmpty)
    }
}
