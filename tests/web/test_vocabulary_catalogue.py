"""The domain's labels are Chinese constants (the engine has no Django, the API answers in Chinese);
pages translate them with the `tr` filter from the catalogue, where web/labels.py marks them. That
list is written by hand, so this test keeps it whole: every label of every choice field of the
domain's models has an English translation (rank names excepted: they are the ladder's own words,
shown as written, like the names of people and units). A new state, role or kind added without one fails here,
before a page shows it in Chinese to an English reader."""

import re

import pytest
from django.apps import apps
from django.utils import translation

from jinjie.rules.ladder import MONOPOLY_LEVELS, RANKS

HAN = re.compile(r"[\u3400-\u9fff]")
RANK_NAMES = set(RANKS) | set(MONOPOLY_LEVELS)


def _choice_labels():
    labels = {}
    for model in apps.get_models():
        if not model.__module__.startswith("jinjie."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                text = str(label)
                # Rank names (初级C, 中级专卖管理员 …) are the ladder's own words: data, kept as written.
                if HAN.search(text) and text not in RANK_NAMES:
                    labels.setdefault(text, f"{model.__name__}.{field.name}={value}")
    return labels


def test_the_domain_has_choice_labels_to_check():
    assert len(_choice_labels()) > 40


@pytest.mark.parametrize("language", ["en"])
def test_every_choice_label_of_the_domain_has_an_english_translation(language):
    from jinjie.web.templatetags.jinjie_web import tr

    with translation.override(language):
        missing = sorted(f"{where}: {text}" for text, where in _choice_labels().items() if HAN.search(tr(text)))
    assert missing == [], "没有英文译文的选项标签（请加入 web/labels.py 并翻译）：\n" + "\n".join(missing)
