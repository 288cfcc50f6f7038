"""Hand-off cases: a question the assistant could not answer, answered by an officer."""
