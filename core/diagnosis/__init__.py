"""Credit diagnosis: criteria engine, facts read from a sentence, the flow."""
