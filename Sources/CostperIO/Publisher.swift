// Publishing a month into the site folder atomically: the intranet never serves half a report.
// This is an edge: it touches the file system, and nothing else in the library does.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CFileSystem
import CostperCore
import Foundation

/// An exclusive lock on a site folder (flock on the folder itself, so that nothing is left in
/// it): runs publishing into one --out take turns, from reading the published months to the last
/// rename. Released when the value goes away or the process ends.
package final class SiteLock: @unchecked Sendable {
    private let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { _ = flock(fd, LOCK_UN); close(fd) }
}

/// One month folder to publish: its files, and the files a library writes itself to a path
/// (report.xlsx through XLSXWriter), written into the staging folder after `files`.
package struct MonthFolder: Sendable {
    package var month: Month
    package var files: [String: [UInt8]]
    package var writers: [String: @Sendable (URL) throws(CostperError) -> Void]
    package init(month: Month, files: [String: [UInt8]], writers: [String: @Sendable (URL) throws(CostperError) -> Void] = [:]) {
        self.month = month; self.files = files; self.writers = writers
    }
}

package enum Publisher {
    /// Name of a month folder being built; inside OUT, so that it is on OUT's file system (a
    /// mount point, or a symlink into a tmpfs) and a rename moves it into place.
    static let stagingPrefix = ".costper-staging-"
    /// Where runs before the lock staged (beside OUT); removed as leftovers.
    static func legacyStagingPrefix(_ out: URL) -> String { "." + out.lastPathComponent + ".costper-staging-" }

    /// Creates OUT when needed and takes its lock; waits for another run that holds it, saying so
    /// on stderr through `waiting`.
    package static func lock(out: URL, waiting: (String) -> Void) throws(CostperError) -> SiteLock {
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

    /// Name of the folder a run stages its publication in (inside OUT, so that it is on OUT's file
    /// system and renames move its entries into place), and of the committed journal.
    static let commitName = ".costper-commit"
    static let journalName = "journal"
    static let asideName = "old"

    /// Publishes the month folders `months`, removes the folders of `removing`, and writes the
    /// shared files (`rootFiles`: index.html, tenants_by_month.csv, assets/…) as one step. Every
    /// entry is staged in a hidden folder of OUT with a journal of what it replaces; the staging
    /// folder is then renamed to `.costper-commit` (the commit point) and its entries renamed
    /// into place. A run killed before the commit leaves the previous site; one killed after it
    /// leaves a journal that the next run rolls forward, under the lock, before anything else.
    /// Nothing is written through a symbolic link or over something costper does not write.
    /// `lock` is the site's lock when the caller already holds it (flock is per open file).
    package static func publish(out: URL, months: [MonthFolder], removing: [Month] = [], rootFiles: [String: [UInt8]],
                               lock: SiteLock? = nil) throws(CostperError) {
        let outPath = out.standardizedFileURL.path
        let held: SiteLock
        if let lock { held = lock } else { held = try Publisher.lock(out: out, waiting: { _ in }) }
        defer { withExtendedLifetime(held) {} }
        let site = try handle(out)
        guard site.writable() else {
            throw CostperError(.cannotWrite, "cannot write to the output folder \(outPath): permission denied")
        }
        try recover(site)

        // What goes where: a folder per month (and assets/), a file per other shared file.
        var entries: [(kind: String, name: String)] = months.map { ("dir", $0.month.description) }
        var rootFolders: [String: [String: [UInt8]]] = [:]
        for (name, bytes) in rootFiles {
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { rootFolders[parts[0], default: [:]][parts[1]] = bytes } else { entries.append(("file", name)) }
        }
        entries += rootFolders.keys.sorted().map { ("dir", $0) }
        entries += removing.map { ("remove", $0.description) }
        for e in entries { guard isSafeName(e.name) else { throw CostperError(.cannotWrite, "refusing to write \(e.name): not a plain file name") } }
        for m in months {
            for name in Array(m.files.keys) + Array(m.writers.keys) where !isSafeName(name) {
                throw CostperError(.cannotWrite, "refusing to write \(name): not a plain file name")
            }
        }
        for (_, files) in rootFolders {
            for name in files.keys where !isSafeName(name) { throw CostperError(.cannotWrite, "refusing to write \(name): not a plain file name") }
        }
        try checkTargets(site, entries: entries)

        // Everything is written relative to the staging folder's handle: a link planted in it (or
        // the folder swapped for one) is never written through.
        let stagingName = stagingPrefix + String(getpid())
        func drop() { site.removeTree(stagingName) }
        do {
            let staging = try site.makeDirectory(stagingName)
            for m in months {
                let folder = try staging.makeDirectory(m.month.description)
                for name in m.files.keys.sorted() { try folder.write(name, m.files[name]!) }
                for name in m.writers.keys.sorted() {
                    let path = try folder.pathForLibrary(name)
                    do { try m.writers[name]!(URL(fileURLWithPath: path)) } catch { throw WriterFailure(error: error) }
                }
                folder.sync()
            }
            for (dir, files) in rootFolders {
                let folder = try staging.makeDirectory(dir)
                for name in files.keys.sorted() { try folder.write(name, files[name]!) }
                folder.sync()
            }
            for e in entries where e.kind == "file" {
                try staging.write(e.name, rootFiles[e.name]!)
                staging.sync(e.name)
            }
            let journal = entries.map { "\($0.kind) \($0.name)\n" }.joined()
            try staging.write(journalName, Array(journal.utf8))
            staging.sync(journalName)
            staging.sync()
            // The commit point: from here the publication happens, now or by the next run. The
            // name must still be the folder written above (not a link or another folder put there).
            guard let mine = staging.identity(), let named = site.identity(stagingName), mine == named, site.kind(stagingName) == .directory else {
                drop()
                throw CostperError(.cannotWrite, "cannot publish into \(outPath): its staging folder \(stagingName) was replaced while costper wrote into it (by a link or another folder), so nothing is moved into place; nothing in the site was changed")
            }
            try site.rename(stagingName, to: site, as: commitName)
        } catch let e as CostperError {
            drop()
            throw e
        } catch let e as WriterFailure {
            drop()
            throw e.error
        } catch let e as SystemCallError {
            drop()
            throw CostperError(.cannotWrite, "cannot write the report into \(outPath) (\(e.message)); nothing in the site was changed")
        } catch {
            drop()
            throw CostperError(.cannotWrite, "cannot write the report into \(outPath): \(reason(error))")
        }
        site.sync()
        try rollForward(site)
    }

    /// A `MonthFolder` writer's own error, passed on as it is.
    struct WriterFailure: Error { var error: CostperError }

    /// OUT, opened (following a link at OUT itself only).
    static func handle(_ out: URL) throws(CostperError) -> DirectoryHandle {
        do { return try DirectoryHandle.open(path: out.standardizedFileURL.path) } catch {
            throw CostperError(.cannotWrite, "cannot open the output folder \(out.standardizedFileURL.path): \(error.reason)")
        }
    }

    /// Finishes a publication a killed run committed (its journal), then removes what killed runs
    /// left half-built. Called with the site's lock held.
    package static func recover(out: URL) throws(CostperError) {
        try recover(try handle(out))
    }

    static func recover(_ site: DirectoryHandle) throws(CostperError) {
        if site.kind(commitName) != .missing { try rollForward(site) }
        removeLeftovers(site)
    }

    /// Moves every entry of the committed journal into place, each step safe to repeat: an entry
    /// still in the commit folder is not in place yet (what it replaces is moved aside first).
    /// Every rename is from the commit folder's handle to the site's: nothing is followed.
    static func rollForward(_ site: DirectoryHandle) throws(CostperError) {
        // A commit folder that is a link, a file, or holds no journal is not a publication of ours:
        // removed (a link as a link), nothing applied. The journal is written before the commit.
        guard site.kind(commitName) == .directory, let commit = site.directory(commitName),
              let data = commit.read(journalName) else {
            site.removeTree(commitName)
            return
        }
        func fail(_ e: SystemCallError) -> CostperError {
            CostperError(.cannotWrite, "cannot finish publishing into \(site.path) (\(e.message)): the next run finishes it")
        }
        do {
            let aside: DirectoryHandle
            if let a = commit.directory(asideName) { aside = a } else {
                if commit.kind(asideName) != .missing { commit.removeTree(asideName) }
                aside = try commit.makeDirectory(asideName)
            }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, isSafeName(parts[1]) else { continue }
                let (kind, name) = (parts[0], parts[1])
                func moveAside() throws(SystemCallError) {
                    guard site.kind(name) != .missing else { return }
                    aside.removeTree(name)
                    try site.rename(name, to: aside, as: name)
                }
                switch kind {
                case "remove":
                    try moveAside()
                case "dir":
                    // Not there: in place already. Anything but a folder was not staged by costper.
                    guard commit.kind(name) == .directory else { commit.removeTree(name); continue }
                    try moveAside()
                    try commit.rename(name, to: site, as: name)
                case "file":
                    guard commit.kind(name) == .file else { commit.removeTree(name); continue }
                    try commit.rename(name, to: site, as: name)
                default:
                    continue
                }
            }
        } catch {
            throw fail(error)
        }
        site.sync()
        site.removeTree(commitName)
    }

    /// Refuses, before anything moves, a target that costper would not write: a symbolic link, a
    /// file where a folder goes (or the other way round), a folder holding folders or links, a
    /// folder it may not replace.
    static func checkTargets(_ site: DirectoryHandle, entries: [(kind: String, name: String)]) throws(CostperError) {
        for e in entries {
            let path = site.path + "/" + e.name
            let type = site.kind(e.name)
            if type == .missing { continue }   // not there yet
            if type == .link {
                throw CostperError(.cannotWrite, "\(path) is a symbolic link: costper writes only into folders and files it made inside --out, never through a link. Remove the link or publish into another --out; nothing in the site was changed")
            }
            if e.kind != "file" && type != .directory {
                throw CostperError(.cannotWrite, "\(path) is a file where the folder \(e.name) goes: move it out of the site or publish into another --out; nothing in the site was changed")
            }
            if e.kind == "file" && type != .file {
                throw CostperError(.cannotWrite, "\(path) is not a plain file, where costper writes \(e.name): move it out of the site or publish into another --out; nothing in the site was changed")
            }
            guard type == .directory else { continue }
            // A folder is moved aside whole (its ".." changes): it needs write permission itself.
            guard site.writable(e.name), let folder = site.directory(e.name) else {
                throw CostperError(.cannotWrite, "cannot replace \(path): permission denied; nothing in the site was changed")
            }
            // A folder is replaced whole: what costper did not write in it would be lost.
            for n in folder.names().sorted() where !(isSafeName(n) && folder.kind(n) == .file) {
                throw CostperError(.cannotWrite, "\(path) holds \(n), which costper does not write: publishing replaces the whole folder and would drop it. Move it out of the site (a web server's settings can live beside the site), then run again; nothing in the site was changed")
            }
        }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// The files of a published month folder (plain files only), to tell whether a month renders
    /// the same again; nil when the folder is not there.
    package static func publishedFiles(out: URL, month: Month) -> [String: [UInt8]]? {
        let fm = FileManager.default
        let folder = out.appendingPathComponent(month.description)
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return nil }
        var files: [String: [UInt8]] = [:]
        for n in names where isSafeName(n) {
            if let data = fm.contents(atPath: folder.appendingPathComponent(n).path) { files[n] = Array(data) }
        }
        return files
    }

    /// Removes month folders half-built by a run that was killed. Called with the site's lock
    /// held, so every staging folder or temporary file found is a dead run's, never a live one's.
    package static func removeLeftovers(out: URL) {
        guard let site = try? handle(out) else { return }
        removeLeftovers(site)
    }

    static func removeLeftovers(_ site: DirectoryHandle) {
        let out = URL(fileURLWithPath: site.path)
        let parent = out.deletingLastPathComponent()
        let legacy = legacyStagingPrefix(out)
        if let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) {
            for n in names where n.hasPrefix(legacy) {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(n))
            }
        }
        // assets/ only when it is a folder of the site (a link there is refused, never entered).
        for dir in [site, site.directory("assets")].compactMap({ $0 }) {
            for n in dir.names() where n.hasPrefix(".costper-tmp-") || n.hasPrefix(stagingPrefix) { dir.removeTree(n) }
        }
    }

    /// A month folder name or a file name: no separators, no dots-only names, nothing hidden.
    package static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains("\0")
    }

    /// Writes a new file with plain POSIX calls: no hidden temporary file of its own (Foundation's
    /// atomic write leaves `.dat.nosync*` behind when the process is killed), and the real errno
    /// (ENOSPC, EFBIG, EROFS) in the message. Callers write into staging or temporary names.
    static func writeFile(_ url: URL, _ bytes: [UInt8]) throws {
        func failure(_ code: Int32) -> CostperError {
            CostperError(.cannotWrite, "cannot write \(url.path): \(String(cString: strerror(code)))")
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw failure(errno) }
        if let error = SystemIO.writeAll(fd, bytes) {
            close(fd)
            unlink(url.path)
            throw failure(error)
        }
        guard close(fd) == 0 else { let e = errno; unlink(url.path); throw failure(e) }
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? CostperError { return e.message }
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }
}
