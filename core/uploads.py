"""What every uploaded file goes through, whichever app stores it: one check and one digest.

A file is judged by its bytes (the `filetype` library reads their signature), not by the name
it was given: a page of HTML named « offre.pdf » is refused.
"""

import hashlib

import filetype
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
