import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport

let testKey = "bk-test-BEATRA-4242"

/// A fixture's bytes, from `Fixtures/` (see `Fixtures/SOURCES.md` for each shape's origin).
func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
    return try Data(contentsOf: url)
}

func fixtureResponse(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
    var headers = headers
    headers.merge(defaults: ["Content-Type": "application/json", "X-Request-Id": "req_\(name)"])
    return HTTPResponse(status: status, headers: headers, body: try fixture(name))
}

func decodeTask(_ name: String) throws -> BeatraTask {
    try JSONReader().decode(BeatraTask.self, from: try fixture(name))
}

/// A Beatra client over a stub transport and an instant clock. Request bodies are read as each
/// request arrives, since a multipart body's temporary file is gone once the call returns.
struct BeatraHarness {
    let client: BeatraClient
    let transport: StubTransport
    let clock = ImmediateClock()
    private let bodies: Locked<[Data?]>

    init(
        budget: Budget? = nil,
        environment: [String: String] = [:],
        answer: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse
    ) {
        let bodies = Locked<[Data?]>([])
        let transport = StubTransport { request in
            bodies.withLock { $0.append(request.bodyData) }
            return try answer(request)
        }
        self.bodies = bodies
        self.transport = transport
        self.client = BeatraClient(
            apiKey: testKey,
            configuration: ClientConfiguration(budget: budget, transport: transport, clock: clock),
            environment: environment
        )
    }

    /// Answers each request with the next fixture, in order.
    init(fixtures: [(String, Int)], budget: Budget? = nil) {
        let queue = Locked(fixtures)
        self.init(budget: budget) { request in
            guard let (name, status) = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "no fixture left for \(request)")
            }
            return try fixtureResponse(name, status: status)
        }
    }

    var requests: [HTTPRequest] { transport.requests }

    /// The bytes each request carried, as sent.
    var sentBodies: [Data?] { bodies.current }

    /// The JSON body of request `index`, as sent.
    func json(_ index: Int) -> JSONValue? {
        guard sentBodies.indices.contains(index), let data = sentBodies[index] else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// `"METHOD /path?query"` of every request.
    var routes: [String] {
        requests.map { request in
            let query = request.url.query.map { "?\($0)" } ?? ""
            return "\(request.method) \(request.url.path)\(query)"
        }
    }
}

/// The seed's text-to-music request (seed 003), typed.
let seedRequest = BeatraMusicRequest(
    model: .suno55,
    prompt: "dream pop, warm analog drums, bright chorus",
    lyrics: "[Verse]\nCity lights are waking",
    instrumental: false,
    modelOptions: SunoOptions(customMode: true, styleWeight: 0.6)
)

/// The seed's body, field for field.
let seedBody: JSONValue = [
    "model": "suno-5.5",
    "prompt": "dream pop, warm analog drums, bright chorus",
    "lyrics": "[Verse]\nCity lights are waking",
    "instrumental": false,
    "model_options": [
        "suno": [
            "custom_mode": true,
            "style_weight": 0.6,
        ]
    ],
]

extension String {
    /// Whether this is a UUID in its canonical text form.
    var isUUID: Bool { UUID(uuidString: self) != nil }
}
