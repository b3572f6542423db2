"""The one exception the catalogue's validators raise.

Every validator in this package raises :class:`InvalidValue` (a ``ValueError``) and nothing else for bad input, so
a caller can catch one class and show the message in the reader's language: ``err.message("en")``. ``str(err)`` is
the Chinese message, the portal's default language.
"""

from __future__ import annotations


class InvalidValue(ValueError):
    """A value that failed validation: a stable machine ``code`` plus a Chinese and an English message."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(zh)
        self.code = code
        self.zh = zh
        self.en = en

    def message(self, lang: str | None = "zh_Hans_CN") -> str:
        """The message in ``lang``: English for any ``en*`` locale, Chinese otherwise."""
        return self.en if (lang or "").lower().startswith("en") else self.zh

    def __reduce__(self):
        return (type(self), (self.code, self.zh, self.en))

    def __repr__(self) -> str:
        return f"InvalidValue(code={self.code!r}, zh={self.zh!r}, en={self.en!r})"
