import Foundation
import MediaGenCore

/// BeatAPI's `Workflow` schema: one of the launch workflows `GET /v1/workflows` lists.
///
/// ```swift
/// for workflow in try await beatAPI.listWorkflows().data {
///     print(workflow.id, "—", workflow.name ?? "", workflow.id.descriptor?.price ?? "price unknown")
/// }
/// // music-video — Music Video API price unknown
/// // ecommerce-video — Ecommerce Video API price unknown
/// ```
public struct BeatAPIWorkflow: Hashable, Sendable, Decodable, Identifiable {
    public let id: BeatAPIWorkflowID
    /// `"workflow"`.
    public let object: String?
    public let name: String?
    public let description: String?

    private enum CodingKeys: String, CodingKey {
        case id, object, name, description
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(BeatAPIWorkflowID.self, forKey: .id)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        name = try? container.decodeIfPresent(String.self, forKey: .name)
        description = try? container.decodeIfPresent(String.self, forKey: .description)
    }
}
