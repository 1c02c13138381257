/// An integer below the order L of the Ed25519 base point (RFC 8032 §5.1):
/// L = 2^252 + 27742317777372353535851937790883648493.
///
/// Verification needs two: S, read from the signature, which must already be below L, and k,
/// SHA-512(R ‖ A ‖ M) reduced modulo L. Four 64-bit limbs, least significant first.
struct Scalar: Equatable, Sendable {
    private(set) var limbs: [UInt64]

    // L's limbs, least significant first (the third is 0). Computed, not stored: a stored
    // static is read through a lazy accessor, which a debug build calls for every use.
    private static var order0: UInt64 { 0x5812_631a_5cf5_d3ed }
    private static var order1: UInt64 { 0x14de_f9de_a2f7_9cd6 }
    private static var order3: UInt64 { 0x1000_0000_0000_0000 }

    /// S as RFC 8032 §5.1.7 reads it: 32 little-endian bytes; `nil` when the integer is L or
    /// above, since such an S is the same signature as S - L in another encoding (a strict
    /// verifier accepts one encoding of each signature, so signatures cannot be altered).
    init?(canonical bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var limbs: [UInt64] = [0, 0, 0, 0]
        for index in 0..<32 {
            limbs[index / 8] |= UInt64(bytes[index]) << (8 * UInt64(index % 8))
        }
        guard Self.isBelowOrder(limbs[0], limbs[1], limbs[2], limbs[3]) else { return nil }
        self.limbs = limbs
    }

    /// A little-endian integer of any length (64 bytes for a SHA-512 digest) modulo L.
    ///
    /// Bit by bit from the most significant: the remainder so far is doubled, the bit added, and
    /// L subtracted when the result reaches it. The remainder stays below L < 2^253, so doubling
    /// it fits four limbs. Slow next to a Barrett reduction, but one reduction per verification
    /// costs little and this one is plainly correct.
    init(reducing bytes: [UInt8]) {
        var r0: UInt64 = 0
        var r1: UInt64 = 0
        var r2: UInt64 = 0
        var r3: UInt64 = 0
        for byte in bytes.reversed() {
            for bit in (0..<8).reversed() {
                r3 = r3 << 1 | r2 >> 63
                r2 = r2 << 1 | r1 >> 63
                r1 = r1 << 1 | r0 >> 63
                r0 = r0 << 1 | UInt64(byte >> UInt8(bit) & 1)
                if !Self.isBelowOrder(r0, r1, r2, r3) {
                    (r0, r1, r2, r3) = Self.subtractingOrder(r0, r1, r2, r3)
                }
            }
        }
        self.limbs = [r0, r1, r2, r3]
    }

    /// The scalar in width-5 non-adjacent form: 256 digits d_i, each 0 or odd between -15 and
    /// 15, with Σ d_i·2^i equal to the scalar and at most one digit in any five consecutive
    /// not 0. A multiplication then needs one addition for about every six bits, against one
    /// for every four bits with plain 4-bit windows, and only the odd multiples 1…15.
    func nonAdjacentForm() -> [Int8] {
        var digits = [Int8](repeating: 0, count: 256)
        // The part of the scalar not yet written as digits, divided by 2^position; it stays
        // below 2^253 + 15, so four limbs hold it. Bit by bit, on plain variables: arrays in
        // this loop would make a debug build allocate at every step.
        var v0 = limbs[0]
        var v1 = limbs[1]
        var v2 = limbs[2]
        var v3 = limbs[3]
        var position = 0
        while v0 | v1 | v2 | v3 != 0 {
            if v0 & 1 == 1 {
                // The odd residue modulo 32, taken between -15 and 15; removing it leaves a
                // multiple of 32, so the next four digits are 0.
                var digit = Int(v0 & 31)
                if digit > 15 { digit -= 32 }
                digits[position] = Int8(digit)
                if digit > 0 {
                    v0 -= UInt64(digit)  // v0's low five bits are `digit`: no borrow
                } else {
                    let (sum, carry) = v0.addingReportingOverflow(UInt64(-digit))
                    v0 = sum
                    if carry {
                        (v1, v2, v3) = Self.incremented(v1, v2, v3)
                    }
                }
            }
            v0 = v0 >> 1 | v1 << 63
            v1 = v1 >> 1 | v2 << 63
            v2 = v2 >> 1 | v3 << 63
            v3 >>= 1
            position += 1
        }
        return digits
    }

    /// The three limbs plus 1 at the lowest, carried up; the value is below 2^254, so the top
    /// limb never overflows.
    private static func incremented(_ v1: UInt64, _ v2: UInt64, _ v3: UInt64) -> (UInt64, UInt64, UInt64) {
        if v1 != .max { return (v1 + 1, v2, v3) }
        if v2 != .max { return (0, v2 + 1, v3) }
        return (0, 0, v3 + 1)
    }

    /// Whether the integer with these limbs, least significant first, is below L.
    private static func isBelowOrder(_ v0: UInt64, _ v1: UInt64, _ v2: UInt64, _ v3: UInt64) -> Bool {
        // Most significant limb first; L's third limb is 0.
        if v3 != order3 { return v3 < order3 }
        if v2 != 0 { return false }
        if v1 != order1 { return v1 < order1 }
        return v0 < order0
    }

    /// `value` - L, for a `value` from L up to 2L, limbs least significant first.
    private static func subtractingOrder(_ v0: UInt64, _ v1: UInt64, _ v2: UInt64, _ v3: UInt64)
        -> (UInt64, UInt64, UInt64, UInt64)
    {
        let (d0, borrow0) = v0.subtractingReportingOverflow(order0)
        let (d1, borrow1) = subtracting(order1, from: v1, borrow: borrow0)
        let (d2, borrow2) = subtracting(0, from: v2, borrow: borrow1)
        let (d3, _) = subtracting(order3, from: v3, borrow: borrow2)
        return (d0, d1, d2, d3)
    }

    private static func subtracting(_ b: UInt64, from a: UInt64, borrow: Bool) -> (UInt64, Bool) {
        let (difference, overflow1) = a.subtractingReportingOverflow(b)
        let (final, overflow2) = difference.subtractingReportingOverflow(borrow ? 1 : 0)
        return (final, overflow1 || overflow2)
    }
}
