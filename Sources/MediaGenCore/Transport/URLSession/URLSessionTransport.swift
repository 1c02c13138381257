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
///     print(progress.bytesTransferred)
/// }
/// ```
///
/// Downloads stream to disk and never hold the body in memory. Without a progress handler
/// they are URLSession download tasks with a completion handler: Foundation writes the body to
/// disk as it reads it, and the file is moved where the caller asked when it completes. With one,
/// on Apple platforms they are download tasks with a delegate; on Linux, where that path is twice
/// as slow, they are data tasks whose chunks the transport writes into the caller's file itself,
/// on a delegate queue that makes URLSession stop reading while writing is behind. On Linux, a
/// body from a file, and any body with a progress handler, goes as a stream that counts what
/// URLSession reads from it (`UploadBodyStream`), sent by a completion-handler task; on Apple
/// platforms uploads with progress are tasks with a delegate.
/// Cookies and the URL cache are off: API answers must never be served stale or carry state
/// between clients.
///
/// On Linux, `send`s beyond the session's connections per host (`httpMaximumConnectionsPerHost`,
/// 16 by default) wait in the transport, first come first served, rather than as URLSession tasks:
/// a waiting request costs a few dozen bytes instead of a task's kilobytes. The wait counts
/// against the request's timeout, and cancelling a waiting request ends it at once, unsent.
public final class URLSessionTransport: HTTPTransport {
    // The transport is spread over one file per concern: sending (`+Send`), downloading
    // (`+Download`), uploading with progress (`+Upload`), ending a call early (`+Cancellation`),
    // the platforms' differences (`+Platform`), streaming an answer as it arrives (`+Stream`), and
    // translating to and from Foundation (`+Conversion`, `+TransportError`).

    /// The session of completion-handler tasks: every `send`, and uploads with progress on Linux
    /// (whose body counts what is read from it).
    package let session: URLSession
    /// The session of downloads without progress; made when first used. Not `session`: on Linux
    /// that one runs its completion handlers on FoundationNetworking's work queue
    /// (``InlineDelegateQueue``), and a download's handler moves the file into place — a copy,
    /// across file systems — which would hold up every other call meanwhile.
    var plainDownloadSession: URLSession { plainDownloadSessions.session }
    private let plainDownloadSessions: OnDemandSession
    /// The session of downloads with progress, whose callbacks go to `downloads`; made when first
    /// used (``OnDemandSession``).
    var downloadSession: URLSession { downloadSessions.session }
    private let downloadSessions: OnDemandSession
    let downloads = ProgressDownloads()
    /// The session of streamed answers (`stream(_:)`) and of uploads with progress on Apple
    /// platforms, whose pieces and sent-byte counts `streams` hands on; made when first used.
    var streamSession: URLSession { streamSessions.session }
    private let streamSessions: OnDemandSession
    let streams = StreamedAnswers()
    /// The queue in front of `session`'s connections: `send`s beyond them wait here rather than
    /// as URLSession tasks (`nil` where URLSession multiplexes; see `admissionLimit(for:)`).
    package let admission: HostAdmission?
    /// On Apple platforms, the Dispatch queue under `session`'s delegate queue, which
    /// `OperationQueue.underlyingQueue` does not retain; on Linux `session` runs its callbacks
    /// inline (``InlineDelegateQueue``).
    private let callbackQueue: DispatchQueue?

    /// Creates a transport with its own sessions built from `configuration`.
    public init(configuration: URLSessionConfiguration = URLSessionTransport.defaultConfiguration()) {
        #if canImport(FoundationNetworking)
            let queue: OperationQueue = InlineDelegateQueue()
            self.callbackQueue = nil
        #else
            let (queue, callbacks) = Self.delegateQueue(label: "MediaGenKit.URLSessionTransport")
            self.callbackQueue = callbacks
        #endif
        self.admission = Self.admissionLimit(for: configuration).map(HostAdmission.init(limit:))
        self.session = URLSession(configuration: configuration, delegate: RedirectGuard(), delegateQueue: queue)
        #if canImport(FoundationNetworking)
            // A copy: the caller may change theirs before these sessions are made.
            let configuration = configuration.copy() as? URLSessionConfiguration ?? configuration
            let downloads = self.downloads
            let streams = self.streams
            self.plainDownloadSessions = OnDemandSession { Self.plainDownloadSession(configuration) }
            self.downloadSessions = OnDemandSession { Self.downloadSession(configuration, downloads) }
            self.streamSessions = OnDemandSession { Self.streamSession(configuration, streams) }
        #else
            self.plainDownloadSessions = OnDemandSession(made: Self.plainDownloadSession(configuration))
            self.downloadSessions = OnDemandSession(made: Self.downloadSession(configuration, downloads))
            self.streamSessions = OnDemandSession(made: Self.streamSession(configuration, streams))
        #endif
    }

    private static func plainDownloadSession(_ configuration: URLSessionConfiguration) -> URLSession {
        URLSession(
            configuration: configuration, delegate: RedirectGuard(),
            delegateQueue: delegateQueue(label: "MediaGenKit.URLSessionTransport.plain-download").0)
    }

    private static func downloadSession(_ configuration: URLSessionConfiguration, _ downloads: ProgressDownloads)
        -> URLSession
    {
        URLSession(
            configuration: configuration, delegate: downloads,
            delegateQueue: progressDelegateQueue(label: "MediaGenKit.URLSessionTransport.download"))
    }

    private static func streamSession(_ configuration: URLSessionConfiguration, _ streams: StreamedAnswers)
        -> URLSession
    {
        URLSession(
            configuration: configuration, delegate: streams,
            delegateQueue: delegateQueue(label: "MediaGenKit.URLSessionTransport.stream").0)
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
        plainDownloadSessions.finishTasksAndInvalidate()
        downloadSessions.finishTasksAndInvalidate()
        streamSessions.finishTasksAndInvalidate()
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
}
