# Sourced by edalize's yosys backend (the core's `synth` target) while it reads
# the files: replaces its `synth` proc, which can only call an FPGA's
# synth_<arch>, with yosys' generic `synth` (the flow of bench/synth_cells.py's
# family) followed by `stat`, so the target reports technology-independent cells.
proc synth {top} {
    yosys synth -top $top
    yosys stat
}
