import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One download with progress in flight. Registered by the calling task before the download task
/// starts, then touched only by the download session's serial delegate queue.
struct DownloadJob: Sendable {
    let file: URL
    let progress: @Sendable (TransferProgress) -> Void
    let box: ContinuationBox
    var placement: Result<Void, any Error>?

    init(file: URL, progress: @escaping @Sendable (TransferProgress) -> Void, box: ContinuationBox) {
        self.file = file
        self.progress = progress
        self.box = box
    }
}

/// Routes the download session's callbacks to the job of each download task: how
/// `URLSessionTransport` downloads with progress on Apple platforms (on Linux it is built, not
/// used: see `URLSessionTransport+Platform.swift`).
///
/// Download tasks, not data tasks: Foundation writes the body to disk inside its network callback,
/// so a slow disk slows the transfer instead of piling chunks up in memory (a data delegate on
/// Linux gets every chunk queued for it, however far behind it is).
final class DownloadDelegate: NSObject, URLSessionDownloadDelegate, Sendable {
    private let jobs = TaskJobs<DownloadJob>()

    func register(_ job: DownloadJob, for taskIdentifier: Int) {
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
        downloadTask: URLSessionDownloadTask,
        didWriteData bytesWritten: Int64,
        totalBytesWritten: Int64,
        totalBytesExpectedToWrite: Int64
    ) {
        guard let report = jobs.job(for: downloadTask)?.progress else { return }
        // Progress is the file's: an error answer's body is not reported (as on Linux).
        if let http = downloadTask.response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) { return }
        report(
            TransferProgress(
                bytesTransferred: totalBytesWritten,
                totalBytes: totalBytesExpectedToWrite > 0 ? totalBytesExpectedToWrite : nil))
    }

    /// Foundation deletes `location` when this returns: move the body where the caller wants it now.
    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        jobs.update(for: downloadTask) { job in
            let (file, box) = (job.file, job.box)
            job.placement = box.whileWaiting { DownloadOutcome.place(location, at: file) }
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
        guard let job = jobs.remove(for: task) else { return }
        job.box.resume(
            with: Result {
                try DownloadOutcome.response(
                    file: job.file, placement: job.placement, response: task.response, error: error)
            }
        )
    }
}
