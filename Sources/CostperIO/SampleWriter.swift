// Writing the files of `costper sample`: each into a hidden temporary file, renamed into place
// when all are written, so a folder never holds half a sample.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import Foundation

package struct SampleWriter {
    let folder: String
    var handles: [String: FileHandle] = [:]

    package init(folder: String, files: [String]) throws(CostperError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CostperError(.cannotWrite, "cannot create \(folder): \(error.localizedDescription)")
        }
        for f in files {
            let tmp = temporary(f)
            guard FileManager.default.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
                throw CostperError(.cannotWrite, "cannot write \(tmp)")
            }
            handles[f] = h
        }
    }

    func temporary(_ f: String) -> String { (folder as NSString).appendingPathComponent(".\(f).tmp") }

    package mutating func write(_ bytes: [UInt8], to file: String) throws(CostperError) {
        do {
            try handles[file]!.write(contentsOf: bytes)
        } catch {
            throw CostperError(.cannotWrite, "cannot write \(temporary(file)): \(error.localizedDescription)")
        }
    }

    /// Closes every file and moves it into place.
    package mutating func finish() throws(CostperError) {
        for (f, h) in handles.sorted(by: { $0.key < $1.key }) {
            let dest = (folder as NSString).appendingPathComponent(f)
            do { try h.close() } catch { throw CostperError(.cannotWrite, "cannot write \(dest): \(error.localizedDescription)") }
            guard rename(temporary(f), dest) == 0 else { throw CostperError(.cannotWrite, "cannot write \(dest): \(String(cString: strerror(errno)))") }
        }
        handles = [:]
    }
}
