import Foundation

extension Data {
    /// The bytes as lowercase hexadecimal, two digits per byte.
    ///
    /// ```swift
    /// Data([0xde, 0xad, 0xbe, 0xef]).hexEncodedString  // "deadbeef"
    /// ```
    package var hexEncodedString: String {
        let digits = Array("0123456789abcdef".utf8)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(count * 2)
        for byte in self {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Decodes hexadecimal text, such as a signature header.
    ///
    /// ```swift
    /// Data(hexEncoded: "DEADbeef")  // 4 bytes
    /// Data(hexEncoded: "abc")       // nil
    /// ```
    ///
    /// Upper and lower case digits are both accepted. Returns `nil` when the text has an odd
    /// number of characters or any character that is not a hex digit, whitespace and a `0x`
    /// prefix included: a header that is almost right is still wrong.
    package init?(hexEncoded string: some StringProtocol) {
        let utf8 = string.utf8
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for character in utf8 {
            guard let nibble = Self.hexDigitValue(character) else { return nil }
            if let pendingHigh = high {
                bytes.append(pendingHigh << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.init(bytes)
    }

    /// Decodes base64url text (RFC 4648 §5), the alphabet JSON Web Keys and tokens use.
    ///
    /// ```swift
    /// Data(base64URLEncoded: "Zm9vYg")    // "foob"
    /// Data(base64URLEncoded: "Zm9vYg==")  // "foob"
    /// Data(base64URLEncoded: "Zm9v+g")    // nil: "+" belongs to standard base64
    /// ```
    ///
    /// Trailing `=` padding is optional, but when present it must be exactly what the
    /// length calls for. Returns `nil` for characters outside `A–Z a–z 0–9 - _` (whitespace
    /// included), an impossible length, or unused trailing bits that are not zero: only the
    /// canonical encoding of a value is accepted, so one key cannot be spelled two ways.
    package init?(base64URLEncoded string: some StringProtocol) {
        var characters = Array(string.utf8)
        let equalsSign = UInt8(ascii: "=")
        var paddingCount = 0
        while paddingCount < characters.count, characters[characters.count - 1 - paddingCount] == equalsSign {
            paddingCount += 1
        }
        if paddingCount > 0 {
            guard paddingCount <= 2, characters.count.isMultiple(of: 4) else { return nil }
            characters.removeLast(paddingCount)
        }
        // A lone trailing character carries only 6 bits, less than a byte.
        guard characters.count % 4 != 1 else { return nil }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in characters {
            guard let value = Self.base64URLDigitValue(character) else { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xffff
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
            }
        }
        guard accumulator & ((1 << UInt32(bitCount)) - 1) == 0 else { return nil }
        self.init(bytes)
    }

    private static func hexDigitValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func base64URLDigitValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
