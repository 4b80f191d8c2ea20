"""The words the generator itself prints, in English and, for bilingual variants, Spanish."""

from __future__ import annotations

from ..markup import escape
from ..select import Worksheet
from ..tagging import lang_span
from .styles import text_markup

# Words the generator itself prints, with their Spanish for bilingual variants.
STRINGS: dict[str, dict[str, str]] = {
    "directions": {
        "en": "Read each document, then answer the questions about it. "
              "You may write your answers in English or Spanish.",
        "es": "Lee cada documento y luego responde las preguntas. "
              "Puedes escribir tus respuestas en inglés o en español.",
    },
    "name": {"en": "Name", "es": "Nombre"},
    "class": {"en": "Class", "es": "Clase"},
    "date": {"en": "Date", "es": "Fecha"},
    "central": {"en": "Central question", "es": "Pregunta central"},
    "background": {"en": "Background", "es": "Contexto"},
    "before": {"en": "Before you read", "es": "Antes de leer"},
    "after": {"en": "After you read", "es": "Después de leer"},
    "vocabulary": {"en": "Vocabulary", "es": "Vocabulario"},
    "word_bank": {"en": "Word bank", "es": "Banco de palabras"},
    "organizer": {"en": "Graphic organizer", "es": "Organizador gráfico"},
    "claim": {"en": "Your claim", "es": "Tu afirmación"},
    "answer": {"en": "Answer", "es": "Respuesta"},
    "evidence": {"en": "Evidence", "es": "Evidencia"},
    "circle": {"en": "Circle one", "es": "Encierra una"},
    "starter": {"en": "Sentence starter", "es": "Para empezar"},
    "hint": {"en": "Hint", "es": "Pista"},
    "look_for": {"en": "Look for", "es": "Buscar"},
    "modified": {"en": "Modified", "es": "Modificado"},
    "simplified": {"en": "Simplified", "es": "Simplificado"},
    "excerpt": {"en": "Excerpt", "es": "Fragmento"},
    "grade": {"en": "Grades", "es": "Grados"},
    "true": {"en": "TRUE", "es": "VERDADERO"},
    "false": {"en": "FALSE", "es": "FALSO"},
    "skill.sourcing": {"en": "Sourcing", "es": "Fuente"},
    "skill.contextualization": {"en": "Contextualization", "es": "Contexto"},
    "skill.close-reading": {"en": "Close reading", "es": "Lectura atenta"},
    "skill.corroboration": {"en": "Corroboration", "es": "Corroboración"},
}


def words(ws: Worksheet, key: str) -> str:
    """A generator string, bilingual when the variant has a second language."""
    s = STRINGS[key]
    lang = ws.variant.language
    if lang and lang in s and s[lang] != s["en"]:
        return f"{s['en']} / {s[lang]}"
    return s["en"]


def words_markup(ws: Worksheet, key: str) -> str:
    """`words()` as paragraph markup, its Spanish marked as Spanish for screen readers."""
    s = STRINGS[key]
    lang = ws.variant.language
    if lang and lang in s and s[lang] != s["en"]:
        return f"{escape(s['en'])} / {lang_span(escape(s[lang]), lang)}"
    return escape(s["en"])


def both_markup(text: str, other: str | None, lang: str | None) -> str:
    """"text / other" as markup (author text: inline markup styled), `other` (a
    translation) marked as being in `lang`."""
    if not other or not lang:
        return text_markup(text)
    return f"{text_markup(text)} / {lang_span(text_markup(other), lang)}"
