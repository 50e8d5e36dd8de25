// Reading the input folder: an edge. Files are memory-mapped read-only, so a 1 GB export costs
// no 1 GB copy; the readers never write to them.
import Crypto
import CostperCore
import Foundation

/// A file mapped into memory; unmapped when released.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let name: String
    public let buffer: UnsafeMutableBufferPointer<UInt8>
    private let mapped: Bool
    private var digest = ""
    private let hashing = DispatchGroup()

    /// Files above this size are hashed on a background thread while the readers work.
    static let backgroundHashAbove = 32 << 20

    /// Maps `path`; `name` is how messages and the manifest call it. The SHA-256 of a large file
    /// is taken on a background thread while the readers run (they never write to the mapping),
    /// and pages it has hashed are handed back to the kernel, so the hash costs neither wall
    /// time nor resident memory.
    public init(path: String, name: String) throws(InputError) {
        self.path = path
        self.name = name
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw InputError(.notFound, "\(name): not found (looked for \(path))") }
            throw InputError(.notFound, "\(name): cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(.notFound, "\(name): is not a regular file")
        }
        let size = Int(st.st_size)
        if size == 0 {
            buffer = UnsafeMutableBufferPointer(start: nil, count: 0)
            mapped = false
        } else {
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
                throw InputError(.notFound, "\(name): cannot be read: \(String(cString: strerror(errno)))")
            }
            _ = madvise(p, size, MADV_SEQUENTIAL)
            buffer = UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
            mapped = true
        }
        if size > MappedFile.backgroundHashAbove {
            hashing.enter()
            let address = Int(bitPattern: buffer.baseAddress)
            Thread.detachNewThread { [self] in
                digest = MappedFile.sha256(address: address, count: size, release: true)
                hashing.leave()
            }
        } else {
            digest = MappedFile.sha256(address: Int(bitPattern: buffer.baseAddress), count: size, release: false)
        }
    }

    /// SHA-256 in 8 MiB blocks; with `release`, each hashed block's pages go back to the kernel.
    static func sha256(address: Int, count: Int, release: Bool) -> String {
        var hasher = SHA256()
        if let base = UnsafeMutableRawPointer(bitPattern: address), count > 0 {
            let block = 8 << 20
            var at = 0
            while at < count {
                let n = min(block, count - at)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + at, count: n))
                if release && n == block { _ = madvise(base + at, n, MADV_DONTNEED) }
                at += n
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The file's SHA-256 (waits for the background hash of a large file).
    public var sha256: String {
        hashing.wait()
        return digest
    }

    deinit {
        hashing.wait()
        if mapped, let base = buffer.baseAddress { munmap(base, buffer.count) }
    }

    /// The mapped bytes: valid only while this object lives (see `read`).
    public var input: InputBuffer {
        var b = InputBuffer(name: name, bytes: buffer)
        b.isFileMapping = mapped
        return b
    }

    /// Runs a reader over the bytes, keeping the mapping alive until it returns.
    public func read<T>(_ body: (InputBuffer) throws(InputError) -> T) throws(InputError) -> T {
        defer { withExtendedLifetime(self) {} }
        return try body(input)
    }
    public var byteCount: Int { buffer.count }

    /// The file as text (for small files: configuration, templates).
    public var text: String { String(decoding: UnsafeBufferPointer(buffer), as: UTF8.self) }
}

/// SHA-256 of bytes, lower-case hex.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

/// The files of an input folder that costper knows.
public struct InputFolder {
    public var folder: String
    /// The month's data files: tickets.csv / tickets.jsonl and requests.csv / requests.jsonl by
    /// those names, then every other .csv, .json, .jsonl or .ndjson file (exports read by content:
    /// OTLP/JSON traces, LiteLLM spend logs, Langfuse observations, help-desk tickets).
    public var dataFiles: [MappedFile]
    public var fixedCosts: MappedFile?
    public var config: MappedFile?
    public var forecast: MappedFile?

    public init(folder: String, configPath: String?) throws(InputError) {
        self.folder = folder
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(.notFound, "input folder \(folder) not found")
        }
        func path(_ n: String) -> String { (folder as NSString).appendingPathComponent(n) }
        func exists(_ n: String) -> Bool { FileManager.default.fileExists(atPath: path(n)) }
        let canonical = ["tickets.csv", "tickets.jsonl", "requests.csv", "requests.jsonl"]
        let reserved: Set<String> = ["fixed_costs.csv", "forecast.csv", "rejects.csv"]
        var names = canonical.filter(exists)
        let listing = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for n in listing where !n.hasPrefix(".") && !canonical.contains(n) && !reserved.contains(n) {
            let ext = (n as NSString).pathExtension.lowercased()
            guard ["csv", "json", "jsonl", "ndjson"].contains(ext) else { continue }
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path(n), isDirectory: &d), !d.boolValue else { continue }
            if let configPath, URL(fileURLWithPath: configPath).standardizedFileURL == URL(fileURLWithPath: path(n)).standardizedFileURL { continue }
            names.append(n)
        }
        if !names.contains(where: { $0.hasPrefix("tickets.") }) && names.count == names.filter({ $0.hasPrefix("requests.") }).count {
            throw InputError(.notFound, "tickets.csv or tickets.jsonl: not found in \(folder) (one row per ticket; see inputs.md)")
        }
        if names.count == 1 && names[0].hasPrefix("tickets.") {
            throw InputError(.notFound, "requests.csv or requests.jsonl: not found in \(folder) (one row per billable request; see inputs.md)")
        }
        var files: [MappedFile] = []
        for n in names { files.append(try MappedFile(path: path(n), name: n)) }
        dataFiles = files
        fixedCosts = exists("fixed_costs.csv") ? try MappedFile(path: path("fixed_costs.csv"), name: "fixed_costs.csv") : nil
        forecast = exists("forecast.csv") ? try MappedFile(path: path("forecast.csv"), name: "forecast.csv") : nil
        if let configPath {
            config = try MappedFile(path: configPath, name: (configPath as NSString).lastPathComponent)
        } else {
            config = exists("costper.toml") ? try MappedFile(path: path("costper.toml"), name: "costper.toml") : nil
        }
    }

    /// Every file, in a stable order, for the manifest.
    public var all: [MappedFile] {
        dataFiles + [fixedCosts, forecast, config].compactMap { $0 }
    }

    /// Reads and closes the month: every data file by its content (ExportIngest), so canonical
    /// files and the exports companies already have read the same way.
    public func accounts(config cfg: CostperConfig, prices: PriceCatalog, month: Month?) throws(InputError) -> MonthAccounts {
        defer { withExtendedLifetime(all) {} }
        return try ExportIngest.accounts(sources: dataFiles.map(\.input), fixedCosts: fixedCosts?.input, config: cfg, prices: prices, month: month)
    }
}

extension BenchmarkData {
    /// Reads DATA/benchmarks/: a missing or bad file stops the run with its name (and line).
    public static func load(dataFolder data: String) throws(InputError) -> BenchmarkData {
        func file(_ n: String) throws(InputError) -> MappedFile {
            let p = (data as NSString).appendingPathComponent("benchmarks/" + n)
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputError(.notFound, "benchmark dataset \(p) not found (--data names the folder holding benchmarks/)")
            }
            return try MappedFile(path: p, name: "data/benchmarks/" + n)
        }
        var b = BenchmarkData()
        b.comparables = try file("comparables.csv").read(BenchmarkData.readComparables)
        b.ranges = try file("reference_ranges.csv").read(BenchmarkData.readRanges)
        b.stack = try file("reference_stack.csv").read(BenchmarkData.readStack)
        b.serviceTypes = try file("service_types.csv").read(BenchmarkData.readServiceTypes)
        return b
    }
}
