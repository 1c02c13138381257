import Foundation

/// An HTTP method, such as `GET` or `POST`.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// The bytes a request sends: in memory, or streamed from a file on disk.
public enum HTTPBody: Hashable, Sendable {
    case data(Data)
    /// The file's bytes are read by the transport as it sends them; large uploads never sit in memory.
    case file(URL)

    /// The body's length in bytes, when it can be known without reading it.
    public var byteCount: Int64? {
        switch self {
        case .data(let data):
            return Int64(data.count)
        case .file(let url):
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber
            return size?.int64Value
        }
    }
}

/// One HTTP request, as a plain value: what every transport sends and every middleware sees.
///
/// ```swift
/// var request = HTTPRequest(method: .get, url: URL(string: "https://api.skytells.ai/v1/predictions/pred_1")!)
/// request.headers["Accept"] = "application/json"
/// request.timeout = .seconds(30)
/// let response = try await URLSessionTransport().send(request)
/// ```
///
/// Its description never shows a credential header's value.
public struct HTTPRequest: Hashable, Sendable, CustomStringConvertible {
    public var method: HTTPMethod
    public var url: URL
    public var headers: HTTPHeaders
    public var body: HTTPBody?
    /// The longest the whole exchange may take, or `nil` for the transport's default.
    public var timeout: Duration?

    public init(
        method: HTTPMethod,
        url: URL,
        headers: HTTPHeaders = [:],
        body: HTTPBody? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public var description: String {
        "\(method) \(url.absoluteString)"
    }
}

/// One HTTP response: status, headers and the whole body (downloads go to disk instead; see
/// ``HTTPTransport/download(_:to:progress:)``).
public struct HTTPResponse: Hashable, Sendable, CustomStringConvertible {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `true` for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }

    public var description: String {
        "HTTP \(status) (\(body.count) bytes)"
    }
}
