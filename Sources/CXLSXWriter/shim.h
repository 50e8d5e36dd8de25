#ifndef COSTPER_CXLSXWRITER_SHIM_H
#define COSTPER_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
