import Foundation

/// Percent-encoding for URL parts. Foundation's `URLComponents.queryItems` leaves `+` as is, which
/// servers read as a space, so a webhook URL such as `https://app/hook?a=1+2` would arrive broken:
/// everything outside RFC 3986's unreserved set is encoded here.
package enum PercentEncoding {
    /// Encodes one path segment or query name/value: each UTF-8 byte outside the unreserved set
    /// becomes `%XX` (upper-case hex, as Foundation writes it). Works on the bytes directly:
    /// `addingPercentEncoding` bridges through `NSString` on Linux, several microseconds per
    /// segment on every call.
    package static func encode(_ text: String) -> String {
        guard !text.utf8.allSatisfy(isUnreserved) else { return text }
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// RFC 3986's unreserved characters: `A–Z a–z 0–9 - . _ ~`.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `a=1&b=x%2By`, in the given order.
    package static func query(_ items: [(name: String, value: String)]) -> String {
        items.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }
}
