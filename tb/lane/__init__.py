"""pyuvm environment of one vector-MAC lane (rtl/vsq_lane.v)."""
