"""PPU sequences, one per file."""
