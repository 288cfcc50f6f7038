"""Imports every model module so ``Base.metadata`` knows all tables."""

from core.assessment import store as assessment_store
from core.cultivation import store as cultivation_store
from core.enterprise import models as enterprise_models
from core.knowledge import models as knowledge_models

__all__ = ["assessment_store", "cultivation_store", "enterprise_models", "knowledge_models"]
