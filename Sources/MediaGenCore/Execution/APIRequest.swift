import Foundation

/// What a request does to the provider's state, which decides whether it may be sent again.
package enum RequestIntent: Sendable {
    /// Reads nothing but state (GET): repeating it is harmless.
    case read
    /// Changes state the same way however often it is sent (cancel, delete, PUT of a file).
    case idempotent
    /// Creates something. `idempotencyKey` is sent when the provider de-duplicates on it;
    /// `charge` is set when the created task costs money.
    case create(idempotencyKey: String?, charge: Charge?)

    /// A paid task's model and what it is expected to cost (`nil` when unknown).
    package struct Charge: Sendable {
        package var model: String
        package var estimate: Money?

        package init(model: String, estimate: Money?) {
            self.model = model
            self.estimate = estimate
        }
    }
}

/// A request as a provider module describes it: relative to the client's base URL, with a typed
/// body and its intent. The executor turns it into an ``HTTPRequest``.
package struct APIRequest: Sendable {
    package enum Body: Sendable {
        case none
        case json(Data)
        case data(Data, contentType: String)
        case multipart(MultipartFormData)
        /// A file's bytes, streamed from disk as they are sent (a storage upload's `PUT`).
        case file(URL, contentType: String)
    }

    package var method: HTTPMethod
    /// Path segments appended to the base URL, each percent-encoded; or a full URL the provider returned.
    package var target: Target
    package var query: [(name: String, value: String)]
    package var headers: HTTPHeaders
    package var body: Body
    package var intent: RequestIntent
    /// Overrides the client's timeout for this request.
    package var timeout: Duration?
    /// The task this request concerns, for errors.
    package var taskID: String?
    /// The argument an id in ``target``'s path came from (`task_id`, `id`, `model`), named by the
    /// error when a segment is empty, `.`, `..` or holds a control character.
    package var idField: String
    /// `false` for a URL that must receive no credential at all: a pre-signed upload URL (the URL
    /// is the credential) or a public document such as a key set. Sensitive additional headers
    /// are withheld too, as for downloads.
    package var sendsCredential = true

    package enum Target: Sendable {
        case path([String])
        case url(URL)
    }

    package init(
        _ method: HTTPMethod,
        _ target: Target,
        query: [(name: String, value: String)] = [],
        headers: HTTPHeaders = [:],
        body: Body = .none,
        intent: RequestIntent? = nil,
        timeout: Duration? = nil,
        taskID: String? = nil,
        idField: String = "id"
    ) {
        self.method = method
        self.target = target
        self.query = query
        self.headers = headers
        self.body = body
        self.intent = intent ?? (method == .get || method == .head ? .read : .idempotent)
        self.timeout = timeout
        self.taskID = taskID
        self.idField = idField
    }

    /// `GET` of path segments, e.g. `.get("v1", "predictions", id)`.
    package static func get(
        _ segments: String...,
        query: [(name: String, value: String)] = [],
        taskID: String? = nil,
        idField: String = "id"
    ) -> APIRequest {
        APIRequest(.get, .path(segments), query: query, taskID: taskID, idField: idField)
    }

    /// Encodes `value` as the JSON body.
    package static func json(_ value: some Encodable, encoder: JSONEncoder) throws(MediaGenError) -> Body {
        do {
            return .json(try encoder.encode(value))
        } catch {
            throw MediaGenError(
                .invalidRequest(field: nil, reason: "\(error)"),
                message: "the request body could not be encoded: \(error)")
        }
    }
}
