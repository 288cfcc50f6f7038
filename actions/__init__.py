"""Custom actions for the Credit Cultivation Assistant.

Thin Rasa glue lives in the modules of this package; all domain logic lives in
``actions.core``, which never imports Rasa."""
