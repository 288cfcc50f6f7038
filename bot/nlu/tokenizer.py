"""JiebaTokenizer that drops whitespace tokens.

Rasa 3.6's JiebaTokenizer emits " " as a token for mixed Chinese/English text,
which later components strip, misaligning entities (RasaHQ/rasa#7910, still
unfixed in 3.6.21). Filtering them here keeps token offsets consistent."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        return [t for t in super().tokenize(message, attribute) if t.text.strip()]
