"""The one exception tree of govbridge.

Library code raises only these errors. The CLI turns each of them into a one-line message and a
non-zero exit status; users never see a traceback for bad input.

::

    GovbridgeError
    ├── InputError                  bad input that the user can fix
    │   ├── DossierError            a dossier file: file, field path, bad value, example
    │   ├── UnitError               a quantity whose unit does not fit the field
    │   ├── UsageError              a bad command-line value (date, jurisdiction, id)
    │   │   ├── UnknownTermError    a glossary lookup that matches no term     (govbridge.glossary)
    │   │   └── NotFoundError       no such dossier, version or record         (govbridge.store)
    │   ├── KeywordLibraryError     a keyword library file: file and line      (govbridge.matcher)
    │   ├── ReviewError             a review-sample file to import             (govbridge.corpus)
    │   ├── BankError               a question bank: file and line             (govbridge.content)
    │   ├── EvidenceError           an evaluation summary or log as evidence   (govbridge.report)
    │   ├── ReportError             a report file that cannot be read          (govbridge.report)
    │   └── KeyFileError            a key file that cannot be read             (govbridge.attest)
    ├── KnowledgeBaseError          the regulation data under ``govbridge/data``
    │   └── KBLoadError             one YAML file: file, key, bad value, expected form
    ├── StoreError                  the database (govbridge.store)
    └── AttestationError            (govbridge.attest)
        ├── SigningError            a report that cannot be signed
        └── VerificationError       an envelope that does not verify: exit status 1
            ├── MalformedEnvelope, BadSignature, UnknownPredicateType,
            └── DigestMismatch, NotAttested

The subclasses live beside the code that raises them and are re-exported by their packages.

Every error carries the pieces of its message as attributes, so that callers (the web UI, the
report) can render them in their own way.
"""

from __future__ import annotations

__all__ = [
    "DossierError",
    "GovbridgeError",
    "InputError",
    "KBLoadError",
    "KnowledgeBaseError",
    "UnitError",
    "UsageError",
]


class GovbridgeError(Exception):
    """Base class of every error govbridge raises on purpose."""


class InputError(GovbridgeError):
    """Bad input that the user can fix."""


class UnitError(InputError):
    """A quantity whose unit does not fit, or that cannot be parsed.

    Args:
        value: The text as written.
        expected: The expected form, with an example.
    """

    def __init__(self, value: object, expected: str) -> None:
        self.value = value
        self.expected = expected
        super().__init__(f"cannot read {value!r} as a quantity: expected {expected}")


class DossierError(InputError):
    """A dossier that does not validate.

    Args:
        file: The dossier file (or ``<memory>``).
        field: The dotted field path, for example ``model.parameters``.
        value: The bad value as written (``None`` when a key is missing or unknown).
        problem: What is wrong, in plain words.
        example: An example of a good value.
    """

    def __init__(self, file: str, field: str, value: object, problem: str, example: str) -> None:
        self.file = file
        self.field = field
        self.value = value
        self.problem = problem
        self.example = example
        where = f"{file}: {field}" if field else file
        shown = "" if value is None else f" = {value!r}"
        super().__init__(f"{where}{shown}: {problem} (example: {example})")


class UsageError(InputError):
    """A bad command-line or API argument."""


class KnowledgeBaseError(GovbridgeError):
    """A problem with the knowledge base as a whole."""


class KBLoadError(KnowledgeBaseError):
    """One YAML file of the knowledge base that does not load.

    Args:
        file: The file, relative to the data folder when possible.
        key: The dotted key path inside the file.
        value: The bad value (``None`` when a key is missing).
        expected: The expected form, with an example.
    """

    def __init__(self, file: str, key: str, value: object, expected: str) -> None:
        self.file = file
        self.key = key
        self.value = value
        self.expected = expected
        where = f"{file}: {key}" if key else file
        shown = "" if value is None else f" = {value!r}"
        super().__init__(f"{where}{shown}: {expected}")
