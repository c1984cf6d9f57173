"""The native Verilator harness's Python side (bench/native/harness.cpp is the
harness; bench/native_speed.py and bench/job_time.py are the bench steps):
traffic export, builds, build option variants, profile and report sections."""
