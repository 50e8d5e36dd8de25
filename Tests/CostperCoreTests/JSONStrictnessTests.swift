@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

/// Both JSON readers refuse a key given twice, naming it: neither takes the first or the last in silence.
@Suite struct JSONStrictnessTests {
    @Test func aDocumentWithADuplicateKeyIsRefusedWithTheKeysName() {
        var parser = JSONParser(InputBuffer(name: "t.json", bytes: Array(#"{"spend": 1, "model": "m", "spend": 2}"#.utf8)))
        let docs = parser.documents()
        guard case .failure(let e)? = docs.first else { Issue.record("a duplicate key was accepted"); return }
        #expect(e.reason == "the key \"spend\" appears twice in one object")
        // Past eight members the check uses a set: still refused.
        let many = "{" + (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k3\": 0}"
        var p2 = JSONParser(InputBuffer(name: "t.json", bytes: Array(many.utf8)))
        guard case .failure(let e2)? = p2.documents().first else { Issue.record("a duplicate key was accepted"); return }
        #expect(e2.reason == "the key \"k3\" appears twice in one object")
        #expect(JSONParser.parse(#"{"a": 1, "b": {"a": 2}}"#) != nil)   // the same key in another object is fine
    }

    @Test func aJSONLinesRowWithADuplicateKeyIsRejected() throws {
        let a = try month(tickets: "ticket_id,outcome\nT1,auto_resolved\n",
                          requests: #"{"timestamp": "2026-10-02T00:00:00Z", "ticket_id": "T1", "kind": "llm", "cost_usd": "0.1", "cost_usd": "0.2"}"# + "\n",
                          month: "2026-10")
        #expect(a.rejects.count == 1 && a.rejects[0].reason.contains("cost_usd"))
    }
}
