// The limits of what costper reads: every reader enforces them, the page cuts text at them.

/// Limits that keep a hostile file from taking the process down; each is reported as a reject.
package enum InputLimits {
    /// The longest record (a physical row with everything inside its quotes).
    package static let maxRecordBytes = 1 << 20
    /// The most columns a row (or the header) may have.
    package static let maxColumns = 1024
    /// The longest text value that can reach the report (names are cut there, with "…").
    package static let maxTextBytes = 200
    /// The largest token or request count of one row (a trillion): warehouses export INT64_MAX
    /// for "unknown", which no row reaches.
    package static let maxCount: Int64 = 1_000_000_000_000
}
