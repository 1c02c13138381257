import Foundation
import MediaGenBeatAPI
import MediaGenCore
import TestSupport
import Testing

/// The lenient decoders of storyboard shots, shot media, files and webhook endpoints share one
/// field reader and one id rule (`KeyedDecodingContainer.lenientValue` / `lenientID`): a field of
/// an unexpected type costs that field only, and each type keeps the id rule it had.
@Suite("BeatAPI's lenient decoders read fields and ids as before")
struct BeatAPILenientDecodingTests {
    enum Shape: String, CaseIterable, Sendable {
        case shot, shotMedia, file, webhookEndpoint

        /// The fixture the shape is read from (see `Fixtures/SOURCES.md`), and its id's key.
        var fixture: (name: String, idKey: String) {
            switch self {
            case .shot: ("webhook-event-music-video-usd", "id")
            case .shotMedia: ("shot-media", "shot_id")
            case .file: ("file", "id")
            case .webhookEndpoint: ("webhook-endpoint", "id")
            }
        }

        /// The fixture's object, as the decoder sees it.
        func object() throws -> JSONValue {
            let json = try fixtureJSON(fixture.name)
            return self == .shot ? try #require(json["data"]?["storyboard"]?["shots"]?[0]) : try #require(json["data"])
        }

        /// The decoded id, or the decoding error.
        func id(of object: JSONValue) throws -> String {
            let data = try JSONEncoder().encode(object)
            let decoder = JSONDecoder()
            return switch self {
            case .shot: try decoder.decode(BeatAPIStoryboardShot.self, from: data).id
            case .shotMedia: try decoder.decode(BeatAPIShotMedia.self, from: data).shotID
            case .file: try decoder.decode(BeatAPIFile.self, from: data).id
            case .webhookEndpoint: try decoder.decode(BeatAPIWebhookEndpoint.self, from: data).id
            }
        }
    }

    @Test(arguments: zip(Shape.allCases, ["shot_xxx", "shot_xxx", "file_Q7wLk2", "wh_Hk3mP9qZ"]))
    func eachFixtureDecodesWithItsID(shape: Shape, id: String) throws {
        #expect(try shape.id(of: try shape.object()) == id)
    }

    /// (shape, the id's JSON, the id read; `nil`: refused). Shots and shot media read a number as
    /// its text and refuse an empty id; files and webhook endpoints take text only, as before.
    static let idRules: [(Shape, JSONValue?, String?)] = [
        (.shot, 7, "7"), (.shot, "", nil), (.shot, nil, nil), (.shot, .null, nil),
        (.shotMedia, 7, "7"), (.shotMedia, "", nil), (.shotMedia, nil, nil),
        (.file, 7, nil), (.file, "", ""), (.file, nil, nil),
        (.webhookEndpoint, 7, nil), (.webhookEndpoint, "", ""), (.webhookEndpoint, nil, nil),
    ]

    @Test(arguments: idRules)
    func eachShapeKeepsItsIDRule(shape: Shape, id: JSONValue?, expected: String?) throws {
        var object = try #require(try shape.object().objectValue)
        object[shape.fixture.idKey] = id
        if let expected {
            #expect(try shape.id(of: .object(object)) == expected)
        } else {
            #expect(throws: DecodingError.self) { try shape.id(of: .object(object)) }
        }
    }

    @Test(arguments: Shape.allCases)
    func aFieldOfAnUnexpectedTypeCostsThatFieldOnly(shape: Shape) throws {
        var object = try #require(try shape.object().objectValue)
        for key in ["created_at", "updated_at", "status", "object", "size_bytes"] where object[key] != nil {
            object[key] = ["unexpected": true]
        }
        let data = try JSONEncoder().encode(JSONValue.object(object))
        switch shape {
        case .shot:
            let shot = try JSONDecoder().decode(BeatAPIStoryboardShot.self, from: data)
            #expect(shot.createdAt == nil && shot.status == nil && shot.prompt == "Opening lyric shot.")
        case .shotMedia:
            let media = try JSONDecoder().decode(BeatAPIShotMedia.self, from: data)
            #expect(media.object == nil && media.createdAt == nil && media.taskID == "task_8K2qA")
        case .file:
            let file = try JSONDecoder().decode(BeatAPIFile.self, from: data)
            #expect(file.sizeBytes == nil && file.object == nil && file.mimeType == "image/png")
        case .webhookEndpoint:
            let endpoint = try JSONDecoder().decode(BeatAPIWebhookEndpoint.self, from: data)
            #expect(endpoint.status == nil && endpoint.updatedAt == nil && endpoint.description == "production")
        }
    }
}
