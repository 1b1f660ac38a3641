"""Text analysis of the delivery search index.

Elasticsearch side (``INDEX_SETTINGS``): every text field is indexed
ASCII-folded ("tyokokeilu" finds "työkokeilu"), with each language's stemming
analyzer, and as 4–5 letter n-grams so that part of a Finnish compound
("ohjaus") finds the whole ("uraohjauspalvelu"); titles also as edge n-grams
for autocomplete.

Python side: ``lemmas`` adds base forms and compound parts of Finnish text
(Voikko) as extra indexed text, ``document_text`` extracts the text of
attachments, and ``unique_sentences`` keeps a sentence that several fields
repeat once (indexed texts and excerpts).

Voikko is optional at run time: without the shared library (Debian
``libvoikko1``) or the Finnish dictionary (``voikko-fi``), ``lemmas`` and
``expand_query`` return "" and search relies on the analyzers above. Only
Finnish is analysed: Swedish and English have stemming analyzers of their own,
and their compounds are fewer and reached by the n-grams.
"""

import io
import logging
import os
import re
import threading
import zipfile
from functools import lru_cache
from xml.etree import ElementTree

from pypdf import PdfReader

logger = logging.getLogger(__name__)

LANGUAGE_ANALYZERS = {"fi": "finnish", "sv": "swedish", "en": "english"}

INDEX_SETTINGS = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "max_ngram_diff": 11,
    "analysis": {
        "filter": {
            "compound_grams": {"type": "ngram", "min_gram": 4, "max_gram": 5},
            "prefixes": {"type": "edge_ngram", "min_gram": 2, "max_gram": 15},
        },
        "tokenizer": {
            # The same grams as compound_grams, but each at a position of its own.
            "compound_gram_tokens": {
                "type": "ngram",
                "min_gram": 4,
                "max_gram": 5,
                "token_chars": ["letter", "digit"],
            },
        },
        "analyzer": {
            "folded": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding"],
            },
            "compound_ngram": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "compound_grams"],
            },
            # Query side of the n-gram fields. The index side's grams share their
            # word's position, so a query analysed like it becomes one "any gram"
            # synonym clause; separate positions let a query require every gram.
            "compound_ngram_query": {
                "type": "custom",
                "tokenizer": "compound_gram_tokens",
                "filter": ["lowercase", "asciifolding"],
            },
            "autocomplete": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "prefixes"],
            },
        },
        "normalizer": {
            "sortable": {"type": "custom", "filter": ["lowercase"]},
        },
    },
}


# --- Finnish base forms and compound parts (Voikko) --------------------------

# Where to load libvoikko from: None is the system's library (Debian libvoikko1).
# A directory that holds no library turns Voikko off rather than silently
# loading some other copy.
VOIKKO_LIBRARY_PATH = None
# Extra directory searched first for the dictionary (None: the system's, voikko-fi).
VOIKKO_DICTIONARY_PATH = None

# Letters, optionally joined by hyphens ("TE-palvelut"); digits are left out.
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Longer "words" are codes or run-together text that Voikko would only spend time on.
_MAX_WORD_LENGTH = 60
# One WORDBASES morpheme: "+palvel(palvella)", "u(+u)", "+m" or "+yhteis".
_MORPHEME = re.compile(r"(\+?)([^+()]*)(?:\(([^)]*)\))?")


class _Voikko:
    """The process's one Finnish Voikko instance, loaded on first use.

    A Voikko instance must not be used from two threads at once, and each one
    loads the dictionary anew, so there is one instance behind a lock; the lock
    is held per word, and ``_word_terms`` caches words, so long texts do not
    hold up other threads for long.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._loaded = False
        self._instance = None

    def _load(self):
        try:
            import libvoikko

            if VOIKKO_LIBRARY_PATH:
                # libvoikko falls back to the system library when the path holds none.
                library = libvoikko.VoikkoLibrary.open(VOIKKO_LIBRARY_PATH)
                if os.path.dirname(library._name) != os.path.normpath(VOIKKO_LIBRARY_PATH):
                    raise OSError(f"no libvoikko in {VOIKKO_LIBRARY_PATH}")
            libvoikko.Voikko.setLibrarySearchPath(VOIKKO_LIBRARY_PATH)
            return libvoikko.Voikko("fi", VOIKKO_DICTIONARY_PATH)
        # A missing library raises OSError; a missing dictionary, VoikkoException.
        except Exception as exc:
            logger.info(
                "Voikko is not available (%s): Finnish base forms and compound parts "
                "are left out of search",
                exc,
            )
            return None

    def _ensure_loaded(self):
        if not self._loaded:
            self._instance = self._load()
            self._loaded = True

    def available(self):
        with self._lock:
            self._ensure_loaded()
            return self._instance is not None

    def analyze(self, word):
        with self._lock:
            self._ensure_loaded()
            return self._instance.analyze(word) if self._instance is not None else []

    def reset(self):
        """Forget the instance, so that the next use loads it again (tests, changed paths)."""
        with self._lock:
            if self._instance is not None:
                self._instance.terminate()
            self._instance = None
            self._loaded = False
        _word_terms.cache_clear()


_voikko = _Voikko()


def voikko_available():
    """Whether Finnish text gets base forms and compound parts (libvoikko and voikko-fi load)."""
    return _voikko.available()


def reset_voikko():
    _voikko.reset()


def _structure_boundaries(structure):
    """Letter offsets where Voikko's STRUCTURE ("=ppp=pppppp") starts a compound part."""
    boundaries, offset = set(), 0
    for mark in structure or "":
        if mark == "=":
            boundaries.add(offset)
        else:
            offset += 1
    return boundaries


def _compound_parts(analysis):
    """The parts of a compound from Voikko's WORDBASES, in base form.

    "+ura(ura)+ohja(ohjata)+us(+us)+palvel(palvella)+u(+u)" gives ura, ohjaus,
    palvelu. A morpheme with a base of its own ("ura", "palkka", "lasten(lapsi)")
    starts a part named by that base; a derivational suffix ("+us", "+u") is
    joined to the part before it, whose name is then its letters as written
    ("ohja" + "us"). A bare "+yhteis" or "+digi" (a compound's first part with
    no dictionary base) starts a part only where STRUCTURE has a boundary, as
    other bare morphemes ("+m" in "työllistymä") belong to the part before.
    """
    boundaries = _structure_boundaries(analysis.get("STRUCTURE"))
    parts = []  # [name, letters, morpheme count]
    offset = 0
    for plus, letters, base in _MORPHEME.findall(analysis.get("WORDBASES") or ""):
        if not (plus or letters or base):
            continue
        lexical = bool(base) and not base.startswith("+")
        if not parts or lexical or (plus and not base and offset in boundaries):
            parts.append([base if lexical else letters, letters, 1])
        else:
            parts[-1][1] += letters
            parts[-1][2] += 1
        offset += len(letters)
    names = []
    for name, letters, count in parts:
        name = letters if count > 1 else name
        # A lexicalised compound marks its own parts: "maahan=muuttaja".
        names.extend(piece.strip("-").lower() for piece in name.split("="))
    return [name for name in names if len(name) > 1]


@lru_cache(maxsize=50_000)
def _word_terms(word):
    """Base forms and compound parts of one lower-case word, without duplicates."""
    terms = {}
    for analysis in _voikko.analyze(word):
        base = (analysis.get("BASEFORM") or "").lower()
        if base:
            terms.setdefault(base)
        terms.update(dict.fromkeys(_compound_parts(analysis)))
    if "-" in word:
        # "TE-palvelut" is unknown as a whole; its halves are not.
        for piece in word.split("-"):
            if len(piece) > 1:
                terms.update(dict.fromkeys(_word_terms(piece)))
    return tuple(terms)


def _finnish_terms(text, language):
    if not text or (language or "").split("-")[0].lower() != "fi" or not voikko_available():
        return []
    terms = {}
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if 1 < len(word) <= _MAX_WORD_LENGTH:
            terms.update(dict.fromkeys(_word_terms(word)))
    return list(terms)


def lemmas(text, language):
    """Base forms and compound parts of the words of ``text``, space-separated, once each.

    "työkokeiluun" gives "työkokeilu työ kokeilu"; "palkkatuella" gives
    "palkkatuki palkka tuki". Only Finnish is analysed (other languages give
    ""), and so are only words Voikko knows: the other sub-fields find the
    rest as written. Empty when Voikko is not installed.
    """
    return " ".join(_finnish_terms(text, language))


def expand_query(text, language):
    """The base forms and compound parts of a query, to match against the ``lemmas`` field.

    The same analysis as ``lemmas``, so that "palkkatuella" in a query meets
    "palkkatuesta" in a service. Compound parts make the expansion broad
    ("työ" from "työkokeilu"): the caller should weigh it below the words
    as typed.
    """
    return " ".join(_finnish_terms(text, language))


# --- Text of attachments ------------------------------------------------------

# PDF and DOCX are read whole (a truncated file cannot be parsed); larger ones are
# searchable by title only. Plain text is read from the start.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_CHARS = 100_000
# Uncompressed size of word/document.xml that a DOCX may claim (a zip bomb guard).
_DOCX_MAX_XML_BYTES = 50 * 1024 * 1024
_PLAIN_TEXT_EXTENSIONS = {"txt", "csv", "md"}
_WORDPROCESSING = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Unreadable(Exception):
    """An attachment whose text cannot be read for a known reason (encrypted, too large)."""


def _pdf_text(data, max_chars):
    reader = PdfReader(io.BytesIO(data))
    # Many PDFs are encrypted only against editing and open with an empty password.
    if reader.is_encrypted and not reader.decrypt(""):
        raise _Unreadable("encrypted with a password")
    pages, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        pages.append(text)
        length += len(text)
        if length >= max_chars:
            break
    return "\n".join(pages)


def _docx_paragraph_text(paragraph):
    pieces = []
    for element in paragraph.iter():
        if element.tag == f"{_WORDPROCESSING}t":
            pieces.append(element.text or "")
        elif element.tag in (f"{_WORDPROCESSING}tab", f"{_WORDPROCESSING}br"):
            pieces.append(" ")
    return "".join(pieces)


def _docx_text(data, max_chars):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.getinfo("word/document.xml")
        if member.file_size > _DOCX_MAX_XML_BYTES:
            raise _Unreadable(f"word/document.xml is {member.file_size} bytes uncompressed")
        paragraphs, length = [], 0
        with archive.open(member) as xml:
            for _event, element in ElementTree.iterparse(xml):
                if element.tag != f"{_WORDPROCESSING}p":
                    continue
                # Paragraphs nested in tables and text boxes end first and are
                # cleared, so an enclosing paragraph does not repeat them.
                text = _docx_paragraph_text(element)
                element.clear()
                paragraphs.append(text)
                length += len(text)
                if length >= max_chars:
                    break
    return "\n".join(paragraphs)


def _plain_text(data, max_chars):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3:
            # Reading stopped in the middle of a character.
            return data.decode("utf-8-sig", errors="replace")
        # Not UTF-8: most likely a Windows export (e.g. a CSV saved from Excel).
        return data.decode("cp1252", errors="replace")


_TEXT_READERS = {"pdf": _pdf_text, "docx": _docx_text} | dict.fromkeys(
    _PLAIN_TEXT_EXTENSIONS, _plain_text
)


def document_text(document):
    """The text of an attachment (PDF, DOCX, plain text); empty when none can be read.

    The title is indexed separately. The text is cut at ``ATTACHMENT_MAX_CHARS``;
    files of other types, too large, encrypted or broken give "", and those
    that should have been readable are logged as warnings. Reads through the
    file's storage, so it works with local, S3 and Azure media alike.
    """
    extension = os.path.splitext(document.file.name or "")[1].lstrip(".").lower()
    reader = _TEXT_READERS.get(extension)
    if reader is None:
        return ""
    plain = extension in _PLAIN_TEXT_EXTENSIONS
    max_bytes = ATTACHMENT_MAX_BYTES
    if plain:
        # UTF-8 needs at most four bytes a character.
        max_bytes = min(max_bytes, 4 * ATTACHMENT_MAX_CHARS)
    try:
        with document.file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            if not plain:
                raise _Unreadable(f"larger than {ATTACHMENT_MAX_BYTES} bytes")
            data = data[:max_bytes]
        text = reader(data, ATTACHMENT_MAX_CHARS)
    except Exception as exc:  # any parser error means the same: this file gives no text
        logger.warning(
            "No text from document %s (%r, %s): %s: %s",
            document.pk,
            document.title,
            document.file.name,
            type(exc).__name__,
            exc,
        )
        return ""
    return " ".join(text.split())[:ATTACHMENT_MAX_CHARS]


# Where one sentence ends and the next begins, in plain text.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def unique_sentences(texts):
    """Plain ``texts`` joined, each sentence only where it first appears (case-blind)."""
    seen, sentences = set(), []
    for text in texts:
        for sentence in SENTENCE_END.split(" ".join(text.split())):
            key = sentence.casefold()
            if sentence and key not in seen:
                seen.add(key)
                sentences.append(sentence)
    return " ".join(sentences)
