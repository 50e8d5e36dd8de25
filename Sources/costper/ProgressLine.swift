// One updating line on stderr while long work runs, when stderr is a terminal: the stage, bytes
// done of the total, the rate and the time left. Nothing at all when stderr is not a terminal
// (CI, cron, a pipe). It polls a measure four times a second on its own thread: the readers pay
// one relaxed atomic add per 8 MiB.
import Foundation
import Synchronization

final class ProgressLine: Sendable {
    struct Reading: Sendable { var stage: String; var done: Int; var total: Int }

    private let measure: @Sendable () -> Reading
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private let active: Bool

    /// Starts polling `measure`, when stderr is a terminal.
    init(_ measure: @escaping @Sendable () -> Reading) {
        self.measure = measure
        active = isatty(STDERR_FILENO) == 1
        guard active else { return }
        let start = Date()
        ProgressLine.show(measure(), since: start)   // the first line at once, the thread updates it
        Thread.detachNewThread { [self] in
            while running.load(ordering: .relaxed) {
                usleep(250_000)
                guard running.load(ordering: .relaxed) else { break }
                ProgressLine.show(measure(), since: start)
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            finished.signal()
        }
    }

    static func show(_ r: Reading, since start: Date) {
        let seconds = Date().timeIntervalSince(start)
        var text = "costper: \(r.stage)"
        if r.total > 0 {
            let rate = seconds > 0 ? Double(r.done) / seconds : 0
            text += String(format: " %.0f of %.0f MB (%.0f%%)", Double(r.done) / 1_048_576, Double(r.total) / 1_048_576,
                           100 * Double(r.done) / Double(r.total))
            if rate > 0 {
                text += String(format: ", %.0f MB/s", rate / 1_048_576)
                if r.done < r.total { text += String(format: ", %.0f s left", Double(r.total - r.done) / rate) }
            }
        } else if r.done > 0 {
            text += String(format: " %.0f MB", Double(r.done) / 1_048_576)
        }
        text += String(format: ", %.0f s", seconds)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Stops and clears the line.
    func stop() {
        guard active, running.exchange(false, ordering: .relaxed) else { return }
        finished.wait()
    }
}
