import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Where Linux and Apple platforms part: downloads with a progress handler. Everything else the
// transport does is the same on both.
//
// Foundation reports download progress only to a delegate. On Apple platforms that is a download
// delegate (`DownloadDelegate`). On Linux the download delegate path opens its temporary file
// again for every 16 KiB chunk and queues a callback per chunk with no bound — twice the time of
// a download without progress — so there the transport runs a data task and writes the chunks
// into the caller's file itself (`StreamedDownload`), on a delegate queue that makes URLSession
// stop reading while writing is behind (`BoundedDelegateQueue`).
extension URLSessionTransport {
    /// How many `send`s per host go to URLSession at once; `nil` lets them all through.
    ///
    /// FoundationNetworking (libcurl) runs one request per connection (HTTP/1.1; pipelining is
    /// deprecated and off unless asked for), and holds those beyond `httpMaximumConnectionsPerHost` as tasks queued in URLSession; the
    /// transport holds them itself instead, for a fraction of the memory (``HostAdmission``). On
    /// Apple platforms HTTP/2 carries many requests on one connection, so the connection count is
    /// no bound on the requests worth handing over: none is set.
    static func admissionLimit(for configuration: URLSessionConfiguration) -> Int? {
        #if canImport(FoundationNetworking)
            let connections = configuration.httpMaximumConnectionsPerHost
            return connections > 0 ? connections : nil
        #else
            return nil
        #endif
    }

    #if canImport(FoundationNetworking)
        /// The download session's delegate: data tasks streamed into the caller's file.
        typealias ProgressDownloads = StreamedDownloads

        /// Chunks (16 KiB at most) a download may have waiting for the disk before URLSession stops
        /// reading: 1 MiB.
        static let downloadBacklog = 64

        /// The download session's delegate queue: serial, and bounded by ``downloadBacklog``.
        static func progressDelegateQueue(label: String) -> OperationQueue {
            BoundedDelegateQueue(label: label, limit: downloadBacklog)
        }

        /// A data task whose chunks `downloads` writes into `file`, registered before it starts.
        func progressDownloadTask(
            for urlRequest: URLRequest,
            to file: URL,
            progress: @escaping @Sendable (TransferProgress) -> Void,
            box: ContinuationBox
        ) -> URLSessionTask {
            let task = downloadSession.dataTask(with: urlRequest)
            downloads.register(StreamedDownload(file: file, progress: progress, box: box), for: task.taskIdentifier)
            return task
        }
    #else
        /// The download session's delegate: download tasks, each moved into place when it finishes.
        typealias ProgressDownloads = DownloadDelegate

        /// The download session's delegate queue: serial, since a download's callbacks must be
        /// handled in order.
        static func progressDelegateQueue(label: String) -> OperationQueue {
            let queue = OperationQueue()
            queue.name = label
            queue.maxConcurrentOperationCount = 1
            return queue
        }

        /// A download task whose file `downloads` moves into `file`, registered before it starts.
        func progressDownloadTask(
            for urlRequest: URLRequest,
            to file: URL,
            progress: @escaping @Sendable (TransferProgress) -> Void,
            box: ContinuationBox
        ) -> URLSessionTask {
            let task = downloadSession.downloadTask(with: urlRequest)
            downloads.register(DownloadJob(file: file, progress: progress, box: box), for: task.taskIdentifier)
            return task
        }
    #endif
}
