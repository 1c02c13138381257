import MediaGenCore
import Testing

struct HTTPHeadersTests {
    /// A value no description may ever contain.
    static let secret = "sk-live-HEADER-SECRET-7f3a9c"

    private static func pairs(_ headers: HTTPHeaders) -> [String] {
        headers.fields.map { "\($0.name)=\($0.value)" }
    }

    // MARK: Lookup and editing

    @Test(arguments: ["content-type", "Content-Type", "CONTENT-TYPE", "cOnTeNt-TyPe"])
    func lookupIgnoresCase(_ name: String) {
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        #expect(headers[name] == "application/json")
    }

    @Test func lookupReturnsTheFirstOfDuplicates() {
        let headers: HTTPHeaders = ["Accept": "text/plain", "accept": "application/json"]
        #expect(headers["ACCEPT"] == "text/plain")
    }

    @Test func lookupOfAnAbsentNameIsNil() {
        let headers: HTTPHeaders = ["Accept": "text/plain"]
        #expect(headers["Authorization"] == nil)
    }

    @Test func settingWithAnotherCaseReplacesTheExistingField() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        headers["content-type"] = "application/json"
        #expect(headers.fields.count == 1)
        #expect(headers["Content-Type"] == "application/json")
    }

    @Test func settingReplacesEveryDuplicateAndKeepsTheFirstPosition() {
        var headers: HTTPHeaders = ["A": "1", "X-Tag": "one", "B": "2", "x-tag": "two", "C": "3"]
        headers["X-TAG"] = "three"
        #expect(Self.pairs(headers) == ["A=1", "X-TAG=three", "B=2", "C=3"])
    }

    @Test func settingANewNameAppendsIt() {
        var headers: HTTPHeaders = ["A": "1"]
        headers["B"] = "2"
        #expect(Self.pairs(headers) == ["A=1", "B=2"])
    }

    @Test func settingNilRemovesEveryFieldOfThatName() {
        var headers: HTTPHeaders = ["A": "1", "Cookie": "x", "B": "2", "cookie": "y"]
        headers["COOKIE"] = nil
        #expect(Self.pairs(headers) == ["A=1", "B=2"])
        #expect(headers["cookie"] == nil)
    }

    @Test func settingNilForAnAbsentNameChangesNothing() {
        var headers: HTTPHeaders = ["A": "1"]
        headers["B"] = nil
        #expect(Self.pairs(headers) == ["A=1"])
    }

    @Test func appendKeepsDuplicates() {
        var headers: HTTPHeaders = ["Accept": "text/plain"]
        headers.append(name: "accept", value: "application/json")
        #expect(Self.pairs(headers) == ["Accept=text/plain", "accept=application/json"])
        #expect(headers["Accept"] == "text/plain")
    }

    @Test func mergeDefaultsAddsOnlyMissingNamesWhateverTheirCase() {
        var headers: HTTPHeaders = ["user-agent": "MyApp/1.0", "X-Trace": "abc"]
        headers.merge(defaults: ["User-Agent": "MediaGenKit/0.1.0", "Accept": "application/json"])
        #expect(Self.pairs(headers) == ["user-agent=MyApp/1.0", "X-Trace=abc", "Accept=application/json"])
    }

    @Test func iterationFollowsInsertionOrder() {
        let headers: HTTPHeaders = ["Z": "1", "A": "2", "M": "3"]
        #expect(headers.map(\.name) == ["Z", "A", "M"])
    }

    // MARK: Redaction

    @Test(arguments: [
        "Authorization", "authorization", "x-api-key", "X-API-Key", "Cookie", "Set-Cookie",
        "Proxy-Authorization", "api-key", "x-fal-key",
    ])
    func credentialNamesAreSensitive(_ name: String) {
        #expect(HTTPHeaders.isSensitive(name))
    }

    @Test(arguments: ["Content-Type", "User-Agent", "Idempotency-Key", "x-request-id"])
    func ordinaryNamesAreNotSensitive(_ name: String) {
        #expect(!HTTPHeaders.isSensitive(name))
    }

    @Test(arguments: ["Authorization", "x-api-key", "Cookie", "X-Fal-Key", "set-cookie"])
    func descriptionsNeverShowACredential(_ name: String) {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers[name] = "Bearer \(Self.secret)"
        var dumped = ""
        dump(headers, to: &dumped)
        let outputs = [
            headers.description, headers.debugDescription, dumped, "\(headers)", String(reflecting: headers),
        ]
        for output in outputs {
            #expect(!output.contains(Self.secret), "\(output)")
            #expect(output.contains("\(name): <redacted>"), "\(output)")
        }
    }

    @Test func descriptionShowsOrdinaryValuesInOrder() {
        let headers: HTTPHeaders = [
            "Content-Type": "application/json", "Authorization": Self.secret, "User-Agent": "MediaGenKit/0.1.0",
        ]
        #expect(
            headers.description
                == "Content-Type: application/json, Authorization: <redacted>, User-Agent: MediaGenKit/0.1.0"
        )
        #expect(headers.debugDescription == "HTTPHeaders(\(headers.description))")
    }

    @Test func dumpShowsOrdinaryValues() {
        let headers: HTTPHeaders = ["Cookie": Self.secret, "Accept": "image/png"]
        var dumped = ""
        dump(headers, to: &dumped)
        #expect(dumped.contains("Accept: image/png"))
        #expect(!dumped.contains(Self.secret))
    }

    @Test func emptyHeadersDescribeAsEmpty() {
        let headers = HTTPHeaders()
        #expect(headers.description.isEmpty)
        #expect(headers.debugDescription == "HTTPHeaders()")
    }
}
