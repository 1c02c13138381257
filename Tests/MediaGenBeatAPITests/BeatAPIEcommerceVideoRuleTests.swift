import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// The ecommerce-video create's rules as BeatAPI's published description states them (spec
/// `operations.createEcommerceVideoTask`): 1–7 images, `duration` required and 10–60 s, `prompt`
/// at most 2000 characters, `aspect_ratio` `16:9` | `9:16` | `1:1`, `language` `en` | `zh`.
/// Each is checked before any upload or request, naming its field.
@Suite("BeatAPI ecommerce videos are checked as the description states")
struct BeatAPIEcommerceVideoRuleTests {
    static let bottle = URL(string: "https://media.beatapi.io/samples/smart-bottle.png")!

    /// The spec's request example, as an input.
    static var specExample: EcommerceVideoInput {
        EcommerceVideoInput(
            imageURLs: [bottle], prompt: "Fast product launch ad for paid social.", duration: .seconds(15),
            aspectRatio: "9:16")
    }

    static func images(_ count: Int) -> [FileSource] {
        (0..<count).map { .url(URL(string: "https://cdn.example.com/product-\($0).png")!) }
    }

    static func with(_ change: (inout EcommerceVideoInput) -> Void) -> EcommerceVideoInput {
        var input = specExample
        change(&input)
        return input
    }

    @Test func theSpecsRequestExampleIsValidAndSentAsItIs() async throws {
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-created-usd", 201)])
        let task = try await harness.client.createTask(Self.specExample)
        #expect(task.id == "task_p9Lm2")
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/ecommerce-video/tasks")
        #expect(request.json == (try fixtureJSON("ecommerce-video-request")))
    }

    /// (what, input) at the documented limits, each accepted and sent.
    static let acceptedEdges: [(String, EcommerceVideoInput)] = [
        ("1 image", with { $0.images = images(1) }),
        ("7 images", with { $0.images = images(7) }),
        ("10 s", with { $0.duration = .seconds(10) }),
        ("60 s", with { $0.duration = .seconds(60) }),
        ("prompt of 2000", with { $0.prompt = String(repeating: "a", count: 2000) }),
        ("prompt of 2000 scalars, 1000 emoji", with { $0.prompt = String(repeating: "🍾🍾", count: 500) }),
        ("no prompt", with { $0.prompt = nil }),
        ("16:9", with { $0.aspectRatio = "16:9" }),
        ("9:16", with { $0.aspectRatio = "9:16" }),
        ("1:1", with { $0.aspectRatio = "1:1" }),
        ("no aspect ratio", with { $0.aspectRatio = nil }),
        ("en", with { $0.language = .english }),
        ("zh", with { $0.language = .chinese }),
    ]

    @Test(arguments: acceptedEdges)
    func anInputAtTheLimitsIsSent(what: String, input: EcommerceVideoInput) async throws {
        try input.validate()
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-created-usd", 201)])
        _ = try await harness.client.createTask(input)
        #expect(harness.routes == ["POST /v1/ecommerce-video/tasks"], "\(what)")
    }

    /// (field, input) just past a documented limit.
    static let refusedEdges: [(String, EcommerceVideoInput)] = [
        ("images", with { $0.images = [] }),
        ("images", with { $0.images = images(8) }),
        ("images", with { $0.images = [.data(Data("GIF89a".utf8), fileName: "bottle.gif")] }),
        ("images", with { $0.images = [.data(Data(count: 50 * 1024 * 1024 + 1), fileName: "bottle.png")] }),
        ("duration", with { $0.duration = nil }),
        ("duration", with { $0.duration = .seconds(9) }),
        ("duration", with { $0.duration = .seconds(61) }),
        ("duration", with { $0.duration = .milliseconds(15_500) }),
        ("duration", with { $0.duration = .seconds(-15) }),
        ("prompt", with { $0.prompt = String(repeating: "a", count: 2001) }),
        ("prompt", with { $0.prompt = String(repeating: "🍾", count: 2001) }),
        ("prompt", with { $0.prompt = " \n " }),
        ("aspect_ratio", with { $0.aspectRatio = "4:3" }),
        ("aspect_ratio", with { $0.aspectRatio = "3:4" }),
        ("aspect_ratio", with { $0.aspectRatio = "9:16 " }),
        ("language", with { $0.language = "fr" }),
        ("language", with { $0.language = "en-US" }),
        ("language", with { $0.language = "" }),
    ]

    @Test(arguments: refusedEdges)
    func anInputPastALimitIsRefusedNamingItsFieldBeforeAnythingIsSent(
        field: String, input: EcommerceVideoInput
    ) async throws {
        let error = #expect(throws: MediaGenError.self) { try input.validate() }
        #expect(error?.kind.field == field)
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("task-ecommerce-created-usd", 201)])
        let sent = await mediaError { try await harness.client.createTask(input) }
        #expect(sent?.kind.field == field)
        #expect(sent?.provider == .beatAPI)
        #expect(harness.requests.isEmpty, "no upload, no create")
    }

    @Test func theLimitsArePublishedAsTheDescriptionStatesThem() {
        #expect(EcommerceVideoInput.imageCount == 1...7)
        #expect(EcommerceVideoInput.durationSeconds == 10...60)
        #expect(EcommerceVideoInput.maxPromptCharacters == 2000)
        #expect(EcommerceVideoInput.aspectRatios == ["16:9", "9:16", "1:1"])
        #expect(EcommerceVideoInput.languages == [.english, .chinese])
    }
}
