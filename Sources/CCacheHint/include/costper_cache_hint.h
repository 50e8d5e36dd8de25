#ifndef COSTPER_CACHE_HINT_H
#define COSTPER_CACHE_HINT_H
/// Asks the CPU to start loading the cache line of `p` for a write soon (a hint: no fault, no
/// effect on results). Swift has no prefetch of its own; the requests reader uses it for the
/// per-ticket totals a time-ordered export touches in random order (see TicketNumbering).
static inline void costper_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }
#endif
