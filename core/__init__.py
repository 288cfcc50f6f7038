"""Domain logic with no Rasa import: knowledge, search, scoring, diagnosis."""
