// What the manifest says of one input file.
import CostperMoney


/// An input file as the manifest lists it.
package struct InputRecord: Sendable, Equatable, Codable {
    package var path: String
    package var bytes: Int
    package var sha256: String
    package var rowsRead: Int?
    package var rowsRejected: Int?

    package init(path: String, bytes: Int, sha256: String, rowsRead: Int? = nil, rowsRejected: Int? = nil) {
        self.path = path; self.bytes = bytes; self.sha256 = sha256; self.rowsRead = rowsRead; self.rowsRejected = rowsRejected
    }
}
