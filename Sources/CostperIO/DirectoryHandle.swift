// The one place that makes the POSIX *at() calls costper writes the site with. Every entry of --out
// is created, inspected, renamed and removed relative to an open directory, never through a path:
// a symbolic link planted anywhere under --out (a month folder, assets/, a file inside the hidden
// staging folder, the staging folder itself) is never followed, and a folder renamed away while
// costper writes into it keeps receiving the writes where it now is, inside --out.
import Foundation

/// A failed system call: its errno and what was being done.
struct SystemCallError: Error {
    var code: Int32
    var what: String
    var reason: String { String(cString: strerror(code)) }
    var message: String { "\(what): \(reason)" }
}

/// An open directory (O_DIRECTORY, O_CLOEXEC), closed when the value goes away.
final class DirectoryHandle {
    let fd: Int32
    /// The path it was opened at, for messages only (never used to reach it again).
    let path: String

    /// What is at a name in a directory, without following a link.
    enum Kind: Equatable { case missing, file, directory, link, other }

    private init(fd: Int32, path: String) { self.fd = fd; self.path = path }
    deinit { close(fd) }

    /// Opens the folder at `path`, following a link there (--out itself may be a link, e.g. into a
    /// tmpfs: the user chose it).
    static func open(path: String) throws(SystemCallError) -> DirectoryHandle {
        let fd = Foundation.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError(code: errno, what: "opening \(path)") }
        return DirectoryHandle(fd: fd, path: path)
    }

    /// The folder `name` inside this one; nil (errno set) when it is not there, not a folder, or a
    /// symbolic link (ELOOP / ENOTDIR).
    func directory(_ name: String) -> DirectoryHandle? {
        let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        return fd >= 0 ? DirectoryHandle(fd: fd, path: path + "/" + name) : nil
    }

    func kind(_ name: String) -> Kind {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// Device and inode of `name` (not followed), or of this folder itself when nil.
    func identity(_ name: String? = nil) -> (UInt64, UInt64)? {
        var st = stat()
        let r = name.map { fstatat(fd, $0, &st, AT_SYMLINK_NOFOLLOW) } ?? fstat(fd, &st)
        return r == 0 ? (UInt64(st.st_dev), UInt64(st.st_ino)) : nil
    }

    /// Whether this process may create, rename and remove entries in `name` (this folder when nil).
    func writable(_ name: String? = nil) -> Bool {
        faccessat(fd, name ?? ".", W_OK, 0) == 0   // callers check the kind first: never a link
    }

    /// Creates the folder `name` (it must not exist) and opens it.
    func makeDirectory(_ name: String) throws(SystemCallError) -> DirectoryHandle {
        guard mkdirat(fd, name, 0o755) == 0 else { throw SystemCallError(code: errno, what: "creating \(path)/\(name)") }
        guard let d = directory(name) else { throw SystemCallError(code: errno, what: "opening \(path)/\(name)") }
        return d
    }

    /// Writes a new file `name` (O_EXCL | O_NOFOLLOW: never over anything already there, a link
    /// least of all); on failure nothing of it is left.
    func write(_ name: String, _ bytes: [UInt8]) throws(SystemCallError) {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw SystemCallError(code: errno, what: "writing \(path)/\(name)") }
        if let error = SystemIO.writeAll(file, bytes) {
            close(file); unlinkat(fd, name, 0)
            throw SystemCallError(code: error, what: "writing \(path)/\(name)")
        }
        guard close(file) == 0 else {
            let e = errno; unlinkat(fd, name, 0)
            throw SystemCallError(code: e, what: "writing \(path)/\(name)")
        }
    }

    /// A path to `name` for a library that opens files only by path (libxlsxwriter): the file is
    /// created here first (empty, O_EXCL | O_NOFOLLOW, so a plain file of ours), and the path goes
    /// through this folder's descriptor (/proc/self/fd/N/name), not through the folders above it.
    func pathForLibrary(_ name: String) throws(SystemCallError) -> String {
        try write(name, [])
        let viaDescriptor = "/proc/self/fd/\(fd)"
        var st = stat()
        return (stat(viaDescriptor, &st) == 0 ? viaDescriptor : path) + "/" + name
    }

    /// Renames `name` to `newName` in `target` (a folder on the same file system); the entry
    /// itself moves, a link as a link.
    func rename(_ name: String, to target: DirectoryHandle, as newName: String) throws(SystemCallError) {
        guard renameat(fd, name, target.fd, newName) == 0 else {
            throw SystemCallError(code: errno, what: "moving \(path)/\(name) to \(target.path)/\(newName)")
        }
    }

    /// Removes `name` and, when it is a folder, everything in it; a link is removed, never followed.
    func removeTree(_ name: String) {
        switch kind(name) {
        case .missing: return
        case .directory:
            if let sub = directory(name) { for n in sub.names() { sub.removeTree(n) } }
            unlinkat(fd, name, AT_REMOVEDIR)
        default:
            unlinkat(fd, name, 0)
        }
    }

    /// The names in this folder (not . and ..), in no particular order.
    func names() -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else { if copy >= 0 { close(copy) }; return [] }
        defer { closedir(dir) }
        rewinddir(dir)
        return SystemIO.entryNames(dir).filter { $0 != "." && $0 != ".." }
    }

    /// The bytes of the plain file `name` (not through a link); nil when it is not one.
    func read(_ name: String) -> [UInt8]? {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        return SystemIO.readAll(file)
    }

    /// fsync of this folder (its entries are durable).
    func sync() { _ = fsync(fd) }

    /// fsync of the file or folder `name` in this folder (not through a link).
    func sync(_ name: String) {
        let f = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if f >= 0 { _ = fsync(f); close(f) }
    }
}
