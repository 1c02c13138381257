import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport
import Testing

/// Skytells' `x-skytells-ratelimit-*` headers (its API reference, *Rate limits*): on the errors the
/// client throws, and to a middleware on every answer.
@Suite("Skytells rate-limit headers")
struct SkytellsRateLimitTests {
    static let headers: HTTPHeaders = [
        "Content-Type": "application/json",
        "x-skytells-ratelimit-limit-requests": "600",
        "x-skytells-ratelimit-remaining-requests": "0",
        "x-skytells-ratelimit-window": "60",
        "x-skytells-ratelimit-limit-tokens-in": "-",
        "x-skytells-ratelimit-remaining-tokens-in": "-",
        "x-skytells-ratelimit-limit-tokens-out": "-",
        "x-skytells-ratelimit-remaining-tokens-out": "-",
    ]

    @Test func theHeadersAreReadAndADashIsNotConfigured() throws {
        let status = try #require(SkytellsRateLimit.status(in: Self.headers))
        #expect(status == RateLimitStatus(limitRequests: 600, remainingRequests: 0, window: .seconds(60)))
        #expect(SkytellsRateLimit.status(in: ["Content-Type": "application/json"]) == nil)
        #expect(SkytellsRateLimit.status(in: ["x-skytells-ratelimit-window": "-"]) == nil)
    }

    @Test(arguments: ["-1", "1e3", "0x10", "12 requests", "9999999999999999999", "", " "])
    func aValueThatIsNoCountIsLeftOut(value: String) {
        #expect(SkytellsRateLimit.status(in: ["x-skytells-ratelimit-remaining-requests": value]) == nil)
    }

    @Test func aRateLimitedAnswerCarriesTheStatusOnTheError() async throws {
        var headers = Self.headers
        headers["Retry-After"] = "12"
        let answer = HTTPResponse(status: 429, headers: headers, body: try fixture("error-top-level-rate-limit"))
        let stub = StubTransport { _ in answer }
        let client = SkytellsClient(
            apiKey: "sk-test", configuration: ClientConfiguration(retry: .none, transport: stub), environment: [:])
        let error = await mediaError { try await client.prediction(id: "p1") }
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(12)))
        #expect(error?.rateLimit?.remainingRequests == 0)
        #expect(error?.rateLimit?.window == .seconds(60))
    }

    @Test func anErrorWithoutTheHeadersHasNoStatus() async throws {
        let harness = SkytellsHarness(fixtures: [("error-structured-model-not-found", 404)])
        let error = await mediaError { try await harness.client.prediction(id: "p1") }
        #expect(error?.kind == .notFound)
        #expect(error?.rateLimit == nil)
    }

    @Test func aMiddlewareSeesTheStatusOnEveryAnswer() async throws {
        struct Watcher: HTTPMiddleware {
            let seen: Locked<[Int?]>
            func intercept(
                _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
            ) async throws -> HTTPResponse {
                let response = try await next(request)
                seen.withLock { $0.append(SkytellsRateLimit.status(in: response.headers)?.remainingRequests) }
                return response
            }
        }
        var headers = Self.headers
        headers["x-skytells-ratelimit-remaining-requests"] = "599"
        let answer = HTTPResponse(status: 200, headers: headers, body: try fixture("prediction-queued"))
        let seen = Locked<[Int?]>([])
        let client = SkytellsClient(
            apiKey: "sk-test",
            configuration: ClientConfiguration(
                middleware: [Watcher(seen: seen)], transport: StubTransport { _ in answer }),
            environment: [:])
        _ = try await client.prediction(id: "p1")
        #expect(seen.withLock { $0 } == [599])
    }
}
