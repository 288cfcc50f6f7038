"""Guided self-assessment: the flow, answer parsing, the store, the PDF report."""
