"""JiebaTokenizer that drops whitespace tokens.

Rasa 3.6's JiebaTokenizer emits " " as a token for mixed Chinese/English text,
which later components strip, misaligning entities (RasaHQ/rasa#7910, still
unfixed in 3.6.21). Filtering them here keeps token offsets consistent.

Who made a claim the user checks ("听同事说，", "A consultant told us") and the tag asking
whether it is right ("，对吗？", "Correct?") are left out of a message's tokens, and so is who passes
a question on ("老板问", "Our managing director wants to know"): the intent is in what is asked
(core.text.question_span)."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from core.text import question_span


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(TEXT) or ""
        start, end = question_span(text) if attribute == TEXT else (0, len(text) + 1)
        return [t for t in super().tokenize(message, attribute) if t.text.strip() and start <= t.start < end]
