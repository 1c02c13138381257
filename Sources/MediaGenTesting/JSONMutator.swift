import Foundation

/// Makes broken variants of a JSON document, deterministically, to check that a decoder survives
/// whatever a server might send: every input either decodes or fails with a typed error, and
/// nothing crashes.
///
/// ```swift
/// let fixture = try Data(contentsOf: fixtureURL)          // a good answer, as recorded
/// let mutator = JSONMutator(seed: 2024)
/// for mutant in mutator.mutants(of: fixture, count: 10_000) {
///     do {
///         _ = try JSONDecoder().decode(Order.self, from: mutant.data)
///     } catch is DecodingError {
///         // expected: a typed failure
///     } catch {
///         Issue.record("\(mutant): \(error)")              // names the seed and the mutation
///     }
/// }
/// // A failure reproduces from the seed it printed:
/// let again = JSONMutator.mutant(of: fixture, seed: 0x9C1F_0E2B_57A4_D3E8)
/// ```
///
/// Each mutant applies one ``Mutation``: a key dropped at any depth, a value's type swapped, an
/// extreme value (huge, negative, empty, very long, deeply nested), a duplicated key, the bytes
/// truncated, flipped or inserted, or invalid UTF-8 in a string. Structural mutations need strict
/// JSON; for other documents (and documents with nothing to mutate, such as a key to drop in an
/// array of numbers) a byte mutation is used instead, and ``Mutant/mutation`` says which was applied.
///
/// The same seed gives the same mutants on every platform and Swift version (the randomness is
/// ``SplitMix64``, and documents are kept in order rather than in dictionaries).
public struct JSONMutator: Hashable, Sendable {
    /// One way of breaking a document.
    public enum Mutation: String, CaseIterable, Hashable, Sendable {
        /// Removes one object member, at any depth.
        case dropKey
        /// Replaces a value with one of another type: string, number, bool, null, array or object.
        case swapType
        /// Replaces a value with an extreme one: huge or negative numbers, an empty or very long
        /// string, deep nesting, a huge array…
        case extremeValue
        /// Repeats an object member's key with another value, before or after it.
        case duplicateKey
        /// Cuts the bytes at a random point (possibly to nothing).
        case truncate
        /// Flips one to four random bits or bytes.
        case flipBytes
        /// Inserts one to eight random bytes at a random point.
        case insertBytes
        /// Puts a byte sequence that is not UTF-8 inside a string (anywhere, in a document without one).
        case invalidUTF8

        /// Whether the mutation edits the parsed document rather than its bytes.
        public var isStructural: Bool {
            switch self {
            case .dropKey, .swapType, .extremeValue, .duplicateKey, .invalidUTF8: true
            case .truncate, .flipBytes, .insertBytes: false
            }
        }
    }

    /// A broken variant of a document, with what it takes to reproduce it.
    public struct Mutant: Hashable, Sendable, CustomStringConvertible {
        /// Reproduces this mutant with ``JSONMutator/mutant(of:seed:mutations:)``.
        public let seed: UInt64
        /// The mutation applied.
        public let mutation: Mutation
        /// What changed, and where (`$.data.output[0].url`), in words.
        public let detail: String
        /// The mutated bytes.
        public let data: Data

        /// `seed 0x…, dropKey: removed $.data.status (412 bytes)`: enough to reproduce and understand a failure.
        public var description: String {
            "seed 0x\(String(seed, radix: 16, uppercase: true)), \(mutation.rawValue): \(detail) (\(data.count) bytes)"
        }
    }

    /// The seed every mutant's own seed derives from.
    public let seed: UInt64
    /// The mutations to choose from, each equally likely.
    public let mutations: [Mutation]

    /// A mutator choosing among `mutations` (all of them by default); an empty list means all.
    public init(seed: UInt64, mutations: [Mutation] = Mutation.allCases) {
        self.seed = seed
        self.mutations = mutations.isEmpty ? Mutation.allCases : mutations
    }

    /// Mutant number `index` of `document`; the same index always gives the same mutant.
    public func mutant(_ index: Int, of document: Data) -> Mutant {
        let mutantSeed = SplitMix64.mix(seed &+ SplitMix64.mix(UInt64(truncatingIfNeeded: index)))
        return Self.mutant(of: document, seed: mutantSeed, mutations: mutations)
    }

    /// The first `count` mutants of `document`, made as the sequence is iterated.
    public func mutants(of document: Data, count: Int) -> some Sequence<Mutant> {
        (0..<max(count, 0)).lazy.map { mutant($0, of: document) }
    }

    /// The mutant of `document` a seed stands for (as printed in ``Mutant/description``), given
    /// the same `mutations` as the mutator that made it.
    public static func mutant(of document: Data, seed: UInt64, mutations: [Mutation] = Mutation.allCases) -> Mutant {
        var random = SplitMix64(seed: seed)
        let choices = mutations.isEmpty ? Mutation.allCases : mutations
        let chosen = choices[random.next(below: choices.count)]
        if chosen.isStructural, let tree = MutableJSON.parse(document),
            let (data, detail) = structural(chosen, tree, &random)
        {
            return Mutant(seed: seed, mutation: chosen, detail: detail, data: data)
        }
        // Not JSON, or nothing to apply the structural mutation to: break the bytes instead
        // (invalid UTF-8 then goes anywhere; nothing to flip in an empty document, so insert).
        var fallback = chosen
        if chosen.isStructural && chosen != .invalidUTF8 {
            fallback = [Mutation.truncate, .flipBytes, .insertBytes][random.next(below: 3)]
        }
        if fallback == .flipBytes && document.isEmpty { fallback = .insertBytes }
        let (data, detail) = bytes(fallback, document, &random)
        let note = chosen == fallback ? "" : " (no \(chosen.rawValue) possible)"
        return Mutant(seed: seed, mutation: fallback, detail: detail + note, data: data)
    }

    // MARK: - Structural mutations

    /// A value in the document: where it is, for editing and for saying so.
    private struct Site {
        var path: [Int]
        var display: String
        var value: MutableJSON
        var isMember: Bool
    }

    private static func sites(in value: MutableJSON, path: [Int] = [], display: String = "$", isMember: Bool = false)
        -> [Site]
    {
        var found = [Site(path: path, display: display, value: value, isMember: isMember)]
        switch value {
        case .object(let members):
            for (index, member) in members.enumerated() {
                found += sites(
                    in: member.value, path: path + [index], display: display + "." + member.key, isMember: true)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                found += sites(in: element, path: path + [index], display: display + "[\(index)]")
            }
        default: break
        }
        return found
    }

    private static func structural(_ mutation: Mutation, _ tree: MutableJSON, _ random: inout SplitMix64)
        -> (Data, String)?
    {
        let all = sites(in: tree)
        switch mutation {
        case .dropKey:
            let members = all.filter(\.isMember)
            guard !members.isEmpty else { return nil }
            let site = members[random.next(below: members.count)]
            let edited = editParent(of: site, in: tree) { members, index in members.remove(at: index) }
            return (Data(edited.text.utf8), "removed \(site.display)")
        case .swapType:
            let site = all[random.next(below: all.count)]
            let (replacement, kind) = swapped(site.value, &random)
            let edited = update(tree, at: site.path[...]) { _ in replacement }
            return (Data(edited.text.utf8), "\(site.display) \(site.value.kind.rawValue) → \(kind.rawValue)")
        case .extremeValue:
            let site = all[random.next(below: all.count)]
            let (replacement, label) = extremeValue(&random)
            let edited = update(tree, at: site.path[...]) { _ in replacement }
            return (Data(edited.text.utf8), "\(site.display) → \(label)")
        case .duplicateKey:
            let members = all.filter(\.isMember)
            guard !members.isEmpty else { return nil }
            let site = members[random.next(below: members.count)]
            let (other, kind) = swapped(site.value, &random)
            let before = random.next(below: 2) == 0
            let edited = editParent(of: site, in: tree) { members, index in
                members.insert(.init(key: members[index].key, value: other), at: before ? index : index + 1)
            }
            return (
                Data(edited.text.utf8), "\(site.display) repeated \(before ? "before" : "after") as \(kind.rawValue)"
            )
        case .invalidUTF8:
            let strings = all.filter { $0.value.kind == .string }
            guard !strings.isEmpty else { return nil }
            let site = strings[random.next(below: strings.count)]
            let (sequence, label) = invalidSequences[random.next(below: invalidSequences.count)]
            // A private-use marker, spliced out of the printed bytes for the invalid sequence.
            let marker = "\u{F8FF}mutant\u{F8FF}"
            let edited = update(tree, at: site.path[...]) { value in
                guard case .string(let text) = value else { return value }
                let cut = random.next(below: text.unicodeScalars.count + 1)
                var scalars = text.unicodeScalars
                scalars.insert(contentsOf: marker.unicodeScalars, at: scalars.index(scalars.startIndex, offsetBy: cut))
                return .string(String(scalars))
            }
            var data = Data(edited.text.utf8)
            guard let range = data.range(of: Data(marker.utf8)) else { return nil }
            data.replaceSubrange(range, with: sequence)
            return (data, "\(label) inside \(site.display)")
        case .truncate, .flipBytes, .insertBytes:
            return nil
        }
    }

    /// `value` with the node at `path` changed.
    private static func update(
        _ value: MutableJSON, at path: ArraySlice<Int>, _ change: (MutableJSON) -> MutableJSON
    ) -> MutableJSON {
        guard let first = path.first else { return change(value) }
        switch value {
        case .object(var members):
            members[first].value = update(members[first].value, at: path.dropFirst(), change)
            return .object(members)
        case .array(var elements):
            elements[first] = update(elements[first], at: path.dropFirst(), change)
            return .array(elements)
        default:
            return value
        }
    }

    /// `tree` with the object holding `site` edited; the closure gets the members and the site's index.
    private static func editParent(
        of site: Site, in tree: MutableJSON, _ edit: (inout [MutableJSON.Member], Int) -> Void
    ) -> MutableJSON {
        guard let index = site.path.last else { return tree }
        return update(tree, at: site.path.dropLast()) { parent in
            guard case .object(var members) = parent else { return parent }
            edit(&members, index)
            return .object(members)
        }
    }

    /// A value of another kind, made from `value` where that means something (`"42"` ↔ `42`).
    private static func swapped(_ value: MutableJSON, _ random: inout SplitMix64) -> (MutableJSON, MutableJSON.Kind) {
        let kinds = MutableJSON.Kind.allCases.filter { $0 != value.kind }
        let kind = kinds[random.next(below: kinds.count)]
        let replacement: MutableJSON
        switch kind {
        case .string:
            switch value {
            case .number(let text), .raw(let text): replacement = .string(text)
            case .string(let text): replacement = .string(text)
            default: replacement = .string(value.text)
            }
        case .number:
            if case .string(let text) = value, MutableJSON.parse(Data(text.utf8))?.kind == .number {
                replacement = .number(text)
            } else {
                replacement = .number(["0", "1", "-1", "42.5", "3"][random.next(below: 5)])
            }
        case .bool: replacement = .bool(random.next(below: 2) == 0)
        case .null: replacement = .null
        case .array: replacement = .array(random.next(below: 2) == 0 ? [] : [value])
        case .object: replacement = .object(random.next(below: 2) == 0 ? [] : [.init(key: "value", value: value)])
        }
        return (replacement, kind)
    }

    /// Values at the edges of what a decoder reads, each with a label for the mutant's detail.
    private static func extremeValue(_ random: inout SplitMix64) -> (MutableJSON, String) {
        let numbers = [
            "1e308", "-1e308", "1e400", "-1e400", "1e-400", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890.123456789", "-1", "0",
            "-0", "0.000000000000000000001", "2.5",
        ]
        let strings = [
            "", " ", "NaN", "Infinity", "-Infinity", "1e400", "-1", "null", "true", "\u{0}", "\u{FEFF}", "\u{202E}",
            "e\u{301}\u{301}\u{301}", "🎵", "../../etc/passwd", "%00", "https://", "1970-01-01T00:00:00Z",
            "9999-99-99T99:99:99Z",
        ]
        switch random.next(below: 8) {
        case 0, 1:
            let text = numbers[random.next(below: numbers.count)]
            return (.raw(text), "number \(text)")
        case 2, 3:
            let text = strings[random.next(below: strings.count)]
            return (.string(text), "string \"\(text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())\"")
        case 4:
            let length = [1_000, 100_000][random.next(below: 2)]
            return (.string(String(repeating: "a", count: length)), "a \(length)-character string")
        case 5:
            let depth = [64, 600, 100_000][random.next(below: 3)]
            let (open, close) = random.next(below: 2) == 0 ? ("[", "]") : ("{\"a\":", "}")
            let text = String(repeating: open, count: depth) + "0" + String(repeating: close, count: depth)
            return (.raw(text), "\(open == "[" ? "arrays" : "objects") nested \(depth) deep")
        case 6:
            let count = [0, 10_000][random.next(below: 2)]
            return (.array(Array(repeating: .null, count: count)), "an array of \(count) nulls")
        default:
            return (.object([]), "an empty object")
        }
    }

    private static let invalidSequences: [(Data, String)] = [
        (Data([0xFF]), "byte FF"),
        (Data([0xFE]), "byte FE"),
        (Data([0x80]), "a lone continuation byte"),
        (Data([0xC0, 0x80]), "an overlong NUL"),
        (Data([0xE2, 0x82]), "a truncated sequence"),
        (Data([0xED, 0xA0, 0x80]), "an encoded surrogate"),
        (Data([0xF4, 0x90, 0x80, 0x80]), "a code point above U+10FFFF"),
    ]

    // MARK: - Byte mutations

    private static func bytes(_ mutation: Mutation, _ document: Data, _ random: inout SplitMix64) -> (Data, String) {
        var bytes = [UInt8](document)
        switch mutation {
        case .flipBytes where !bytes.isEmpty:
            var offsets: [Int] = []
            // Distinct offsets, so that two flips never cancel out.
            for _ in 0...random.next(below: 4) {
                let offset = random.next(below: bytes.count)
                if offsets.contains(offset) { continue }
                // Half the time one bit, else a whole random byte.
                let mask =
                    random.next(below: 2) == 0
                    ? UInt8(1) << random.next(below: 8) : UInt8(truncatingIfNeeded: random.next() | 1)
                bytes[offset] ^= mask
                offsets.append(offset)
            }
            return (Data(bytes), "changed the bytes at \(offsets.map(String.init).joined(separator: ", "))")
        case .invalidUTF8:
            let offset = random.next(below: bytes.count + 1)
            let (sequence, label) = invalidSequences[random.next(below: invalidSequences.count)]
            bytes.insert(contentsOf: sequence, at: offset)
            return (Data(bytes), "\(label) at \(offset)")
        case .insertBytes, .flipBytes:
            let offset = random.next(below: bytes.count + 1)
            let inserted = (0...random.next(below: 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: inserted, at: offset)
            return (Data(bytes), "inserted \(inserted.count) random bytes at \(offset)")
        default:
            let offset = random.next(below: bytes.count)
            return (Data(bytes.prefix(offset)), "truncated to \(offset) of \(bytes.count) bytes")
        }
    }
}
