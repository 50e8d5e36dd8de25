// A file of the input folder, memory-mapped read-only: a 1 GB export costs no 1 GB copy, and the
// pages already read go back to the kernel. The only owner of mmap, madvise and munmap, and the
// one file of the I/O edge that touches raw memory: the POSIX calls that take pointers (write,
// read, readdir, posix_spawn) are in `SystemIO` below; the rest of CostperIO uses them with arrays
// and strings.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CFileSystem
import SHA
import Gzip
import Synchronization
import CostperCore
import Foundation

/// A file mapped into memory; unmapped when released.
package final class MappedFile: ByteRegion, @unchecked Sendable {
    package let path: String
    package let name: String
    private let buffer: UnsafeBufferPointer<UInt8>
    private let mapped: Bool
    private var guardSlot: Int32 = -1
    /// The size when mapped.
    package let size: Int
    private var digest: String { get { hash.locked { hash.digest } } set { hash.locked { hash.digest = newValue } } }

    /// Files above this size are hashed on a background thread while the readers work.
    static let backgroundHashAbove = 32 << 20

    /// Maps `path`; `name` is how messages and the manifest call it. The SHA-256 of a large file
    /// is taken on a background thread at idle priority while the readers run (they never write
    /// to the mapping), and pages it has hashed are handed back to the kernel, so the hash costs
    /// neither wall time nor resident memory.
    package init(path: String, name: String) throws(CostperError) {
        self.path = path
        self.name = name
        // The type first: open() of a named pipe waits for a writer forever. Then open without
        // blocking (a file swapped for a pipe in between does not hang either) and check again.
        var before = stat()
        if stat(path, &before) == 0, (before.st_mode & S_IFMT) != S_IFREG {
            throw CostperError(.badData, "is not a regular file (\(MappedFile.kind(before.st_mode))): costper reads only regular files", at: InputLocation(file: name))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            if errno == ENOENT { throw CostperError(.notFound, "not found (looked for \(path))", at: InputLocation(file: name)) }
            throw CostperError(.notFound, "cannot be opened: \(String(cString: strerror(errno)))", at: InputLocation(file: name))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw CostperError(.badData, "is not a regular file (\(MappedFile.kind(st.st_mode))): costper reads only regular files", at: InputLocation(file: name))
        }
        let size = Int(st.st_size)
        self.size = size
        if size == 0 {
            buffer = UnsafeBufferPointer(start: nil, count: 0)
            mapped = false
        } else {
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
                throw CostperError(.notFound, "cannot be read: \(String(cString: strerror(errno)))", at: InputLocation(file: name))
            }
            _ = madvise(p, size, MADV_SEQUENTIAL)
            buffer = UnsafeBufferPointer(start: UnsafePointer(p.assumingMemoryBound(to: UInt8.self)), count: size)
            mapped = true
            // A file truncated while it is read would raise SIGBUS: the guard reads zeros instead
            // and marks the mapping, and `checkUnchanged` stops the run.
            guardSlot = costper_guard_mapping(p, UInt(size))
        }
        if size > MappedFile.backgroundHashAbove {
            let state = hash   // not self: a file let go mid-hash is released, and the hash stops
            state.done = false
            let address = Int(bitPattern: buffer.baseAddress)
            Thread.detachNewThread { [state] in
                let hash = state
                // On a core no reader wants: while tickets.csv is read on one core, while the month
                // closes; never in the readers' way (it took a core from them on two-core machines).
                // Whoever needs the digest puts it back to normal priority before waiting, so that a
                // machine busy with other work cannot starve it.
                hash.locked {
                    if !hash.awaited {
                        _ = costper_run_when_idle()
                        hash.idleThread = costper_current_thread()
                    }
                }
                let d = MappedFile.sha256(address: address, count: size, release: true) {
                    // Between blocks: wait while every core reads this file (unless the digest is awaited).
                    hash.locked {
                        while hash.readers >= MappedFile.cores && !hash.awaited && !hash.cancelled { hash.condition.wait() }
                        return !hash.cancelled
                    }
                }
                hash.locked {
                    hash.digest = d
                    hash.done = true
                    hash.idleThread = nil   // no longer a thread to promote
                    hash.condition.broadcast()
                }
            }
        } else {
            hash.digest = MappedFile.sha256(address: Int(bitPattern: buffer.baseAddress), count: size, release: false)
        }
    }

    /// SHA-256 in 8 MiB blocks; with `release`, each hashed block's pages go back to the kernel.
    /// `beforeBlock` runs before each block (the background hash waits there for the readers).
    /// `beforeBlock` returning false stops the hash (the digest is then of no use: "").
    static func sha256(address: Int, count: Int, release: Bool, beforeBlock: () -> Bool = { true }) -> String {
        var hasher = SHA256()
        if let base = UnsafeMutableRawPointer(bitPattern: address), count > 0 {
            let block = 8 << 20
            var at = 0
            while at < count {
                guard beforeBlock() else { return "" }
                backgroundBlocks.add(release ? 1 : 0, ordering: .relaxed)
                let n = min(block, count - at)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + at, count: n))
                if release && n == block { _ = madvise(base + at, n, MADV_DONTNEED) }
                at += n
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The file's SHA-256 (waits for the background hash of a large file, at normal priority).
    package var sha256: String {
        waitForHash()
        return digest
    }

    private func waitForHash() {
        hash.locked {
            hash.awaited = true
            if let t = hash.idleThread { _ = costper_run_normally(t); hash.idleThread = nil }
            hash.condition.broadcast()
            while !hash.done { hash.condition.wait() }
        }
    }

    /// Blocks hashed on background threads since the process started (tests count the work).
    static let backgroundBlocks = Atomic<Int>(0)

    static let cores = max(ProcessInfo.processInfo.activeProcessorCount, 1)

    /// The background hash, under one lock: how many readers read this file (it waits while
    /// there is one per core), whether the digest is awaited (then it waits for nothing, at normal
    /// priority), its thread while at idle priority, and whether it is done.
    private final class HashState: @unchecked Sendable {
        let condition = NSCondition()
        var readers = 0
        var awaited = false
        var idleThread: UInt?
        var done = true
        /// The file is let go before its digest was asked for (a run stopped by a bad header):
        /// the hash stops at the next block instead of reading gigabytes no one will use.
        var cancelled = false
        var digest = ""
        func locked<R>(_ body: () -> R) -> R {
            condition.lock()
            defer { condition.unlock() }
            return body()
        }
    }
    private let hash = HashState()

    package func readersStart() {
        hash.locked { hash.readers += 1 }
    }

    package func readersEnd() {
        hash.locked {
            hash.readers -= 1
            hash.condition.broadcast()
        }
    }

    deinit {
        hash.locked {
            if !hash.done && !hash.awaited { hash.cancelled = true }
            hash.condition.broadcast()
        }
        waitForHash()
        costper_unguard_mapping(guardSlot)
        if mapped, let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
    }

    /// Bytes the readers are done with (they hand pages back as they go): the progress line's measure.
    private let released = Atomic<Int>(0)
    package var bytesRead: Int { min(released.load(ordering: .relaxed), buffer.count) }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a named pipe"
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a plain file"
        }
    }

    /// Stops the run when the file changed size while it was read (truncated or grown: a read
    /// past its new end faulted, or its size differs now), naming the file.
    package func checkUnchanged() throws(CostperError) {
        waitForHash()
        var st = stat()
        let faulted = costper_mapping_faulted(guardSlot) != 0
        if faulted || stat(path, &st) != 0 || Int(st.st_size) != size {
            throw CostperError(.badData, "changed while costper read it (\(size) bytes when opened\(faulted ? ", cut short while read" : stat(path, &st) == 0 ? ", \(st.st_size) now" : ", gone now")): nothing was published; run again once the export is complete", at: InputLocation(file: name))
        }
    }

    /// The file as an input of the readers (which keep the mapping alive while they read).
    package var input: InputBuffer { InputBuffer(name: name, region: self) }

    package var bytes: Bytes { Bytes(unsafe: buffer) }

    /// Hands the pages between two offsets back to the kernel (a later access reads them again
    /// from the page cache). Only a read-only file mapping may do this: on heap memory it would
    /// zero the bytes.
    package func releasePages(from: Int, upTo limit: Int) {
        if limit > from { released.wrappingAdd(min(limit, buffer.count) - from, ordering: .relaxed) }
        guard mapped, let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + from + page - 1) / page * page
        let end = (Int(bitPattern: base) + min(limit, buffer.count)) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_DONTNEED)
    }

    /// Runs a reader over the bytes.
    package func read<T>(_ body: (InputBuffer) throws(CostperError) -> T) throws(CostperError) -> T {
        try body(input)
    }
    package var byteCount: Int { buffer.count }

    /// The file's bytes gunzipped (a .csv.gz export), up to `limit` bytes.
    package func gunzip(limit: Int) -> Result<[UInt8], Gunzip.Failure> {
        Gunzip.decompress(UnsafeRawBufferPointer(buffer), limit: limit)
    }

    /// The file as text (for small files: configuration, templates).
    package var text: String { String(decoding: buffer, as: UTF8.self) }

    /// The file as text, refused with the line when it holds a NUL byte or invalid UTF-8.
    package func checkedText() throws(CostperError) -> String { try TextFile.decode(bytes, file: name) }
}

/// SHA-256 of bytes, lower-case hex.
package func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}


/// The POSIX calls of the I/O edge that take pointers, over arrays and strings.
enum SystemIO {
    /// Writes every byte to `fd` (again after EINTR); the errno when a write fails, else nil.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var done = 0
        return bytes.withUnsafeBytes { raw -> Int32? in
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return nil
        }
    }

    /// Every byte of `fd` to its end; nil when a read fails.
    static func readAll(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// The names readdir gives for an open directory stream (. and .. included).
    static func entryNames(_ dir: OpaquePointer) -> [String] {
        var out: [String] = []
        while let entry = readdir(dir) {
            out.append(withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            })
        }
        return out
    }

    /// posix_spawn of `arguments[0]` with these arguments and environment (C strings made and
    /// freed here); its return code.
    static func spawn(_ pid: inout pid_t, _ arguments: [String], _ environment: [String],
                      _ actions: inout posix_spawn_file_actions_t, _ attr: inout posix_spawnattr_t) -> Int32 {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) }; for p in envp { free(p) } }
        return posix_spawn(&pid, arguments[0], &actions, &attr, &argv, &envp)
    }
}
