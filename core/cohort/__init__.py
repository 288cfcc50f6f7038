"""Cohort insight for officers over consenting enterprises."""
