import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The default ``HTTPTransport``, built on `URLSession`, on Linux and Apple platforms alike.
///
/// ```swift
/// let transport = URLSessionTransport()
/// let response = try await transport.send(HTTPRequest(method: .get, url: url))
/// _ = try await transport.download(HTTPRequest(method: .get, url: videoURL), to: file) { progress in
///     print(progress.bytesReceived)
/// }
/// ```
///
/// Downloads stream to disk through a data delegate as bytes arrive (`URLSession.bytes(for:)`
/// does not exist on Linux), so memory stays flat whatever the file's size. Cookies and the URL
/// cache are off: API answers must never be served stale or carry state between clients.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let downloadSession: URLSession
    private let downloads: DownloadDelegate

    /// Creates a transport with its own sessions built from `configuration`.
    public init(configuration: URLSessionConfiguration = URLSessionTransport.defaultConfiguration()) {
        let downloads = DownloadDelegate()
        self.downloads = downloads
        self.session = URLSession(configuration: configuration)
        let queue = OperationQueue()
        // One delegate callback at a time, in order: chunks of a body are written sequentially.
        queue.maxConcurrentOperationCount = 1
        self.downloadSession = URLSession(configuration: configuration, delegate: downloads, delegateQueue: queue)
    }

    deinit {
        session.finishTasksAndInvalidate()
        downloadSession.finishTasksAndInvalidate()
    }

    /// No cookies, no cache, generous connection pool for many concurrent polls.
    public static func defaultConfiguration() -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 16
        return configuration
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = Self.urlRequest(for: request)
        do {
            let data: Data
            let response: URLResponse
            switch request.body {
            case .file(let file):
                (data, response) = try await session.upload(for: urlRequest, fromFile: file)
            case .data(let body):
                urlRequest.httpBody = body
                (data, response) = try await session.data(for: urlRequest)
            case nil:
                (data, response) = try await session.data(for: urlRequest)
            }
            guard let http = response as? HTTPURLResponse else {
                throw TransportError(.invalidResponse, "the answer was not an HTTP response")
            }
            return HTTPResponse(status: http.statusCode, headers: Self.headers(of: http), body: data)
        } catch {
            throw Self.transportError(from: error)
        }
    }

    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws -> HTTPResponse {
        var urlRequest = Self.urlRequest(for: request)
        if case .data(let body) = request.body { urlRequest.httpBody = body }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw TransportError(
                .other, "cannot create \(file.lastPathComponent) in \(file.deletingLastPathComponent().path)")
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: file)
        } catch {
            throw TransportError(
                .other, "cannot open \(file.lastPathComponent) for writing: \(error.localizedDescription)")
        }
        let task = downloadSession.dataTask(with: urlRequest)
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    downloads.register(
                        DownloadJob(file: handle, progress: progress, continuation: continuation),
                        for: task.taskIdentifier
                    )
                    task.resume()
                }
            } onCancel: {
                task.cancel()
            }
        } catch {
            throw Self.transportError(from: error)
        }
    }

    private static func urlRequest(for request: HTTPRequest) -> URLRequest {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headers {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if let timeout = request.timeout {
            // URLSession's interval is an idle timeout; the executor enforces the total deadline.
            urlRequest.timeoutInterval = max(0.001, timeout.seconds)
        }
        return urlRequest
    }

    static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            headers.append(name: String(describing: name), value: String(describing: value))
        }
        return headers
    }

    /// Sorts Foundation's errors into what the retry rule needs to know.
    static func transportError(from error: any Error) -> any Error {
        if error is TransportError || error is CancellationError { return error }
        guard let urlError = error as? URLError else {
            return TransportError(.other, error.localizedDescription)
        }
        let detail = "\(urlError.code.rawValue) \(urlError.localizedDescription)"
        switch urlError.code {
        case .cancelled:
            return Task.isCancelled ? CancellationError() : TransportError(.other, detail)
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
            .internationalRoamingOff, .dataNotAllowed, .secureConnectionFailed, .serverCertificateUntrusted,
            .serverCertificateHasBadDate, .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
            .clientCertificateRejected, .clientCertificateRequired, .appTransportSecurityRequiresSecureConnection:
            return TransportError(.cannotConnect, detail)
        case .badURL, .unsupportedURL:
            return TransportError(.invalidRequest, detail)
        case .timedOut:
            return TransportError(.timedOut, detail)
        case .networkConnectionLost:
            return TransportError(.connectionLost, detail)
        case .badServerResponse, .cannotParseResponse, .zeroByteResource, .cannotDecodeRawData,
            .cannotDecodeContentData, .dataLengthExceedsMaximum:
            return TransportError(.invalidResponse, detail)
        default:
            return TransportError(.other, detail)
        }
    }
}

/// State of one streaming download, touched only by the download session's serial delegate queue
/// and, once, by the registering task (before the data task starts).
private struct DownloadJob: Sendable {
    let file: FileHandle
    let progress: (@Sendable (DownloadProgress) -> Void)?
    let continuation: CheckedContinuation<HTTPResponse, any Error>
    var response: HTTPResponse?
    var expectedBytes: Int64?
    var bytesReceived: Int64 = 0
    var errorBody = Data()
    var writeError: (any Error)?

    init(
        file: FileHandle,
        progress: (@Sendable (DownloadProgress) -> Void)?,
        continuation: CheckedContinuation<HTTPResponse, any Error>
    ) {
        self.file = file
        self.progress = progress
        self.continuation = continuation
    }
}

/// Routes the download session's callbacks to the job of each data task.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let jobs = Locked<[Int: DownloadJob]>([:])
    /// Error bodies are kept for the error message; a misbehaving server cannot make us buffer more.
    private static let errorBodyLimit = 64 * 1024

    func register(_ job: DownloadJob, for taskIdentifier: Int) {
        jobs.withLock { $0[taskIdentifier] = job }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        jobs.withLock { jobs in
            guard var job = jobs[dataTask.taskIdentifier] else { return }
            if let http = response as? HTTPURLResponse {
                job.response = HTTPResponse(status: http.statusCode, headers: URLSessionTransport.headers(of: http))
                job.expectedBytes = http.expectedContentLength >= 0 ? http.expectedContentLength : nil
            }
            jobs[dataTask.taskIdentifier] = job
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let update: (DownloadProgress, (@Sendable (DownloadProgress) -> Void)?)? = jobs.withLock { jobs in
            guard var job = jobs[dataTask.taskIdentifier], job.writeError == nil else { return nil }
            defer { jobs[dataTask.taskIdentifier] = job }
            guard job.response?.isSuccess ?? false else {
                job.errorBody.append(data.prefix(max(0, Self.errorBodyLimit - job.errorBody.count)))
                return nil
            }
            do {
                try job.file.write(contentsOf: data)
            } catch {
                job.writeError = error
                dataTask.cancel()
                return nil
            }
            job.bytesReceived += Int64(data.count)
            return (DownloadProgress(bytesReceived: job.bytesReceived, expectedBytes: job.expectedBytes), job.progress)
        }
        if let (progress, report) = update { report?(progress) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let job = jobs.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        try? job.file.close()
        if let writeError = job.writeError {
            job.continuation.resume(
                throwing: TransportError(.other, "cannot write the download: \(writeError.localizedDescription)"))
        } else if let error {
            job.continuation.resume(throwing: error)
        } else if var response = job.response {
            if !response.isSuccess { response.body = job.errorBody }
            if response.isSuccess, let expected = job.expectedBytes, expected != job.bytesReceived {
                job.continuation.resume(
                    throwing: TransportError(
                        .invalidResponse, "body cut short: \(job.bytesReceived) of \(expected) bytes")
                )
            } else {
                job.continuation.resume(returning: response)
            }
        } else {
            job.continuation.resume(throwing: TransportError(.invalidResponse, "the answer was not an HTTP response"))
        }
    }
}

extension Duration {
    /// This duration in seconds, as a `Double` (for Foundation APIs that take `TimeInterval`).
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
