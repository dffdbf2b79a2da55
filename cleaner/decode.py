"""Bytes to text: byte-order mark, then the declared charset, then detection.

A declared charset (the HTTP header of a WARC record, or the page's `<meta charset>`) is
believed unless the bytes prove it wrong: they do not decode under it, or they are valid
UTF-8 with non-ASCII characters, which text in another charset practically never is. An
unknown label is passed over. What is left is guessed by charset-normalizer, and as a last
resort decoded as UTF-8 with replacement characters, so decoding never fails on text.

A byte-order mark stays in the text, as U+FEFF, so that the account rebuilds the file
byte for byte. Decoded text is then made safe to write: NULs dropped, lone surrogates
(which orjson refuses) replaced by U+FFFD.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import CharsetMatch, from_bytes

from cleaner.failures import InputFailure

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The share of NUL and other control bytes above which data is binary, not text.
MAX_CONTROL_SHARE = 0.05
CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
BINARY_SAMPLE = 65536
# Where the HTML standard looks for a <meta> charset: the start of the page.
META_PRESCAN_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
# Labels the HTML standard reads as windows-1252, which is what such pages really are.
WINDOWS_1252_ALIASES = {"iso8859-1", "ascii"}
WEB_DEFAULT = "cp1252"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACED = "utf-8 (with replacement characters)"


def decode(
    raw: bytes, path: str, declared: str | None = None, html: bool = False
) -> tuple[str, str]:
    """The text of `raw` and the name of the encoding used.

    `declared` is a charset named outside the bytes (an HTTP header); for `html` the page's
    own `<meta>` is read too. Raises `InputFailure` for binary data.

    >>> decode("café".encode("cp1252"), "x.txt", declared="utf-8")
    ('café', 'cp1252')
    >>> decode("café".encode(), "x.html", declared="iso-8859-1")
    ('café', 'utf-8')
    """
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return clean_text(raw.decode(codec, "replace")), codec
    if is_binary(raw):
        raise InputFailure(path, "decode", "binary data, not text")
    codec = text_codec(declared) or (text_codec(meta_charset(raw)) if html else None)
    if codec and codec != "utf-8" and not raw.isascii() and fits(raw, "utf-8"):
        codec = None
    for candidate in dict.fromkeys(filter(None, (codec, "utf-8"))):
        try:
            return clean_text(raw.decode(candidate)), candidate
        except UnicodeDecodeError:
            continue
    detected = detect(raw)
    if detected is not None:
        return clean_text(raw.decode(detected, "replace")), detected
    return clean_text(raw.decode("utf-8", "replace")), REPLACED


def detect(raw: bytes) -> str | None:
    """The charset charset-normalizer finds most plausible for `raw`, or None.

    Its own `best()` is passed over: on short Western text it picks cp1250 or even UTF-16
    (no BOM, no NULs) where windows-1252, the web's default, reads right. Candidates are
    ranked by chaos (mess of the decoded text), then windows-1252 first (the languages of its
    neighbours, cp1250 and the like, read as Western text with a few wrong letters), then
    coherence (how much it reads like a language).
    """
    candidates = [
        match for match in from_bytes(raw) if not match.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda m: (round(m.chaos, 2), not _reads_as_web_default(m), -m.coherence),
    )
    return WEB_DEFAULT if _reads_as_web_default(best) else text_codec(best.encoding)


def _reads_as_web_default(match: CharsetMatch) -> bool:
    """True when windows-1252 decodes the bytes to the same text as `match`."""
    return WEB_DEFAULT in {text_codec(name) for name in match.could_be_from_charset}


def clean_text(text: str) -> str:
    """`text` without NULs and with lone surrogates replaced, safe for any JSON writer.

    >>> clean_text("a\\x00b\\ud800c")
    'ab\\ufffdc'
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    return LONE_SURROGATE.sub("\ufffd", text)


def is_binary(raw: bytes) -> bool:
    """True when the start of `raw` has too many control bytes to be text."""
    sample = raw[:BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > MAX_CONTROL_SHARE * len(sample)


def fits(raw: bytes, codec: str) -> bool:
    """True when `raw` decodes under `codec` without an error."""
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


# Codecs that are no charset: base64, rot13 and the like say so themselves; these do not.
NOT_CHARSETS = frozenset(("undefined",))


def text_codec(label: str | None) -> str | None:
    """Python's name for the text encoding `label` names, or None for an unknown label.

    >>> text_codec("Windows-1252"), text_codec("latin1"), text_codec("base64"), text_codec("x")
    ('cp1252', 'cp1252', None, None)
    >>> text_codec("undefined") is None
    True
    """
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip())
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None
    if not info._is_text_encoding or info.name in NOT_CHARSETS:
        return None
    return "cp1252" if info.name in WINDOWS_1252_ALIASES else info.name


def meta_charset(raw: bytes) -> str | None:
    """The charset a page declares in a `<meta>` near its start."""
    match = META_CHARSET.search(raw[:META_PRESCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None
