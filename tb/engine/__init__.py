"""pyuvm environment of the GEMM engine (rtl/vsq_engine.v)."""
