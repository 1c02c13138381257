import Foundation
import MediaGenCore

/// The audio a reference-audio-to-music task starts from.
///
/// ```swift
/// let uploaded = ReferenceAudio.artifact(id: "artifact_01J…")             // from uploads or an earlier clip
/// let hosted = ReferenceAudio.url(URL(string: "https://cdn.example.com/ref.mp3")!)
/// let local = ReferenceAudio.file(.file(URL(fileURLWithPath: "reference.mp3")))  // uploaded first
/// let task = try await beatra.createTask(request, referenceAudio: local)
/// ```
///
/// Sent as `{"type": "artifact", "artifact_id"}` or as an external HTTPS URL, which Beatra
/// downloads and re-hosts before running the task. The documents show the URL as a bare string,
/// so that is the default form; `{"type": "url", "url"}` (the shape seen in the emulator) is
/// available with ``URLForm/object``. Large or reused files are better uploaded once and referred
/// to by artifact id, as the documents advise.
public enum ReferenceAudio: Hashable, Sendable {
    /// How an external URL is written in the request.
    public enum URLForm: Hashable, Sendable {
        /// `"reference_audio": "https://…"`, as documented.
        case string
        /// `"reference_audio": {"type": "url", "url": "https://…"}`.
        case object
    }

    /// An uploaded file, or a clip of an earlier task, by its artifact id.
    case artifact(id: String)
    /// An external HTTPS URL, fetched by Beatra.
    case url(URL, form: URLForm = .string)
    /// A file source: an HTTPS `.url` is sent as a URL; `.file` and `.data` are uploaded first
    /// (streamed from disk) and sent by artifact id.
    case file(FileSource)

    /// What goes on the wire once any upload is done.
    enum Wire: Encodable, Hashable, Sendable {
        case artifact(String)
        case url(URL, URLForm)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .artifact(let id):
                try (["type": "artifact", "artifact_id": .string(id)] as JSONValue).encode(to: encoder)
            case .url(let url, .string):
                var container = encoder.singleValueContainer()
                try container.encode(url.absoluteString)
            case .url(let url, .object):
                try (["type": "url", "url": .string(url.absoluteString)] as JSONValue).encode(to: encoder)
            }
        }
    }

    /// Checks an external URL: HTTPS with a host, since Beatra fetches it from the internet.
    static func checkExternal(_ url: URL) throws(MediaGenError) {
        guard url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty else {
            throw .invalidInput(
                "reference_audio",
                "an external reference must be an HTTPS URL Beatra can fetch, got \(url.absoluteString); upload local files instead",
                provider: .beatra
            )
        }
    }

    static func checkArtifact(_ id: String) throws(MediaGenError) {
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidInput("reference_audio.artifact_id", "the artifact id is empty", provider: .beatra)
        }
    }
}
