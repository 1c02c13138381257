import Foundation

// Turning a provider's request value into the HTTP request sent: URL, credentials, headers and
// body, each checked before anything is sent.
extension RequestExecutor {

    struct Prepared {
        var http: HTTPRequest
        var temporaryFile: URL?

        func removeTemporaryFile() {
            if let temporaryFile { try? FileManager.default.removeItem(at: temporaryFile) }
        }
    }

    func prepare(_ request: APIRequest, authorized: Bool) throws -> Prepared {
        var headers = request.headers
        if authorized {
            guard let authorization else {
                throw MediaGenError(.authentication, provider: provider, message: "no API key was given")
            }
            if case .url(let url) = request.target { try checkCredentialOrigin(of: url) }
            headers[dialect.authorizationHeader] = authorization.value
        }
        if case .create(let key?, _) = request.intent {
            try RequestValidation.checkIdempotencyKey(key, provider: provider)
            headers[dialect.idempotencyHeader] = key
        }
        headers.merge(defaults: authorized ? defaultHeaders : publicDefaultHeaders)
        let url = try url(for: request)

        var body: HTTPBody?
        var form: MultipartFormData?
        switch request.body {
        case .none:
            body = nil
        case .json(let data):
            headers.merge(defaults: ["Content-Type": "application/json"])
            body = .data(data)
        case .data(let data, let contentType):
            headers.merge(defaults: ["Content-Type": contentType])
            body = .data(data)
        case .file(let file, let contentType):
            headers.merge(defaults: ["Content-Type": contentType])
            body = .file(file)
        case .multipart(let multipart):
            headers["Content-Type"] = multipart.contentType
            form = multipart
        }
        // Last, over every field whatever set it: no value may end its line and add another.
        try RequestValidation.checkHeaders(headers, provider: provider)

        var temporaryFile: URL?
        if let form {
            // Written to a file first so that a large file part streams from disk to the socket.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "mediagen-\(UUID().uuidString).multipart")
            do {
                try form.writeBody(to: file)
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw error
            }
            temporaryFile = file
            body = .file(file)
        }
        let http = HTTPRequest(
            method: request.method,
            url: url,
            headers: headers,
            body: body,
            timeout: request.timeout ?? configuration.timeout
        )
        return Prepared(http: http, temporaryFile: temporaryFile)
    }

    /// Refuses to send the credential to a URL off the provider's configured origins, before
    /// anything is sent: a hostile answer or a tampered `TaskHandle` must not harvest the key.
    func checkCredentialOrigin(of url: URL) throws(MediaGenError) {
        if let origin = Origin(url), credentialOrigins.contains(origin) { return }
        let trusted = credentialOrigins.map(\.description).sorted().joined(separator: ", ")
        let target = Origin(url)?.description ?? url.absoluteString
        throw MediaGenError(
            .invalidRequest(field: "url", reason: "not on \(provider.displayName)'s configured hosts"),
            provider: provider,
            message:
                "refusing to send the \(provider.displayName) API key to \(target): only \(trusted) receive it. A status, result or cancel URL must be on the provider's host; if this one is yours (a proxy), make it the client's base URL"
        )
    }

    func url(for request: APIRequest) throws(MediaGenError) -> URL {
        var text: String
        switch request.target {
        case .url(let url):
            text = url.absoluteString
        case .path(let segments):
            text = try RequestValidation.path(
                baseURLText, appending: segments, field: request.idField, provider: provider)
        }
        if !request.query.isEmpty {
            text += (text.contains("?") ? "&" : "?") + PercentEncoding.query(request.query)
        }
        guard let url = URL(string: text) else {
            throw MediaGenError(
                .invalidRequest(field: nil, reason: "bad URL"), provider: provider,
                message: "cannot form a URL from \(text)")
        }
        return url
    }
}
