import Foundation
import MediaGenTesting
import TestSupport
import Testing

@testable import MediaGenCore

struct HeaderInjectionTests {
    @Test(arguments: hostileHeaderValues)
    func additionalHeaderValueWithAControlCharacterIsRefusedBeforeSending(value: String) async {
        let harness = ExecutorHarness(additionalHeaders: ["X-Team": value]) { _ in HTTPResponse(status: 200) }
        let error = await mediaError { try await harness.executor.send(.get("tasks")) }
        #expect(error?.refusedField == "X-Team")
        #expect(error?.provider == .acme)
        #expect(error?.description.contains("X-Team") == true)
        #expect(harness.attempts == 0)
    }

    @Test(arguments: hostileHeaderNames)
    func additionalHeaderNameThatIsNotATokenIsRefusedBeforeSending(name: String) async {
        let harness = ExecutorHarness(additionalHeaders: [name: "v"]) { _ in HTTPResponse(status: 200) }
        let error = await mediaError { try await harness.executor.send(.get("tasks")) }
        #expect(error?.refusedField == "headers")
        #expect(harness.attempts == 0)
    }

    @Test(arguments: hostileHeaderValues)
    func perRequestHeaderValueIsRefusedBeforeSending(value: String) async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let request = APIRequest(.post, .path(["tasks"]), headers: ["X-Hint": value], intent: .idempotent)
        let error = await mediaError { try await harness.executor.send(request) }
        #expect(error?.refusedField == "X-Hint")
        #expect(harness.attempts == 0)
    }

    @Test func aCredentialHeaderIsNamedButItsValueNeverPrinted() async {
        let secret = "sk-extra-SECRET-99\r\nX-Injected: 1"
        let harness = ExecutorHarness(additionalHeaders: ["X-Api-Key": secret]) { _ in HTTPResponse(status: 200) }
        let error = await mediaError { try await harness.executor.send(.get("tasks")) }
        #expect(error?.refusedField == "X-Api-Key")
        #expect(error?.description.contains("sk-extra-SECRET-99") == false)
        #expect(error?.description.contains("X-Injected") == false)
        #expect(harness.attempts == 0)
    }

    @Test func anAPIKeyWithATrailingNewlineIsRefusedWithoutPrintingIt() async {
        let harness = ExecutorHarness(apiKey: "sk-acme-NEWLINE-1\n") { _ in HTTPResponse(status: 200) }
        let error = await mediaError { try await harness.executor.send(.get("tasks")) }
        #expect(error?.refusedField == "Authorization")
        #expect(error?.description.contains("sk-acme-NEWLINE-1") == false)
        #expect(harness.attempts == 0)
    }

    @Test(arguments: ["a\tb", "naïve", "", " padded ", "Bearer x.y=z"])
    func tabsNonASCIIAndEmptyValuesStillPass(value: String) async throws {
        let harness = ExecutorHarness(additionalHeaders: ["X-Team": value]) { _ in HTTPResponse(status: 200) }
        _ = try await harness.executor.send(.get("tasks"))
        #expect(harness.attempts == 1)
    }

    @Test(arguments: ["", "a b", "a\r\nX-Injected: 1", "é", String(repeating: "k", count: 256), "a\u{0}"])
    func idempotencyKeyOutsideOneTo255VisibleASCIIIsRefusedBeforeSending(key: String) async {
        let budget = Budget(limit: .usd(1))
        let harness = ExecutorHarness(budget: budget) { _ in HTTPResponse(status: 200) }
        let request = APIRequest(
            .post, .path(["tasks"]), intent: .create(idempotencyKey: key, charge: .init(model: "m", estimate: .usd(1))))
        let error = await mediaError { try await harness.executor.send(request) }
        #expect(error?.refusedField == "idempotencyKey")
        #expect(harness.attempts == 0)
        #expect(await budget.remaining == .usd(1))
    }

    @Test func aKeyOf255CharactersIsSent() async throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let key = String(repeating: "k", count: 255)
        _ = try await harness.executor.send(
            APIRequest(.post, .path(["tasks"]), intent: .create(idempotencyKey: key, charge: nil)))
        #expect(harness.transport.requests.first?.headers["Idempotency-Key"] == key)
    }

    static let acme = Provider(rawValue: "acme")

    @Test func aCreateWithoutAKeyGetsAFreshLowercaseUUIDAndAGivenKeyIsKept() throws {
        let first = try RequestValidation.idempotencyKey(nil, provider: Self.acme)
        let second = try RequestValidation.idempotencyKey(nil, provider: Self.acme)
        #expect(first.count == 36 && first == first.lowercased() && UUID(uuidString: first) != nil)
        #expect(first != second)
        #expect(try RequestValidation.idempotencyKey("order-42", provider: Self.acme) == "order-42")
        let error = #expect(throws: MediaGenError.self) {
            try RequestValidation.idempotencyKey("two words", provider: Self.acme)
        }
        #expect(error?.provider == Self.acme)
    }

    @Test(arguments: [0, 1, 200, 245, 246, 255])
    func derivedKeysNeverExceed255AndStayStable(length: Int) throws {
        let key = String(repeating: "k", count: max(length, 1))
        let derived = RequestValidation.derivedIdempotencyKey(from: key, suffix: "-file-12")
        #expect(derived.utf8.count <= RequestValidation.maxIdempotencyKeyLength)
        #expect(derived == RequestValidation.derivedIdempotencyKey(from: key, suffix: "-file-12"))
        #expect(derived.hasSuffix("-file-12"))
        #expect(derived != RequestValidation.derivedIdempotencyKey(from: key + "x", suffix: "-file-12"))
        try RequestValidation.checkIdempotencyKey(derived, provider: nil)
    }
}

struct IdentifierPathTests {
    @Test(arguments: hostileIDs)
    func aHostileIDInAPathIsRefusedBeforeSending(id: String) async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let error = await mediaError {
            try await harness.executor.send(APIRequest(.delete, .path(["tasks", id, "delete"]), idField: "task_id"))
        }
        #expect(error?.refusedField == "task_id")
        #expect(error?.provider == .acme)
        #expect(harness.attempts == 0)
    }

    @Test(arguments: hostileIDs)
    func theFieldDefaultsToID(id: String) async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let error = await mediaError { try await harness.executor.send(.get("tasks", id)) }
        #expect(error?.refusedField == "id")
        #expect(harness.attempts == 0)
    }

    @Test(arguments: ["task_01J", "...", "a.b", "a/b", "%2e%2e", " a ", "ünï"])
    func ordinaryAndOddButHarmlessIDsAreSentEncoded(id: String) async throws {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        _ = try await harness.executor.send(.get("tasks", id))
        let url = try #require(harness.transport.requests.first?.url)
        #expect(url.absoluteString == "https://api.acme.test/v1/tasks/" + PercentEncoding.encode(id))
    }
}

struct MultipartInjectionTests {
    private static func form(name: String = "file", fileName: String = "a.mp3", contentType: String? = nil)
        -> MultipartFormData
    {
        var form = MultipartFormData(boundary: "b")
        form.append(field: "purpose", value: "x")
        form.append(file: name, source: .data(Data("1".utf8), fileName: fileName, contentType: contentType))
        return form
    }

    @Test(arguments: hostileHeaderValues)
    func aFieldNameWithAControlCharacterIsRefused(name: String) {
        var form = MultipartFormData(boundary: "b")
        form.append(field: name, value: "v")
        let error = #expect(throws: MediaGenError.self) { try form.encodedData() }
        #expect(error?.refusedField == "name")
    }

    @Test(arguments: hostileHeaderValues)
    func aFilePartNameWithAControlCharacterIsRefused(name: String) {
        let error = #expect(throws: MediaGenError.self) { try Self.form(name: name).encodedData() }
        #expect(error?.refusedField == "name")
    }

    @Test(arguments: hostileHeaderValues)
    func aFileNameWithAControlCharacterIsRefused(fileName: String) {
        let error = #expect(throws: MediaGenError.self) { try Self.form(fileName: fileName).encodedData() }
        #expect(error?.refusedField == "fileName")
    }

    @Test(arguments: hostileHeaderValues)
    func aContentTypeWithAControlCharacterIsRefused(contentType: String) {
        let error = #expect(throws: MediaGenError.self) { try Self.form(contentType: contentType).encodedData() }
        #expect(error?.refusedField == "contentType")
    }

    @Test(arguments: ["", "a b", "a\r\nb", "a;b", "a\"b", String(repeating: "b", count: 71)])
    func aBoundaryThatCouldBreakTheBodyIsRefused(boundary: String) {
        let error = #expect(throws: MediaGenError.self) { try MultipartFormData(boundary: boundary).encodedData() }
        #expect(error?.refusedField == "boundary")
    }

    @Test func aHostileFileNameIsRefusedBeforeTheExecutorSendsAnything() async {
        let harness = ExecutorHarness { _ in HTTPResponse(status: 200) }
        let request = APIRequest(
            .post, .path(["uploads"]), body: .multipart(Self.form(fileName: "a\"\r\nContent-Type: text/html")))
        let error = await mediaError { try await harness.executor.send(request) }
        #expect(error?.refusedField == "fileName")
        #expect(harness.attempts == 0)
    }
}

extension MultipartInjectionTests {
    @Test func aRefusedFormCreatesNoFile() {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString)")
        var form = MultipartFormData(boundary: "b")
        form.append(field: "a\r\nb", value: "v")
        #expect(throws: MediaGenError.self) { try form.writeBody(to: file) }
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}

@Suite("Rate-limit counts from headers")
struct RateLimitCountTests {
    @Test(arguments: [("42", 42), (" 7 ", 7), ("0", 0), ("999999999999999999", 999_999_999_999_999_999)])
    func aWholeNumberIsACount(text: String, count: Int) {
        #expect(RateLimitStatus.count(text) == count)
    }

    @Test(arguments: [nil, "", "-", "-3", "+3", "1e3", "0x1F", "3.5", "9999999999999999999", "12\r\nX: y"])
    func anythingElseIsNoCount(text: String?) {
        #expect(RateLimitStatus.count(text) == nil)
    }
}
