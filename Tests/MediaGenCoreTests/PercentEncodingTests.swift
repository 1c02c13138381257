import Foundation
import MediaGenCore
import Testing

/// Path segments and query parts are encoded byte by byte; the result must be what Foundation's
/// `addingPercentEncoding` gives with RFC 3986's unreserved set.
struct PercentEncodingTests {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    @Test(arguments: [
        ("pred_42", "pred_42"),
        ("a b", "a%20b"),
        ("1+2", "1%2B2"),
        ("a/b?c#d&e=f", "a%2Fb%3Fc%23d%26e%3Df"),
        ("100%", "100%25"),
        ("café", "caf%C3%A9"),
        ("🎵", "%F0%9F%8E%B5"),
        ("~-._", "~-._"),
        ("", ""),
    ])
    func encodesEverythingOutsideTheUnreservedSet(text: String, expected: String) {
        #expect(PercentEncoding.encode(text) == expected)
    }

    @Test func agreesWithFoundationOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let pool = Array("aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}\u{7f}\u{0}\té€✓🎵\u{301}")
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let text = String((0..<length).map { _ in pool.randomElement(using: &generator) ?? "a" })
            #expect(PercentEncoding.encode(text) == text.addingPercentEncoding(withAllowedCharacters: Self.unreserved))
        }
    }

    @Test func queryKeepsTheOrderGiven() {
        #expect(PercentEncoding.query([("b", "x+y"), ("a", "1 2")]) == "b=x%2By&a=1%202")
    }
}
