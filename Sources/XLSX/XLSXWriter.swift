// The one place in costper that talks to the libxlsxwriter C library (Debian libxlsxwriter-dev).
// Everything the C side allocates here is freed here: workbook_close frees the workbook, its
// sheets and formats, on success and on every error path.
import CXLSXWriter

/// Why a workbook could not be written.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

public enum XLSXWriter {
    /// Writes `book` to `path` (created or replaced). libxlsxwriter builds the file only at
    /// workbook_close, so a failure may leave a partial file at `path`: the caller writes into a
    /// temporary name and removes it on error.
    public static func write(_ book: Workbook, to path: String) throws(XLSXError) {
        guard let wb = workbook_new(path) else {
            throw XLSXError(message: "libxlsxwriter could not create a workbook at \(path)")
        }
        // From here on every exit goes through workbook_close, which frees everything.
        var failure: XLSXError?
        func check(_ e: lxw_error, _ what: @autoclosure () -> String) {
            if failure == nil && e != LXW_NO_ERROR {
                failure = XLSXError(message: "\(what()): \(String(cString: lxw_strerror(e)))")
            }
        }

        // Fixed properties: `created` from the report's clock, never the wall clock, so two runs
        // write the same bytes. workbook_set_properties copies the strings it is given.
        book.title.withCString { title in
            book.company.withCString { company in
                "costper".withCString { author in
                    var props = lxw_doc_properties()
                    props.title = UnsafeMutablePointer(mutating: title)
                    props.company = UnsafeMutablePointer(mutating: company)
                    props.author = UnsafeMutablePointer(mutating: author)
                    props.created = time_t(book.created)
                    check(workbook_set_properties(wb, &props), "setting the workbook's properties")
                }
            }
        }

        // One format per number format string, made once (formats belong to the workbook).
        var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]
        func format(_ numberFormat: String) -> UnsafeMutablePointer<lxw_format>? {
            if let f = formats[numberFormat] { return f }
            guard let f = workbook_add_format(wb) else { return nil }
            format_set_num_format(f, numberFormat)
            formats[numberFormat] = f
            return f
        }
        let bold = workbook_add_format(wb)
        if let bold { format_set_bold(bold) }

        sheets: for sheet in book.sheets where failure == nil {
            guard let ws = workbook_add_worksheet(wb, sheet.name) else {
                failure = XLSXError(message: "libxlsxwriter refused the sheet name \"\(sheet.name)\"")
                break sheets
            }
            guard sheet.header.count <= Workbook.maxColumns, sheet.rows.count < Workbook.maxRows else {
                failure = XLSXError(message: "the sheet \(sheet.name) is larger than Excel allows")
                break sheets
            }
            for (c, title) in sheet.header.enumerated() {
                check(worksheet_write_string(ws, 0, lxw_col_t(c), title, bold), "writing the header of \(sheet.name)")
            }
            for (c, width) in sheet.widths.enumerated() where c < sheet.header.count {
                check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), width, nil), "sizing a column of \(sheet.name)")
            }
            worksheet_freeze_panes(ws, 1, 0)
            for (i, row) in sheet.rows.enumerated() {
                let r = lxw_row_t(i + 1)
                for (c, cell) in row.enumerated() {
                    switch cell {
                    case .text(let s):
                        check(worksheet_write_string(ws, r, lxw_col_t(c), s, nil), "writing row \(i + 1) of \(sheet.name)")
                    case .number(let decimal, let numberFormat):
                        // The exact decimal becomes the nearest double here, at the cell write and
                        // nowhere earlier: Excel stores every number as an IEEE double. A money
                        // value of six decimals below 10^9 keeps all its digits (15 significant).
                        guard let value = Double(decimal) else {
                            failure = XLSXError(message: "\"\(decimal)\" in \(sheet.name) is not a number")
                            break sheets
                        }
                        check(worksheet_write_number(ws, r, lxw_col_t(c), value, format(numberFormat)), "writing row \(i + 1) of \(sheet.name)")
                    case .date(let year, let month, let day, let dateFormat):
                        var when = lxw_datetime(year: Int32(year), month: Int32(month), day: Int32(day), hour: 0, min: 0, sec: 0)
                        check(worksheet_write_datetime(ws, r, lxw_col_t(c), &when, format(dateFormat)), "writing row \(i + 1) of \(sheet.name)")
                    case .empty:
                        continue
                    }
                }
                if failure != nil { break sheets }
            }
            if sheet.autofilter && !sheet.header.isEmpty {
                check(worksheet_autofilter(ws, 0, 0, lxw_row_t(sheet.rows.count), lxw_col_t(sheet.header.count - 1)), "setting the filter of \(sheet.name)")
            }
        }
        let closed = workbook_close(wb)   // writes the file and frees the workbook
        if let failure { throw failure }
        if closed != LXW_NO_ERROR {
            throw XLSXError(message: "libxlsxwriter could not write \(path): \(String(cString: lxw_strerror(closed)))")
        }
    }
}
