#if canImport(FoundationNetworking)
    import Foundation
    import FoundationNetworking

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    // The C calls, out of the class, whose `open`, `read` and `close` methods hide them.
    private func openFile(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
    private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        read(descriptor, buffer, count)
    }
    private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

    /// The body of an upload with progress on Linux: a request body stream over a file (or bytes in
    /// memory) that counts what URLSession reads from it and reports the count.
    ///
    /// ```swift
    /// var urlRequest = URLRequest(url: url)
    /// let body = try UploadBodyStream(.file(file)) { print($0.bytesTransferred, "of", $0.totalBytes ?? 0) }
    /// URLSessionTransport.attach(body, to: &urlRequest)  // Content-Length, never chunked
    /// session.dataTask(with: urlRequest) { data, response, error in … }.resume()
    /// ```
    ///
    /// FoundationNetworking hands every small piece an upload task sends to the delegate queue when
    /// the session has a delegate, which cost 35–45 % of an upload's throughput (figure 9 in
    /// `Performance.md`); a completion-handler task with no delegate never reports what it sent
    /// (`countOfBytesSent` stays 0). A body stream is read by the task itself, on URLSession's
    /// thread, in the pieces libcurl asks for (64 KiB), so counting them costs nothing and needs no
    /// delegate. A piece read is a piece handed to libcurl to send, not one the peer has received:
    /// the count runs at most one socket buffer ahead of the wire.
    ///
    /// Reports are thinned to one per 1 % of the total or per MiB, whichever comes first, and the
    /// last byte read is always reported: the counts only grow and end at the total. The handler runs
    /// on URLSession's thread between two reads, so it must be quick (hop to your own queue or actor).
    ///
    /// A stream cannot be rewound, so each sending of the body needs its own: the transport makes
    /// one in every `upload(_:progress:)` call (the executor calls it again for each attempt), and
    /// ``Renewal`` makes another when libcurl sends the request again by itself (see there). The
    /// stream never hands out more than the length fixed when it was made; a file that ends sooner
    /// fails the read, which fails the task, and ``failure`` says why.
    ///
    /// Foundation's stream classes are not `Sendable`, and this one is not either: it is made by the
    /// caller, then belongs to the URLSession task, whose work queue alone opens, reads and closes it.
    /// What crosses threads is `@Sendable` (the progress handler) or locked (``failure``).
    final class UploadBodyStream: InputStream {
        /// Where the bytes come from.
        private enum Source {
            case file(descriptor: Int32)
            case data(Data)
        }

        /// The body's length: the request's `Content-Length`.
        let length: Int64
        /// Why a read failed, for the transport to report instead of libcurl's "aborted"; shared by
        /// the streams of one call.
        let failure: Locked<TransportError?>
        private var source: Source
        private let path: String?
        private let progress: @Sendable (TransferProgress) -> Void
        private let reportEvery: Int64
        private var handedOut: Int64 = 0
        private var reported: Int64 = 0
        private var status: Stream.Status = .notOpen

        /// A stream over `body`. For a file, it is opened now and its current size is the length;
        /// an unreadable file throws ``TransportError/Reason/localFile``.
        init(
            _ body: HTTPBody,
            failure: Locked<TransportError?> = Locked(nil),
            progress: @escaping @Sendable (TransferProgress) -> Void
        ) throws {
            self.failure = failure
            switch body {
            case .data(let data):
                self.source = .data(data)
                self.path = nil
                self.length = Int64(data.count)
            case .file(let file):
                let descriptor = openFile(file.path)
                guard descriptor >= 0 else {
                    throw TransportError(
                        .localFile, "cannot open the file to upload: \(String(cString: strerror(errno)))",
                        path: file.path)
                }
                var information = stat()
                guard fstat(descriptor, &information) == 0, (information.st_mode & S_IFMT) == S_IFREG else {
                    closeDescriptor(descriptor)
                    throw TransportError(.localFile, "the upload's source is not a regular file", path: file.path)
                }
                self.source = .file(descriptor: descriptor)
                self.path = file.path
                self.length = Int64(information.st_size)
            }
            self.progress = progress
            self.reportEvery = max(1, min(1 << 20, length / 100))
            super.init(data: Data())
        }

        /// A stream whose first read fails with `failure`, so that the task fails with it rather
        /// than send a short body.
        private init(failing failure: Locked<TransportError?>) {
            self.failure = failure
            self.source = .data(Data())
            self.path = nil
            self.length = 1
            self.progress = { _ in }
            self.reportEvery = 1
            super.init(data: Data())
        }

        deinit { closeFile() }

        override func open() {
            if status == .notOpen { status = .open }
        }

        override func close() {
            closeFile()
            status = .closed
        }

        override var streamStatus: Stream.Status { status }

        override var streamError: (any Error)? { failure.current }

        /// `false` once the whole length is handed out: URLSession then ends the body.
        override var hasBytesAvailable: Bool { status == .open && handedOut < length }

        override func getBuffer(
            _ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length: UnsafeMutablePointer<Int>
        ) -> Bool { false }

        override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
            guard status == .open else { return status == .atEnd ? 0 : -1 }
            let wanted = Int(min(Int64(max(0, maxLength)), length - handedOut))
            guard wanted > 0 else {
                finish()
                return 0
            }
            let count: Int
            switch source {
            case .file(let descriptor):
                count = readFile(descriptor, into: buffer, count: wanted)
            case .data(let data):
                let start = data.startIndex + Int(handedOut)
                guard start + wanted <= data.endIndex else {
                    status = .error
                    return -1
                }
                data.copyBytes(to: buffer, from: start..<(start + wanted))
                count = wanted
            }
            guard count > 0 else { return -1 }
            handedOut += Int64(count)
            if handedOut == length || handedOut - reported >= reportEvery {
                reported = handedOut
                progress(TransferProgress(bytesTransferred: handedOut, totalBytes: length))
            }
            if handedOut == length { finish() }
            return count
        }

        /// Reads up to `count` bytes, retrying an interrupted call; fails the stream (and returns
        /// 0 or less) on an error or when the file ends before the length.
        private func readFile(_ descriptor: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
            var result: Int
            repeat {
                result = readDescriptor(descriptor, buffer, count)
            } while result < 0 && errno == EINTR
            if result < 0 {
                fail("cannot read the file to upload: \(String(cString: strerror(errno)))")
            } else if result == 0 {
                fail("the file to upload ended at \(handedOut) of its \(length) bytes: it changed while it was sent")
            }
            return result
        }

        private func fail(_ message: String) {
            failure.withLock { $0 = TransportError(.localFile, message, path: path) }
            status = .error
            closeFile()
        }

        /// The whole length is out: the file is closed at once rather than when URLSession lets
        /// go of the task.
        private func finish() {
            status = .atEnd
            closeFile()
        }

        private func closeFile() {
            guard case .file(let descriptor) = source else { return }
            closeDescriptor(descriptor)
            source = .data(Data())
        }
    }

    extension UploadBodyStream {
        /// The task delegate of an upload with a body stream: it makes the body anew when libcurl
        /// sends the request again by itself.
        ///
        /// libcurl sends a request again, on a new connection, when the connection it reused
        /// closes before any answer (a keep-alive connection the server dropped as the request
        /// went out). It first asks for the body from its start, and FoundationNetworking asks the
        /// task's delegate for a new stream (`needNewBodyStream`); with no delegate it goes on with
        /// the spent stream, so the request goes out with no body and waits for its timeout (seen
        /// with uploads from a file too, which FoundationNetworking cannot rewind). A delegate set
        /// on the task itself (`URLSessionTask.delegate`) is asked, while the session keeps
        /// treating the task as a completion-handler one: no per-piece callbacks.
        final class Renewal: NSObject, URLSessionTaskDelegate, Sendable {
            private let body: HTTPBody
            private let failure: Locked<TransportError?>
            private let progress: @Sendable (TransferProgress) -> Void

            init(
                body: HTTPBody,
                failure: Locked<TransportError?>,
                progress: @escaping @Sendable (TransferProgress) -> Void
            ) {
                self.body = body
                self.failure = failure
                self.progress = progress
            }

            func urlSession(
                _ session: URLSession,
                task: URLSessionTask,
                needNewBodyStream completionHandler: @escaping @Sendable (InputStream?) -> Void
            ) {
                // The new stream counts from 0: the body is sent again from its start.
                do {
                    completionHandler(try UploadBodyStream(body, failure: failure, progress: progress))
                } catch {
                    failure.withLock { $0 = error as? TransportError ?? TransportError(.localFile, "\(error)") }
                    completionHandler(UploadBodyStream(failing: failure))
                }
            }
        }
    }
#endif
