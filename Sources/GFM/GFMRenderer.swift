// The one place in costper that talks to the cmark-gfm C library.
// Everything the C side allocates here is freed here: parser, document node, rendered buffer.
import CCmarkGFM
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why Markdown could not be rendered.
public enum GFMError: Error, Equatable, CustomStringConvertible {
    case extensionMissing(String)
    case parserUnavailable
    case renderFailed

    public var description: String {
        switch self {
        case .extensionMissing(let name):
            return "cmark-gfm has no '\(name)' extension: install libcmark-gfm-extensions-dev"
        case .parserUnavailable: return "cmark-gfm could not create a parser"
        case .renderFailed: return "cmark-gfm returned no HTML"
        }
    }
}

/// GitHub Flavored Markdown to HTML, in cmark-gfm's safe mode.
///
/// The `table`, `strikethrough`, `autolink` and `tagfilter` extensions are attached to every
/// parse; `CMARK_OPT_UNSAFE` is never set, so raw HTML is dropped and `javascript:` links lose
/// their href.
public enum GFM {
    /// The extensions every render uses; a missing one is an error, never a silent downgrade.
    public static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter"]

    /// The linked library's version, e.g. "0.29.0.gfm.6".
    public static var libraryVersion: String {
        String(cString: cmark_version_string())
    }

    /// Registers the core extensions exactly once per process (Swift runs this initialiser once,
    /// thread-safely).
    private static let registration: Void = {
        cmark_gfm_core_extensions_ensure_registered()
    }()

    /// Checks that every extension is present in the linked library.
    public static func checkExtensions() throws {
        _ = registration
        for name in extensionNames where cmark_find_syntax_extension(name) == nil {
            throw GFMError.extensionMissing(name)
        }
    }

    /// cmark-gfm keeps the inline parser's special characters in a global table that each parse
    /// with extensions edits (blocks.c adds an extension's characters before inline parsing and
    /// removes them after; github/cmark-gfm#221 and standardese#199 describe it), so two parses on
    /// two threads corrupt each other: strikethrough or autolinks silently go missing. Every
    /// parse and render therefore holds this lock.
    private static let lock = Mutex(())

    /// Renders `markdown` to an HTML fragment. Safe to call from any thread.
    public static func html(_ markdown: String) throws -> String {
        try lock.withLock { _ in try render(markdown) }
    }

    private static func render(_ markdown: String) throws -> String {
        _ = registration
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { throw GFMError.parserUnavailable }
        defer { cmark_parser_free(parser) }

        for name in extensionNames {
            guard let ext = cmark_find_syntax_extension(name) else {
                throw GFMError.extensionMissing(name)
            }
            cmark_parser_attach_syntax_extension(parser, ext)
        }

        var text = markdown
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, utf8.count > 0 else { return }
            base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                cmark_parser_feed(parser, chars, utf8.count)
            }
        }

        guard let document = cmark_parser_finish(parser) else { throw GFMError.renderFailed }
        defer { cmark_node_free(document) }

        // The renderer needs the parser's extension list, or tables and tagfilter do not apply.
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let rendered = cmark_render_html(document, options, extensions) else {
            throw GFMError.renderFailed
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
