import Foundation
import MediaGenCore

/// An input for a Skytells model. Typed inputs check themselves against the model before anything
/// is sent; a `JSONValue` object is sent as is, for models this SDK has no type for.
///
/// ```swift
/// let music = BeatFusionInput(prompt: "Lo-fi hip hop, vinyl crackle, 85 BPM", duration: .seconds(60))
/// let custom: JSONValue = ["prompt": "a watercolor fox", "style": "loose"]
/// _ = try await skytells.createPrediction(.beatFusion2, input: music)
/// _ = try await skytells.createPrediction("some-new-model", input: custom)
/// ```
public protocol SkytellsInput: Encodable, Sendable {
    /// Throws `.invalidRequest(field:reason:)` naming the field when this input cannot go to `model`.
    func validate(for model: SkytellsModelID) throws(MediaGenError)
    /// The output length asked for, when the input has one (for cost estimates).
    var requestedDuration: Duration? { get }
}

extension JSONValue: SkytellsInput {
    /// A JSON input must be an object; its fields are the model's business.
    public func validate(for model: SkytellsModelID) throws(MediaGenError) {
        guard objectValue != nil else {
            throw .invalidInput("input", "a Skytells input is a JSON object", provider: .skytells)
        }
    }

    /// `duration_seconds`, when the object has one.
    public var requestedDuration: Duration? {
        self["duration_seconds"]?.intValue.map { .seconds($0) }
    }
}

/// Shared checks of the typed inputs.
enum InputRules {
    static func requirePrompt(_ prompt: String) throws(MediaGenError) {
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("prompt", "describe what to generate; the prompt is required", provider: .skytells)
        }
    }

    /// Whole seconds within `range`; the API takes an integer `duration_seconds`.
    static func seconds(_ duration: Duration, in range: ClosedRange<Duration>, model: String) throws(MediaGenError)
        -> Int
    {
        guard duration.components.attoseconds == 0 else {
            throw .invalidInput("duration_seconds", "must be whole seconds, got \(duration)", provider: .skytells)
        }
        guard range.contains(duration) else {
            throw .invalidInput(
                "duration_seconds",
                "\(model) takes \(range.lowerBound.components.seconds)–\(range.upperBound.components.seconds) s, got \(duration.components.seconds) s",
                provider: .skytells
            )
        }
        return Int(duration.components.seconds)
    }

    /// The kind of model an input is for must match the catalog's, when the catalog lists the model.
    static func require(_ kinds: Set<ModelKind>, for model: SkytellsModelID, input: String) throws(MediaGenError) {
        guard let kind = model.descriptor?.kind, !kinds.contains(kind) else { return }
        throw .invalidInput(
            "model",
            "\(model) is a \(kind) model; \(input) is for \(kinds.map(\.rawValue).sorted().joined(separator: "/")) models",
            provider: .skytells)
    }
}
