// report.pdf: the month's page printed by headless Chromium (Debian `chromium`), made before the
// publication so that it is published atomically with the rest of the month. Launching a process
// and its files are I/O: this is the edge.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import Foundation

package enum PrintedReport {
    /// The Chromium executable on `path` (the PATH variable's value, read by the command line),
    /// or nil when none is installed.
    package static func findChromium(path: String?) -> String? {
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
    package static let timeoutSeconds = 120.0
    /// How long Chromium has to end after SIGTERM before its whole process group is killed.
    package static let graceSeconds = 5.0
    /// The prefix of the folders prints are made in, in the system's temporary folder:
    /// `costper-print-PID-RANDOM`, PID being costper's.
    static let folderPrefix = "costper-print-"

    /// Removes the print folders of costper runs that are no longer alive (killed with `kill -9`
    /// while printing): `costper-print-PID-*` whose PID is no running process.
    package static func removeStaleFolders(in temp: URL = FileManager.default.temporaryDirectory) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: temp.path) else { return }
        for name in names where name.hasPrefix(folderPrefix) {
            let rest = name.dropFirst(folderPrefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { try? fm.removeItem(at: temp.appendingPathComponent(name)) }
        }
    }

    /// Prints `html` (a self-contained page: stylesheet and charts inline) to PDF with headless
    /// Chromium, in a folder of its own in the system's temporary folder (`costper-print-PID-*`,
    /// its profile inside), removed after, and by the next run when costper was killed: never in
    /// the site, where a Chromium outliving a killed run could still write. Chromium runs in a
    /// process group of its own: past `timeout` it gets SIGTERM, and `grace` seconds later the
    /// whole group gets SIGKILL, so no renderer or GPU process outlives the run. The PDF's
    /// /CreationDate and /ModDate are replaced with `clock` (the report's clock), so the same
    /// page gives the same bytes wherever it was printed (the page links no file beside it).
    package static func render(html: String, chromium: String, clock: Int64, timeout: Double = timeoutSeconds,
                              grace: Double = graceSeconds) throws(CostperError) -> [UInt8] {
        let fm = FileManager.default
        removeStaleFolders()
        let work = fm.temporaryDirectory.appendingPathComponent("\(folderPrefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
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
        let arguments = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking",
                         "--user-data-dir=" + work.appendingPathComponent("profile").path,
                         "--print-to-pdf=" + pdf.path, page.absoluteString]
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        let status: Int32
        switch spawnInOwnGroup(arguments, environment: env.map { "\($0.key)=\($0.value)" }, stderrPath: log.path, timeout: timeout, grace: grace) {
        case .failure(let reason): throw CostperError(.cannotWrite, "cannot start \(chromium): \(reason)")
        case .success(nil): throw CostperError(.cannotWrite, "\(chromium) did not print the report within \(Int(timeout)) s (stopped: SIGTERM, then SIGKILL to its process group)")
        case .success(let s?): status = s
        }
        guard status == 0, let data = fm.contents(atPath: pdf.path), data.count > 0 else {
            let said = (fm.contents(atPath: log.path).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .split(separator: "\n").last { !$0.contains("dbus") }.map(String.init) ?? ""
            throw CostperError(.cannotWrite, "\(chromium) printed no PDF (exit \(status))\(said.isEmpty ? "" : ": " + Scalars.visible(said))")
        }
        guard let fixed = fixingDates(Array(data), clock: clock) else {
            throw CostperError(.cannotWrite, "the PDF Chromium wrote has no /CreationDate and /ModDate of the expected form: its bytes would change from run to run")
        }
        return fixed
    }

    /// Runs `arguments` in a new process group (stdin and stdout /dev/null, stderr to
    /// `stderrPath`) and waits up to `timeout` seconds: its exit status, or nil when it was stopped
    /// (SIGTERM to the group, then SIGKILL to the group `grace` seconds later). The group is
    /// killed when the leader ends too, so no child it left behind keeps running.
    static func spawnInOwnGroup(_ arguments: [String], environment: [String], stderrPath: String, timeout: Double,
                                grace: Double) -> Result<Int32?, SpawnFailure> {
        var attr = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attr)
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawnattr_destroy(&attr); posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pid: pid_t = 0
        let rc = SystemIO.spawn(&pid, arguments, environment, &actions, &attr)
        guard rc == 0 else { return .failure(SpawnFailure(reason: String(cString: strerror(rc)))) }
        func wait(for seconds: Double) -> Int32? {
            let end = Date().addingTimeInterval(seconds)
            var status: Int32 = 0
            repeat {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid { return status }
                if r == -1 && errno != EINTR { return 0 }
                usleep(20_000)
            } while Date() < end
            return nil
        }
        if let status = wait(for: timeout) {
            kill(-pid, SIGKILL)   // what the leader left running in its group
            let exited = status & 0x7f == 0
            return .success(exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
        }
        kill(-pid, SIGTERM)
        if wait(for: grace) == nil {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        kill(-pid, SIGKILL)
        return .success(nil)
    }

    struct SpawnFailure: Error { var reason: String }

    /// The PDF date of `seconds` (UTC): `D:YYYYMMDDHHMMSS+00'00'` (PDF 32000-1, 7.9.4).
    package static func pdfDate(_ seconds: Int64) -> String {
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
    package static func fixingDates(_ pdf: [UInt8], clock: Int64) -> [UInt8]? {
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
