// Everything is static inline in include/costper_ingest.h; a C target needs one source file.
#include "costper_ingest.h"
