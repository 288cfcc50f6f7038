"""Custom actions for the Credit Cultivation Assistant.

Thin Rasa glue lives in the modules of this package; all domain logic lives in
the top-level ``core`` package, which never imports Rasa."""
