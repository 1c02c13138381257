import Foundation
import MediaGenCore
import Testing

/// An exact decimal from its text (a float literal would go through `Double`).
private func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

private func decode(_ json: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
}

private func encode(_ value: JSONValue) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

struct JSONValueTests {
    static let document = #"""
        {
          "prompt": "Lo-fi piano, \"rainy\" night",
          "duration": 30,
          "price": 0.75,
          "stems": false,
          "seed": null,
          "tags": ["lofi", 2, 0.5, true, null, [], {}],
          "nested": {"model": {"id": "beatfusion-2.0", "outputs": [{"url": "https://cdn.example.com/a.mp3"}]}}
        }
        """#

    // MARK: Decoding and encoding

    @Test func nestedDocumentDecodesToTheExpectedValue() throws {
        let expected: JSONValue = [
            "prompt": "Lo-fi piano, \"rainy\" night",
            "duration": 30,
            "price": .number(decimal("0.75")),
            "stems": false,
            "seed": nil,
            "tags": ["lofi", 2, 0.5, true, nil, [], [:]],
            "nested": ["model": ["id": "beatfusion-2.0", "outputs": [["url": "https://cdn.example.com/a.mp3"]]]],
        ]
        #expect(try decode(Self.document) == expected)
    }

    @Test func nestedDocumentRoundTrips() throws {
        let value = try decode(Self.document)
        let again = try decode(try encode(value))
        #expect(again == value)
    }

    @Test func encodingWritesPlainJSON() throws {
        let value: JSONValue = ["b": [1, 2.5, "x"], "a": nil, "c": ["d": true]]
        #expect(try encode(value) == #"{"a":null,"b":[1,2.5,"x"],"c":{"d":true}}"#)
    }

    @Test(arguments: ["null", "true", "false", "0", "-12", "0.75", "\"text\"", "[]", "{}", "[[[]]]"])
    func topLevelScalarsAndContainersRoundTrip(_ json: String) throws {
        #expect(try encode(decode(json)) == json)
    }

    @Test func booleansAreNotNumbers() throws {
        #expect(try decode("true") == .bool(true))
        #expect(try decode("false") == .bool(false))
        #expect(try decode("1") == .number(1))
        #expect(try decode("0") == .number(0))
        #expect(try decode("1").boolValue == nil)
        #expect(try decode("true").intValue == nil)
        #expect(try decode("[true, 1]") == [true, 1])
    }

    @Test func stringsThatLookLikeOtherValuesStayStrings() throws {
        #expect(try decode(#""true""#) == .string("true"))
        #expect(try decode(#""42""#) == .string("42"))
        #expect(try decode(#""null""#) == .string("null"))
    }

    @Test(arguments: ["0.75", "0.1", "19.99", "0.0825", "1234567.891"])
    func decimalNumbersKeepTheirExactValue(_ text: String) throws {
        let value = try decode(text)
        #expect(value.decimalValue == decimal(text))
        #expect(try encode(value) == text)
    }

    @Test func largeIntegersKeepEveryDigit() throws {
        let value = try decode("12345678901234567890123")
        #expect(value.decimalValue == decimal("12345678901234567890123"))
    }

    @Test func exponentNumbersDecode() throws {
        #expect(try decode("1e2") == .number(100))
        #expect(try decode("2.5E-3").decimalValue == decimal("0.0025"))
    }

    @Test func malformedJSONThrows() {
        #expect(throws: DecodingError.self) { try decode("{") }
        #expect(throws: DecodingError.self) { try decode("[1 2]") }
        #expect(throws: DecodingError.self) { try decode("tru") }
    }

    // MARK: Literals

    @Test func literalsBuildTheMatchingCases() {
        let null: JSONValue = nil
        let bool: JSONValue = true
        let int: JSONValue = 42
        let string: JSONValue = "hi"
        let array: JSONValue = [1, "two"]
        let object: JSONValue = ["k": "v"]
        #expect(null == .null)
        #expect(bool == .bool(true))
        #expect(int == .number(42))
        #expect(string == .string("hi"))
        #expect(array == .array([.number(1), .string("two")]))
        #expect(object == .object(["k": .string("v")]))
    }

    @Test(arguments: [(0.1, "0.1"), (0.75, "0.75"), (19.99, "19.99"), (-2.5, "-2.5"), (1e-7, "0.0000001")])
    func floatLiteralsKeepTheirWrittenDigits(_ literal: Double, _ text: String) {
        #expect(JSONValue(floatLiteral: literal) == .number(decimal(text)))
    }

    @Test func floatLiteralSumsAreExact() throws {
        let values: [JSONValue] = [0.1, 0.2]
        let sum = try #require(values[0].decimalValue) + #require(values[1].decimalValue)
        #expect(sum == decimal("0.3"))
    }

    @Test func duplicateKeysInALiteralKeepTheLast() {
        let value: JSONValue = ["k": 1, "k": 2]
        #expect(value == ["k": 2])
    }

    // MARK: Access

    @Test func subscriptsReachIntoObjectsAndArrays() throws {
        let value = try decode(Self.document)
        #expect(value["prompt"]?.stringValue == "Lo-fi piano, \"rainy\" night")
        #expect(value["nested"]?["model"]?["outputs"]?[0]?["url"]?.stringValue == "https://cdn.example.com/a.mp3")
        #expect(value["tags"]?[1]?.intValue == 2)
        #expect(value["seed"] == .null)
    }

    @Test func subscriptsOfTheWrongShapeOrOutOfRangeAreNil() throws {
        let value = try decode(Self.document)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
        #expect(value["tags"]?[7] == nil)
        #expect(value["tags"]?[-1] == nil)
        #expect(value["tags"]?["key"] == nil)
        #expect(value["prompt"]?["key"] == nil)
    }

    @Test(arguments: [("3", 3), ("-7", -7), ("3.0", 3), ("0", 0)])
    func intValueOfWholeNumbers(_ json: String, _ expected: Int) throws {
        #expect(try decode(json).intValue == expected)
    }

    @Test(arguments: ["3.5", "0.1", "-2.25", "1e30", "\"3\"", "true", "null"])
    func intValueIsNilForAnythingElse(_ json: String) throws {
        #expect(try decode(json).intValue == nil)
    }

    @Test func typedAccessorsAnswerOnlyForTheirCase() throws {
        let value = try decode(Self.document)
        #expect(value["stems"]?.boolValue == false)
        #expect(value["price"]?.decimalValue == decimal("0.75"))
        #expect(value["tags"]?.arrayValue?.count == 7)
        #expect(value["nested"]?.objectValue?.keys.sorted() == ["model"])
        #expect(value["prompt"]?.decimalValue == nil)
        #expect(value["duration"]?.stringValue == nil)
        #expect(value["tags"]?.objectValue == nil)
        #expect(value["nested"]?.arrayValue == nil)
    }

    // MARK: Bridging to Codable types

    struct Track: Codable, Equatable {
        var title: String
        var durationSeconds: Int
        var price: Decimal
        var tags: [String]
        var cover: URL?
    }

    @Test func decodeAsATypedValue() throws {
        let value: JSONValue = [
            "title": "Rain", "durationSeconds": 30, "price": .number(decimal("0.75")), "tags": ["lofi"],
        ]
        let track = try value.decode(as: Track.self)
        #expect(track == Track(title: "Rain", durationSeconds: 30, price: decimal("0.75"), tags: ["lofi"]))
    }

    @Test func decodeAsUsesTheGivenDecoder() throws {
        let value: JSONValue = ["title": "Rain", "duration_seconds": 30, "price": 1, "tags": []]
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try value.decode(as: Track.self, decoder: decoder).durationSeconds == 30)
    }

    @Test func decodeAsAMismatchedTypeThrows() {
        let value: JSONValue = ["title": 5]
        #expect(throws: DecodingError.self) { try value.decode(as: Track.self) }
    }

    @Test func initEncodingMirrorsTheEncodable() throws {
        let track = Track(
            title: "Rain", durationSeconds: 30, price: decimal("0.75"), tags: ["lofi", "piano"],
            cover: URL(string: "https://cdn.example.com/c.png")
        )
        let value = try JSONValue(encoding: track)
        #expect(
            value == [
                "title": "Rain", "durationSeconds": 30, "price": .number(decimal("0.75")), "tags": ["lofi", "piano"],
                "cover": "https://cdn.example.com/c.png",
            ])
        #expect(try value.decode(as: Track.self) == track)
    }

    @Test func initEncodingUsesTheGivenEncoder() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let value = try JSONValue(
            encoding: Track(title: "Rain", durationSeconds: 30, price: 1, tags: []),
            encoder: encoder
        )
        #expect(value["duration_seconds"] == 30)
        #expect(value["durationSeconds"] == nil)
    }
}
