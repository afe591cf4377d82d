"""What every uploaded file goes through, whichever app stores it: one check and one digest.

A file is judged by its bytes (the `filetype` library reads their signature), not by the name
it was given: a page of HTML named « offre.pdf » is refused.
"""

import contextlib
import contextvars
import hashlib
from collections.abc import Iterator

import filetype
from django.core.files.storage import FileSystemStorage, default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What the bytes of each accepted extension may be: office documents are zip archives
# underneath, which filetype names precisely or sees as a zip.
OFFICE = {"docx", "xlsx", "odt", "ods"}
ACCEPTED_KINDS = {
    "pdf": {"pdf"},
    "zip": {"zip"} | OFFICE,
    **{extension: {extension, "zip"} for extension in OFFICE},
}
# filetype reads a file's signature within its first bytes.
SIGNATURE_BYTES = 8192


def sha256_of(upload) -> str:
    """The file's SHA-256, read in chunks; the file is left ready to be stored."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_error(upload, *, extensions, max_bytes) -> str | None:
    """Why this file is refused, in French, or None when it is accepted."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in extensions:
        return _("Accepted file types: %(types)s.") % {"types": ", ".join(extensions)}
    if upload.size > max_bytes:
        return _("The document weighs %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(max_bytes),
        }
    if upload.size == 0:
        return _("The file is empty.")
    upload.seek(0)
    kind = filetype.guess(upload.read(SIGNATURE_BYTES))
    upload.seek(0)
    if kind is None or kind.extension not in ACCEPTED_KINDS.get(extension, {extension}):
        return _("The content of this file is not a %(kind)s document, whatever its name.") % {
            "kind": extension.upper()
        }
    return None


# The files stored since the innermost files_removed_on_failure() began, if one is running.
_stored: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("stored", default=None)


class PrivateStorage(FileSystemStorage):
    """The storage of uploaded and generated files: it remembers what it stores, so that an
    action that fails can take its files back."""

    def _save(self, name, content):
        name = super()._save(name, content)
        stored = _stored.get()
        if stored is not None:
            stored.append(name)
        return name


@contextlib.contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Around an action's transaction: when the action fails, its rows are rolled back and
    the files it stored are deleted with them, so a refused action leaves nothing behind."""
    stored: list[str] = []
    token = _stored.set(stored)
    try:
        yield
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    finally:
        _stored.reset(token)
