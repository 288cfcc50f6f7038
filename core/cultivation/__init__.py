"""Cultivation plans: tasks, progress, the flow."""
