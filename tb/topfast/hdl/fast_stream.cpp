// The simulator side of the fast stream path (tb/topfast/README.md): a load
// frame player and a result frame recorder that run inside the Verilator
// model (DPI-C, called by vsq_top_fast.sv once per clock edge), so that the
// testbench's Python runs once per frame instead of once per beat or cycle.
//
// Python (tb/topfast/fast_lib.py) reaches the vsq_fs_* functions below through
// ctypes in the same process (the model is linked with -rdynamic): it pushes
// whole frames, reads whole frames back, and plays the sequences' stream
// patterns (runs of (level, cycles)) by handing them over in chunks; when the
// player runs out of runs it calls Python back for the next chunk, so the
// patterns are the sequences' own generators, drawn in the same order.
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "svdpi.h"

namespace {

const int LIMBS = 16;  // 512 bits: the DPI data arguments' width, >= VEC*4+8

struct Beat {
    uint32_t d[LIMBS];
    uint8_t dest, last;
};

// A stream pattern: while active, one level per cycle from runs (level, cycles);
// inactive = always 1 (no pause).
struct Pattern {
    bool active = false;
    std::deque<std::pair<uint8_t, uint32_t>> runs;
    uint8_t level = 1;
    uint32_t left = 0;
};

typedef int (*refill_t)(int which);
refill_t refill_cb = nullptr;
Pattern pat[2];  // 0: load idle (1 = may send), 1: result TREADY

int next_level(int which) {
    Pattern& p = pat[which];
    if (!p.active) return 1;
    while (p.left == 0) {
        if (p.runs.empty() && refill_cb) refill_cb(which);
        if (p.runs.empty()) {  // the generator ended: no pattern from here on
            p.active = false;
            return 1;
        }
        p.level = p.runs.front().first;
        p.left = p.runs.front().second;
        p.runs.pop_front();
    }
    p.left--;
    return p.level;
}

// Load player.
std::deque<Beat> src_q;
Beat src_cur;
bool src_have = false;
uint32_t src_pushed = 0, src_done = 0;  // frames
uint64_t src_idle = 0;  // cycles a queued beat was held back by the idle pattern

// Result recorder.
struct Frame {
    std::vector<uint32_t> data, tuser;
    int64_t t_start = 0, t_end = 0;
};
Frame cap_cur;
std::deque<Frame> cap_done;
uint32_t cap_frames = 0;
uint64_t snk_stall = 0;  // cycles a result word waited for TREADY

// AXI4-Lite master: writes and reads each in order, one outstanding of each
// (as cocotbext-axi's AxiLiteMaster with one access per coroutine).
struct Access {
    uint32_t addr, data, strb;
};
std::deque<Access> wr_q, rd_q;
bool wr_on = false, aw_on = false, w_on = false, rd_on = false, ar_on = false;
Access wr_cur, rd_cur;
std::vector<uint32_t> wr_resp, rd_resp, rd_data;  // by access number

}  // namespace

extern "C" {

// ---- called by the model (vsq_top_fast.sv), once per rising edge
void vsq_fs_src(svBit rst_n, svBit tready, svBit* valid, svBit* last, int* dest, svBitVecVal* data, int* done) {
    if (!rst_n) {  // aresetn drops whatever is queued or in flight (as the cocotbext-axi source)
        src_q.clear();
        src_have = false;
        src_done = src_pushed;
    } else {
        if (src_have && tready) {  // the beat presented before this edge was accepted
            src_have = false;
            if (src_cur.last) src_done++;
        }
        if (!src_have && !src_q.empty()) {
            if (next_level(0)) {
                src_cur = src_q.front();
                src_q.pop_front();
                src_have = true;
            } else {
                src_idle++;
            }
        }
    }
    *valid = src_have;
    *last = src_have && src_cur.last;
    *dest = src_cur.dest;
    std::memcpy(data, src_cur.d, sizeof src_cur.d);
    *done = (int)src_done;
}

void vsq_fs_snk(svBit rst_n, svBit tvalid, svBit tready, svBit tlast, int tuser, const svBitVecVal* tdata,
                int64_t t, svBit* tready_next, int* frames) {
    if (!rst_n) {
        cap_cur = Frame();
    } else if (tvalid && !tready) {
        snk_stall++;
    } else if (tvalid && tready) {
        if (cap_cur.tuser.empty()) cap_cur.t_start = t;
        cap_cur.data.insert(cap_cur.data.end(), tdata, tdata + LIMBS);
        cap_cur.tuser.push_back((uint32_t)tuser);
        if (tlast) {
            cap_cur.t_end = t;
            cap_done.push_back(std::move(cap_cur));
            cap_cur = Frame();
            cap_frames++;
        }
    }
    *tready_next = next_level(1);
    *frames = (int)cap_frames;
}

void vsq_fs_axil(svBit rst_n, svBit awready, svBit wready, svBit bvalid, int bresp, svBit arready, svBit rvalid,
                 int rdata, int rresp, svBit* awvalid, int* awaddr, svBit* wvalid, int* wdata, int* wstrb,
                 svBit* arvalid, int* araddr, int* wdone, int* rdone) {
    if (!rst_n) {  // an access cut by aresetn never completes: drop it and the queued ones
        wr_q.clear();
        rd_q.clear();
        wr_on = aw_on = w_on = rd_on = ar_on = false;
    } else {
        if (aw_on && awready) aw_on = false;
        if (w_on && wready) w_on = false;
        if (wr_on && !aw_on && !w_on && bvalid) {  // bready is always high
            wr_resp.push_back((uint32_t)bresp);
            wr_on = false;
        }
        if (!wr_on && !wr_q.empty()) {
            wr_cur = wr_q.front();
            wr_q.pop_front();
            wr_on = aw_on = w_on = true;
        }
        if (ar_on && arready) ar_on = false;
        if (rd_on && !ar_on && rvalid) {  // rready is always high
            rd_resp.push_back((uint32_t)rresp);
            rd_data.push_back((uint32_t)rdata);
            rd_on = false;
        }
        if (!rd_on && !rd_q.empty()) {
            rd_cur = rd_q.front();
            rd_q.pop_front();
            rd_on = ar_on = true;
        }
    }
    *awvalid = aw_on;
    *wvalid = w_on;
    *awaddr = (int)wr_cur.addr;
    *wdata = (int)wr_cur.data;
    *wstrb = (int)wr_cur.strb;
    *arvalid = ar_on;
    *araddr = (int)rd_cur.addr;
    *wdone = (int)wr_resp.size();
    *rdone = (int)rd_resp.size();
}

// ---- called by Python (ctypes)
// AXI4-Lite: queue an access; returns its number (done when the done count exceeds it).
int vsq_fs_axil_write(uint32_t addr, uint32_t data, uint32_t strb) {
    wr_q.push_back({addr, data, strb});
    return (int)(wr_resp.size() + wr_q.size() + (wr_on ? 1 : 0)) - 1;
}

int vsq_fs_axil_read(uint32_t addr) {
    rd_q.push_back({addr, 0, 0});
    return (int)(rd_resp.size() + rd_q.size() + (rd_on ? 1 : 0)) - 1;
}

int vsq_fs_axil_wresp(int i) { return (int)wr_resp[i]; }

int vsq_fs_axil_rresp(int i) { return (int)rd_resp[i]; }

uint32_t vsq_fs_axil_rdata(int i) { return rd_data[i]; }

int vsq_fs_limbs() { return LIMBS; }

// The patterns' effect so far (a test checks that back-pressure was applied).
uint64_t vsq_fs_src_idle_cycles() { return src_idle; }

uint64_t vsq_fs_snk_stall_cycles() { return snk_stall; }

void vsq_fs_set_refill(refill_t cb) { refill_cb = cb; }

void vsq_fs_pattern(int which, int active) {
    Pattern& p = pat[which];
    p = Pattern();
    p.active = active != 0;
}

void vsq_fs_push_runs(int which, const uint8_t* levels, const uint32_t* cycles, int n) {
    for (int i = 0; i < n; i++) pat[which].runs.emplace_back(levels[i], cycles[i] ? cycles[i] : 1);
}

// One frame of n words (LIMBS little-endian 32-bit limbs each); returns the
// number of frames pushed so far (the done count to wait for).
int vsq_fs_src_push(int dest, const uint32_t* limbs, int n) {
    for (int i = 0; i < n; i++) {
        Beat b;
        std::memcpy(b.d, limbs + (size_t)i * LIMBS, sizeof b.d);
        b.dest = (uint8_t)dest;
        b.last = i == n - 1;
        src_q.push_back(b);
    }
    return (int)(n > 0 ? ++src_pushed : src_pushed);
}

void vsq_fs_src_clear() {  // the host abandons its load (the beat on the bus stays until accepted or reset)
    src_q.clear();
    src_pushed = src_done + (src_have ? 1 : 0);
}

int vsq_fs_cap_count() { return (int)cap_done.size(); }

int vsq_fs_cap_len() { return cap_done.empty() ? 0 : (int)cap_done.front().tuser.size(); }

int vsq_fs_cap_partial() { return (int)cap_cur.tuser.size(); }

void vsq_fs_cap_pop(uint32_t* data, uint32_t* tuser, int64_t* times) {
    Frame& f = cap_done.front();
    std::memcpy(data, f.data.data(), f.data.size() * 4);
    std::memcpy(tuser, f.tuser.data(), f.tuser.size() * 4);
    times[0] = f.t_start;
    times[1] = f.t_end;
    cap_done.pop_front();
}

void vsq_fs_cap_flush() { cap_cur = Frame(); }  // drop a partial frame (after a soft reset)

}  // extern "C"
