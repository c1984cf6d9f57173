"""Engine sequences, one per file. All are virtual sequences: they load the
buffers through the buffer agent and start GEMMs through the control agent."""
