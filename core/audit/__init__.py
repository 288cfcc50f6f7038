"""The audit log of officer and editor actions."""
