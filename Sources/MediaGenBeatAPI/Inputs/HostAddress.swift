/// Reads the host of an input URL the way a fetching server would, to tell public hosts from
/// loopback, private and link-local ones.
///
/// IPv4 hosts are read as WHATWG URL parsers (and `inet_aton`) read them, so `127.1`,
/// `0x7f000001` and `2130706433` are all loopback. Names are not resolved: a public-looking name
/// that resolves to a private address is BeatAPI's to refuse.
enum HostAddress {
    /// Why `host` (lowercased, no brackets, no trailing dot) is not a public address, or `nil`.
    static func nonPublicReason(_ host: String) -> String? {
        if host == "localhost" || host.hasSuffix(".localhost") { return "a loopback name" }
        if host.contains(":") {
            guard let bytes = ipv6(host) else { return "not a valid IPv6 address" }
            return reason(ipv6: bytes)
        }
        if let address = ipv4(host) { return reason(ipv4: address) }
        return nil
    }

    // MARK: - IPv4

    static func reason(ipv4 address: UInt32) -> String? {
        let blocks: [(UInt32, Int, String)] = [
            (0x0000_0000, 8, "an unspecified address (0.0.0.0/8)"),
            (0x7F00_0000, 8, "a loopback address (127.0.0.0/8)"),
            (0x0A00_0000, 8, "a private address (10.0.0.0/8)"),
            (0xAC10_0000, 12, "a private address (172.16.0.0/12)"),
            (0xC0A8_0000, 16, "a private address (192.168.0.0/16)"),
            (0xA9FE_0000, 16, "a link-local address (169.254.0.0/16)"),
            (0x6440_0000, 10, "a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        ]
        for (network, prefix, reason) in blocks {
            let mask = UInt32.max << UInt32(32 - prefix)
            if address & mask == network { return reason }
        }
        return nil
    }

    /// A host read as IPv4 the WHATWG way: one to four parts, each decimal, octal (`0` prefix) or
    /// hex (`0x` prefix), the last filling the remaining bytes. `nil` for a name.
    static func ipv4(_ host: String) -> UInt32? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = ipv4Number(part) else { return nil }
            numbers.append(number)
        }
        guard let last = numbers.last, numbers.dropLast().allSatisfy({ $0 <= 255 }),
            last < UInt64(1) << UInt64(8 * (5 - numbers.count))
        else { return nil }
        var value = last
        for (index, number) in numbers.dropLast().enumerated() {
            value += number << UInt64(8 * (3 - index))
        }
        return UInt32(truncatingIfNeeded: value)
    }

    private static func ipv4Number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 32 else { return nil }
        let lowered = part.lowercased()
        if lowered.hasPrefix("0x") {
            let digits = lowered.dropFirst(2)
            if digits.isEmpty { return 0 }
            guard digits.allSatisfy(\.isHexDigit) else { return nil }
            return UInt64(digits, radix: 16)
        }
        guard lowered.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if lowered.count > 1, lowered.hasPrefix("0") {
            guard lowered.allSatisfy({ $0 < "8" }) else { return nil }
            return UInt64(lowered.dropFirst(), radix: 8)
        }
        return UInt64(lowered, radix: 10)
    }

    // MARK: - IPv6

    static func reason(ipv6 bytes: [UInt8]) -> String? {
        if bytes.allSatisfy({ $0 == 0 }) { return "an unspecified address (::)" }
        if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes.last == 1 { return "a loopback address (::1)" }
        if bytes[0] & 0xFE == 0xFC { return "a private address (fc00::/7)" }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return "a link-local address (fe80::/10)" }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return "a site-local address (fec0::/10)" }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach IPv4 hosts.
        let prefix = bytes.prefix(10)
        if prefix.allSatisfy({ $0 == 0 }) && (bytes[10...11] == [0xFF, 0xFF] || bytes[10...11] == [0, 0]) {
            let address = bytes[12...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return reason(ipv4: address)
        }
        return nil
    }

    /// The 16 bytes of an IPv6 address (a zone such as `%en0` is ignored), or `nil`.
    static func ipv6(_ text: String) -> [UInt8]? {
        let address = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let halves = address.components(separatedBy: "::")
        var groups: [UInt16]
        switch halves.count {
        case 1:
            guard let all = ipv6Groups(halves[0], ipv4Tail: true), all.count == 8 else { return nil }
            groups = all
        case 2:
            guard let head = ipv6Groups(halves[0], ipv4Tail: false),
                let tail = ipv6Groups(halves[1], ipv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    private static func ipv6Groups(_ text: String, ipv4Tail: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if ipv4Tail, index == parts.count - 1, part.contains(".") {
                guard let address = dottedQuad(part) else { return nil }
                groups += [UInt16(address >> 16), UInt16(address & 0xFFFF)]
            } else {
                guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit), let group = UInt16(part, radix: 16)
                else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    /// Exactly four decimal parts of 0–255, as IPv6 text embeds IPv4.
    private static func dottedQuad(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let byte = UInt8(part)
            else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
