"""Run-to-run determinism of ``make accuracy`` / ``make qat`` (issue 18): pin the BLAS before numpy loads.

Measured on this machine (OpenBLAS 0.3.31, DYNAMIC_ARCH): the FP32 and the vsq4
embeddings are bit-identical with 1 or 2 BLAS threads and with any batch
composition (``tests/transformer/test_determinism.py`` checks the latter), and the
probe folds and bootstrap samples are seeded (``probe.SEED``). What is left is the
machine: DYNAMIC_ARCH picks the sgemm kernel from the CPU, and another kernel sums
in another order, which moves float32 values by an ulp and can flip a rounding of
the host quantizer. So the kernel is pinned to OpenBLAS's Haswell one (AVX2, on any
x86-64 CPU since 2013; an explicit ``OPENBLAS_CORETYPE`` wins) and every process
uses one BLAS thread (the workers are processes; this is no slower).
"""

import os
import platform


def _has_avx2():
    try:
        with open("/proc/cpuinfo") as f:
            return " avx2" in f.read()
    except OSError:
        return False


def pin_blas():
    """Set the BLAS environment; must run before numpy is imported (it is read when OpenBLAS loads)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if platform.machine() in ("x86_64", "AMD64") and _has_avx2():
        os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
