#!/usr/bin/env python3
"""Writes edge-cases.json: Ed25519 signatures that strict and lax verifiers disagree on.

Run from this directory: `python3 edge_cases.py > edge-cases.json`. The output is deterministic.

Independent of the Swift verifier: integers in Python, the formulas of RFC 8032 §5.1 written out
again. It first signs the five RFC 8032 §7.1 vectors (rfc8032-section-7.1.json) and checks it
reproduces the published keys and signatures byte for byte, so the signing below is Ed25519's.

Each case says what MediaGenKit's strict verifier must answer ("valid", "invalid", or
"unusableKey" for a key it throws on) and what a lax verifier — RFC 8032 §5.1.7's cofactorless
equation with none of the strict checks (y reduced modulo p, any S, small-order points allowed)
— answers, so a case whose two verdicts differ shows its rule is what decides it.
"""

import hashlib
import json
import sys

p = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
d = -121665 * pow(121666, p - 2, p) % p
sqrt_m1 = pow(2, (p - 1) // 4, p)
IDENTITY = (0, 1, 1, 0)


def H(data):
    return int.from_bytes(hashlib.sha512(data).digest(), "little")


def add(P, Q):
    a = (P[1] - P[0]) * (Q[1] - Q[0]) % p
    b = (P[1] + P[0]) * (Q[1] + Q[0]) % p
    c = 2 * d * P[3] * Q[3] % p
    e = 2 * P[2] * Q[2] % p
    E, F, G, Hh = b - a, e - c, e + c, b + a
    return (E * F % p, G * Hh % p, F * G % p, E * Hh % p)


def neg(P):
    return (-P[0] % p, P[1], P[2], -P[3] % p)


def mul(k, P):
    result = IDENTITY
    while k:
        if k & 1:
            result = add(result, P)
        P = add(P, P)
        k >>= 1
    return result


def equal(P, Q):
    return (P[0] * Q[2] - Q[0] * P[2]) % p == 0 and (P[1] * Q[2] - Q[1] * P[2]) % p == 0


def affine(P):
    zinv = pow(P[2], p - 2, p)
    return P[0] * zinv % p, P[1] * zinv % p


def encode(P, *, y_offset=0, force_sign=None):
    """The point's encoding; `y_offset` p gives the non-canonical y + p, when it fits."""
    x, y = affine(P)
    y += y_offset
    assert y < 2**255
    sign = x & 1 if force_sign is None else force_sign
    return (y | sign << 255).to_bytes(32, "little")


def x_for(y, sign):
    """RFC 8032 §5.1.3 steps 2-4 without the y < p check: the x, or None."""
    x2 = (y * y - 1) * pow(d * y * y + 1, p - 2, p) % p
    x = pow(x2, (p + 3) // 8, p)
    if (x * x - x2) % p:
        x = x * sqrt_m1 % p
    if (x * x - x2) % p:
        return None
    if x == 0 and sign:
        return None
    return p - x if (x & 1) != sign else x


def decode(data, *, strict):
    value = int.from_bytes(data, "little")
    y, sign = value & (2**255 - 1), value >> 255
    if y >= p:
        if strict:
            return None
        y -= p
    x = x_for(y, sign)
    return None if x is None else (x, y, 1, x * y % p)


def small_order(P):
    return equal(mul(8, P), IDENTITY)


B = decode(((4 * pow(5, p - 2, p)) % p).to_bytes(32, "little"), strict=True)


def verify(public, message, signature, *, strict):
    """'valid', 'invalid' or (strict only) 'unusableKey'."""
    A = decode(public, strict=strict)
    if A is None or (strict and small_order(A)):
        return "unusableKey" if strict else "invalid"
    R = decode(signature[:32], strict=strict)
    S = int.from_bytes(signature[32:], "little")
    if R is None or (strict and (S >= L or small_order(R))):
        return "invalid"
    k = H(signature[:32] + public + message) % L
    return "valid" if equal(mul(S, B), add(R, mul(k, A))) else "invalid"


def secret_scalar(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def sign(seed, message):
    a, prefix = secret_scalar(seed)
    public = encode(mul(a, B))
    r = H(prefix + message) % L
    R = encode(mul(r, B))
    S = (r + H(R + public + message) * a) % L
    return public, R + S.to_bytes(32, "little")


with open("rfc8032-section-7.1.json") as file:
    RFC_VECTORS = [(v["secretKey"], v["message"], v["signature"], v["publicKey"]) for v in json.load(file)]
for seed, message, signature, public in RFC_VECTORS:
    assert sign(bytes.fromhex(seed), bytes.fromhex(message)) == (bytes.fromhex(public), bytes.fromhex(signature)), \
        "signing is not RFC 8032's"

# The eight points of small order: the identity, (0, -1) of order 2, (±√-1, 0) of order 4, and
# four of order 8, found as the solutions of [8]P = 0 among [L]Q for points Q of the curve.
SMALL_ORDER = []
for y in range(2, 200):
    for sign_bit in (0, 1):
        x = x_for(y, sign_bit)
        if x is None:
            continue
        T = mul(L, (x, y, 1, x * y % p))
        if not any(equal(T, known) for known in SMALL_ORDER):
            SMALL_ORDER.append(T)
assert len(SMALL_ORDER) == 8 and all(small_order(T) for T in SMALL_ORDER)


def order(T):
    return next(n for n in (1, 2, 4, 8) if equal(mul(n, T), IDENTITY))


SMALL_ORDER.sort(key=lambda T: (order(T), encode(T)))
T8 = next(T for T in SMALL_ORDER if order(T) == 8)

SEED = bytes.fromhex(RFC_VECTORS[0][0])  # TEST 1's key
a, _ = secret_scalar(SEED)
KEY = encode(mul(a, B))
MESSAGE = b"MediaGenKit edge case"
cases = []


def case(name, rule, public, message, signature, expected):
    lax = verify(public, message, signature, strict=False)
    strict = verify(public, message, signature, strict=True)
    assert strict == expected, (name, strict, expected)
    cases.append({
        "name": name, "rule": rule, "publicKey": public.hex(), "message": message.hex(),
        "signature": signature.hex(), "expected": expected, "laxVerifier": lax,
    })


def nonce(label, counter):
    return H(b"edge-case nonce " + label.encode() + counter.to_bytes(4, "little")) % L


# A control: an honest signature by TEST 1's key.
_, honest = sign(SEED, MESSAGE)
case("an honest signature", "control", KEY, MESSAGE, honest, "valid")

# S at or above L: S + L and S + 7L satisfy the same equation.
S = int.from_bytes(honest[32:], "little")
for multiple in (1, 7):
    case(f"S + {multiple}L", "S must be below L", KEY, MESSAGE,
         honest[:32] + (S + multiple * L).to_bytes(32, "little"), "invalid")
case("S = 2^256 - 1", "S must be below L", KEY, MESSAGE, honest[:32] + b"\xff" * 32, "invalid")

# R = the identity, canonical and as y = p + 1: S = k·a makes [S]B = R + [k]A hold.
for label, encoded in (("R = the identity", encode(IDENTITY)),
                       ("R = the identity encoded as y = p + 1", encode(IDENTITY, y_offset=p))):
    k = H(encoded + KEY + MESSAGE) % L
    case(label, "R must be canonical and not of small order" if "p + 1" in label else "R must not be of small order",
         KEY, MESSAGE, encoded + (k * a % L).to_bytes(32, "little"), "invalid")

# Every small-order R, with a key of mixed order A = [a]B + T8 (a point the strict rules accept as
# a key): when [k]T8 = -R, S = k·a satisfies the equation.
MIXED_KEY_POINT = add(mul(a, B), T8)
MIXED_KEY = encode(MIXED_KEY_POINT)
for index, T in enumerate(SMALL_ORDER):
    encoded = encode(T)
    counter = 0
    while True:
        message = MESSAGE + b" " + str(counter).encode()
        k = H(encoded + MIXED_KEY + message) % L
        if equal(mul(k, T8), neg(T)):
            break
        counter += 1
    case(f"R of order {order(T)} (small-order point {index}), key of mixed order",
         "R must not be of small order", MIXED_KEY, message, encoded + (k * a % L).to_bytes(32, "little"), "invalid")

# The mixed-order key with honest signatures: the cofactorless equation holds only when [k]T8 = 0.
for wanted_zero in (True, False):
    counter = 0
    while True:
        message = MESSAGE + b" honest " + str(counter).encode()
        r = nonce("mixed", counter)
        R = encode(mul(r, B))
        k = H(R + MIXED_KEY + message) % L
        if (k % 8 == 0) == wanted_zero:
            break
        counter += 1
    case("key of mixed order, honest signature, k = 0 mod 8" if wanted_zero
         else "key of mixed order, honest signature, k != 0 mod 8",
         "the cofactorless equation", MIXED_KEY, message,
         R + ((r + k * a) % L).to_bytes(32, "little"), "valid" if wanted_zero else "invalid")

# Every small-order key, and its encodings with y + p or a sign bit on x = 0 where they exist:
# R = [r]B - [j]T with k = j (mod the order of T) makes S = r satisfy the equation.
for index, T in enumerate(SMALL_ORDER):
    x, y = affine(T)
    encodings = [("", encode(T))]
    if y + p < 2**255:
        encodings.append((" encoded as y + p", encode(T, y_offset=p)))
    if x == 0:
        encodings.append((" with the sign bit of x = 0 set", encode(T, force_sign=1)))
    for suffix, public in encodings:
        counter = 0
        while True:
            r = nonce(f"key {index}{suffix}", counter)
            j = counter % order(T)
            R = encode(add(mul(r, B), neg(mul(j, T))))
            k = H(R + public + MESSAGE) % L
            if k % order(T) == j:
                break
            counter += 1
        signature = R + r.to_bytes(32, "little")
        case(f"key of order {order(T)} (small-order point {index}){suffix}",
             "the key must be canonical and not of small order", public, MESSAGE, signature, "unusableKey")

# Points with y < 19 (so with a second encoding, y + p) that are not of small order.
for y in range(2, 19):
    x = x_for(y, 0)
    if x is None:
        continue
    point = (x, y, 1, x * y % p)
    case(f"key with y = {y} encoded as y + p", "the key must be canonical", encode(point, y_offset=p),
         MESSAGE, honest, "unusableKey")
    case(f"R with y = {y} encoded as y + p", "R must be canonical", KEY, MESSAGE,
         encode(point, y_offset=p) + honest[32:], "invalid")

# Encodings of no point at all.
off_curve = next(y for y in range(2, 100) if x_for(y, 0) is None)
case(f"key y = {off_curve}, not on the curve", "the key must be a point", (off_curve).to_bytes(32, "little"),
     MESSAGE, honest, "unusableKey")
case(f"R y = {off_curve}, not on the curve", "R must be a point", KEY, MESSAGE,
     (off_curve).to_bytes(32, "little") + honest[32:], "invalid")

json.dump({"smallOrderPoints": [encode(T).hex() for T in SMALL_ORDER], "cases": cases}, sys.stdout, indent=2)
sys.stdout.write("\n")
