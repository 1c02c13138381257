import Foundation
import MediaGenCore

/// The `{"data": …}` wrapper around every BeatAPI success, and the `*Response` schemas built on it.
///
/// ```swift
/// // {"data": {"id": "task_8K2qA", "object": "task", "status": "queued", …}}
/// let answer = try JSONDecoder().decode(BeatAPITaskResponse.self, from: body)
/// print(answer.data.id)   // task_8K2qA
/// ```
///
/// The client unwraps it for you; this type is for reading bodies you hold yourself (a proxy's
/// log, a test fixture). A body without a `data` member is read as the payload itself.
public struct BeatAPIResponse<Payload: Decodable & Sendable>: Sendable, Decodable {
    public let data: Payload

    private enum CodingKeys: String, CodingKey {
        case data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.data) {
            data = try container.decode(Payload.self, forKey: .data)
        } else {
            data = try Payload(from: decoder)
        }
    }
}

/// BeatAPI's list shape, `{"object": "list", "data": […]}` (`WorkflowList`, `WebhookEndpointList`).
///
/// ```swift
/// let workflows: BeatAPIWorkflowList = try await beatAPI.listWorkflows()
/// for workflow in workflows.data { print(workflow.id, workflow.name ?? "") }
/// ```
///
/// A bare JSON array is accepted too.
public struct BeatAPIList<Element: Decodable & Sendable>: Sendable, Decodable {
    /// `"list"`.
    public let object: String?
    public let data: [Element]
    /// Whether more items exist beyond this page, when BeatAPI says.
    public let hasMore: Bool?

    private enum CodingKeys: String, CodingKey {
        case object, data
        case hasMore = "has_more"
    }

    public init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [Element] = []
            while !array.isAtEnd { items.append(try array.decode(Element.self)) }
            (object, data, hasMore) = (nil, items, nil)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        object = try? container.decodeIfPresent(String.self, forKey: .object)
        data = try container.decodeIfPresent([Element].self, forKey: .data) ?? []
        hasMore = try? container.decodeIfPresent(Bool.self, forKey: .hasMore)
    }
}

extension BeatAPIList: Equatable where Element: Equatable {}
extension BeatAPIList: Hashable where Element: Hashable {}
extension BeatAPIResponse: Equatable where Payload: Equatable {}
extension BeatAPIResponse: Hashable where Payload: Hashable {}

/// BeatAPI's `WorkflowList` schema.
public typealias BeatAPIWorkflowList = BeatAPIList<BeatAPIWorkflow>
/// BeatAPI's `WorkflowListResponse` schema.
public typealias BeatAPIWorkflowListResponse = BeatAPIResponse<BeatAPIWorkflowList>
/// BeatAPI's `TaskResponse` schema.
public typealias BeatAPITaskResponse = BeatAPIResponse<BeatAPITask>
/// BeatAPI's `UsageResponse` schema.
public typealias BeatAPIUsageResponse = BeatAPIResponse<BeatAPIUsage>
/// BeatAPI's `FileResponse` schema.
public typealias BeatAPIFileResponse = BeatAPIResponse<BeatAPIFile>
/// BeatAPI's `WebhookEndpointList` schema.
public typealias BeatAPIWebhookEndpointList = BeatAPIList<BeatAPIWebhookEndpoint>
/// BeatAPI's `WebhookEndpointListResponse` schema.
public typealias BeatAPIWebhookEndpointListResponse = BeatAPIResponse<BeatAPIWebhookEndpointList>
/// BeatAPI's `WebhookEndpointResponse` schema.
public typealias BeatAPIWebhookEndpointResponse = BeatAPIResponse<BeatAPIWebhookEndpoint>
