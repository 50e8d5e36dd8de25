#ifndef COSTPER_CZLIB_SHIM_H
#define COSTPER_CZLIB_SHIM_H
#include <zlib.h>
#endif
