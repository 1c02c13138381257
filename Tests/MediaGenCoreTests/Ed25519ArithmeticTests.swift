import Foundation
import MediaGenTesting
import Testing

@testable import MediaGenCore

/// The pieces of the Ed25519 verifier on their own: the field modulo 2^255 - 19, the curve's
/// points, and scalars modulo L.
@Suite("Ed25519 arithmetic")
struct Ed25519ArithmeticTests {
    static func element(_ value: UInt32) -> FieldElement { FieldElement(value) }

    static func bytes(_ hex: String) throws -> [UInt8] {
        [UInt8](try #require(Data(hexEncoded: hex)))
    }

    /// p + offset as 32 little-endian bytes, for offsets 0 … 18 (the values p … 2^255 - 1).
    static func pPlus(_ offset: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xff, count: 32)
        bytes[0] = 0xed + UInt8(offset)
        bytes[31] = 0x7f
        return bytes
    }

    static func randomElement(_ random: inout SplitMix64) -> FieldElement {
        FieldElement(littleEndian: [UInt8](random.bytes(32)))
    }

    /// [scalar]P by plain double-and-add over the scalar's bits: the reference for the
    /// windowed multiplication.
    static func reference(_ scalar: [UInt8], _ point: EdwardsPoint) -> EdwardsPoint {
        var result = EdwardsPoint.identity
        for byte in scalar.reversed() {
            for bit in (0..<8).reversed() {
                result = result.doubled
                if byte >> UInt8(bit) & 1 == 1 {
                    result = result + point
                }
            }
        }
        return result
    }

    static let zero = Scalar(canonical: [UInt8](repeating: 0, count: 32))!

    // MARK: The field

    @Test func theCurveConstantsAreRFC8032s() {
        // d = -121665/121666, so d·121666 + 121665 = 0.
        #expect((EdwardsPoint.d * Self.element(121_666) + Self.element(121_665)).isZero)
        #expect(EdwardsPoint.squareRootOfMinusOne.squared == -FieldElement.one)
        // B has y = 4/5 and an even ("positive") x, and lies on -x² + y² = 1 + d·x²·y².
        let base = EdwardsPoint.base
        #expect(base.y * Self.element(5) == Self.element(4))
        #expect(!base.x.isNegative)
        let xx = base.x.squared
        let yy = base.y.squared
        #expect(yy - xx == .one + EdwardsPoint.d * xx * yy)
    }

    @Test func fieldArithmeticFollowsTheRingLaws() {
        var random = SplitMix64(seed: 25519)
        for _ in 0..<200 {
            let a = Self.randomElement(&random)
            let b = Self.randomElement(&random)
            let c = Self.randomElement(&random)
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a * b == b * a)
            #expect(a.squared == a * a)
            #expect(a - b + b == a)
            #expect((a - a).isZero)
            #expect(-(-a) == a)
        }
    }

    /// The largest limbs the operations can meet: products of 2^255 - 1 (limbs all ones), sums
    /// of those, and differences from zero, chained, against the same values computed from
    /// reduced ones.
    @Test func theLargestLimbsDoNotOverflow() {
        let top = FieldElement(littleEndian: [UInt8](repeating: 0xff, count: 32))  // 2^255 - 1 = p + 18
        let eighteen = Self.element(18)
        #expect(top == eighteen)
        var wide = top + top + top
        var reduced = eighteen + eighteen + eighteen
        for _ in 0..<20 {
            wide = (wide * top - top.squared) * (wide + top)
            reduced = (reduced * eighteen - eighteen.squared) * (reduced + eighteen)
            #expect(wide == reduced)
        }
    }

    @Test(arguments: 0..<19)
    func valuesFromPUpAreNotBelowP(offset: Int) {
        let value = FieldElement(littleEndian: Self.pPlus(offset))
        #expect(!value.isBelowPrime)
        #expect(value == Self.element(UInt32(offset)))
        #expect(value.bytes == FieldElement(UInt32(offset)).bytes)
        #expect(value.bytes[0] == UInt8(offset))
    }

    @Test func valuesBelowPAreCanonical() throws {
        let pMinusOne = try Self.bytes("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
        let element = FieldElement(littleEndian: pMinusOne)
        #expect(element.isBelowPrime)
        #expect(element.bytes == pMinusOne)
        #expect(element == -FieldElement.one)
        // The sign bit is not part of the value.
        var signed = pMinusOne
        signed[31] |= 0x80
        #expect(FieldElement(littleEndian: signed) == element)
    }

    // MARK: Points

    @Test func theBasePointHasOrderL() throws {
        let lMinusOne = try #require(
            Scalar(canonical: try Self.bytes("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")))
        let almost = EdwardsPoint.combination(lMinusOne, Self.zero, .identity)
        #expect(almost == -EdwardsPoint.base)
        #expect((almost + .base).isIdentity)
        #expect(!EdwardsPoint.base.hasSmallOrder)
    }

    @Test func theSmallOrderPointsHaveSmallOrder() throws {
        for encoding in try Ed25519Fixtures.smallOrderPoints() {
            let point = try #require(EdwardsPoint(decoding: [UInt8](encoding)))
            #expect(point.hasSmallOrder)
            #expect(point.doubled.doubled.doubled.isIdentity)
        }
    }

    @Test func additionIsDoublingForEqualPointsAndUndoneBySubtraction() {
        let base = EdwardsPoint.base
        #expect(base + base == base.doubled)
        #expect(base.doubled - base == base)
        #expect((base - base).isIdentity)
        #expect(base + .identity == base)
    }

    /// [a]B + [b]P against double-and-add, for scalars around the windows' edges and random ones.
    @Test func combinationMatchesDoubleAndAdd() throws {
        let point = try #require(
            EdwardsPoint(decoding: try Self.bytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")))
        var random = SplitMix64(seed: 517)
        var scalars: [[UInt8]] = [0, 1, 2, 15, 16, 17, 31, 32, 33, 255].map { small in
            [UInt8(small)] + [UInt8](repeating: 0, count: 31)
        }
        for _ in 0..<6 {
            var bytes = [UInt8](random.bytes(32))
            bytes[31] &= 0x0f
            scalars.append(bytes)
        }
        scalars.append(try Self.bytes("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"))
        for (a, b) in zip(scalars, scalars.reversed()) {
            let expected = Self.reference(a, .base) + Self.reference(b, point)
            let combined = EdwardsPoint.combination(
                try #require(Scalar(canonical: a)), try #require(Scalar(canonical: b)), point)
            #expect(combined == expected, "\(Data(a).hexEncodedString), \(Data(b).hexEncodedString)")
        }
    }

    /// RFC 8032 §5.1.3: every y below 19 either has no point or decodes to one that re-encodes
    /// to the same bytes; y + p never decodes, nor does x = 0 with the sign bit set.
    @Test(arguments: 0..<19, [false, true])
    func decodingAcceptsOnlyTheCanonicalEncoding(y: Int, negative: Bool) throws {
        var canonical = [UInt8](repeating: 0, count: 32)
        canonical[0] = UInt8(y)
        if negative { canonical[31] = 0x80 }
        var nonCanonical = Self.pPlus(y)
        if negative { nonCanonical[31] |= 0x80 }
        #expect(EdwardsPoint(decoding: nonCanonical) == nil)
        guard let point = EdwardsPoint(decoding: canonical) else { return }
        #expect(point.y == Self.element(UInt32(y)))
        #expect(point.x.isNegative == negative)
        #expect(!point.x.isZero || !negative)
        let xx = point.x.squared
        let yy = point.y.squared
        #expect(yy - xx == .one + EdwardsPoint.d * xx * yy)
    }

    @Test func xZeroWithTheSignBitSetIsNoEncoding() throws {
        // y = 1 (the identity) and y = -1, both with x = 0.
        for hex in [
            "0100000000000000000000000000000000000000000000000000000000000080",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        ] {
            #expect(EdwardsPoint(decoding: try Self.bytes(hex)) == nil)
        }
    }

    // MARK: Scalars

    @Test func sBelowLIsCanonicalAndFromLUpIsNot() throws {
        #expect(
            Scalar(canonical: try Self.bytes("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")) != nil
        )
        #expect(
            Scalar(canonical: try Self.bytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")) == nil
        )
        #expect(Scalar(canonical: [UInt8](repeating: 0xff, count: 32)) == nil)
        #expect(Scalar(canonical: [UInt8](repeating: 0, count: 31)) == nil)
    }

    // Expected remainders from Python's integers.
    @Test(arguments: [
        ("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", String(repeating: "0", count: 64)),
        (
            "eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
            "01" + String(repeating: "0", count: 62)
        ),
        (
            String(repeating: "ff", count: 64),
            "000f9c44e31106a447938568a71b0ed065bef517d273ecce3d9a307c1b419903"
        ),
        (
            // SHA-512("abc")
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "d15dbef29abf1ff29f9cf91c4b75ee0bb1012cb031d9605d684e841df034de0b"
        ),
    ])
    func reductionModuloLMatchesIntegers(input: String, remainder: String) throws {
        let reduced = Scalar(reducing: try Self.bytes(input))
        #expect(reduced == Scalar(canonical: try Self.bytes(remainder)))
    }

    /// The digits add up to the scalar, are 0 or odd up to ±15, and at most one of any five in a
    /// row is not 0.
    @Test func nonAdjacentFormRebuildsTheScalar() throws {
        var random = SplitMix64(seed: 0x0005_CA1A)
        for round in 0..<50 {
            var bytes = [UInt8](random.bytes(32))
            bytes[31] &= 0x0f
            if round == 0 { bytes = try Self.bytes("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010") }
            let digits = try #require(Scalar(canonical: bytes)).nonAdjacentForm()
            #expect(digits.allSatisfy { $0 == 0 || ($0 % 2 != 0 && abs($0) <= 15) })
            for start in 0..<(digits.count - 4) {
                #expect(digits[start..<start + 5].filter { $0 != 0 }.count <= 1)
            }
            // Σ d_i·2^i from the top, in 64-bit limbs: value = 2·value + d_i.
            var value: [Int64] = [0, 0, 0, 0, 0, 0, 0, 0, 0]  // 32-bit digits, so carries fit
            for digit in digits.reversed() {
                value = value.map { $0 * 2 }
                value[0] += Int64(digit)
                for index in 0..<8 {
                    let carry = value[index] >> 32
                    value[index] -= carry << 32
                    value[index + 1] += carry
                }
            }
            let rebuilt = (0..<32).map { UInt8(truncatingIfNeeded: value[$0 / 4] >> (8 * ($0 % 4))) }
            #expect(rebuilt == bytes)
            #expect(value[8] == 0)
        }
    }
}
