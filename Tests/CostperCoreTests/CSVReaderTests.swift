@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

@Suite struct CSVReaderTests {
    @Test func plainRecordsWithLFAndCRLF() {
        let r = records("a,b,c\n1,2,3\r\n4,5,6")
        #expect(r.map(\.line) == [1, 2, 3])
        #expect(r.map { $0.fields! } == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
    }

    @Test func quotedCommasQuotesAndNewlines() {
        let r = records("name,n\n\"Globex, Inc.\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nlast,4\n")
        #expect(r[1].fields! == ["Globex, Inc.", "1"])
        #expect(r[2].fields! == ["say \"hi\"", "2"])
        #expect(r[3].fields! == ["two\nlines", "3"])
        // Physical line numbers: the newline inside quotes counts.
        #expect(r.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test func byteOrderMarkAtTheStartIsSkipped() {
        let r = records("\u{FEFF}a,b\n1,2\n")
        #expect(r[0].fields! == ["a", "b"])
    }

    @Test func emptyFieldsAndTrailingComma() {
        let r = records("a,,c\n,,\n1,2,\n")
        #expect(r.map { $0.fields! } == [["a", "", "c"], ["", "", ""], ["1", "2", ""]])
    }

    @Test func blankLinesAreSkipped() {
        let r = records("a\n\n\r\nb\n")
        #expect(r.map(\.line) == [1, 4])
    }

    @Test func unterminatedQuoteIsReportedOnItsLine() {
        let r = records("a,b\n1,\"open\n2,3\n")
        #expect(r.count == 2)
        #expect(r[1].line == 2)
        #expect(r[1].error!.contains("unterminated"))
    }

    @Test func textAfterAClosingQuoteIsMalformedAndTheReaderGoesOn() {
        let r = records("a,b\n\"x\"y,1\nok,2\n")
        #expect(r[1].error == "unexpected text after a closing quote")
        #expect(r[2].fields! == ["ok", "2"])
        #expect(r[2].line == 3)
    }

    @Test func quoteInsideAnUnquotedField() {
        let r = records("a\nab\"c\nd\n")
        #expect(r[1].error == "a quote inside an unquoted field")
        #expect(r[2].fields! == ["d"])
    }

    @Test func nulBytesAreRejected() {
        let r = records("a,b\nx\u{0}y,1\nz,2\n")
        #expect(r[1].error == "NUL byte in a field")
        #expect(r[2].fields! == ["z", "2"])
    }

    @Test func tooManyColumns() {
        let wide = Array(repeating: "x", count: InputLimits.maxColumns + 5).joined(separator: ",")
        let r = records("a\n\(wide)\nnext\n")
        #expect(r[1].error!.contains("columns"))
        #expect(r[2].fields! == ["next"])
    }
}
