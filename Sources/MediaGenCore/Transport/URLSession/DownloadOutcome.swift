import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a finished download task amounts to: the file in place, checked, and the response head.
enum DownloadOutcome {
    /// Error bodies are read back for the error message, up to this size.
    static let errorBodyLimit = 64 * 1024

    /// Moves Foundation's temporary file to `file`.
    static func place(_ location: URL, at file: URL) -> Result<Void, any Error> {
        Result {
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try FileManager.default.moveItem(at: location, to: file)
        }
    }

    static func response(file: URL, placement: Result<Void, any Error>?, response: URLResponse?, error: (any Error)?)
        throws -> HTTPResponse
    {
        if let error { throw error }
        if case .failure(let placementError) = placement {
            throw TransportError.localFile(
                file, "cannot write the download to \(file.path): \(placementError.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError(.invalidResponse, "the answer was not an HTTP response")
        }
        let placed = placement != nil
        let received =
            placed
            ? ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.int64Value ?? 0 : 0
        return try head(of: http, file: file, received: received, fileExists: placed) {
            let handle = try? FileHandle(forReadingFrom: file)
            defer { try? handle?.close() }
            return (try? handle?.read(upToCount: errorBodyLimit)) ?? Data()
        }
    }

    /// The head of a finished download's answer: an error answer carries its body (`errorBody`,
    /// for the message); a success must have brought the length it announced, and leaves a file
    /// even when it was empty.
    static func head(
        of http: HTTPURLResponse, file: URL, received: Int64, fileExists: Bool, errorBody: () -> Data
    ) throws -> HTTPResponse {
        var head = HTTPResponse(status: http.statusCode, headers: URLSessionTransport.headers(of: http))
        if !head.isSuccess {
            head.body = errorBody()
        } else if http.expectedContentLength >= 0, http.expectedContentLength != received {
            throw TransportError(.invalidResponse, "body cut short: \(received) of \(http.expectedContentLength) bytes")
        } else if !fileExists {
            // An empty body: there may be no file yet; the caller expects one.
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw TransportError.localFile(file, "cannot create \(file.path)")
            }
        }
        return head
    }
}
