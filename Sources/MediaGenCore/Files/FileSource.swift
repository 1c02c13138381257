import Foundation

/// A file to send as an input: a public URL, bytes in memory, or a file on disk.
///
/// ```swift
/// let face = FileSource.file(URL(fileURLWithPath: "face.png"))
/// let voice = FileSource.data(audioData, fileName: "voice.mp3")
/// let hosted = FileSource.url(URL(string: "https://cdn.example.com/song.mp3")!)
/// print(try face.dataURI().prefix(30))  // data:image/png;base64,iVBORw0…
/// ```
///
/// Each provider sends a source its own way — a data URI or a storage upload for fal, BeatAPI's
/// `/files`, Beatra's `/uploads` — and files on disk stream from disk when uploaded.
public enum FileSource: Hashable, Sendable {
    /// A URL the provider fetches itself.
    case url(URL)
    /// Bytes in memory. `contentType` is guessed from the name when `nil`.
    case data(Data, fileName: String, contentType: String? = nil)
    /// A local file. `contentType` is guessed from the extension when `nil`.
    case file(URL, contentType: String? = nil)

    /// The name to give the file when uploading.
    public var fileName: String {
        switch self {
        case .url(let url): RemoteFile.sanitizedFileName(url.lastPathComponent)
        case .data(_, let fileName, _): RemoteFile.sanitizedFileName(fileName)
        case .file(let url, _): RemoteFile.sanitizedFileName(url.lastPathComponent)
        }
    }

    /// The MIME type, given or guessed from the file name.
    public var contentType: String {
        switch self {
        case .data(_, _, let type?), .file(_, let type?): type
        default: MediaType.guess(fromFileName: fileName)
        }
    }

    /// The size in bytes; `nil` for a URL.
    public func byteCount() throws(MediaGenError) -> Int64? {
        switch self {
        case .url:
            return nil
        case .data(let data, _, _):
            return Int64(data.count)
        case .file(let url, _):
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                return (attributes[.size] as? NSNumber)?.int64Value
            } catch {
                throw .invalidInput("file", "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
    }

    /// The bytes, read into memory; throws for a URL (the provider fetches those itself).
    public func readData() throws(MediaGenError) -> Data {
        switch self {
        case .url(let url):
            throw .invalidInput("file", "\(url.absoluteString) is remote; only local sources can be read")
        case .data(let data, _, _):
            return data
        case .file(let url, _):
            do {
                return try Data(contentsOf: url, options: .mappedIfSafe)
            } catch {
                throw .invalidInput("file", "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
    }

    /// `data:<type>;base64,<bytes>`, for providers that take small inputs inline (fal).
    public func dataURI() throws(MediaGenError) -> String {
        "data:\(contentType);base64,\(try readData().base64EncodedString())"
    }
}

/// MIME types of the media this SDK handles, by file extension.
package enum MediaType {
    private static let byExtension: [String: String] = [
        "mp3": "audio/mpeg", "wav": "audio/wav", "m4a": "audio/mp4", "aac": "audio/aac", "ogg": "audio/ogg",
        "flac": "audio/flac", "opus": "audio/opus", "mp4": "video/mp4", "mov": "video/quicktime",
        "webm": "video/webm", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
        "gif": "image/gif", "json": "application/json", "txt": "text/plain",
    ]

    package static func guess(fromFileName name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        return byExtension[ext] ?? "application/octet-stream"
    }
}
