"""Softmax sequences, one per file."""
