import Foundation

/// A file a provider produced, at a URL that may expire (Skytells' CDN links last 24 hours).
///
/// ```swift
/// let video = prediction.outputs[0]
/// let saved = try await video.download(to: URL(fileURLWithPath: "outputs/")) { progress in
///     print(progress.fraction ?? 0)
/// }
/// print(saved.path)  // outputs/<sanitized name>.mp4
/// ```
///
/// A download streams into a temporary file beside the destination, checks the size against what
/// the server and the provider announced, then moves the file into place in one step: a
/// destination never holds half a file. Server-given names are reduced to a plain file name and
/// never used as a path.
public struct RemoteFile: Hashable, Sendable, Codable {
    public var url: URL
    public var contentType: String?
    public var fileName: String?
    /// The size the provider announced, checked after downloading.
    public var byteCount: Int64?
    /// When the URL stops working, if the provider says.
    public var expiresAt: Date?

    public init(
        url: URL, contentType: String? = nil, fileName: String? = nil, byteCount: Int64? = nil, expiresAt: Date? = nil
    ) {
        self.url = url
        self.contentType = contentType
        self.fileName = fileName
        self.byteCount = byteCount
        self.expiresAt = expiresAt
    }

    /// The name to save under: the provider's name or the URL's last component, sanitized.
    public var suggestedFileName: String {
        Self.sanitizedFileName(fileName ?? url.lastPathComponent)
    }

    /// Downloads the file. If `destination` is a directory (existing, or written with a trailing
    /// `/`), the file goes inside it under ``suggestedFileName``; otherwise `destination` is the
    /// file's path, replaced if it exists. Returns where the file is.
    ///
    /// No credential is sent (output URLs are public links). Transient failures are retried as
    /// reads, with `configuration`'s policy, transport, middleware and clock. A URL that is not
    /// http(s) with a host (`file:`, `ftp:`, `data:`, …) is refused with
    /// `.invalidRequest(field: "url", …)` before anything is read, written or created.
    @discardableResult
    public func download(
        to destination: URL,
        configuration: ClientConfiguration = ClientConfiguration(),
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) async throws -> URL {
        try URLPolicy.checkDownloadURL(url)
        let target = Self.resolve(destination, name: suggestedFileName)
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MediaGenError(
                .file(path: directory.path), message: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        // Beside the destination, so the final move is a rename on the same volume.
        let partial = directory.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: partial) }

        let host = url.host ?? "download"
        let executor = RequestExecutor(
            dialect: ProviderDialect(
                provider: Provider(host, displayName: host, apiKeyEnvironmentVariable: nil), defaultBaseURL: url),
            configuration: configuration,
            apiKey: nil
        )
        _ = try await executor.download(url, to: partial, progress: progress)

        let received =
            (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.int64Value ?? -1
        if let byteCount, byteCount != received {
            throw MediaGenError(
                .network,
                provider: executor.provider,
                message: "\(suggestedFileName): received \(received) bytes, the provider announced \(byteCount)"
            )
        }
        // rename(2) puts the file in place in one step, replacing an existing one. Not
        // `FileManager.replaceItemAt`: on Linux it deletes the existing file and then fails
        // (swift-corelibs-foundation issue #4655).
        guard rename(partial.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw MediaGenError(
                .file(path: target.path), message: "cannot move the download to \(target.path): \(reason)")
        }
        return target
    }

    private static func resolve(_ destination: URL, name: String) -> URL {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if (exists && isDirectory.boolValue) || destination.absoluteString.hasSuffix("/") {
            return destination.appendingPathComponent(name, isDirectory: false)
        }
        return destination
    }

    /// A safe plain file name: the last component of any path, no control characters, no leading
    /// dots or spaces (no hidden files, no `.` or `..`), at most 200 bytes of UTF-8 with a short
    /// extension kept; `"download"` when nothing is left.
    public static func sanitizedFileName(_ name: String) -> String {
        let lastComponent = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(
            lastComponent.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != ":" }
        )
        // Dots and spaces together, so that " .." or ". ." cannot come out as ".." or ".".
        while let first = cleaned.unicodeScalars.first, first == "." || CharacterSet.whitespaces.contains(first) {
            cleaned.unicodeScalars.removeFirst()
        }
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        // Bytes, not characters: file systems allow 255 bytes, and the download's temporary name
        // adds 46 to this one.
        let maxBytes = 200
        if cleaned.utf8.count > maxBytes {
            let ext = (cleaned as NSString).pathExtension
            let suffix = ext.isEmpty || ext.utf8.count > 16 ? "" : "." + ext
            let stem = suffix.isEmpty ? cleaned : (cleaned as NSString).deletingPathExtension
            cleaned = prefix(of: stem, utf8Bytes: maxBytes - suffix.utf8.count) + suffix
        }
        return cleaned.isEmpty ? "download" : cleaned
    }

    /// The longest prefix of whole Unicode scalars that fits in `limit` bytes of UTF-8.
    private static func prefix(of text: String, utf8Bytes limit: Int) -> String {
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            bytes += UTF8.width(scalar)
            guard bytes <= limit else { break }
            kept.append(scalar)
        }
        return String(kept)
    }
}
