#ifndef COSTPER_INGEST_H
#define COSTPER_INGEST_H
// Two things the ingest's hot paths need and Swift cannot say: a prefetch hint, and a vector
// compare of 64 bytes at once with its result as a bit mask (SSE2 where the target has it, else
// a byte loop). Both are static inline, so the Swift code that calls them inlines them.
#include <stdint.h>
#include <stddef.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Asks the CPU to start loading the cache line of `p` for a write soon (a hint: no fault, no
/// effect on results). The requests reader uses it for the per-ticket totals a time-ordered
/// export touches in random order (see TicketNumbering).
static inline void costper_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }

/// Asks the kernel to back [p, p + n) with 2 MiB pages where it can (Linux MADV_HUGEPAGE; only
/// the 2 MiB-aligned part, before it is touched). A hint: memory and results are the same. For
/// the per-ticket arrays a time-ordered export reads in random order, where every access with
/// 4 KiB pages also misses the TLB.
static inline void costper_advise_huge_pages(void *p, size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t from = ((uintptr_t)p + 0x1FFFFF) & ~(uintptr_t)0x1FFFFF;
    uintptr_t to = ((uintptr_t)p + n) & ~(uintptr_t)0x1FFFFF;
    if (to > from) (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
}

/// Bit i set when p[i] is one of the bytes a CSV field stops or is checked at: a comma, LF, CR, a
/// double quote or NUL; for i < n (n <= 64). The CSV reader jumps from one to the next.
static inline uint64_t costper_csv_specials(const uint8_t *p, long n) {
#if defined(__SSE2__)
    if (n == 64) {
        const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
        const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
        uint64_t m = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
            __m128i s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)),
                                                  _mm_cmpeq_epi8(v, zero)));
            m |= (uint64_t)(uint16_t)_mm_movemask_epi8(s) << (16 * k);
        }
        return m;
    }
#endif
    uint64_t m = 0;
    for (long i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b == ',' || b == '\n' || b == '\r' || b == '"' || b == 0) m |= (uint64_t)1 << i;
    }
    return m;
}
#endif
