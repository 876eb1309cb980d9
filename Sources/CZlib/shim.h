#include <zlib.h>

/// inflateInit2 is a macro in zlib.h; Swift sees this function instead.
static inline int edigate_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

/// deflateInit2 is a macro in zlib.h; Swift sees this function instead.
static inline int edigate_deflate_init(z_streamp stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}
