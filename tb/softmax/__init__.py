"""pyuvm environment of the Softermax unit on its own (rtl/vsq_softmax.v)."""
