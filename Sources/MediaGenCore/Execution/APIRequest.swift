import Foundation

/// What a request does to the provider's state, which decides whether it may be sent again.
package enum RequestIntent: Sendable {
    /// Reads nothing but state (GET): repeating it is harmless.
    case read
    /// Changes state the same way however often it is sent (cancel, delete, PUT of a file).
    case idempotent
    /// Creates something. `idempotencyKey` is sent when the provider de-duplicates on it;
    /// `charge` is set when the created task costs money. Indirect, so that the intent is 8 bytes
    /// in the request executor's frames rather than 93 (see ``Boxed``).
    indirect case create(idempotencyKey: String?, charge: Charge?)

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
    /// Told the bytes sent as an upload's body goes out (each attempt counts from zero).
    package var progress: (@Sendable (TransferProgress) -> Void)?

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

    /// Encodes `value` as the JSON body; a NaN or infinity anywhere in it is refused, naming its field.
    ///
    /// JSON has no NaN or infinity. `JSONEncoder` throws for a non-finite `Double` or `Float`, but
    /// writes a `Decimal` NaN (as in `JSONValue.number(.nan)`) as a bare `NaN` no server can read,
    /// so the encoded bytes are checked for that too. Both end as `.invalidRequest` naming the
    /// coding path (`input.guidance`, `leaves[1].weight`), before anything is sent.
    package static func json(_ value: some Encodable, encoder: JSONEncoder) throws(MediaGenError) -> Body {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch EncodingError.invalidValue(let number, let context) where JSONBodyCheck.isNonFinite(number) {
            throw JSONBodyCheck.refusal(path: context.codingPath.map(JSONBodyCheck.Step.init), value: "\(number)")
        } catch {
            throw MediaGenError(
                .invalidRequest(field: nil, reason: "\(error)"),
                message: "the request body could not be encoded: \(error)")
        }
        if let path = JSONBodyCheck.pathOfBareNaN(in: data) {
            throw JSONBodyCheck.refusal(path: path, value: "NaN")
        }
        return .json(data)
    }
}

/// Finds the non-finite numbers JSON cannot carry, and says which field holds one.
package enum JSONBodyCheck {
    /// One step of a path into a JSON body: an object member or an array index.
    package enum Step: Equatable, Sendable {
        case key(String)
        case index(Int)

        init(_ key: any CodingKey) {
            // JSONEncoder's array keys are "Index n" with an int value; dictionary keys have none.
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                self = .index(index)
            } else {
                self = .key(key.stringValue)
            }
        }
    }

    /// `input.guidance`, `leaves[1].weight`; `nil` for the body itself.
    package static func field(_ path: [Step]) -> String? {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? nil : text
    }

    static func isNonFinite(_ value: Any) -> Bool {
        switch value {
        case let number as Double: !number.isFinite
        case let number as Float: !number.isFinite
        case let number as Decimal: number.isNaN
        default: false
        }
    }

    static func refusal(path: [Step], value: String) -> MediaGenError {
        let field = field(path)
        let reason =
            "\(field.map { "`\($0)`" } ?? "the body") is \(value), and JSON has no NaN or infinity: pass a finite number, or leave the field unset"
        return MediaGenError(.invalidRequest(field: field ?? "body", reason: reason), message: reason)
    }

    /// `false` when no "NaN" in `data` sits between JSON punctuation (`:`, `[` or `,` before it;
    /// `,`, `}`, `]` or the end after it, whitespace aside), as a bare token must.
    private static func mayHoldBareNaN(_ data: Data) -> Bool {
        let token = Data("NaN".utf8)
        let spaces: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        var searchStart = data.startIndex
        while let found = data.range(of: token, in: searchStart..<data.endIndex) {
            var before = found.lowerBound
            while before > data.startIndex, spaces.contains(data[data.index(before: before)]) {
                before = data.index(before: before)
            }
            var after = found.upperBound
            while after < data.endIndex, spaces.contains(data[after]) { after = data.index(after: after) }
            let opens =
                before == data.startIndex
                || [UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: ",")].contains(data[data.index(before: before)])
            let closes =
                after == data.endIndex
                || [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(data[after])
            if opens && closes { return true }
            searchStart = found.upperBound
        }
        return false
    }

    /// The path to the first bare `NaN` token (how `JSONEncoder` writes a `Decimal` NaN) in
    /// encoded JSON; `nil` when there is none.
    package static func pathOfBareNaN(in data: Data) -> [Step]? {
        // Almost every body has no bare-looking "NaN" at all: find that out at memchr speed, so a
        // large inline file (base64, where "NaN" occurs by chance) is not walked byte by byte.
        guard mayHoldBareNaN(data) else { return nil }
        enum Frame {
            case object(key: String?)
            case array(index: Int)
        }
        let bytes = [UInt8](data)
        var stack: [Frame] = []
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                if expectingKey, case .object = stack.last {
                    let key = String(decoding: bytes[(index + 1)..<min(end, bytes.count)], as: UTF8.self)
                    stack[stack.count - 1] = .object(key: key)
                    expectingKey = false
                }
                index = end
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if case .array(let position) = stack.last {
                    stack[stack.count - 1] = .array(index: position + 1)
                } else {
                    expectingKey = true
                }
            case UInt8(ascii: "N"):
                // Outside a string, no JSON token starts with "N": this is the NaN.
                return stack.compactMap { frame in
                    switch frame {
                    case .object(let key): key.map(Step.key)
                    case .array(let position): .index(position)
                    }
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
