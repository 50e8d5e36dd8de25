#ifndef COSTPER_CLIBCRYPTO_SHIM_H
#define COSTPER_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
