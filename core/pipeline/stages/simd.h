// Hot loops are plain C++ written for the auto-vectoriser. On x86-64 with GCC
// or Clang they are also compiled for AVX-512 (x86-64-v4: 512-bit registers,
// byte and word lanes) and for AVX2, and picked at load time (ifunc), so one
// binary runs everywhere and uses the widest registers the CPU has.
// Floating-point loops get the AVX2 clone only: x86-64-v4 brings FMA, and a
// multiply-add contracted into one rounding would make their results depend
// on the machine.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_THREAD__)        \
    && !defined(__SANITIZE_ADDRESS__)
#if defined(__clang__) || __GNUC__ < 11
// The x86-64-v4 clone is GCC's (11 and later), the compiler it is measured
// with; elsewhere the AVX2 clone alone.
#define PIXELPERF_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PIXELPERF_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
#define PIXELPERF_FLOAT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PIXELPERF_VECTOR_CLONES
#define PIXELPERF_FLOAT_VECTOR_CLONES
#endif
