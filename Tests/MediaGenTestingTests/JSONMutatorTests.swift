import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

struct JSONMutatorTests {
    /// A document with every kind of value at several depths, and none of the extreme values, so
    /// that every mutation visibly changes it.
    static let document = Data(
        #"""
        {"id": "pred_7f3k", "status": "succeeded", "progress": 0.42, "done": true, "error": null,
         "output": ["https://cdn.example.com/a.mp3", {"url": "https://cdn.example.com/b.wav", "size": 5292044}],
         "metrics": {"predict_time": 12.5, "tags": ["music", "demo"], "nested": {"deep": {"deeper": "yes \u00e9"}}}}
        """#.utf8)

    /// How many times `needle` occurs in `data`.
    static func occurrences(of needle: String, in data: Data) -> Int {
        let text = String(decoding: data, as: UTF8.self)
        return text.components(separatedBy: needle).count - 1
    }

    static func isJSON(_ data: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
    }

    // MARK: - The generator

    @Test func splitMix64MatchesTheReferenceSequence() {
        // SplitMix64 (Steele, Lea, Flood 2014) as published: seed 0 starts with E220A8397B1DCDAF.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        var fortyTwo = SplitMix64(seed: 42)
        #expect(fortyTwo.next() == 0xBDD7_3226_2FEB_6E95)
        #expect(fortyTwo.next() == 0x28EF_E333_B266_F103)
    }

    @Test(arguments: [1, 2, 3, 7, 256, 1_000_000])
    func boundedDrawsStayBelowTheBoundAndReachBothEnds(bound: Int) {
        var random = SplitMix64(seed: UInt64(bound))
        let draws = (0..<4_000).map { _ in random.next(below: bound) }
        #expect(draws.allSatisfy { (0..<bound).contains($0) })
        if bound <= 7 {
            #expect(Set(draws) == Set(0..<bound))
        }
    }

    @Test func aBoundThatIsNotPositiveGivesZero() {
        var random = SplitMix64(seed: 9)
        #expect(random.next(below: 0) == 0)
        #expect(random.next(below: -5) == 0)
    }

    // MARK: - Determinism

    @Test func theSameSeedGivesTheSameMutants() {
        let first = Array(JSONMutator(seed: 77).mutants(of: Self.document, count: 300))
        let second = Array(JSONMutator(seed: 77).mutants(of: Self.document, count: 300))
        #expect(first == second)
        #expect(first.count == 300)
    }

    @Test func anotherSeedGivesOtherMutants() {
        let first = Array(JSONMutator(seed: 1).mutants(of: Self.document, count: 100)).map(\.data)
        let second = Array(JSONMutator(seed: 2).mutants(of: Self.document, count: 100)).map(\.data)
        #expect(first != second)
    }

    @Test func everyMutantReproducesFromTheSeedItPrints() throws {
        let mutator = JSONMutator(seed: 2024, mutations: [.dropKey, .truncate, .extremeValue])
        for mutant in mutator.mutants(of: Self.document, count: 200) {
            #expect(mutant.description.contains("seed 0x\(String(mutant.seed, radix: 16, uppercase: true))"))
            #expect(mutant.description.contains(mutant.mutation.rawValue))
            let again = JSONMutator.mutant(of: Self.document, seed: mutant.seed, mutations: mutator.mutations)
            #expect(again == mutant, "\(mutant)")
        }
    }

    @Test func mutantsByIndexAreTheSequencesElements() {
        let mutator = JSONMutator(seed: 5)
        let sequence = Array(mutator.mutants(of: Self.document, count: 20))
        #expect(sequence == (0..<20).map { mutator.mutant($0, of: Self.document) })
    }

    @Test func allMutationsAreUsedWhenNoneAreNamed() {
        let applied = Set(JSONMutator(seed: 3, mutations: []).mutants(of: Self.document, count: 800).map(\.mutation))
        #expect(applied == Set(JSONMutator.Mutation.allCases))
    }

    // MARK: - Each mutation

    @Test(arguments: JSONMutator.Mutation.allCases)
    func eachMutationIsAppliedAndChangesTheDocument(mutation: JSONMutator.Mutation) {
        for mutant in JSONMutator(seed: 11, mutations: [mutation]).mutants(of: Self.document, count: 200) {
            #expect(mutant.mutation == mutation, "\(mutant)")
            #expect(mutant.data != Self.document, "\(mutant)")
            #expect(!mutant.detail.isEmpty)
        }
    }

    @Test func droppingAKeyLeavesValidJSONWithOneKeyFewer() {
        let keys = Self.occurrences(of: "\":", in: Self.document)
        for mutant in JSONMutator(seed: 12, mutations: [.dropKey]).mutants(of: Self.document, count: 200) {
            #expect(Self.isJSON(mutant.data), "\(mutant)")
            #expect(mutant.detail.hasPrefix("removed $."), "\(mutant)")
            // The dropped member's value may hold keys of its own: at least one fewer.
            #expect(Self.occurrences(of: "\":", in: mutant.data) < keys, "\(mutant)")
        }
    }

    @Test func swappingATypeLeavesValidJSONWithAnotherKindOfValue() {
        for mutant in JSONMutator(seed: 13, mutations: [.swapType]).mutants(of: Self.document, count: 200) {
            #expect(Self.isJSON(mutant.data), "\(mutant)")
            let kinds = mutant.detail.split(separator: " ").suffix(3)
            #expect(kinds.count == 3 && kinds.first != kinds.last, "\(mutant)")
        }
    }

    @Test func aDuplicatedKeyAppearsOnceMore() throws {
        for mutant in JSONMutator(seed: 14, mutations: [.duplicateKey]).mutants(of: Self.document, count: 200) {
            let path = try #require(mutant.detail.split(separator: " ").first)
            let key = try #require(path.split(separator: ".").last)
            #expect(
                Self.occurrences(of: "\"\(key)\":", in: mutant.data)
                    == Self.occurrences(of: "\"\(key)\":", in: Self.document) + 1, "\(mutant)")
        }
    }

    @Test func truncationKeepsAStrictPrefix() {
        for mutant in JSONMutator(seed: 15, mutations: [.truncate]).mutants(of: Self.document, count: 200) {
            #expect(mutant.data.count < Self.document.count)
            #expect(Self.document.starts(with: mutant.data), "\(mutant)")
        }
    }

    @Test func flippingKeepsTheLengthAndInsertingAddsUpToEightBytes() {
        for mutant in JSONMutator(seed: 16, mutations: [.flipBytes]).mutants(of: Self.document, count: 200) {
            #expect(mutant.data.count == Self.document.count, "\(mutant)")
        }
        for mutant in JSONMutator(seed: 17, mutations: [.insertBytes]).mutants(of: Self.document, count: 200) {
            #expect((1...9).contains(mutant.data.count - Self.document.count), "\(mutant)")
        }
    }

    @Test func invalidUTF8MakesTheBytesUndecodableInsideAString() {
        for mutant in JSONMutator(seed: 18, mutations: [.invalidUTF8]).mutants(of: Self.document, count: 200) {
            #expect(String(data: mutant.data, encoding: .utf8) == nil, "\(mutant)")
            #expect(mutant.detail.contains(" inside $"), "\(mutant)")
        }
    }

    @Test func extremeValuesReachTheEdgesADecoderMeets() {
        let details = JSONMutator(seed: 19, mutations: [.extremeValue]).mutants(of: Self.document, count: 1_000)
            .map(\.detail)
        for label in [
            "number 1e400", "number -9223372036854775809", "string \"\"", "a 100000-character string",
            "arrays nested 100000 deep", "objects nested 600 deep", "an array of 10000 nulls",
        ] {
            #expect(details.contains { $0.hasSuffix(label) }, "no mutant with \(label)")
        }
    }

    // MARK: - Documents that are not JSON

    @Test(arguments: [Data("not json at all".utf8), Data(), Data([0xFF, 0x00, 0x7B])])
    func aDocumentThatIsNotJSONGetsByteMutations(document: Data) {
        let mutator = JSONMutator(seed: 20, mutations: [.dropKey, .swapType, .duplicateKey])
        for mutant in mutator.mutants(of: document, count: 100) {
            #expect(!mutant.mutation.isStructural, "\(mutant)")
            #expect(mutant.detail.contains("possible)"), "\(mutant)")
        }
    }

    @Test func aDocumentWithoutKeysCannotLoseOneAndIsBrokenOtherwise() {
        let numbers = Data("[1, 2, 3]".utf8)
        for mutant in JSONMutator(seed: 21, mutations: [.dropKey]).mutants(of: numbers, count: 50) {
            #expect(mutant.mutation != .dropKey)
            #expect(mutant.data != numbers, "\(mutant)")
        }
    }

    @Test func aDocumentNestedBeyondTheParsersLimitIsMutatedAsBytes() {
        let deep = Data((String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)).utf8)
        for mutant in JSONMutator(seed: 22, mutations: [.swapType]).mutants(of: deep, count: 20) {
            #expect(!mutant.mutation.isStructural)
        }
    }

    // MARK: - The point of it

    @Test func foundationsDecoderThrowsOnlyDecodingErrorsForMutants() {
        var outcomes: [String: Int] = [:]
        for mutant in JSONMutator(seed: 23).mutants(of: Self.document, count: 2_000) {
            do {
                _ = try JSONDecoder().decode(JSONValue.self, from: mutant.data)
                outcomes["decoded", default: 0] += 1
            } catch is DecodingError {
                outcomes["DecodingError", default: 0] += 1
            } catch {
                Issue.record("\(mutant): \(type(of: error)) \(error)")
            }
        }
        #expect(outcomes["decoded", default: 0] > 0)
        #expect(outcomes["DecodingError", default: 0] > 0)
    }
}
