import Foundation

// Opening a provider's stream of server-sent events (fal's status stream).
extension RequestExecutor {
    /// Opens `request` as a stream of server-sent events: credentials, headers and URL checked as
    /// for any request, `Accept: text/event-stream`. An error answer throws the provider's error;
    /// a transport that cannot stream throws `TransportError` with reason `unsupported`. Each
    /// event's data has the credential removed, as every answer does.
    ///
    /// Not retried and not passed through the middleware: a stream is an optimization its caller
    /// falls back from (to polling), and a middleware sees whole answers only.
    package func events(_ request: APIRequest) async throws -> ServerSentEvents {
        let prepared = try prepare(request, authorized: true)
        defer { prepared.removeTemporaryFile() }
        var http = prepared.http
        http.headers["Accept"] = "text/event-stream"
        let answer: HTTPStreamedResponse
        do {
            answer = try await configuration.transport.stream(http)
        } catch let failure as TransportError where failure.reason == .unsupported {
            throw failure
        } catch let failure as TransportError {
            throw error(for: failure, taskID: request.taskID, idempotencyKey: nil)
        }
        guard (200..<300).contains(answer.status) else {
            let body = try await answer.collect()
            let response = redacted(HTTPResponse(status: answer.status, headers: answer.headers, body: body))
            let details = errorDetails(in: response, json: try? JSONReader.node(from: body)) ?? ProviderErrorDetails()
            throw error(for: response, details: details, taskID: request.taskID)
        }
        return ServerSentEvents(answer.body) { [self] event in
            var event = event
            event.data = scrub(event.data)
            return event
        }
    }
}
