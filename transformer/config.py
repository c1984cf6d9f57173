"""Configurations of the accelerator pipeline: the quantization schemes and ``Config``.

``Config`` selects the quantization scheme (VS-Quant or the INT4/INT8
baselines), the softmax, which GEMM classes are quantized (the rest run in
FP32), the format of the outputs the host reads, and one ablation that is
*not* the hardware (an unrounded scale product), used only to apportion the loss.

Mixed precision (``Config.mode8``): the named linear classes with a
host-quantized B operand (qkv, ffn1, ffn2) run in the datapath's 8-bit mode
(pipeline.py's docstring).
"""

from dataclasses import dataclass

from models.contract import PARAM_SETS

# The chip's parameter set (models.contract "paper"): the pipeline's GEMMs are cases of this shape.
PARAMS = {k: PARAM_SETS["paper"][k] for k in ("VEC", "LANES", "ACC_DEPTH")}
VEC, LANES = PARAMS["VEC"], PARAMS["LANES"]

CLASSES = ("qkv", "scores", "context", "wo", "ffn1", "ffn2")
MODE8_CLASSES = ("qkv", "ffn1", "ffn2")  # classes ``Config.mode8`` may name: B comes from the host quantizer
HOST_POINT_CLASS = {"x_qkv": "qkv", "x_ffn1": "ffn1", "x_ffn2": "ffn2"}  # host-quantized operand -> its GEMM class
WEIGHT_CLASS = {"qk": "qkv", "v": "qkv", "wo": "wo", "w1": "ffn1", "w2": "ffn2"}


@dataclass(frozen=True)
class Scheme:
    mode: str  # datapath mode of the linear/score GEMMs
    weights: str  # 'vsq' (per-channel coarse + per-vector), 'tensor', 'channel'
    acts: str  # 'vsq' (per-tensor coarse + per-vector) or 'tensor'
    bits: int  # activation / weight bits
    v_scale: str  # coarse scale of V (the P·V A operand): 'channel' or 'tensor'

    @property
    def vsq(self):
        return self.acts == "vsq"

    @property
    def link_out(self):
        """out_mode of a GEMM that feeds another GEMM."""
        return {"int4_vsq": "int4_vsq", "int4": "int4", "int8": "int8"}[self.mode]


SCHEMES = {
    "vsq": Scheme("int4_vsq", "vsq", "vsq", 4, "channel"),
    "int4_tensor": Scheme("int4", "tensor", "tensor", 4, "tensor"),
    "int4_channel": Scheme("int4", "channel", "tensor", 4, "channel"),
    "int8_channel": Scheme("int8", "channel", "tensor", 8, "channel"),
}


@dataclass(frozen=True)
class Config:
    name: str
    scheme: str = "vsq"
    softmax: str = "hw"  # 'hw' (Softermax, §6) or 'float' (exact softmax of the integer scores, rounded to Q1.7)
    quantized: tuple = CLASSES  # GEMM classes through the integer pipeline; the others run in FP32
    host_bits: int = 8  # PPU outputs the host reads (wo, ffn1, ffn2): 8 or 4 bits, 0 = raw acc (exact)
    calib: str = "max"  # static VS-Quant scales: 'max', a percentile such as 'p99.99', or 'mse' (calibrate.py)
    wclip: str = "gptq"  # offline VS-Quant weights: 'gptq' (vsquant_gptq), 'mse' (vsquant_mse), 'max' (models.vsquant)
    chan_order: str = "natural"  # reduction order of host-quantized operands: 'natural' or 'sorted' (calibrate.py)
    float_scale_product: bool = False  # ablation (not the hardware): p8 = sA·sB/256 unrounded
    mode8: tuple = ()  # classes (of MODE8_CLASSES) whose GEMMs run in the int8 datapath mode (module docstring)
    description: str = ""

    def __post_init__(self):
        bad = [c for c in self.mode8 if c not in MODE8_CLASSES]
        if bad:
            raise ValueError(f"mode8: {bad} not in {MODE8_CLASSES} (only host-quantized B operands)")
        if self.mode8 and self.scheme != "vsq":
            raise ValueError("mode8 mixes int8 GEMMs into the VS-Quant scheme only")

    @property
    def sch(self):
        return SCHEMES[self.scheme]

    def mode(self, cls):
        """Datapath mode of a GEMM class."""
        return "int8" if cls in self.mode8 else self.sch.mode

    def q(self, cls):
        return cls in self.quantized

    @property
    def bit_exact(self):
        return not self.float_scale_product
