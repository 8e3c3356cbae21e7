"""Scoring functions: assertions, retrieval (IR) metrics, text overlap, similarity, judge."""
