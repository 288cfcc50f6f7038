"""Enterprises: credit codes, access keys, sessions, records import."""
