import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

/// `JSONReader` replaces `JSONDecoder` on every answer the SDK reads, so these tests hold it to
/// `JSONDecoder`'s results: the same values, and the same error cases at the same coding paths.
struct JSONReaderTests {
    struct Sample: Decodable, Equatable {
        enum Flavour: String, Decodable { case sweet, sour }
        struct Nested: Decodable, Equatable {
            var name: String
            var tags: [String]
        }

        var int: Int
        var int8: Int8
        var uint64: UInt64
        var exponentInt: Int
        var double: Double
        var float: Float
        var bool: Bool
        var string: String
        var escaped: String
        var url: URL
        var decimal: Decimal
        var date: Date
        var data: Data
        var numbers: [Int]
        var matrix: [[Double]]
        var counts: [String: Int]
        var nested: Nested
        var nestedList: [Nested]
        var flavour: Flavour
        var missing: String?
        var null: Int?
        var free: JSONValue
        var freeMembers: [String: JSONValue]
    }

    static let sample = #"""
        {
          "int": -42, "int8": 127, "uint64": 18446744073709551615, "exponentInt": 1e3,
          "double": 44.8, "float": 0.1, "bool": true,
          "string": "naïve café 🎵", "escaped": "a\"b\\c\/d\n\t\u00e9\ud83c\udfb5",
          "url": "https://cdn.example.com/a%20b.mp3?x=1", "decimal": 0.75, "date": 786297600.5,
          "data": "aGVsbG8=", "numbers": [1, 2, 3], "matrix": [[1.5, 2], [], [-0.0]],
          "counts": {"a": 1, "b": 2}, "nested": {"name": "n", "tags": ["x"]},
          "nestedList": [{"name": "p", "tags": []}, {"name": "q", "tags": ["y", "z"]}],
          "flavour": "sour", "null": null,
          "free": {"prompt": "p", "n": [1, 2.5, true, null, {"deep": []}], "price": 0.1},
          "freeMembers": {"get": "https://api.example.com/x", "count": 3}
        }
        """#

    @Test func decodesEveryKindOfMemberAsJSONDecoderDoes() throws {
        let data = Data(Self.sample.utf8)
        let mine = try JSONReader().decode(Sample.self, from: data)
        let foundation = try JSONDecoder().decode(Sample.self, from: data)
        #expect(mine == foundation)
        #expect(mine.escaped == "a\"b\\c/d\n\té🎵")
        #expect(mine.double == 44.8)
        #expect(mine.decimal == Decimal(string: "0.75"))
        #expect(mine.free["n"]?[1] == .number(Decimal(string: "2.5")!))
    }

    /// The error case and the coding path `JSONDecoder` reports for the same input, as text.
    private static func verdict(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "ok"
        } catch let error as DecodingError {
            func path(_ context: DecodingError.Context) -> String {
                context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context))"
            case .typeMismatch(_, let context): return "typeMismatch at \(path(context))"
            case .valueNotFound(_, let context): return "valueNotFound at \(path(context))"
            case .dataCorrupted(let context): return "dataCorrupted at \(path(context))"
            @unknown default: return "\(error)"
            }
        } catch {
            return "untyped \(error)"
        }
    }

    @Test(arguments: [
        #"{"name": "n"}"#,  // a missing member
        #"{"name": 3, "tags": []}"#,  // a number for a string
        #"{"name": null, "tags": []}"#,  // null for a string
        #"{"name": "n", "tags": ["a", 2]}"#,  // a wrong element
        #"{"name": "n", "tags": {"a": "b"}}"#,  // an object for an array
        #"[]"#,  // an array for an object
        #"{"name": "n", "tags": [], "#,  // not JSON
    ])
    func failsWhereJSONDecoderFailsAndSaysWhere(json: String) {
        let data = Data(json.utf8)
        let mine = Self.verdict { try JSONReader().decode(Sample.Nested.self, from: data) }
        let foundation = Self.verdict { try JSONDecoder().decode(Sample.Nested.self, from: data) }
        #expect(mine == foundation)
        #expect(mine != "ok")
    }

    struct Numbers: Decodable, Equatable {
        var int: Int?
        var int8: Int8?
        var uint: UInt?
        var double: Double?
        var float: Float?
        var decimal: Decimal?
    }

    @Test(arguments: [
        ("int", "1e2"), ("int", "2.0"), ("int", "-0"), ("int8", "-128"), ("double", "123456789012345678901234567890"),
        ("float", "3.4e38"), ("decimal", "0.1"), ("decimal", "-12.5e-3"),
    ])
    func readsNumbersAsJSONDecoderDoes(member: String, text: String) throws {
        let data = Data(#"{"\#(member)": \#(text)}"#.utf8)
        #expect(try JSONReader().decode(Numbers.self, from: data) == JSONDecoder().decode(Numbers.self, from: data))
    }

    /// Short numbers take a fast path; it must give the very `Decimal` the general parser gives
    /// (same value, same printed form) for integers, fractions, signs, zeros and trailing zeros.
    @Test func shortDecimalsMatchTheGeneralParser() throws {
        let posix = Locale(identifier: "en_US_POSIX")
        var texts = [
            "0", "-0", "0.0", "-0.0", "0.75", "1.50", "100", "-12.5", "0.000001", "999999999999999999",
            "99999999999999999.9", "0.100000000000000000", "123456789.123456789", "-1",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let whole = String(UInt64.random(in: 0...999_999_999, using: &generator))
            let fraction = String(UInt64.random(in: 0...999_999_999, using: &generator))
            let sign = Bool.random(using: &generator) ? "-" : ""
            texts.append(Bool.random(using: &generator) ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)")
        }
        for text in texts {
            let read = try JSONReader().decode(Decimal.self, from: Data(text.utf8))
            let expected = try #require(Decimal(string: text, locale: posix))
            #expect(read == expected, "\(text)")
            #expect(read.description == expected.description, "\(text)")
            #expect(try JSONReader().value(from: Data(text.utf8)) == .number(expected), "\(text)")
        }
    }

    /// Where a number does not fit, both refuse it; the reader also names the member
    /// (`JSONDecoder` on Linux reports these at the top level).
    @Test(arguments: [
        ("int", "2.5"), ("int", "9223372036854775808"), ("int", "1e400"), ("int8", "128"), ("uint", "-1"),
        ("double", "1e400"), ("float", "1e39"), ("decimal", "1e400"),
    ])
    func refusesNumbersThatDoNotFitAndSaysWhere(member: String, text: String) {
        let data = Data(#"{"\#(member)": \#(text)}"#.utf8)
        #expect(Self.verdict { try JSONReader().decode(Numbers.self, from: data) } == "dataCorrupted at \(member)")
        #expect(Self.verdict { try JSONDecoder().decode(Numbers.self, from: data) }.hasPrefix("dataCorrupted"))
    }

    @Test func aNumberOfTheWrongTypeIsATypeMismatch() {
        for (member, text) in [("int", "\"1\""), ("double", "true")] {
            let data = Data(#"{"\#(member)": \#(text)}"#.utf8)
            let mine = Self.verdict { try JSONReader().decode(Numbers.self, from: data) }
            #expect(mine == "typeMismatch at \(member)")
            #expect(mine == Self.verdict { try JSONDecoder().decode(Numbers.self, from: data) })
        }
    }

    /// A number too small for `Double` is zero, as IEEE 754 rounds it (`JSONDecoder` on Linux
    /// rejects the whole document instead).
    @Test func aNumberTooSmallForDoubleIsZero() throws {
        let numbers = try JSONReader().decode(Numbers.self, from: Data(#"{"double": -1e-400}"#.utf8))
        #expect(numbers.double == 0)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]", "tru", "nul",
        "[NaN]", "[Infinity]", "\"abc", "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\"",
        "\"\\uD800\\u0041\"", "{\"a\" 1}", "{a: 1}", "[1 2]", "1 2", "[1]]", "{'a': 1}", "/* c */ 1",
    ])
    func rejectsWhatIsNotJSON(text: String) {
        // Strict RFC 8259: `JSONDecoder` on Linux lets trailing commas through; no provider sends them.
        #expect(Self.verdict { try JSONReader().value(from: Data(text.utf8)) } == "dataCorrupted at ")
    }

    @Test func rejectsInvalidUTF8InStrings() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(Self.verdict { try JSONReader().value(from: Data(bytes)) } == "dataCorrupted at ")
        }
    }

    @Test func acceptsScalarsAtTheTopAndAByteOrderMark() throws {
        #expect(try JSONReader().value(from: Data("  42 ".utf8)) == 42)
        #expect(try JSONReader().value(from: Data("\"x\"".utf8)) == "x")
        #expect(try JSONReader().value(from: Data("null".utf8)) == .null)
        #expect(try JSONReader().value(from: Data([0xEF, 0xBB, 0xBF] + Array("[true]".utf8))) == [true])
    }

    @Test func theFirstOfARepeatedKeyWinsAsInJSONDecoder() throws {
        let data = Data(#"{"name": "first", "tags": [], "name": "last"}"#.utf8)
        #expect(try JSONReader().decode(Sample.Nested.self, from: data).name == "first")
        #expect(try JSONReader().value(from: data)["name"] == "first")
        #expect(try JSONDecoder().decode(Sample.Nested.self, from: data).name == "first")
    }

    @Test func limitsNestingSoHostileInputCannotExhaustTheStack() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONReader().value(from: Data(deepest.utf8)) }
        let tooDeep = String(repeating: "[", count: 100_000)
        let error = #expect(throws: DecodingError.self) { try JSONReader().value(from: Data(tooDeep.utf8)) }
        #expect("\(String(describing: error))".contains("nested more than 512 deep"))
    }

    @Test func syntaxErrorsSayWhatAndWhere() {
        let error = #expect(throws: DecodingError.self) {
            try JSONReader().value(from: Data(#"{"a": [1, 2,, 3]}"#.utf8))
        }
        guard case .dataCorrupted(let context)? = error else { return }
        #expect(context.debugDescription == "The given data was not valid JSON: unexpected character ',' at byte 12")
    }

    /// Reads two members of the sample and ignores the rest, as provider types ignore what they
    /// do not know.
    struct Partial: Decodable, Equatable {
        var int: Int
        var nested: Nested?

        struct Nested: Decodable, Equatable {
            var name: String?
        }
    }

    /// A string's contents are checked when it is read, as `JSONDecoder` checks them: a broken
    /// byte in a member nobody reads does not fail the answer; reading it fails at its path; a
    /// broken member name, or an unterminated string, fails the document.
    @Test func anUnreadableStringFailsOnlyTheDecodeThatReadsIt() throws {
        for broken: [UInt8] in [[0xFF], [0xC3, 0x28], [0x01], Array(#"\x"#.utf8), Array(#"\uD800"#.utf8)] {
            let skipped =
                Data(#"{"int": 1, "skipped": "a"#.utf8) + Data(broken) + Data(#"b", "nested": {"name": "n"}}"#.utf8)
            let mine = try JSONReader().decode(Partial.self, from: skipped)
            #expect(mine == Partial(int: 1, nested: .init(name: "n")))
            #expect(mine == (try JSONDecoder().decode(Partial.self, from: skipped)))

            let read = Data(#"{"int": 1, "nested": {"name": "a"#.utf8) + Data(broken) + Data(#""}}"#.utf8)
            #expect(
                Self.verdict { try JSONReader().decode(Partial.self, from: read) } == "dataCorrupted at nested.name")
            #expect(Self.verdict { try JSONDecoder().decode(Partial.self, from: read) }.hasPrefix("dataCorrupted"))
            #expect(Self.verdict { try JSONReader().value(from: read) } == "dataCorrupted at nested.name")
        }
        let brokenName = Data(#"{"int": 1, "a"#.utf8) + Data([0xFF]) + Data(#"": 2}"#.utf8)
        #expect(Self.verdict { try JSONReader().decode(Partial.self, from: brokenName) } == "dataCorrupted at ")
        let unterminated = Data(#"{"int": 1, "skipped": "a"#.utf8) + Data([0x01]) + Data(#"b}"#.utf8)
        #expect(Self.verdict { try JSONReader().decode(Partial.self, from: unterminated) } == "dataCorrupted at ")
    }

    /// Mutants decoded into a type that reads only part of the document: where `JSONDecoder`
    /// decodes one, the reader decodes it to the same value, and where it fails, the reader fails.
    @Test func agreesWithJSONDecoderOnPartlyReadMutants() throws {
        let document = Data(Self.sample.utf8)
        for mutant in JSONMutator(seed: 0x5041_5254).mutants(of: document, count: 2_000) {
            let mine = Result { try JSONReader().decode(Partial.self, from: mutant.data) }
            let foundation = Result { try JSONDecoder().decode(Partial.self, from: mutant.data) }
            switch (mine, foundation) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(mutant)")
            case (.failure, .failure):
                break
            default:
                Issue.record("\(mutant): reader \(mine), JSONDecoder \(foundation)")
            }
        }
    }

    /// Thousands of broken documents: whatever `JSONDecoder` makes of each, the reader makes too.
    @Test func agreesWithJSONDecoderOnMutatedDocuments() throws {
        let document = Data(Self.sample.utf8)
        var agreed = 0
        for mutant in JSONMutator(seed: 0x4A53_4F4E).mutants(of: document, count: 2_000) {
            let mine = Result { try JSONReader().value(from: mutant.data) }
            let foundation = Result { try JSONDecoder().decode(JSONValue.self, from: mutant.data) }
            switch (mine, foundation) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(mutant)")
            case (.failure(let error), .failure):
                #expect(error is DecodingError, "\(mutant)")
            default:
                Issue.record("\(mutant): reader \(mine), JSONDecoder \(foundation)")
            }
            agreed += 1
        }
        #expect(agreed == 2_000)
    }
}
