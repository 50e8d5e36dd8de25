// The hint is a static inline function in include/costper_cache_hint.h; a C target needs one source.
#include "costper_cache_hint.h"
