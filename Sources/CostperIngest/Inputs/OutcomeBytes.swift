// An outcome read from a field's bytes (the vocabulary itself is CostperVocabulary's).
import CostperMoney
import CostperVocabulary

package extension Outcome {
    /// The outcome a field's bytes name, without making a String of them (a row of tickets.csv).
    package init?(bytes f: Bytes) {
        if RequestReader.equals(f, "auto_resolved") { self = .auto_resolved }
        else if RequestReader.equals(f, "escalated") { self = .escalated }
        else if RequestReader.equals(f, "deflected") { self = .deflected }
        else if RequestReader.equals(f, "abandoned") { self = .abandoned }
        else { return nil }
    }
}
