// The report's template files, by name: one list for the loader (CostperIO) and the parser's
// error messages (CostperSite).

package enum TemplateFile {
    package static let report = "report.md.mustache"
    package static let layout = "layout.html.mustache"
    package static let index = "index.html.mustache"
    package static let stylesheet = "style.css"
}
