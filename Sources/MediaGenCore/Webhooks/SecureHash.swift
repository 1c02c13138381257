import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#endif

/// SHA-256, HMAC-SHA256 and constant-time comparison, without dependencies.
///
/// ```swift
/// let expected = SecureHash.hmacSHA256(key: secret, message: body)
/// let authentic = SecureHash.constantTimeEquals(expected, receivedMAC)
/// ```
///
/// On Apple platforms the digests come from CryptoKit; elsewhere from a portable
/// FIPS 180-4 implementation. Both give identical results.
public enum SecureHash: Sendable {
    /// The SHA-256 digest of `message`: 32 bytes.
    ///
    /// ```swift
    /// let digest = SecureHash.sha256(Data("abc".utf8))  // 32 bytes: ba7816bf…f20015ad
    /// ```
    ///
    /// The message is read in place, region by region, so a large or non-contiguous
    /// `DataProtocol` value is never copied whole.
    public static func sha256(_ message: some DataProtocol) -> Data {
        #if canImport(CryptoKit)
            // The package's deployment targets already cover CryptoKit on macOS and iOS (naming
            // them here would warn); tvOS and watchOS default to releases that predate it.
            if #available(tvOS 13, watchOS 6, *) {
                return Data(SHA256.hash(data: message))
            }
        #endif
        return portableSHA256(message)
    }

    /// The HMAC-SHA256 (RFC 2104) of `message` under `key`: 32 bytes.
    ///
    /// ```swift
    /// let mac = SecureHash.hmacSHA256(key: Data("key".utf8), message: Data("payload".utf8))
    /// ```
    ///
    /// Keys of any length are accepted: a key longer than the 64-byte block is hashed
    /// first, a shorter one is padded with zeros, as RFC 2104 specifies.
    public static func hmacSHA256(key: some DataProtocol, message: some DataProtocol) -> Data {
        #if canImport(CryptoKit)
            if #available(tvOS 13, watchOS 6, *) {
                let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(key)))
                return Data(code)
            }
        #endif
        return portableHMACSHA256(key: key, message: message)
    }

    /// The SHA-512 digest of `message`: 64 bytes, the hash inside Ed25519 (``Ed25519Verifier``).
    ///
    /// ```swift
    /// let digest = SecureHash.sha512(Data("abc".utf8))  // 64 bytes: ddaf35a1…a54ca49f
    /// ```
    static func sha512(_ message: some DataProtocol) -> Data {
        #if canImport(CryptoKit)
            if #available(tvOS 13, watchOS 6, *) {
                return Data(SHA512.hash(data: message))
            }
        #endif
        return portableSHA512(message)
    }

    /// `true` when `lhs` and `rhs` hold the same bytes.
    ///
    /// ```swift
    /// guard SecureHash.constantTimeEquals(expectedMAC, receivedMAC) else { throw … }
    /// ```
    ///
    /// The time taken depends only on the lengths, never on where the bytes differ, so
    /// comparing a secret MAC with an attacker's guess leaks nothing about how close the
    /// guess was. Values of different lengths are unequal at once: lengths are not secret.
    public static func constantTimeEquals(_ lhs: some DataProtocol, _ rhs: some DataProtocol) -> Bool {
        guard lhs.count == rhs.count else { return false }
        let left = contiguousBytes(of: lhs)
        let right = contiguousBytes(of: rhs)
        // Accumulate every difference instead of returning at the first one.
        var difference: UInt8 = 0
        left.withUnsafeBufferPointer { leftBytes in
            right.withUnsafeBufferPointer { rightBytes in
                for index in 0..<min(leftBytes.count, rightBytes.count) {
                    difference |= leftBytes[index] ^ rightBytes[index]
                }
            }
        }
        return difference == 0
    }

    /// Copies region by region: iterating a generic `DataProtocol` byte by byte is far slower.
    private static func contiguousBytes(of data: some DataProtocol) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: data.count) { buffer, initializedCount in
            initializedCount = data.copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    // The portable implementations are compiled on every platform so that tests can check
    // them everywhere, including against CryptoKit on Apple platforms.

    static func portableSHA256(_ message: some DataProtocol) -> Data {
        var hasher = SHA256Hasher()
        hasher.update(message)
        return hasher.finalize()
    }

    static func portableSHA512(_ message: some DataProtocol) -> Data {
        var hasher = SHA512Hasher()
        hasher.update(message)
        return hasher.finalize()
    }

    static func portableHMACSHA256(key: some DataProtocol, message: some DataProtocol) -> Data {
        let blockSize = SHA256Hasher.blockSize
        var paddedKey = key.count > blockSize ? [UInt8](portableSHA256(key)) : [UInt8](key)
        paddedKey.append(contentsOf: repeatElement(0, count: blockSize - paddedKey.count))

        var inner = SHA256Hasher()
        inner.update(paddedKey.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256Hasher()
        outer.update(paddedKey.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}

/// SHA-256 as FIPS 180-4 defines it, fed incrementally.
///
/// Written for a debug build to stay usable on large inputs: whole blocks are hashed straight
/// from the caller's memory, and the round loop avoids calls and trapping arithmetic.
struct SHA256Hasher {
    static let blockSize = 64

    // FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the
    // first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    // FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the
    // first 8 primes.
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    /// Bytes of an incomplete block, waiting for more input.
    private var pending: [UInt8] = []
    private var messageLength: UInt64 = 0

    init() {
        pending.reserveCapacity(Self.blockSize)
    }

    mutating func update(_ data: some DataProtocol) {
        // Every region of a `DataProtocol` value is contiguous, so even a non-contiguous value
        // is read in place.
        for region in data.regions {
            region.withUnsafeBytes { update(bytes: $0) }
        }
    }

    mutating func update(bytes: UnsafeRawBufferPointer) {
        messageLength &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            offset = min(Self.blockSize - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<offset])
            guard pending.count == Self.blockSize else { return }
            pending.withUnsafeBytes { Self.compress(&state, blocks: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBlocksEnd = offset + (bytes.count - offset) / Self.blockSize * Self.blockSize
        if wholeBlocksEnd > offset {
            Self.compress(&state, blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<wholeBlocksEnd]))
        }
        pending.append(contentsOf: bytes[wholeBlocksEnd...])
    }

    /// The digest of everything passed to `update` so far; the hasher itself is left as it was.
    func finalize() -> Data {
        // FIPS 180-4 §5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, then the length in bits.
        var tail = pending
        tail.append(0x80)
        let zeros = (Self.blockSize - 8 - tail.count % Self.blockSize + Self.blockSize) % Self.blockSize
        tail.append(contentsOf: repeatElement(0, count: zeros))
        let bitLength = messageLength &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength &>> UInt64(shift)))
        }
        var finalState = state
        tail.withUnsafeBytes { Self.compress(&finalState, blocks: $0) }

        var digest = Data(capacity: 32)
        for word in finalState {
            withUnsafeBytes(of: word.bigEndian) { digest.append(contentsOf: $0) }
        }
        return digest
    }

    /// Runs the compression function (FIPS 180-4 §6.2.2) over each 64-byte block of `blocks`.
    private static func compress(_ state: inout [UInt32], blocks: UnsafeRawBufferPointer) {
        roundConstants.withUnsafeBufferPointer { kBuffer in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuffer in
                // Raw pointers skip the bounds checks a debug build makes on every subscript.
                guard let k = kBuffer.baseAddress, let w = wBuffer.baseAddress else { return }
                var h0 = state[0]
                var h1 = state[1]
                var h2 = state[2]
                var h3 = state[3]
                var h4 = state[4]
                var h5 = state[5]
                var h6 = state[6]
                var h7 = state[7]
                var offset = 0
                while offset + blockSize <= blocks.count {
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: offset + 4 * t, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t - 15]
                        let y = w[t - 2]
                        let sigma0 = (x &>> 7 | x &<< 25) ^ (x &>> 18 | x &<< 14) ^ (x &>> 3)
                        let sigma1 = (y &>> 17 | y &<< 15) ^ (y &>> 19 | y &<< 13) ^ (y &>> 10)
                        w[t] = w[t - 16] &+ sigma0 &+ w[t - 7] &+ sigma1
                    }

                    var a = h0
                    var b = h1
                    var c = h2
                    var d = h3
                    var e = h4
                    var f = h5
                    var g = h6
                    var h = h7
                    for t in 0..<64 {
                        let bigSigma1 = (e &>> 6 | e &<< 26) ^ (e &>> 11 | e &<< 21) ^ (e &>> 25 | e &<< 7)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
                        let bigSigma0 = (a &>> 2 | a &<< 30) ^ (a &>> 13 | a &<< 19) ^ (a &>> 22 | a &<< 10)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = bigSigma0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ t2
                    }
                    h0 &+= a
                    h1 &+= b
                    h2 &+= c
                    h3 &+= d
                    h4 &+= e
                    h5 &+= f
                    h6 &+= g
                    h7 &+= h
                    offset += blockSize
                }
                state = [h0, h1, h2, h3, h4, h5, h6, h7]
            }
        }
    }
}
