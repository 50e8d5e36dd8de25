// report.pdf: the month's page printed by headless Chromium (Debian `chromium`), made before the
// publication so that it is published atomically with the rest of the month. Launching a process
// and its files are I/O: this is the edge.
import CostperCore
import Foundation

public enum PrintedReport {
    /// The Chromium executable on `path` (the PATH variable's value, read by the command line),
    /// or nil when none is installed.
    public static func findChromium(path: String?) -> String? {
        let dirs = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for d in dirs where !d.isEmpty {
                let candidate = d + "/" + name
                if access(candidate, X_OK) == 0 { return candidate }
            }
        }
        return nil
    }

    /// How long one print may take before it is stopped (a cold start takes a few seconds).
    public static let timeoutSeconds = 120.0

    /// Prints `html` (a self-contained page: stylesheet and charts inline) to PDF with headless
    /// Chromium, in a folder of its own in the system's temporary folder, removed after: never in
    /// the site, where a Chromium outliving a killed run could still write. The PDF's
    /// /CreationDate and /ModDate are replaced with `clock` (the report's clock), so the same
    /// page gives the same bytes wherever it was printed (the page links no file beside it).
    public static func render(html: String, chromium: String, clock: Int64) throws(CostperError) -> [UInt8] {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("costper-print-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? fm.removeItem(at: work) }
        let page = work.appendingPathComponent("report.html")
        let pdf = work.appendingPathComponent("report.pdf")
        let log = work.appendingPathComponent("chromium.log")
        do {
            try? fm.removeItem(at: work)
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
            try Publisher.writeFile(page, Array(html.utf8))
        } catch {
            throw CostperError(.cannotWrite, "cannot prepare the page to print in \(work.path): \(Publisher.reason(error))")
        }
        // The flags of /work/shared/spec/toolchain.md, plus a profile of its own (two prints at
        // once must not share one) and UTC, so the dates it writes have the length we replace.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                       "--no-first-run", "--disable-extensions", "--disable-background-networking",
                       "--user-data-dir=" + work.appendingPathComponent("profile").path,
                       "--print-to-pdf=" + pdf.path, page.absoluteString]
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        guard fm.createFile(atPath: log.path, contents: nil), let err = try? FileHandle(forWritingTo: log) else {
            throw CostperError(.cannotWrite, "cannot write \(log.path)")
        }
        p.standardError = err
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch {
            try? err.close()
            throw CostperError(.cannotWrite, "cannot start \(chromium): \(Publisher.reason(error))")
        }
        if done.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            p.terminate()
            _ = done.wait(timeout: .now() + 5)
            try? err.close()
            throw CostperError(.cannotWrite, "\(chromium) did not print the report within \(Int(timeoutSeconds)) s")
        }
        try? err.close()
        guard p.terminationStatus == 0, let data = fm.contents(atPath: pdf.path), data.count > 0 else {
            let said = (fm.contents(atPath: log.path).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .split(separator: "\n").last { !$0.contains("dbus") }.map(String.init) ?? ""
            throw CostperError(.cannotWrite, "\(chromium) printed no PDF (exit \(p.terminationStatus))\(said.isEmpty ? "" : ": " + Scalars.visible(said))")
        }
        guard let fixed = fixingDates(Array(data), clock: clock) else {
            throw CostperError(.cannotWrite, "the PDF Chromium wrote has no /CreationDate and /ModDate of the expected form: its bytes would change from run to run")
        }
        return fixed
    }

    /// The PDF date of `seconds` (UTC): `D:YYYYMMDDHHMMSS+00'00'` (PDF 32000-1, 7.9.4).
    public static func pdfDate(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let (y, m, d) = Scalars.civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "D:\(year)\(two(m))\(two(d))\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))+00'00'"
    }

    /// The PDF with the value of every `/CreationDate (…)` and `/ModDate (…)` replaced by the
    /// date of `clock`, of the same length (so the cross-reference offsets stay true); nil when
    /// either is missing or of another length.
    public static func fixingDates(_ pdf: [UInt8], clock: Int64) -> [UInt8]? {
        let date = Array(pdfDate(clock).utf8)
        var out = pdf
        for key in ["/CreationDate (", "/ModDate ("] {
            let k = Array(key.utf8)
            var found = 0
            var i = 0
            while i + k.count <= out.count {
                if out[i] == k[0] && Array(out[i..<(i + k.count)]) == k {
                    let start = i + k.count
                    guard let close = out[start...].firstIndex(of: UInt8(ascii: ")")), close - start == date.count else { return nil }
                    out.replaceSubrange(start..<close, with: date)
                    found += 1
                    i = close
                }
                i += 1
            }
            if found == 0 { return nil }
        }
        return out
    }
}
