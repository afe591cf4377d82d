"""What every uploaded file goes through, whichever app stores it."""

import hashlib


def sha256_of(upload) -> str:
    """The file's SHA-256, read in chunks; the file is left ready to be stored."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
