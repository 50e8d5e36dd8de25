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
/// parse; cmark-gfm's unsafe option is never set, so raw HTML is dropped and `javascript:`
/// links lose their href.
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

    /// Allocations the C side made through costper's allocator and has not freed, summed over
    /// every render so far (each render is balanced under the lock, so this stays 0 unless the
    /// binding leaks). Tests read it; it is exact, unlike resident memory.
    public static var unfreedAllocations: Int { leaked.load(ordering: .relaxed) }

    private static let leaked = Atomic<Int>(0)

    /// Allocations made through costper's allocator so far (shows the count above is not vacuous).
    public static var allocationsMade: Int { made.load(ordering: .relaxed) }

    private static func render(_ markdown: String) throws -> String {
        _ = registration
        let before = live.load(ordering: .relaxed)
        defer { leaked.add(live.load(ordering: .relaxed) - before, ordering: .relaxed) }
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES  // style="text-align" (HTML5), not align=
        guard let parser = cmark_parser_new_with_mem(options, countingAllocator) else { throw GFMError.parserUnavailable }
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
        guard let rendered = cmark_render_html_with_mem(document, options, extensions, countingAllocator) else {
            throw GFMError.renderFailed
        }
        defer { countingAllocator.pointee.free(rendered) }
        return String(cString: rendered)
    }
}

/// Live allocations made through `countingAllocator`, and all it ever made.
private let live = Atomic<Int>(0)
private let made = Atomic<Int>(0)

/// libc's allocator, counting what is live: parser, nodes and the rendered buffer all come from
/// it, so a render that frees everything leaves the count where it found it.
/// Written once, then only read (under the render lock): safe to share.
nonisolated(unsafe) private let countingAllocator: UnsafeMutablePointer<cmark_mem> = {
    let p = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
    p.initialize(to: cmark_mem(
        calloc: { n, size in
            let r = calloc(n, size)
            if r != nil { live.add(1, ordering: .relaxed); made.add(1, ordering: .relaxed) }
            return r
        },
        realloc: { old, size in
            let r = realloc(old, size)
            if old == nil, r != nil { live.add(1, ordering: .relaxed); made.add(1, ordering: .relaxed) }
            return r
        },
        free: { ptr in
            if ptr != nil { live.subtract(1, ordering: .relaxed) }
            free(ptr)
        }))
    return p
}()
