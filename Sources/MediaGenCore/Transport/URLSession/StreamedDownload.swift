import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// How `URLSessionTransport` downloads with progress on Linux: a data task whose chunks the
// transport writes to the caller's file itself, on a delegate queue that holds URLSession back
// when writing falls behind.
//
// FoundationNetworking reports download progress only through a download delegate, and on that
// path it opens its temporary file again for every 16 KiB chunk and queues a callback per chunk
// with no bound: about twice the time of a download without progress, and more memory
// (`swift run -c release Benchmarks 2`, figure 2e; Documentation/Performance.md).

/// One download with progress in flight on the data path: the file it writes and how far it has got.
///
/// Created by the calling task before its URLSession task starts; after that, touched only by
/// callbacks on the download session's serial delegate queue.
final class StreamedDownload: @unchecked Sendable {
    // Safe: the mutable state below is written and read only on the download session's serial
    // delegate queue (`StreamedDownloads` calls nothing else); the calling task only creates the
    // value and hands it over before the URLSession task is resumed.
    let file: URL
    let progress: @Sendable (TransferProgress) -> Void
    let box: ContinuationBox
    private var response: HTTPURLResponse?
    private var output: FileHandle?
    private var received: Int64 = 0
    private var errorBody = Data()
    /// A failure of ours (the file could not be written); it outranks URLSession's error, which is
    /// then only the cancellation that stopped the transfer.
    private var failure: TransportError?

    init(file: URL, progress: @escaping @Sendable (TransferProgress) -> Void, box: ContinuationBox) {
        self.file = file
        self.progress = progress
        self.box = box
    }

    /// The answer's head arrived. Returns `true` when this failed the download: the URLSession
    /// task must then be stopped.
    func begin(_ response: URLResponse) -> Bool {
        self.response = response as? HTTPURLResponse
        received = 0
        errorBody = Data()
        closeOutput()
        guard isSuccess, failure == nil else { return false }
        // Not once the caller has stopped waiting: it may have removed the file's folder already
        // (and whoever released it has cancelled the task).
        return box.whileWaiting { !openOutput() } ?? false
    }

    /// A piece of the body arrived. Returns `true` when this failed the download: the URLSession
    /// task must then be stopped. Chunks that arrive after a failure, or after the caller has
    /// stopped waiting, are dropped.
    func receive(_ data: Data) -> Bool {
        guard failure == nil, !box.isSettled else {
            closeOutput()
            return false
        }
        guard isSuccess else {
            // An error answer: keep enough of it for the error message.
            errorBody.append(data.prefix(max(0, DownloadOutcome.errorBodyLimit - errorBody.count)))
            return false
        }
        if output == nil, let failed = box.whileWaiting({ !openOutput() }), failed { return true }
        guard let output else { return false }
        do {
            try output.write(contentsOf: data)
        } catch {
            failure = .localFile(file, "cannot write the download to \(file.path): \(error.localizedDescription)")
            closeOutput()
            return true
        }
        received += Int64(data.count)
        let expected = response.map(\.expectedContentLength).flatMap { $0 > 0 ? $0 : nil }
        progress(TransferProgress(bytesTransferred: received, totalBytes: expected))
        return false
    }

    /// The task ended, with URLSession's `error` and its last response.
    func finish(error: (any Error)?, taskResponse: URLResponse?) -> Result<HTTPResponse, any Error> {
        closeOutput()
        return Result {
            if let failure { throw failure }
            if let error { throw error }
            guard let http = response ?? taskResponse as? HTTPURLResponse else {
                throw TransportError(.invalidResponse, "the answer was not an HTTP response")
            }
            return try DownloadOutcome.head(of: http, file: file, received: received, fileExists: received > 0) {
                errorBody
            }
        }
    }

    private var isSuccess: Bool {
        (200..<300).contains(response?.statusCode ?? 200)
    }

    /// Creates (or empties) the file and opens it for writing.
    private func openOutput() -> Bool {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: file)
        else {
            failure = .localFile(file, "cannot write the download to \(file.path)")
            return false
        }
        output = handle
        return true
    }

    private func closeOutput() {
        try? output?.close()
        output = nil
    }
}

/// Routes the download session's callbacks to the ``StreamedDownload`` of each task.
final class StreamedDownloads: NSObject, URLSessionDataDelegate, Sendable {
    private let jobs = TaskJobs<StreamedDownload>()

    func register(_ job: StreamedDownload, for taskIdentifier: Int) {
        jobs.register(job, for: taskIdentifier)
    }

    /// Refused (``AuthenticationChallenges``): the SDK's credentials are headers.
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        AuthenticationChallenges.refuse(challenge, for: task, completionHandler: completionHandler)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        if let job = jobs.job(for: dataTask), job.begin(response) { Self.stop(dataTask) }
        completionHandler(.allow)
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

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if let job = jobs.job(for: dataTask), job.receive(data) { Self.stop(dataTask) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let job = jobs.remove(for: task) else { return }
        job.box.resume(with: job.finish(error: error, taskResponse: task.response))
    }

    /// Stops a download that failed here (once: the job reports a failure only when it happens).
    /// From another thread: `cancel()` waits for URLSession's network queue, which may be waiting
    /// for this very delegate queue (see ``BoundedDelegateQueue``).
    private static func stop(_ task: URLSessionTask) {
        DispatchQueue.global().async { task.cancel() }
    }
}
