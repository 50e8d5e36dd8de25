// The report's template files, by name: one list for the loader (CostperIO) and the parser's
// error messages (CostperSite).

public enum TemplateFile {
    public static let report = "report.md.mustache"
    public static let layout = "layout.html.mustache"
    public static let index = "index.html.mustache"
    public static let stylesheet = "style.css"
}
