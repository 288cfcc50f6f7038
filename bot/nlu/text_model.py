"""The intent model itself, without Rasa: TF-IDF of a message's jieba words,
word pairs, character n-grams and pinyin syllable n-grams (for homophone
typos), into a logistic regression. The Rasa component (tfidf_classifier.py)
and the model-selection script (scripts/nlu_dev_eval.py) both build it from
here, so what is measured is what runs."""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
from pypinyin import lazy_pinyin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union

from core.text import is_hesitation

DEFAULTS: dict[str, Any] = {"C": 100.0, "max_iter": 3000, "random_state": 7, "pinyin_ngram_max": 2}


def normalise(tokens: list[str]) -> list[str]:
    """Lower-cased, non-blank tokens, without spoken hesitations (unless there is nothing else: "嗯")."""
    words = [t.lower() for t in tokens if t.strip()]
    # (a voice kiosk's transcript keeps them: no intent is in them; core.text.is_hesitation)
    return [t for t in words if not is_hesitation(t)] or words


def _identity(x):
    return x


def _join(tokens: list[str]) -> str:
    return " ".join(tokens)


def _bigrams(tokens: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


_CJK = re.compile(r"[\u4e00-\u9fff]")


class PinyinAnalyzer:
    """Toneless pinyin syllables of the Chinese tokens, as 1..n_max-grams, so
    that homophone typos (认怔/认证, 失心/失信, 复合/复核) share features with
    the right words whatever jieba made of them. A class so the fitted model
    pickles."""

    def __init__(self, n_max: int) -> None:
        self.n_max = n_max

    def __call__(self, tokens: list[str]) -> list[str]:
        syl = [p for tok in tokens if _CJK.search(tok) for p in lazy_pinyin(tok) if p.isalpha()]
        return [" ".join(syl[i : i + n]) for n in range(1, self.n_max + 1) for i in range(len(syl) - n + 1)]


def build(config: dict[str, Any] | None = None):
    """An unfitted sklearn pipeline: TF-IDF of words, word pairs, character
    n-grams (1-4, within words) and pinyin syllable n-grams (1-2) feeding a
    logistic regression."""
    cfg = {**DEFAULTS, **(config or {})}
    words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    bigrams = TfidfVectorizer(analyzer=_bigrams, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, preprocessor=_join)
    parts = [words, bigrams, chars]
    if int(cfg["pinyin_ngram_max"]) > 0:
        parts.append(TfidfVectorizer(analyzer=PinyinAnalyzer(int(cfg["pinyin_ngram_max"])), sublinear_tf=True))
    features = make_union(*parts)
    clf = LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]), random_state=cfg["random_state"])
    return make_pipeline(features, clf)


def for_prediction(model):
    """The fitted pipeline made fast for one message at a time; predictions
    are unchanged. The regression's coefficients (intents x ~54,000 features)
    are stored row-major, so ``X @ coef_.T`` made scipy copy the whole matrix
    for every message (``_mul_multivector`` ravels a non-contiguous operand):
    about 20 ms a message, 18% of the Rasa process's CPU under load (py-spy,
    bench/README.md). Column-major coefficients make that product read only
    the message's few non-zero features (0.3 ms)."""
    clf = model[-1]
    if hasattr(clf, "coef_"):
        clf.coef_ = np.asfortranarray(clf.coef_)
    return model
