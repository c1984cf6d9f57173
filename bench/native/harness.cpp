// Native Verilator harness of vsq_top (no Python): replays the traffic file
// that tools/native/traffic.py exports from top_speed_bench's sequence
// (operand loads on s_axis, AXI4-Lite register accesses, irq waits, result
// drain on m_axis with the same back-pressure kinds) and checks every result
// frame against the words the model expects; the first mismatch fails with
// its GEMM, word index, expected and observed word. It is the speed limit the
// cocotb flow is measured against (bench/native_speed.py), so it does what a
// testbench must do per cycle and nothing more.
//
//   vsq_native TRAFFIC.bin [REPEAT] [+verilator+...]   -> one JSON line on stdout; exit 0 pass, 1 fail, 2 bad input
//   vsq_native --idle CYCLES                           -> the same line for CYCLES idle cycles after reset
//
// REPEAT (default 1) replays the whole traffic that many times in one run
// (every GEMM loads, configures and starts afresh), so a short traffic can
// be timed over a long enough wall time.
//
// Per cycle: the inputs set after the previous edge settle (eval, clock low),
// the handshakes are sampled from the pre-edge values, the clock rises
// (eval), then each channel (stream source, stream sink, AXI4-Lite master)
// updates from its handshake and sets the next inputs, like cocotbext-axi's
// drivers do at each rising edge. Stream patterns are consumed one flag per
// cycle while set, as cocotbext-axi's pause generators are.

#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "Vtop.h"
#include "verilated.h"

enum Op : uint32_t { IDLE = 1, BP, LOAD, WRITE, READ, WAIT_IRQ, CYCLES, EXPECT };
static const uint32_t MAGIC = 0x31515356;  // "VSQ1", as bench/native/traffic.py writes it

static std::unique_ptr<VerilatedContext> ctx;
static std::unique_ptr<Vtop> top;
static uint64_t cycles = 0;
static unsigned NW = 0;  // uint32 words per beat
static const unsigned PORT_W = sizeof(Vtop::s_axis_tdata) / sizeof(uint32_t);

[[noreturn]] static void fail(int code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(int code, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "native: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(code);
}

// ------------------------------------------------------------------ traffic file
struct Reader {
    std::vector<uint32_t> d;
    size_t i = 0;
    uint32_t next() {
        if (i >= d.size()) fail(2, "traffic file ends early (word %zu)", i);
        return d[i++];
    }
    const uint32_t* take(size_t n) {
        if (i + n > d.size()) fail(2, "traffic file ends early (word %zu)", i);
        const uint32_t* p = &d[i];
        i += n;
        return p;
    }
};

// A (level, cycles) run pattern, one flag per cycle, replayed cyclically.
struct Pattern {
    std::vector<std::pair<uint32_t, uint32_t>> runs;
    size_t at = 0;
    uint32_t left = 0, level = 1;
    void set(Reader& r) {
        runs.clear();
        at = left = 0;
        level = 1;
        for (uint32_t n = r.next(); n; --n) {
            uint32_t lv = r.next(), c = r.next();
            runs.emplace_back(lv, c);
        }
    }
    bool pause() {  // this cycle's flag: true = no transfer
        if (runs.empty()) return false;
        if (!left) {
            level = runs[at].first;
            left = runs[at].second;
            at = (at + 1) % runs.size();
        }
        --left;
        return !level;
    }
};

// ------------------------------------------------------------------ channels
struct Beat { uint32_t dest; bool last; const uint32_t* data; };
static std::deque<Beat> to_send;
static bool s_valid = false;
static Pattern idle, backpressure;

struct Word { uint32_t tuser; bool last; std::vector<uint32_t> data; };
static std::vector<Word> frame_in;
static std::deque<std::vector<Word>> frames_done;

static bool aw_pend = false, w_pend = false, b_wait = false, ar_pend = false, r_wait = false;
static uint32_t b_resp = 0, r_data = 0, r_resp = 0;

static void present_next_beat() {
    bool pause = idle.pause();
    if (!to_send.empty() && !pause) {
        const Beat& b = to_send.front();
        for (unsigned k = 0; k < NW; ++k) top->s_axis_tdata[k] = b.data[k];
        top->s_axis_tdest = b.dest;
        top->s_axis_tlast = b.last;
        top->s_axis_tvalid = s_valid = true;
    } else {
        top->s_axis_tvalid = s_valid = false;
        top->s_axis_tlast = 0;
    }
}

static void tick() {
    top->aclk = 0;
    top->eval();
    const bool s_hs = s_valid && top->s_axis_tready;
    const bool m_hs = top->m_axis_tvalid && top->m_axis_tready;
    if (m_hs) {
        Word w{top->m_axis_tuser, bool(top->m_axis_tlast), std::vector<uint32_t>(NW)};
        for (unsigned k = 0; k < NW; ++k) w.data[k] = top->m_axis_tdata[k];
        frame_in.push_back(std::move(w));
        if (frame_in.back().last) {
            frames_done.push_back(std::move(frame_in));
            frame_in.clear();
        }
    }
    const bool aw_hs = aw_pend && top->s_axil_awready, w_hs = w_pend && top->s_axil_wready;
    const bool b_hs = b_wait && top->s_axil_bvalid, ar_hs = ar_pend && top->s_axil_arready;
    const bool r_hs = r_wait && top->s_axil_rvalid;
    if (b_hs) b_resp = top->s_axil_bresp;
    if (r_hs) r_data = top->s_axil_rdata, r_resp = top->s_axil_rresp;
    ctx->timeInc(5000);
    top->aclk = 1;
    top->eval();
    ctx->timeInc(5000);
    ++cycles;
    // Next inputs, from this edge's handshakes.
    if (s_hs) to_send.pop_front();
    if (!s_valid || s_hs) present_next_beat();
    else idle.pause();  // a presented beat stays; the pattern still advances
    top->m_axis_tready = !backpressure.pause();
    if (aw_hs) top->s_axil_awvalid = aw_pend = false;
    if (w_hs) top->s_axil_wvalid = w_pend = false;
    if (b_hs) b_wait = false;
    if (ar_hs) top->s_axil_arvalid = ar_pend = false;
    if (r_hs) r_wait = false;
}

static void wait_for(bool (*done)(), uint64_t timeout, const char* what) {
    const uint64_t end = cycles + (timeout ? timeout : 1000000);
    while (!done()) {
        if (cycles >= end) fail(1, "timeout after %" PRIu64 " cycles waiting for %s", timeout, what);
        tick();
    }
}

static uint32_t axil_write(uint32_t addr, uint32_t value, uint32_t strb) {
    top->s_axil_awaddr = addr;
    top->s_axil_wdata = value;
    top->s_axil_wstrb = strb;
    top->s_axil_awvalid = top->s_axil_wvalid = aw_pend = w_pend = b_wait = true;
    wait_for([] { return !b_wait; }, 1000, "an AXI4-Lite write response");
    return b_resp;
}

static uint32_t axil_read(uint32_t addr) {
    top->s_axil_araddr = addr;
    top->s_axil_arvalid = ar_pend = r_wait = true;
    wait_for([] { return !r_wait; }, 1000, "an AXI4-Lite read response");
    if (r_resp) fail(1, "read of 0x%03x answered %u", addr, r_resp);
    return r_data;
}

// CPU seconds of this process (all its threads): on a shared machine less
// disturbed by other processes than the wall clock.
static double cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static std::string hex(const uint32_t* w) {
    std::string s = "0x";
    char buf[9];
    for (unsigned k = NW; k-- > 0;) {
        snprintf(buf, sizeof buf, "%08x", w[k]);
        s += buf;
    }
    return s;
}

static void check_frame(Reader& r, unsigned gemm, uint64_t& checked) {
    const uint32_t n = r.next();
    if (frames_done.empty()) fail(1, "GEMM %u: no complete result frame (%zu words of one so far)", gemm, frame_in.size());
    std::vector<Word> got = std::move(frames_done.front());
    frames_done.pop_front();
    for (uint32_t i = 0; i < n; ++i) {
        const uint32_t tuser = r.next();
        const uint32_t* exp = r.take(NW);
        if (i >= got.size()) fail(1, "GEMM %u: frame ends after %zu words, expected %u", gemm, got.size(), n);
        const Word& w = got[i];
        if (w.tuser != tuser || memcmp(w.data.data(), exp, NW * 4) || w.last != (i + 1 == n))
            fail(1, "GEMM %u word %u: expected tuser=0x%08x data=%s%s, got tuser=0x%08x data=%s%s", gemm, i, tuser,
                 hex(exp).c_str(), i + 1 == n ? " (last)" : "", w.tuser, hex(w.data.data()).c_str(),
                 w.last ? " (last)" : "");
        ++checked;
    }
}

static void reset() {
    top->aresetn = 0;
    top->s_axil_bready = top->s_axil_rready = 1;  // responses are taken as they come
    for (int i = 0; i < 3; ++i) tick();  // tb/common/clock_reset.reset: 3 edges low, then one more
    top->aresetn = 1;
    tick();
}

// The simulator's floor: the model clocked with nothing happening on its
// ports (what the cocotb flow's idle floor, tools/native/idle_floor.py, is compared with).
static int idle_run(uint64_t n) {
    top = std::make_unique<Vtop>(ctx.get(), "vsq_top");
    reset();
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    for (uint64_t i = 0; i < n; ++i) tick();
    const double cpu = cpu_seconds() - cpu0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    top->final();
    printf("{\"sim_cycles\": %" PRIu64 ", \"wall_s\": %.6f, \"cycles_per_s\": %.1f, \"cpu_s\": %.6f}\n", n, wall,
           n / wall, cpu);
    return 0;
}

int main(int argc, char** argv) {
    ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    if (argc < 2 || argv[1][0] == '+') fail(2, "usage: %s TRAFFIC.bin [REPEAT] [+verilator+...]", argv[0]);
    if (!strcmp(argv[1], "--idle")) return idle_run(argc > 2 ? strtoull(argv[2], nullptr, 10) : 100000);
    const long repeat = (argc > 2 && argv[2][0] != '+') ? strtol(argv[2], nullptr, 10) : 1;
    if (repeat < 1) fail(2, "REPEAT must be a positive number");
    FILE* f = fopen(argv[1], "rb");
    if (!f) fail(2, "cannot read %s", argv[1]);
    Reader r;
    uint32_t buf[4096];
    for (size_t got; (got = fread(buf, 4, 4096, f)) > 0;) r.d.insert(r.d.end(), buf, buf + got);
    fclose(f);
    if (r.d.size() < 4 || r.next() != MAGIC) fail(2, "%s is not a traffic file", argv[1]);
    NW = r.next();
    const uint32_t bits = r.next(), n_ops = r.next();
    if (NW != PORT_W) fail(2, "%s has %u-bit beats; this model's s_axis_tdata is %u words", argv[1], bits, PORT_W);

    top = std::make_unique<Vtop>(ctx.get(), "vsq_top");
    reset();

    const uint64_t c0 = cycles;
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    unsigned gemm = 0;
    uint64_t checked = 0, beats = 0;
    const size_t first_op = r.i;
    for (long rep = 0; rep < repeat; ++rep) {
    r.i = first_op;
    for (uint32_t op = 0; op < n_ops; ++op) {
        switch (r.next()) {
            case IDLE: idle.set(r); break;
            case BP: backpressure.set(r); break;
            case LOAD: {
                const uint32_t timeout = r.next();
                for (uint32_t fr = r.next(); fr; --fr) {
                    const uint32_t dest = r.next(), n = r.next();
                    for (uint32_t i = 0; i < n; ++i) to_send.push_back({dest, i + 1 == n, r.take(NW)});
                    beats += n;
                }
                if (!s_valid) present_next_beat();
                wait_for([] { return to_send.empty(); }, timeout, "the load's last beat");
                break;
            }
            case WRITE: {
                const uint32_t addr = r.next(), value = r.next(), strb = r.next();
                const uint32_t resp = axil_write(addr, value, strb);
                if (resp) fail(1, "write of 0x%08x to 0x%03x answered %u", value, addr, resp);
                break;
            }
            case READ: {
                const uint32_t addr = r.next(), mask = r.next(), expect = r.next();
                const uint32_t got = axil_read(addr);
                if ((got & mask) != expect)
                    fail(1, "GEMM %u: read of 0x%03x gave 0x%08x, expected 0x%08x under mask 0x%08x", gemm, addr, got,
                         expect, mask);
                break;
            }
            case WAIT_IRQ: wait_for([] { return bool(top->irq); }, r.next(), "irq"); break;
            case CYCLES:
                for (uint32_t n = r.next(); n; --n) tick();
                break;
            case EXPECT: check_frame(r, gemm++, checked); break;
            default: fail(2, "unknown op at word %zu of the traffic file", r.i - 1);
        }
    }
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    const uint64_t n = cycles - c0;
    if (!frames_done.empty() || !frame_in.empty()) fail(1, "result words left over after the last GEMM");
    top->final();
    printf("{\"sim_cycles\": %" PRIu64 ", \"wall_s\": %.6f, \"cycles_per_s\": %.1f, \"cpu_s\": %.6f, \"gemms\": %u, "
           "\"load_beats\": %" PRIu64 ", \"result_words_checked\": %" PRIu64 ", \"beat_bits\": %u, \"repeat\": %ld}\n",
           n, wall, n / wall, cpu, gemm, beats, checked, bits, repeat);
    return 0;
}
