"""Bit-exact numpy reference model of the VSQ accelerator.

The arithmetic contract is numerics.md; the case-file contract is
architecture.md ("Case files"). Submodules, one job each: ``numerics``
(primitives, tables), ``gemm`` (datapath, accumulation), ``ppu`` (post-
processing, output formats), ``softmax`` (Softermax), ``quant`` (host-side
float quantizers), ``words`` (operand-word packing), ``case`` (case files),
``casegen`` (random legal cases), ``run_case`` (the CLI).
"""

from .case import CaseError, load_case, run_case, save_case, save_outputs, validate_case
from .casegen import legal_shape, random_case
from .gemm import gemm_acc, lane_step, scale_product
from .numerics import C0, C1, MODES, OUT_MODES, POW2, clamp, out_group, rhu, sat, vec_len
from .ppu import postprocess, ppu, quantize_vectors
from .quant import dequant, per_channel, per_tensor, vsq_dequant, vsquant
from .softmax import softermax, softermax_trace
from .words import pack_words, unpack_words, word_bits

__all__ = [
    "C0", "C1", "MODES", "OUT_MODES", "POW2", "CaseError", "clamp", "dequant", "gemm_acc",
    "lane_step", "legal_shape", "load_case", "out_group", "pack_words", "per_channel",
    "per_tensor", "postprocess", "ppu", "quantize_vectors", "random_case", "rhu", "run_case",
    "sat", "save_case", "save_outputs", "scale_product", "softermax", "softermax_trace",
    "unpack_words", "validate_case", "vec_len", "vsq_dequant", "vsquant", "word_bits",
]
