"""Imports every feature's models so ``Base.metadata`` knows all tables
(Alembic's env.py and ``create_all`` in tests rely on it)."""

from core.assessment import models as assessment_models
from core.audit import models as audit_models
from core.cases import models as cases_models
from core.cultivation import models as cultivation_models
from core.enterprise import models as enterprise_models
from core.feedback import models as feedback_models
from core.knowledge import models as knowledge_models

__all__ = [
    "assessment_models",
    "audit_models",
    "cases_models",
    "cultivation_models",
    "enterprise_models",
    "feedback_models",
    "knowledge_models",
]
