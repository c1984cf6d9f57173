"""The accelerator as consumable IP: the register map in SystemRDL
(rdl/vsq_top.rdl, the single source) and what is generated from it.

- `codes`: rdl/vsq_codes.rdl, the RDL enums of models/contract.py's codes;
- `rdl`: compile and elaborate the RDL for a parameter set (systemrdl-compiler);
- `docs`: the register tables of docs/rtl-top.md;
- `python -m tools.ip` (`make ip`): the C header, IP-XACT and the markdown
  register reference under build/ip/.
"""
