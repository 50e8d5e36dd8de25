// Publishing a month into the site folder atomically: the intranet never serves half a report.
// This is an edge: it touches the file system, and nothing else in the library does.
import CFileSystem
import CostperCore
import Foundation

/// An exclusive lock on a site folder (flock on the folder itself, so that nothing is left in
/// it): runs publishing into one --out take turns, from reading the published months to the last
/// rename. Released when the value goes away or the process ends.
public final class SiteLock: @unchecked Sendable {
    private let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { _ = flock(fd, LOCK_UN); close(fd) }
}

public enum Publisher {
    /// Name of a month folder being built; inside OUT, so that it is on OUT's file system (a
    /// mount point, or a symlink into a tmpfs) and a rename moves it into place.
    static let stagingPrefix = ".costper-staging-"
    /// Where runs before the lock staged (beside OUT); removed as leftovers.
    static func legacyStagingPrefix(_ out: URL) -> String { "." + out.lastPathComponent + ".costper-staging-" }

    /// Creates OUT when needed and takes its lock; waits for another run that holds it, saying so
    /// on stderr through `waiting`.
    public static func lock(out: URL, waiting: (String) -> Void) throws(CostperError) -> SiteLock {
        let outPath = out.standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: outPath, withIntermediateDirectories: true)
        } catch {
            throw CostperError(.cannotWrite, "cannot create the output folder \(outPath): \(reason(error))")
        }
        let fd = open(outPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CostperError(.cannotWrite, "cannot open the output folder \(outPath): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let e = String(cString: strerror(errno)); close(fd)
                throw CostperError(.cannotWrite, "cannot lock the output folder \(outPath): \(e)")
            }
            waiting("costper: waiting for another costper run publishing into \(outPath)")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let e = String(cString: strerror(errno)); close(fd)
                    throw CostperError(.cannotWrite, "cannot lock the output folder \(outPath): \(e)")
                }
            }
        }
        return SiteLock(fd: fd)
    }

    /// Writes `monthFiles` as OUT/MONTH and the shared files (index.html, assets/) atomically:
    /// the month is built in a folder beside OUT, then exchanged with the old one in a single
    /// rename (renameat2 RENAME_EXCHANGE); shared files are written to a temporary file and renamed.
    /// A run killed at any moment leaves the previous site as it was. Leftovers of killed runs are
    /// removed first.
    /// `lock` is the site's lock when the caller already holds it (flock is per open file: taking
    /// it again here would wait for ourselves). `writers` make month files that a library writes
    /// itself to a path (report.xlsx), into the staging folder, after `monthFiles`.
    public static func publish(out: URL, month: Month, monthFiles: [String: [UInt8]], rootFiles: [String: [UInt8]],
                               laterMonths: [(month: Month, files: [String: [UInt8]])] = [], lock: SiteLock? = nil,
                               writers: [String: @Sendable (URL) throws(CostperError) -> Void] = [:]) throws(CostperError) {
        let fm = FileManager.default
        let outPath = out.standardizedFileURL.path
        // Callers that did not take the lock (tests, embedders) take it here.
        let held: SiteLock
        if let lock { held = lock } else { held = try Publisher.lock(out: out, waiting: { _ in }) }
        defer { withExtendedLifetime(held) {} }
        do {
            try fm.createDirectory(atPath: outPath, withIntermediateDirectories: true)
        } catch {
            throw CostperError(.cannotWrite, "cannot create the output folder \(outPath): \(reason(error))")
        }
        guard fm.isWritableFile(atPath: outPath) else {
            throw CostperError(.cannotWrite, "cannot write to the output folder \(outPath): permission denied")
        }
        removeLeftovers(out: out)

        // Every month folder of the publication (the month, then the later months re-rendered
        // against it) is staged before anything moves; only renames follow.
        let folders = [(month, monthFiles)] + laterMonths.map { ($0.month, $0.files) }
        var staged: [(staging: URL, target: URL, month: Month)] = []
        func dropStaged() { for x in staged { try? fm.removeItem(at: x.staging) } }
        for (m, files) in folders {
            let staging = out.appendingPathComponent(stagingPrefix + m.description + "-" + String(getpid()))
            staged.append((staging, out.appendingPathComponent(m.description), m))
            do {
                try fm.createDirectory(at: staging, withIntermediateDirectories: false)
                for name in files.keys.sorted() {
                    guard isSafeName(name) else { throw CostperError(.cannotWrite, "refusing to write \(name): not a plain file name") }
                    try writeFile(staging.appendingPathComponent(name), files[name]!)
                }
                if m == month {
                    for name in writers.keys.sorted() {
                        guard isSafeName(name) else { throw CostperError(.cannotWrite, "refusing to write \(name): not a plain file name") }
                        try writers[name]!(staging.appendingPathComponent(name))
                    }
                }
                _ = costper_fsync_path(staging.path)
            } catch let e as CostperError {
                dropStaged()
                throw e
            } catch {
                dropStaged()
                throw CostperError(.cannotWrite, "cannot write the report into \(outPath): \(reason(error))")
            }
        }

        // The shared files are written to temporary files before the months move in, so that a
        // full disk or a write error leaves the previous site as it was; only renames follow.
        var pending: [(tmp: URL, url: URL)] = []
        func dropPending() { for p in pending { try? fm.removeItem(at: p.tmp) } }
        for name in rootFiles.keys.sorted() {
            let url = out.appendingPathComponent(name)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let tmp = temporaryName(url)
                pending.append((tmp, url))
                try writeFile(tmp, rootFiles[name]!)
                _ = costper_fsync_path(tmp.path)
            } catch {
                dropPending()
                dropStaged()
                throw (error as? CostperError) ?? CostperError(.cannotWrite, "cannot write \(url.path): \(reason(error))")
            }
        }

        for (i, x) in staged.enumerated() {
            let staging = x.staging, target = x.target
            func fail(_ e: String) -> CostperError {
                for y in staged[i...] { try? fm.removeItem(at: y.staging) }
                dropPending()
                return CostperError(.cannotWrite, "cannot move the new report into \(target.path): \(e)")
            }
            if fm.fileExists(atPath: target.path) {
                if costper_exchange_paths(staging.path, target.path) != 0 {
                    // No atomic exchange on this file system: move the old month aside, then the new in.
                    let aside = out.appendingPathComponent(stagingPrefix + x.month.description + "-old-" + String(getpid()))
                    guard rename(target.path, aside.path) == 0, rename(staging.path, target.path) == 0 else {
                        let e = String(cString: strerror(errno))
                        if !fm.fileExists(atPath: target.path) { _ = rename(aside.path, target.path) }
                        throw fail(e)
                    }
                    try? fm.removeItem(at: aside)
                } else {
                    try? fm.removeItem(at: staging)   // now holds the previous version
                }
            } else if rename(staging.path, target.path) != 0 {
                throw fail(String(cString: strerror(errno)))
            }
        }

        for p in pending where rename(p.tmp.path, p.url.path) != 0 {
            let e = String(cString: strerror(errno))
            dropPending()
            throw CostperError(.cannotWrite, "cannot write \(p.url.path): \(e)")
        }
        _ = costper_fsync_path(outPath)
    }

    /// Every file of the published months after `month` (their folders as they are), for
    /// re-rendering their comparison with the earlier months. A folder that holds anything but
    /// plain files (a folder, a link, a hidden file) is left as it is, and named in `skipped`:
    /// publishing it again would drop what costper did not write.
    public static func laterMonths(out: URL, after month: Month) -> (months: [Month: [String: [UInt8]]], skipped: [String]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: out.path) else { return ([:], []) }
        var result: [Month: [String: [UInt8]]] = [:]
        var skipped: [String] = []
        for n in names.sorted() {
            guard let m = Month(n), m > month, Publisher.isSafeName(n) else { continue }
            let folder = out.appendingPathComponent(n)
            guard let files = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            var contents: [String: [UInt8]] = [:]
            var odd: String?
            for f in files.sorted() {
                let path = folder.appendingPathComponent(f).path
                let type = (try? fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType) ?? nil
                guard isSafeName(f), type == .typeRegular, let data = fm.contents(atPath: path) else { odd = odd ?? f; continue }
                contents[f] = Array(data)
            }
            if let odd {
                skipped.append("\(n) (it holds \(odd), which costper does not write)")
            } else if contents["summary.json"] != nil {
                result[m] = contents
            }
        }
        return (result, skipped)
    }

    /// Removes month folders half-built by a run that was killed. Called with the site's lock
    /// held, so every staging folder or temporary file found is a dead run's, never a live one's.
    public static func removeLeftovers(out: URL) {
        let parent = out.standardizedFileURL.deletingLastPathComponent()
        let legacy = legacyStagingPrefix(out)
        if let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) {
            for n in names where n.hasPrefix(legacy) {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(n))
            }
        }
        for dir in [out, out.appendingPathComponent("assets")] {
            guard let inside = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for n in inside where n.hasPrefix(".costper-tmp-") || n.hasPrefix(stagingPrefix) {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(n))
            }
        }
    }

    /// A month folder name or a file name: no separators, no dots-only names, nothing hidden.
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains("\0")
    }

    /// Writes a new file with plain POSIX calls: no hidden temporary file of its own (Foundation's
    /// atomic write leaves `.dat.nosync*` behind when the process is killed), and the real errno
    /// (ENOSPC, EFBIG, EROFS) in the message. Callers write into staging or temporary names.
    static func writeFile(_ url: URL, _ bytes: [UInt8]) throws {
        func failure(_ code: Int32) -> CostperError {
            CostperError(.cannotWrite, "cannot write \(url.path): \(String(cString: strerror(code)))")
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno) }
        var done = 0
        let error: Int32? = bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return nil
        }
        if let error {
            close(fd)
            unlink(url.path)
            throw failure(error)
        }
        guard close(fd) == 0 else { let e = errno; unlink(url.path); throw failure(e) }
    }

    static func temporaryName(_ url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".costper-tmp-" + url.lastPathComponent + "-" + String(getpid()))
    }

    static func writeAtomically(_ url: URL, _ bytes: [UInt8]) throws {
        let tmp = temporaryName(url)
        try writeFile(tmp, bytes)
        _ = costper_fsync_path(tmp.path)
        guard rename(tmp.path, url.path) == 0 else {
            let e = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw CostperError(.cannotWrite, "cannot write \(url.path): \(e)")
        }
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? CostperError { return e.message }
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }

    /// The summary.json of every month already published under OUT, oldest first.
    public static func publishedSummaries(out: URL) -> [(month: Month, summary: [UInt8])] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: out.path) else { return [] }
        return names.sorted().compactMap { n in
            guard let m = Month(n),
                  let data = FileManager.default.contents(atPath: out.appendingPathComponent(n).appendingPathComponent("summary.json").path)
            else { return nil }
            return (m, Array(data))
        }
    }
}
