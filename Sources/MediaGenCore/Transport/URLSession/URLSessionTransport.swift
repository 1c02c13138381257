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
/// Downloads stream to disk and never hold the body in memory. Without a progress handler
/// they are URLSession download tasks with a completion handler: Foundation writes the body to
/// disk as it reads it, and the file is moved where the caller asked when it completes. With one,
/// on Apple platforms they are download tasks with a delegate; on Linux, where that path is twice
/// as slow, they are data tasks whose chunks the transport writes into the caller's file itself,
/// on a delegate queue that makes URLSession stop reading while writing is behind. Cookies and the
/// URL cache are off: API answers must never be served stale or carry state between clients.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let downloadSession: URLSession
    #if canImport(FoundationNetworking)
        private let downloads = StreamedDownloads()
    #else
        private let downloads = DownloadDelegate()
    #endif
    /// The Dispatch queue under `session`'s delegate queue. `OperationQueue.underlyingQueue` does
    /// not retain its queue, so the transport does.
    private let callbackQueue: DispatchQueue

    /// Chunks (16 KiB at most) a download may have waiting for the disk before URLSession stops
    /// reading: 1 MiB.
    static let downloadBacklog = 64

    /// Creates a transport with its own sessions built from `configuration`.
    public init(configuration: URLSessionConfiguration = URLSessionTransport.defaultConfiguration()) {
        let (queue, callbacks) = Self.delegateQueue(label: "MediaGenKit.URLSessionTransport")
        self.callbackQueue = callbacks
        self.session = URLSession(configuration: configuration, delegate: RedirectGuard(), delegateQueue: queue)
        let downloadLabel = "MediaGenKit.URLSessionTransport.download"
        #if canImport(FoundationNetworking)
            let downloadQueue = BoundedDelegateQueue(label: downloadLabel, limit: Self.downloadBacklog)
        #else
            // Serial: a download's callbacks must be handled in order.
            let downloadQueue = OperationQueue()
            downloadQueue.name = downloadLabel
            downloadQueue.maxConcurrentOperationCount = 1
        #endif
        self.downloadSession = URLSession(
            configuration: configuration, delegate: downloads, delegateQueue: downloadQueue)
    }

    /// A serial delegate queue running on a Dispatch queue of its own.
    ///
    /// Completion handlers and delegate calls go through the session's `OperationQueue`. On Linux,
    /// one without an `underlyingQueue` hands each callback to its own scheduling first, which
    /// made every call ~70 µs slower than `URLSession.data(for:)` (which completes inline) on the
    /// reference machine; over a serial Dispatch queue a completion handler costs what
    /// `data(for:)` does (`swift run -c release Benchmarks _breakdown`).
    private static func delegateQueue(label: String) -> (OperationQueue, DispatchQueue) {
        let dispatchQueue = DispatchQueue(label: label)
        let queue = OperationQueue()
        queue.name = label
        queue.maxConcurrentOperationCount = 1
        queue.underlyingQueue = dispatchQueue
        return (queue, dispatchQueue)
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
        // Completion-handler tasks rather than `data(for:)`/`upload(for:)`: those cancel their
        // URLSession task from inside the Swift task's cancellation, which deadlocks on Linux (see
        // `run(_:box:)`); here the cancellation is ours to make safe.
        let box = ContinuationBox()
        let complete: @Sendable (Data?, URLResponse?, (any Error)?) -> Void = { data, response, error in
            box.resume(
                with: Result {
                    if let error { throw error }
                    guard let http = response as? HTTPURLResponse else {
                        throw TransportError(.invalidResponse, "the answer was not an HTTP response")
                    }
                    return HTTPResponse(status: http.statusCode, headers: Self.headers(of: http), body: data ?? Data())
                })
        }
        let task: URLSessionTask
        switch request.body {
        case .file(let file):
            task = session.uploadTask(with: urlRequest, fromFile: file, completionHandler: complete)
        case .data(let body):
            urlRequest.httpBody = body
            task = session.dataTask(with: urlRequest, completionHandler: complete)
        case nil:
            task = session.dataTask(with: urlRequest, completionHandler: complete)
        }
        let deadline = Self.armDeadline(request.timeout, for: task, box: box)
        defer { deadline.map(Watchdog.shared.disarm) }
        do {
            return try await Self.run(task, box: box)
        } catch {
            throw Self.transportError(from: error)
        }
    }

    /// `HTTPRequest.timeout` is a deadline for the whole exchange, kept by the shared ``Watchdog``:
    /// when it passes, the caller gets `.timedOut` at once and the URLSession task is cancelled
    /// (from another thread, as in `run(_:box:)`). URLSession's own `timeoutInterval` only limits
    /// how long the connection may stay idle on Linux.
    private static func armDeadline(_ timeout: Duration?, for task: URLSessionTask, box: ContinuationBox)
        -> Watchdog.Deadline?
    {
        guard let timeout else { return nil }
        return Watchdog.shared.arm(after: timeout) {
            box.resume(
                with: .failure(TransportError(.timedOut, "no complete answer within \(MediaGenError.format(timeout))")))
            DispatchQueue.global().async { task.cancel() }
        }
    }

    /// Whole-exchange deadlines are kept here (see `armDeadline`), so the executor adds none.
    public var enforcesTimeouts: Bool { true }

    /// Starts `task` and waits for the result `box` receives; cancelling the Swift task ends the
    /// wait at once with `CancellationError` and cancels the URLSession task. A call cancelled
    /// before `task` is started never starts it, so it sends nothing.
    ///
    /// The cancellation handler runs while the Swift runtime holds the task's status lock, and
    /// `URLSessionTask.cancel()` waits for the session's work queue — which, when the answer is
    /// arriving at that moment, is resuming this very task and waiting for the same lock. On Linux
    /// that deadlock froze whole processes (swift-corelibs-foundation issue 5412, with `data(for:)`
    /// and a per-request timeout racing a dropped connection), so the cancel is sent from another
    /// thread, after the handler has returned. The caller does not wait for it: `cancel()` waits
    /// until the work queue is free, which during a large download can take a second or more, and
    /// the global queue's few threads may all be waiting so.
    private static func run(_ task: URLSessionTask, box: ContinuationBox) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                box.set(continuation)
                // Cancelled already: `onCancel` below has run (or is running) and sends `cancel()`,
                // which completes a task never resumed without a byte sent. Checked here rather
                // than when the call begins, so a cancel that lands while the task is being made
                // is caught too.
                if !Task.isCancelled { task.resume() }
            }
        } onCancel: {
            // The caller is released on a serial queue of the transport's own: Dispatch gives such
            // a queue a thread even when every thread of the global pool is blocked in `cancel()`.
            cancellations.async { box.resume(with: .failure(CancellationError())) }
            DispatchQueue.global().async { task.cancel() }
        }
    }

    /// Where cancelled calls are released (see `run(_:box:)`).
    private static let cancellations = DispatchQueue(label: "MediaGenKit.URLSessionTransport.cancellations")

    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws -> HTTPResponse {
        var urlRequest = Self.urlRequest(for: request)
        if case .data(let body) = request.body { urlRequest.httpBody = body }
        let box = ContinuationBox()
        let task: URLSessionTask
        if let progress {
            // Foundation reports progress only to a delegate. On Linux its download delegate
            // path is twice as slow as a plain download task, so there the transport streams a
            // data task into the file itself (see `StreamedDownload`).
            #if canImport(FoundationNetworking)
                task = downloadSession.dataTask(with: urlRequest)
                downloads.register(StreamedDownload(file: file, progress: progress, box: box), for: task.taskIdentifier)
            #else
                task = downloadSession.downloadTask(with: urlRequest)
                downloads.register(DownloadJob(file: file, progress: progress, box: box), for: task.taskIdentifier)
            #endif
        } else {
            // No delegate queue at all: Foundation writes the body to disk inside its network
            // callback, so a slow disk slows the transfer, and memory stays at its flattest.
            task = session.downloadTask(with: urlRequest) { location, response, error in
                // Foundation may delete `location` after this returns: place the file now, unless
                // the caller has stopped waiting (cancelled, timed out) and may have cleaned up;
                // then the body is nobody's.
                let placement = box.whileWaiting { location.map { DownloadOutcome.place($0, at: file) } }
                if placement == nil, let location { try? FileManager.default.removeItem(at: location) }
                let placed = placement ?? nil
                box.resume(
                    with: Result {
                        try DownloadOutcome.response(file: file, placement: placed, response: response, error: error)
                    })
            }
        }
        let deadline = Self.armDeadline(request.timeout, for: task, box: box)
        defer { deadline.map(Watchdog.shared.disarm) }
        do {
            return try await Self.run(task, box: box)
        } catch {
            throw Self.transportError(from: error)
        }
    }

    private static func urlRequest(for request: HTTPRequest) -> URLRequest {
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
        case .fileDoesNotExist, .fileIsDirectory, .noPermissionsToReadFile, .cannotCreateFile, .cannotOpenFile,
            .cannotCloseFile, .cannotWriteToFile, .cannotRemoveFile, .cannotMoveFile:
            return TransportError(
                .localFile, detail, path: urlError.failingURL?.isFileURL == true ? urlError.failingURL?.path : nil)
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

/// Hands a completion handler's result to the continuation registered just before the task starts,
/// or keeps a result that arrives first (a task cancelled before it started completes at once).
final class ContinuationBox: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<HTTPResponse, any Error>)
        case finished(Result<HTTPResponse, any Error>)
        case done
    }

    private let state = Locked<State>(.empty)

    func set(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        let early: Result<HTTPResponse, any Error>? = state.withLock { state in
            if case .finished(let result) = state {
                state = .done
                return result
            }
            state = .waiting(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Whether a result has been given (the caller has it, or will as soon as it waits).
    var isSettled: Bool {
        state.withLock { state in
            switch state {
            case .empty, .waiting: false
            case .finished, .done: true
            }
        }
    }

    /// Runs `body` unless a result has been given, holding off any result until it returns: for
    /// work whose effect the caller must not find after it has stopped waiting (a file put in
    /// place after a cancelled download was cleaned up). `nil` when it did not run.
    func whileWaiting<T>(_ body: () -> T) -> T? {
        state.withLock { state in
            switch state {
            case .empty, .waiting: body()
            case .finished, .done: nil
            }
        }
    }

    func resume(with result: Result<HTTPResponse, any Error>) {
        let waiting: CheckedContinuation<HTTPResponse, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .finished(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .finished, .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}

/// One download with progress in flight. Registered by the calling task before the download task
/// starts, then touched only by the download session's serial delegate queue.
private struct DownloadJob: Sendable {
    let file: URL
    let progress: @Sendable (DownloadProgress) -> Void
    let box: ContinuationBox
    var placement: Result<Void, any Error>?

    init(file: URL, progress: @escaping @Sendable (DownloadProgress) -> Void, box: ContinuationBox) {
        self.file = file
        self.progress = progress
        self.box = box
    }
}

/// Routes the download session's callbacks to the job of each download task.
///
/// Download tasks, not data tasks: Foundation writes the body to disk inside its network callback,
/// so a slow disk slows the transfer instead of piling chunks up in memory (a data delegate on
/// Linux gets every chunk queued for it, however far behind it is).
private final class DownloadDelegate: NSObject, URLSessionDownloadDelegate, Sendable {
    private let jobs = Locked<[Int: DownloadJob]>([:])

    func register(_ job: DownloadJob, for taskIdentifier: Int) {
        jobs.withLock { $0[taskIdentifier] = job }
    }

    func urlSession(
        _ session: URLSession,
        downloadTask: URLSessionDownloadTask,
        didWriteData bytesWritten: Int64,
        totalBytesWritten: Int64,
        totalBytesExpectedToWrite: Int64
    ) {
        guard let report = jobs.withLock({ $0[downloadTask.taskIdentifier]?.progress }) else { return }
        // Progress is the file's: an error answer's body is not reported (as on Linux).
        if let http = downloadTask.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) { return }
        report(
            DownloadProgress(
                bytesReceived: totalBytesWritten,
                expectedBytes: totalBytesExpectedToWrite > 0 ? totalBytesExpectedToWrite : nil))
    }

    /// Foundation deletes `location` when this returns: move the body where the caller wants it now.
    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        jobs.withLock { jobs in
            guard let job = jobs[downloadTask.taskIdentifier] else { return }
            jobs[downloadTask.taskIdentifier]?.placement = job.box.whileWaiting {
                DownloadOutcome.place(location, at: job.file)
            }
        }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(CredentialRedirects.follow(request, from: task.originalRequest))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let job = jobs.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        job.box.resume(
            with: Result {
                try DownloadOutcome.response(
                    file: job.file, placement: job.placement, response: task.response, error: error)
            }
        )
    }
}

extension Duration {
    /// This duration in seconds, as a `Double` (for Foundation APIs that take `TimeInterval`).
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
