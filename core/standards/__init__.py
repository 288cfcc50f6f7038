"""The certification standards: catalogue, scoring rules, financial rules, guidance."""
