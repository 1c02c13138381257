import Foundation
import MediaGenCore

/// The output of `beatoven/music-generation`: the WAV file, the prompt as processed, and metadata.
///
/// ```swift
/// let result = try await fal.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
/// print(result.data.audio.url, result.data.metadata?.sampleRate ?? 44_100)
/// let saved = try await result.data.audio.remoteFile.download(to: URL(fileURLWithPath: "outputs/"))
/// ```
///
/// The schema marks `metadata` as required, yet fal's own example answer has none: it is
/// optional here, as are the metadata's fields, so either shape decodes.
public struct BeatovenOutput: Hashable, Sendable, Decodable {
    /// The generated music: a 44.1 kHz stereo WAV.
    public var audio: FalFile
    /// The prompt as the model processed it (may be empty).
    public var prompt: String
    /// How the track was made, when fal says.
    public var metadata: Metadata?

    /// Generation metadata: the track's length, its sample rate, the parameters used.
    ///
    /// ```swift
    /// if let seconds = output.metadata?.duration { print("\(seconds) s at \(output.metadata?.sampleRate ?? 0) Hz") }
    /// ```
    public struct Metadata: Hashable, Sendable, Decodable {
        /// The track's length in seconds.
        public var duration: Double?
        /// Samples per second: 44 100.
        public var sampleRate: Int?
        /// The parameters the track was made with (`duration`, `refinement`, `creativity`, `seed`…).
        public var parameters: JSONValue?
        /// The whole object, for fields not listed here.
        public var raw: JSONValue

        public init(from decoder: any Decoder) throws {
            let raw = try JSONValue(from: decoder)
            self.raw = raw
            self.duration = raw["duration"]?.decimalValue.map { $0.nearestDouble }
            self.sampleRate = raw["sample_rate"]?.intValue
            self.parameters = raw["parameters"]
        }
    }

    private enum CodingKeys: String, CodingKey {
        case audio, prompt, metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        audio = try container.decode(FalFile.self, forKey: .audio)
        prompt = try container.decodeIfPresent(String.self, forKey: .prompt) ?? ""
        metadata = try container.decodeIfPresent(Metadata.self, forKey: .metadata)
    }
}
