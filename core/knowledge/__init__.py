"""The law as data: loader and schema, search, answer composition."""
