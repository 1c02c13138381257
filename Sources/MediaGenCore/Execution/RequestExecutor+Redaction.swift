import Foundation

// Keeping the credential out of everything an answer is read into: errors, snippets, decoded values.
extension RequestExecutor {
    /// `response` with the credential scrubbed from its body and header values, in every form a
    /// server could echo it: whatever reads the answer next — the error sniffing, the decoder, a
    /// snippet, a request id — can then hold no part of the key. Answers that hold none are not
    /// copied.
    func redacted(_ response: HTTPResponse) -> HTTPResponse {
        guard !echoedSecrets.isEmpty else { return response }
        var response = response
        response.body = Redaction.scrub(response.body, secrets: echoedSecrets)
        if response.headers.contains(where: { Redaction.contains($0.value, anyOf: echoedSecrets) }) {
            response.headers = HTTPHeaders(
                response.headers.map { HTTPHeaders.Field(name: $0.name, value: scrub($0.value)) })
        }
        return response
    }

    /// The first 200 characters of a body, on one line, credentials removed — before the cut, so
    /// that a key straddling it leaves no part behind.
    package func snippet(of body: Data) -> String {
        let limit = 200
        let longestSecret = echoedSecrets.map(\.count).max() ?? 0
        // A character is at most 4 bytes: this covers the first `limit` characters and any secret
        // that starts among them.
        let text = String(decoding: body.prefix((limit + longestSecret) * 4), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return String(scrub(text).prefix(limit))
    }

    /// Removes the credential (and each `:`-separated part of it, as fal keys are `id:secret`).
    package func scrub(_ text: String) -> String {
        guard let value = credential?.value else { return text }
        return Redaction.scrub(text, secrets: [value] + value.split(separator: ":").map(String.init))
    }
}
