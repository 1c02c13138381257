import Foundation

/// A point of edwards25519, the curve -x² + y² = 1 + d·x²·y² over ``FieldElement`` that
/// Ed25519 uses (RFC 8032 §5.1), in extended homogeneous coordinates: x = X/Z, y = Y/Z,
/// x·y = T/Z. The formulas are RFC 8032 §5.1.4's; they need no division.
struct EdwardsPoint: Equatable, Sendable {
    var x: FieldElement
    var y: FieldElement
    var z: FieldElement
    var t: FieldElement

    /// d = -121665/121666 (RFC 8032 §5.1), from its 32 little-endian bytes.
    static let d = FieldElement(
        littleEndian: bytes(hex: "a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352"))
    static let twoD = d + d
    /// A square root of -1: 2^((p-1)/4) (RFC 8032 §5.1.3), from its 32 little-endian bytes.
    static let squareRootOfMinusOne = FieldElement(
        littleEndian: bytes(hex: "b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b"))

    /// The neutral element (0, 1).
    static let identity = EdwardsPoint(x: .zero, y: .one, z: .one, t: .zero)

    /// B (RFC 8032 §5.1): the point with y = 4/5 and an even x, decoded from its encoding.
    static let base = EdwardsPoint(
        decoding: bytes(hex: "5866666666666666666666666666666666666666666666666666666666666666"))!

    /// B, 3B, 5B, …, 15B, for ``combination(_:_:_:)``; computed once.
    private static let baseOddMultiples = oddMultiples(of: base)

    /// RFC 8032 §5.1.3: decodes 32 bytes, or `nil` when they are not a point's one encoding.
    ///
    /// Strict where the RFC is: y must be below p (so each point has one encoding and a
    /// signature cannot be altered by re-encoding its R), and x = 0 must come with a sign bit
    /// of 0.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        // 1. y is bits 0-254, the sign of x is bit 255.
        let y = FieldElement(littleEndian: bytes)
        guard y.isBelowPrime else { return nil }
        let xIsNegative = bytes[31] >> 7 == 1

        // 2. x² = (y² - 1) / (d·y² + 1) = u/v; the candidate root is
        //    x = u·v³·(u·v⁷)^((p-5)/8).
        let ySquared = y.squared
        let u = ySquared - .one
        let v = Self.d * ySquared + .one
        let vCubed = v.squared * v
        let uvSeven = u * vCubed.squared * v
        var x = u * vCubed * uvSeven.raisedToPMinus5Over8()

        // 3. The candidate squares to u/v or to -u/v; in the second case times √-1 corrects it;
        //    otherwise u/v has no square root and there is no point with this y.
        let vxSquared = v * x.squared
        if vxSquared == u {
            // x is a root.
        } else if vxSquared == -u {
            x = x * Self.squareRootOfMinusOne
        } else {
            return nil
        }

        // 4. Choose the root with the encoded sign; x = 0 has no negative.
        if x.isZero && xIsNegative { return nil }
        if x.isNegative != xIsNegative {
            x = -x
        }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    init(x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement) {
        self.x = x
        self.y = y
        self.z = z
        self.t = t
    }

    /// RFC 8032 §5.1.4, addition (the formulas are complete: any two points, equal or not).
    static func + (p: EdwardsPoint, q: EdwardsPoint) -> EdwardsPoint {
        let a = (p.y - p.x) * (q.y - q.x)
        let b = (p.y + p.x) * (q.y + q.x)
        let c = p.t * twoD * q.t
        let d = (p.z + p.z) * q.z
        let e = b - a
        let f = d - c
        let g = d + c
        let h = b + a
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// RFC 8032 §5.1.4, doubling: cheaper than adding the point to itself.
    var doubled: EdwardsPoint {
        let a = x.squared
        let b = y.squared
        let c = z.squared + z.squared
        let h = a + b
        let e = h - (x + y).squared
        let g = a - b
        let f = c + g
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// -P = (-x, y).
    static prefix func - (p: EdwardsPoint) -> EdwardsPoint {
        EdwardsPoint(x: -p.x, y: p.y, z: p.z, t: -p.t)
    }

    var isIdentity: Bool { x.isZero && y == z }

    /// Whether the point's order divides 8: the identity and the seven other points of small
    /// order, which [8]P sends to the identity. A key or an R among them lets one signature
    /// verify for many messages or keys, so strict verifiers refuse them.
    var hasSmallOrder: Bool { doubled.doubled.doubled.isIdentity }

    /// Projective equality: X₁/Z₁ = X₂/Z₂ and Y₁/Z₁ = Y₂/Z₂, without dividing.
    static func == (p: EdwardsPoint, q: EdwardsPoint) -> Bool {
        p.x * q.z == q.x * p.z && p.y * q.z == q.y * p.z
    }

    /// P - Q.
    static func - (p: EdwardsPoint, q: EdwardsPoint) -> EdwardsPoint {
        p + -q
    }

    /// [a]B + [b]P, both scalars in width-5 non-adjacent form and walked together from the top
    /// digit (Straus's method): one doubling per bit shared by the two, and an addition or
    /// subtraction of an odd multiple for each nonzero digit.
    static func combination(_ a: Scalar, _ b: Scalar, _ point: EdwardsPoint) -> EdwardsPoint {
        let digitsA = a.nonAdjacentForm()
        let digitsB = b.nonAdjacentForm()
        let pointMultiples = oddMultiples(of: point)
        var result = identity
        var position = 255
        while position >= 0 && digitsA[position] == 0 && digitsB[position] == 0 {
            position -= 1
        }
        while position >= 0 {
            result = result.doubled
            result = result.adding(digitsA[position], of: baseOddMultiples)
            result = result.adding(digitsB[position], of: pointMultiples)
            position -= 1
        }
        return result
    }

    /// `self` + [digit]Q, given Q's odd multiples; `digit` is 0 or odd, between -15 and 15.
    private func adding(_ digit: Int8, of multiples: [EdwardsPoint]) -> EdwardsPoint {
        if digit > 0 { return self + multiples[Int(digit) / 2] }
        if digit < 0 { return self - multiples[Int(-digit) / 2] }
        return self
    }

    /// [1]P, [3]P, [5]P, …, [15]P.
    private static func oddMultiples(of point: EdwardsPoint) -> [EdwardsPoint] {
        let twice = point.doubled
        var table = [point]
        for _ in 1..<8 {
            table.append(table[table.count - 1] + twice)
        }
        return table
    }

    /// The bytes of a constant written in hex.
    private static func bytes(hex: String) -> [UInt8] {
        [UInt8](Data(hexEncoded: hex)!)
    }
}
