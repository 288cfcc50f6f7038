"""The intent model itself, without Rasa: features and classifier over a
message's tokens. The Rasa component (tfidf_classifier.py) and the offline
model-selection script (scripts/nlu_dev_eval.py) both build it from here, so
what is measured is what runs."""
from __future__ import annotations

from typing import Any, Dict, List

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union

DEFAULTS: Dict[str, Any] = {"C": 100.0, "max_iter": 3000, "random_state": 7, "char_ngram_max": 4, "class_weight": None}


def normalise(tokens: List[str]) -> List[str]:
    """Lower-cased, non-blank tokens."""
    return [t.lower() for t in tokens if t.strip()]


def _identity(x):
    return x


def _join(tokens: List[str]) -> str:
    return " ".join(tokens)


def _bigrams(tokens: List[str]) -> List[str]:
    return [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def build(config: Dict[str, Any] | None = None):
    """An unfitted sklearn pipeline: TF-IDF of words, word pairs and character
    n-grams (1-4, within words) feeding a logistic regression."""
    cfg = {**DEFAULTS, **(config or {})}
    words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    bigrams = TfidfVectorizer(analyzer=_bigrams, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, int(cfg["char_ngram_max"])), sublinear_tf=True, preprocessor=_join)
    features = make_union(words, bigrams, chars)
    clf = LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]), random_state=cfg["random_state"], class_weight=cfg["class_weight"])
    return make_pipeline(features, clf)
