"""The cocotb flow's floor: vsq_top's Verilator model (the cocotb build of
tb.sim, reused) clocked by cocotb's clock for CYCLES cycles after reset,
with no Python running meanwhile (one Timer await). Against the native
harness's `--idle` run of the same model this separates what the cocotb flow
costs on the simulator's side (its Verilator main loop, VPI, the clock) from
what the testbench's Python costs (bench/native_speed.py).

    python -m tools.native.idle_floor PARAMS CYCLES OUT_DIR   (prints the JSON line; also OUT_DIR/idle_floor.json)

The same file is the cocotb test module (`idle_floor` below) that the
simulator imports.
"""

import json
import os
import sys
import time
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge, Timer

PERIOD_NS = 10  # tb/common/clock_reset.CLOCK_PERIOD_NS


@cocotb.test()
async def idle_floor(dut):
    n = int(os.environ["VSQ_IDLE_CYCLES"])
    for name in ("s_axis_tvalid", "s_axil_awvalid", "s_axil_wvalid", "s_axil_arvalid"):
        getattr(dut, name).value = 0
    dut.m_axis_tready.value = 1
    dut.s_axil_bready.value = dut.s_axil_rready.value = 1
    Clock(dut.aclk, PERIOD_NS, unit="ns").start()
    dut.aresetn.value = 0
    await ClockCycles(dut.aclk, 3)
    dut.aresetn.value = 1
    await RisingEdge(dut.aclk)
    t0, c0 = time.perf_counter(), time.process_time()
    await Timer(n * PERIOD_NS, "ns")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    result = {"sim_cycles": n, "wall_s": wall, "cycles_per_s": n / wall, "cpu_s": cpu}
    (Path(os.environ["VSQ_OUT_DIR"]) / "idle_floor.json").write_text(json.dumps(result) + "\n")


def main(argv):
    from tb.common.params import param_set
    from tb.common.testbench import REPO, testbenches
    from tb.sim import TIMESCALE, build

    pset, cycles, out = argv[0], int(argv[1]), Path(argv[2]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / "idle_floor.json").unlink(missing_ok=True)
    top = testbenches()["top"]
    runner, bdir = build(top, "verilator", pset)
    runner.test(test_module="tools.native.idle_floor", hdl_toplevel=top.toplevel, build_dir=bdir, test_dir=out,
                results_xml=str(out / "results.xml"), log_file=out / "sim.log", timescale=TIMESCALE,
                parameters=top.verilog_params(param_set(pset)),
                extra_env={"VSQ_IDLE_CYCLES": str(cycles), "VSQ_OUT_DIR": str(out), "PYTHONPATH": str(REPO)})
    result = out / "idle_floor.json"
    if not result.exists():
        print(f"idle_floor: no result; see {out / 'sim.log'}", file=sys.stderr)
        return 1
    print(result.read_text().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
