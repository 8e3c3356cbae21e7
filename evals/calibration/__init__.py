"""Fitting the answer models (unit ranker, answerability) on the dev communities."""
