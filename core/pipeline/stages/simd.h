// Hot loops are plain C++ written for the auto-vectoriser. On x86-64 with GCC
// or Clang they are also compiled for AVX2 and picked at load time (ifunc), so
// one binary runs everywhere and uses the wide registers where they exist.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_THREAD__)        \
    && !defined(__SANITIZE_ADDRESS__)
#define PIXELPERF_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PIXELPERF_VECTOR_CLONES
#endif
