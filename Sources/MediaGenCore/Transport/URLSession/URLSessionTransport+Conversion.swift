import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// The SDK's request and response values, to and from Foundation's.
extension URLSessionTransport {
    static func urlRequest(for request: HTTPRequest) -> URLRequest {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        // One assignment: `addValue` per field searches the fields case-insensitively through
        // `NSString` each time on Linux (~4 µs a request). A repeated name is joined with `,`, as
        // `addValue` joins it.
        var fields: [String: String] = [:]
        for field in request.headers {
            let name = fields.keys.first { HTTPHeaders.sameName($0, field.name) } ?? field.name
            fields[name] = fields[name].map { "\($0),\(field.value)" } ?? field.value
        }
        urlRequest.allHTTPHeaderFields = fields
        if let timeout = request.timeout {
            // URLSession's interval is an idle timeout; `armDeadline` enforces the total deadline.
            urlRequest.timeoutInterval = max(0.001, timeout.seconds)
        }
        return urlRequest
    }

    static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            headers.append(
                name: name.base as? String ?? String(describing: name),
                value: value as? String ?? String(describing: value))
        }
        return headers
    }
}
