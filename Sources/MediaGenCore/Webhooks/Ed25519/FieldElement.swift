/// An element of the field of integers modulo p = 2^255 - 19 (RFC 8032 §5.1), the field the
/// Ed25519 curve is defined over.
///
/// Five 64-bit limbs hold 51 bits each: the value is `l0 + l1·2^51 + l2·2^102 + l3·2^153 + l4·2^204`.
/// The 13 spare bits of a limb absorb the carries of an addition, and 2^255 ≡ 19 (mod p) folds
/// what overflows the top limb back into the bottom one. Every operation returns limbs below 2^52;
/// ``canonical`` gives the one representation of a value, fully reduced below p.
///
/// Verification works on public data only (a signature, a message, a public key), so nothing
/// here needs to be constant-time, and some loops end early.
struct FieldElement: Equatable, Sendable {
    private var l0: UInt64
    private var l1: UInt64
    private var l2: UInt64
    private var l3: UInt64
    private var l4: UInt64

    // The constants are computed properties, not stored ones: a stored static is read through a
    // lazy accessor, which a debug build calls, with its once-check, at every use.

    /// 2^51 - 1: the bits of a limb.
    private static var mask: UInt64 { 0x7_ffff_ffff_ffff }

    static var zero: FieldElement { FieldElement(0, 0, 0, 0, 0) }
    static var one: FieldElement { FieldElement(1, 0, 0, 0, 0) }

    private init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.l4 = l4
    }

    /// The small integer `value`.
    init(_ value: UInt32) {
        self.init(UInt64(value), 0, 0, 0, 0)
    }

    /// Bits 0 to 254 of 32 little-endian bytes (bit 255 is left out: in an encoded point it is
    /// the sign of x). The value may be p or above — see ``isBelowPrime``.
    init(littleEndian bytes: [UInt8]) {
        precondition(bytes.count == 32, "a field element is read from 32 bytes")
        var words: [UInt64] = [0, 0, 0, 0]
        for index in 0..<32 {
            words[index / 8] |= UInt64(bytes[index]) << (8 * UInt64(index % 8))
        }
        // Limb i starts at bit 51·i: 0, 51, 102, 153, 204.
        self.init(
            words[0] & Self.mask,
            (words[0] >> 51 | words[1] << 13) & Self.mask,
            (words[1] >> 38 | words[2] << 26) & Self.mask,
            (words[2] >> 25 | words[3] << 39) & Self.mask,
            (words[3] >> 12) & Self.mask)
    }

    /// Whether the value, as read by ``init(littleEndian:)`` (so below 2^255), is below p: false
    /// for the 19 values p … 2^255 - 1, which are non-canonical encodings of 0 … 18.
    var isBelowPrime: Bool {
        let value = fullyCarried()
        return
            !(value.l4 == Self.mask && value.l3 == Self.mask && value.l2 == Self.mask
            && value.l1 == Self.mask && value.l0 >= Self.mask - 18)
    }

    /// The value fully reduced below p, with every limb below 2^51: equal values have equal
    /// limbs.
    var canonical: FieldElement {
        var value = fullyCarried()
        // Now value < 2^255; subtract p once when value >= p, that is when it is p … p + 18.
        if value.l4 == Self.mask && value.l3 == Self.mask && value.l2 == Self.mask && value.l1 == Self.mask
            && value.l0 >= Self.mask - 18
        {
            value = FieldElement(value.l0 - (Self.mask - 18), 0, 0, 0, 0)
        }
        return value
    }

    /// The value below 2^255 with every limb below 2^51 (not yet below p): carries are moved up
    /// until none is left, the top one folded back as 19.
    private func fullyCarried() -> FieldElement {
        var value = self
        while value.l0 > Self.mask || value.l1 > Self.mask || value.l2 > Self.mask || value.l3 > Self.mask
            || value.l4 > Self.mask
        {
            value = value.carriedOnce()
        }
        return value
    }

    /// One pass of carries, each limb's bits above 51 moved to the next and the top limb's back
    /// to the bottom times 19: limbs below 2^51 + 2^18 after it, from any limbs below 2^63.
    private func carriedOnce() -> FieldElement {
        var r1 = l1 + (l0 >> 51)
        var r2 = l2 + (r1 >> 51)
        var r3 = l3 + (r2 >> 51)
        var r4 = l4 + (r3 >> 51)
        let r0 = (l0 & Self.mask) + 19 * (r4 >> 51)
        r1 &= Self.mask
        r2 &= Self.mask
        r3 &= Self.mask
        r4 &= Self.mask
        return FieldElement(r0, r1, r2, r3, r4)
    }

    /// The 32 little-endian bytes of the canonical value (RFC 8032 §5.1.2 encodes y this way).
    var bytes: [UInt8] {
        let value = canonical
        let words = [
            value.l0 | value.l1 << 51,
            value.l1 >> 13 | value.l2 << 38,
            value.l2 >> 26 | value.l3 << 25,
            value.l3 >> 39 | value.l4 << 12,
        ]
        return (0..<32).map { UInt8(truncatingIfNeeded: words[$0 / 8] >> (8 * UInt64($0 % 8))) }
    }

    var isZero: Bool {
        let value = canonical
        return value.l0 | value.l1 | value.l2 | value.l3 | value.l4 == 0
    }

    /// Whether the canonical value is odd: RFC 8032 calls an odd x "negative".
    var isNegative: Bool { canonical.l0 & 1 == 1 }

    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(a.l0 + b.l0, a.l1 + b.l1, a.l2 + b.l2, a.l3 + b.l3, a.l4 + b.l4).carriedOnce()
    }

    /// a - b computed as a + 4p - b, limb by limb, so that no limb goes below zero: every limb
    /// of `b` is below 2^52, and every limb of 4p (2^53 - 76, then 2^53 - 4) above it.
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        let fourPLow: UInt64 = 0x1f_ffff_ffff_ffb4
        let fourPHigh: UInt64 = 0x1f_ffff_ffff_fffc
        return FieldElement(
            a.l0 + fourPLow - b.l0, a.l1 + fourPHigh - b.l1, a.l2 + fourPHigh - b.l2,
            a.l3 + fourPHigh - b.l3, a.l4 + fourPHigh - b.l4
        ).carriedOnce()
    }

    static prefix func - (a: FieldElement) -> FieldElement {
        zero - a
    }

    /// Schoolbook multiplication: limb products a_i·b_j land at 2^(51(i+j)), and those at 2^255
    /// and above are folded back times 19 (2^255 ≡ 19). With limbs below 2^52 every product is
    /// below 2^109, and each of the five columns is summed as the products' low 51 bits (below
    /// 2^54 together) and the rest in units of 2^51 (below 2^60 together), so 64 bits hold both.
    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let b1 = 19 * b.l1
        let b2 = 19 * b.l2
        let b3 = 19 * b.l3
        let b4 = 19 * b.l4
        return Self(
            carrying:
                column(a.l0, b.l0, a.l1, b4, a.l2, b3, a.l3, b2, a.l4, b1),
            column(a.l0, b.l1, a.l1, b.l0, a.l2, b4, a.l3, b3, a.l4, b2),
            column(a.l0, b.l2, a.l1, b.l1, a.l2, b.l0, a.l3, b4, a.l4, b3),
            column(a.l0, b.l3, a.l1, b.l2, a.l2, b.l1, a.l3, b.l0, a.l4, b4),
            column(a.l0, b.l4, a.l1, b.l3, a.l2, b.l2, a.l3, b.l1, a.l4, b.l0))
    }

    /// The product with itself, in 15 limb products instead of 25: a_i·a_j and a_j·a_i are one
    /// doubled product.
    var squared: FieldElement {
        let twice0 = 2 * l0
        let twice1 = 2 * l1
        let twice3times19 = 38 * l3
        let twice4times19 = 38 * l4
        return Self(
            carrying:
                Self.column(l0, l0, l1, twice4times19, l2, twice3times19),
            Self.column(l0, twice1, l2, twice4times19, l3, 19 * l3),
            Self.column(l0, 2 * l2, l1, l1, l3, twice4times19),
            Self.column(twice0, l3, twice1, l2, l4, 19 * l4),
            Self.column(twice0, l4, twice1, l3, l2, l2))
    }

    /// A column of a product: the sum of `a·b + c·d + …` as its low 51 bits and the rest.
    private typealias Column = (low: UInt64, high: UInt64)

    private static func column(
        _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64, _ e: UInt64, _ f: UInt64
    ) -> Column {
        let ab = a.multipliedFullWidth(by: b)
        let cd = c.multipliedFullWidth(by: d)
        let ef = e.multipliedFullWidth(by: f)
        return (
            (ab.low & mask) + (cd.low & mask) + (ef.low & mask),
            (ab.high << 13 | ab.low >> 51) + (cd.high << 13 | cd.low >> 51) + (ef.high << 13 | ef.low >> 51)
        )
    }

    private static func column(
        _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64, _ e: UInt64, _ f: UInt64,
        _ g: UInt64, _ h: UInt64, _ i: UInt64, _ j: UInt64
    ) -> Column {
        let ab = a.multipliedFullWidth(by: b)
        let cd = c.multipliedFullWidth(by: d)
        let ef = e.multipliedFullWidth(by: f)
        let gh = g.multipliedFullWidth(by: h)
        let ij = i.multipliedFullWidth(by: j)
        return (
            (ab.low & mask) + (cd.low & mask) + (ef.low & mask) + (gh.low & mask) + (ij.low & mask),
            (ab.high << 13 | ab.low >> 51) + (cd.high << 13 | cd.low >> 51) + (ef.high << 13 | ef.low >> 51)
                + (gh.high << 13 | gh.low >> 51) + (ij.high << 13 | ij.low >> 51)
        )
    }

    /// Five columns carried into limbs below 2^52: each column's high part and the carry of its
    /// low part go up to the next, and the top column's carry comes back to the bottom times 19
    /// (it is below 2^56, since no product in the top column was folded).
    private init(carrying c0: Column, _ c1: Column, _ c2: Column, _ c3: Column, _ c4: Column) {
        let mask = Self.mask
        let low0 = c0.low & mask
        var carry = c0.high + (c0.low >> 51)
        let sum1 = c1.low + carry
        carry = c1.high + (sum1 >> 51)
        let sum2 = c2.low + carry
        carry = c2.high + (sum2 >> 51)
        let sum3 = c3.low + carry
        carry = c3.high + (sum3 >> 51)
        let sum4 = c4.low + carry
        carry = c4.high + (sum4 >> 51)
        let sum0 = low0 + 19 * carry
        self.init(sum0 & mask, (sum1 & mask) + (sum0 >> 51), sum2 & mask, sum3 & mask, sum4 & mask)
    }

    /// `self` squared `count` times: self^(2^count).
    func squared(times count: Int) -> FieldElement {
        var result = self
        for _ in 0..<count {
            result = result.squared
        }
        return result
    }

    /// self^((p - 5) / 8) = self^(2^252 - 3), the power RFC 8032 §5.1.3 takes a square root
    /// with. The chain builds self^(2^n - 1) for growing n, each from smaller ones by squaring
    /// (which shifts the exponent left) and multiplying (which fills the vacated ones).
    func raisedToPMinus5Over8() -> FieldElement {
        let x2 = squared  // 2
        let x9 = x2.squared(times: 2) * self  // 9
        let x11 = x9 * x2  // 11
        let ones5 = x11.squared * x9  // 22 + 9 = 31 = 2^5 - 1
        let ones10 = ones5.squared(times: 5) * ones5  // 2^10 - 1
        let ones20 = ones10.squared(times: 10) * ones10  // 2^20 - 1
        let ones40 = ones20.squared(times: 20) * ones20  // 2^40 - 1
        let ones50 = ones40.squared(times: 10) * ones10  // 2^50 - 1
        let ones100 = ones50.squared(times: 50) * ones50  // 2^100 - 1
        let ones200 = ones100.squared(times: 100) * ones100  // 2^200 - 1
        let ones250 = ones200.squared(times: 50) * ones50  // 2^250 - 1
        return ones250.squared(times: 2) * self  // 2^252 - 4 + 1
    }

    static func == (a: FieldElement, b: FieldElement) -> Bool {
        let x = a.canonical
        let y = b.canonical
        return x.l0 == y.l0 && x.l1 == y.l1 && x.l2 == y.l2 && x.l3 == y.l3 && x.l4 == y.l4
    }
}
