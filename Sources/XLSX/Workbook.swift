// A workbook as values: sheets of typed cells, the formats of their numbers, the document's
// properties. Built by pure code (CostperSite); written by XLSXWriter, the only code that calls
// libxlsxwriter.

/// One cell of a sheet.
public enum WorkbookCell: Sendable, Equatable {
    /// Text, kept as text whatever it looks like ("0000588" stays "0000588").
    case text(String)
    /// A number written exactly as a decimal ("1234.560000"), shown with `format` (an Excel
    /// number format such as `$#,##0.00` or `0.0%`). It becomes a double only when written.
    case number(String, format: String)
    /// A calendar date (a real date cell: Excel sorts and filters it as a date), shown with
    /// `format` (`yyyy-mm-dd`, `mmm yyyy`).
    case date(year: Int, month: Int, day: Int, format: String)
    case empty
}

/// One sheet: a header row (bold, frozen) and rows of cells, columns of the given widths.
public struct WorkbookSheet: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[WorkbookCell]]
    /// Column widths in characters (Excel's unit), one per header cell.
    public var widths: [Double]
    /// An autofilter over the header and the rows (Excel's filter buttons on the header).
    public var autofilter: Bool

    public init(name: String, header: [String], rows: [[WorkbookCell]], widths: [Double], autofilter: Bool = true) {
        self.name = name; self.header = header; self.rows = rows; self.widths = widths; self.autofilter = autofilter
    }
}

/// A whole workbook.
public struct Workbook: Sendable, Equatable {
    public var sheets: [WorkbookSheet]
    public var title: String
    public var company: String
    /// The document's creation time (seconds since 1970, UTC): fixed by the caller, so that the
    /// same content gives the same bytes.
    public var created: Int64

    public init(sheets: [WorkbookSheet], title: String, company: String, created: Int64) {
        self.sheets = sheets; self.title = title; self.company = company; self.created = created
    }

    /// Excel's limits, which the builder keeps to (libxlsxwriter refuses more).
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    public static let maxStringLength = 32_767
    public static let maxSheetNameLength = 31
}
