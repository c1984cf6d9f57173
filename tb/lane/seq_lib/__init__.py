"""Lane sequences, one per file."""
