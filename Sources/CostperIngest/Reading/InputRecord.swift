// What the manifest says of one input file.
import CostperMoney


/// An input file as the manifest lists it.
public struct InputRecord: Sendable, Equatable, Codable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    public var rowsRead: Int?
    public var rowsRejected: Int?

    public init(path: String, bytes: Int, sha256: String, rowsRead: Int? = nil, rowsRejected: Int? = nil) {
        self.path = path; self.bytes = bytes; self.sha256 = sha256; self.rowsRead = rowsRead; self.rowsRejected = rowsRejected
    }
}
