"""Imports every model module so ``Base.metadata`` knows all tables."""
from actions.core import enterprise_models  # noqa: F401
from actions.core import knowledge_models  # noqa: F401
from actions.core import assessment_store  # noqa: F401
from actions.core import cultivation_store  # noqa: F401
