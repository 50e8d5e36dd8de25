// Settings and templates as text: refused, with the line, when they hold a NUL byte or bytes that
// are not UTF-8 (a NUL used to end costper.toml early, silently: every key after it was ignored).
import CostperMoney
import CostperVocabulary


package enum TextFile {
    /// The bytes as a String; a NUL byte or invalid UTF-8 stops the run with `file:line`.
    package static func decode(_ bytes: Bytes, file: String) throws(CostperError) -> String {
        var line = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1; i += 1; continue }
            if b == 0 { throw CostperError(.badData, "a NUL byte: settings and templates are text", at: InputLocation(file: file, line: line)) }
            if b < 0x80 { i += 1; continue }
            // One UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
            let len: Int, lo: UInt8, hi: UInt8
            switch b {
            case 0xC2...0xDF: len = 2; lo = 0x80; hi = 0xBF
            case 0xE0: len = 3; lo = 0xA0; hi = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: len = 3; lo = 0x80; hi = 0xBF
            case 0xED: len = 3; lo = 0x80; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90; hi = 0xBF
            case 0xF1...0xF3: len = 4; lo = 0x80; hi = 0xBF
            case 0xF4: len = 4; lo = 0x80; hi = 0x8F
            default: throw invalid(file, line)
            }
            guard i + len <= n, bytes[i + 1] >= lo, bytes[i + 1] <= hi else { throw invalid(file, line) }
            for k in 2..<max(len, 2) where bytes[i + k] < 0x80 || bytes[i + k] > 0xBF { throw invalid(file, line) }
            i += len
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    package static func decode(_ bytes: [UInt8], file: String) throws(CostperError) -> String {
        let result: Result<String, CostperError> = Bytes.of(bytes) { raw in
            do throws(CostperError) { return .success(try decode(raw, file: file)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    package static func invalid(_ file: String, _ line: Int) -> CostperError {
        CostperError(.badData, "bytes that are not UTF-8: settings and templates must be UTF-8 text", at: InputLocation(file: file, line: line))
    }
}
