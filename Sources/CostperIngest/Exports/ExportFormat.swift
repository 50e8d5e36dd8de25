// What a data file holds: the formats costper recognises by content (detection, which needs the
// bills and ticket-cost readers, is in CostperCore's ExportIngest).
import CostperMoney
import CostperVocabulary


/// What a data file holds, from its content.
package enum ExportFormat: String, Sendable, Equatable, Codable, CodingKeyRepresentable {
    case requests, tickets, ticketCosts, otlp, litellm, langfuse, helpdesk
    /// Files costper recognises but does not read as the month's data (a notice says so).
    case litellmPrices, priceCSV, fixedCosts, forecast
    /// A FOCUS billing export (cloud or SaaS bills), read for fixed costs and invoices.
    case focus
    /// The tickets costper builds from the traces' session or conversation ids
    /// (costper.toml `[tickets] source = "traces"`).
    case traceTickets

    package var label: String {
        switch self {
        case .requests: return "requests"
        case .tickets: return "tickets"
        case .ticketCosts: return "ticket costs"
        case .otlp: return "OTLP/JSON traces"
        case .litellm: return "LiteLLM spend logs"
        case .langfuse: return "Langfuse observations"
        case .helpdesk: return "help-desk tickets via costper.toml [tickets]"
        case .litellmPrices: return "a LiteLLM price map"
        case .priceCSV: return "a price catalog"
        case .fixedCosts: return "fixed costs"
        case .forecast: return "a forecast"
        case .focus: return "a FOCUS billing export"
        case .traceTickets: return "the traces' session ids"
        }
    }

    package var isRequests: Bool { [.requests, .otlp, .litellm, .langfuse].contains(self) }
    package var isTickets: Bool { self == .tickets || self == .helpdesk }

    package static func looksLikeJSON(_ input: InputBuffer) -> Bool {
        let bytes = input.bytes
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return i < bytes.count && (bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "["))
    }
}
