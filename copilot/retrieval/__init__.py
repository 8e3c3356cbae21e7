"""Hybrid retrieval (vectors + BM25, fused by reciprocal rank), one community at a time."""
