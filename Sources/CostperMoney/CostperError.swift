// The one error that stops a run: what went wrong, where (a file and line, when there is one),
// and the exit status (sysexits, one table below). `main` prints it once.

/// A place in an input: a file, and a line when the error is about one.
package struct InputLocation: Sendable, Equatable, CustomStringConvertible, Codable {
    package var file: String
    package var line: Int?
    package init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
    package var description: String { line.map { "\(file):\($0)" } ?? file }
}

package struct CostperError: Error, Equatable, CustomStringConvertible {
    package enum Kind: Equatable, Sendable, Codable { case usage, badData, notFound, cannotWrite }
    package var kind: Kind
    package var location: InputLocation?
    package var message: String

    package init(_ kind: Kind, _ message: String, at location: InputLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// The exit status, per sysexits.h: EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_CANTCREAT.
    package var exitCode: Int32 {
        switch kind {
        case .usage: return 64
        case .badData: return 65
        case .notFound: return 66
        case .cannotWrite: return 73
        }
    }

    /// How the error reads on one line: `file:line: error: message`, or `costper: error: message`.
    package var description: String {
        "\(location?.description ?? "costper"): error: \(message)"
    }
}
