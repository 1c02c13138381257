import Foundation

/// Reads RFC 8259 JSON from UTF-8 bytes: strict (no comments, no trailing commas, no
/// non-finite numbers), any value at the top level, nesting limited so hostile input cannot
/// exhaust the stack.
struct JSONParser {
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        // A UTF-8 byte order mark is skipped.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard index < bytes.count else { throw failure("unexpected end of data") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return try parseStringValue()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        try enterContainer()
        var object = JSONObject(keys: [], values: [])
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            leaveContainer()
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let name = try parseStringValue()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            switch name {
            case .string(let key):
                object.keys.append(key)
                object.values.append(value)
            case .unreadableString(let error):
                object.unreadableName = object.unreadableName ?? error
            default:
                break
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                leaveContainer()
                return .object(object)
            default:
                throw failure("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        try enterContainer()
        var elements: [JSONNode] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            leaveContainer()
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                leaveContainer()
                return .array(elements)
            default:
                throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw failure("arrays and objects nested more than \(Self.maximumDepth) deep")
        }
        index += 1
    }

    /// Past the closing bracket or brace.
    private mutating func leaveContainer() {
        index += 1
        depth -= 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("unexpected end of data") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw failure("unexpected character '\(Self.printable(bytes[index + offset]))'")
        }
        index += count
    }

    // MARK: - Strings

    /// A string value. Contents that make it unreadable (invalid UTF-8, a raw control
    /// character, a bad escape) fail only a decode that reads it — as with `JSONDecoder`, which
    /// checks a string when it is decoded — so a broken byte in a member the type ignores, or
    /// reads leniently, does not fail the whole answer. An unterminated string still does. A
    /// member name read this way and found unreadable marks its object instead
    /// (`JSONObject.unreadableName`).
    private mutating func parseStringValue() throws(JSONSyntaxError) -> JSONNode {
        let start = index
        do {
            return .string(try parseString())
        } catch {
            index = start
            try skipString()
            return .unreadableString(error)
        }
    }

    /// Moves past a string without reading it, to just after its first unescaped quote.
    private mutating func skipString() throws(JSONSyntaxError) {
        index += 1  // the opening quote
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        index = bytes.count
        throw failure("unterminated string")
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // the opening quote
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let text = try makeString(start..<index, isASCII: isASCII)
                index += 1
                return text
            case UInt8(ascii: "\\"):
                return try parseEscapedString(from: start)
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            default:
                if byte >= 0x80 { isASCII = false }
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private func makeString(_ range: Range<Int>, isASCII: Bool) throws(JSONSyntaxError) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        if isASCII { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw JSONSyntaxError(reason: "a string that is not valid UTF-8", offset: range.lowerBound)
        }
        return text
    }

    /// The slow path, from the first backslash: the string is rebuilt byte by byte.
    private mutating func parseEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var buffer: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONSyntaxError(reason: "a string that is not valid UTF-8", offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): buffer.append(contentsOf: try parseUnicodeEscape())
                default:
                    index -= 1
                    throw failure("invalid escape '\\\(Self.printable(escape))' in a string")
                }
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> String.UTF8View {
        let first = try readHexQuad()
        var scalarValue = UInt32(first)
        if (0xD800...0xDBFF).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("a high surrogate \\u escape without its low half") }
            index += 2
            let second = try readHexQuad()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw failure("a high surrogate \\u escape without its low half")
            }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw failure("a low surrogate \\u escape without its high half")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw failure("an invalid \\u escape") }
        return String(Character(scalar)).utf8
    }

    private mutating func readHexQuad() throws(JSONSyntaxError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw failure("unexpected end of data in a \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("expected a hex digit in a \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else if Self.isDigit(peek()) {
            skipDigits()
        } else {
            throw failure("expected a digit in a number")
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard Self.isDigit(peek()) else { throw failure("expected a digit after the decimal point") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard Self.isDigit(peek()) else { throw failure("expected a digit in an exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: - Helpers

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private func failure(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(reason: index < bytes.count ? reason : "unexpected end of data", offset: index)
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
    }
}

/// Where and why a document stopped being JSON.
package struct JSONSyntaxError: Error, CustomStringConvertible {
    package var reason: String
    /// The offset of the byte at fault, from the start of the document.
    package var offset: Int

    package var description: String { "\(reason) at byte \(offset)" }

    /// This error as `JSONDecoder` reports a document that is not JSON, at `path`.
    func decodingError(at path: CodingPath) -> DecodingError {
        .dataCorrupted(
            .init(
                codingPath: path.keys, debugDescription: "The given data was not valid JSON: \(self)",
                underlyingError: self))
    }
}
