// Issue 27, item 8: JSON outputs escape control and bidirectional characters, losslessly.
import Foundation
import Testing
@testable import CostperSite

@Suite struct JSONEscapeTests {
    @Test func bidiAndControlCharactersAreEscapedAndReadBackTheSame() throws {
        let name = "Acme\u{2067}evil\u{2069}\u{202E}x\u{200F}\u{061C}\u{7F}\u{85}\u{1B}\u{2028}<é😀"
        let text = JSONValue.object([("tenant", .string(name))]).text
        #expect(text == "{\n  \"tenant\": \"Acme\\u2067evil\\u2069\\u202ex\\u200f\\u061c\\u007f\\u0085\\u001b\\u2028\\u003cé😀\"\n}")
        // No raw control or bidi scalar is left in the file.
        #expect(!text.unicodeScalars.contains { JSONValue.escaped($0.value) && $0 != "\n" })
        // Lossless: a JSON reader gives back the very same scalars.
        let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(back?["tenant"]?.unicodeScalars.map(\.value) == name.unicodeScalars.map(\.value))
    }
}
