"""pyuvm environment of the post-processing unit (rtl/vsq_ppu.v, with the
Softermax unit inside it)."""
