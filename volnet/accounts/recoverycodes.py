"""How a recovery code (備用碼) is kept: never as itself, only as a salted, keyed, slow hash.

A recovery code is a lookup secret (ASVS 4.0.3 §2.6): 40 random bits, shown once when it is made. The
database keeps `v1$<iterations>$<salt>$<hash>` where

    hash = PBKDF2-HMAC-SHA256(HMAC-SHA256(key from SECRET_KEY, code), salt, iterations)

- the salt is 16 random bytes of its own per code (ASVS 2.6.2 asks for at least 32 bits);
- the key comes from SECRET_KEY (Django's `salted_hmac`), which is not in the database: a copy of the
  database alone gives nothing to try codes against, offline or online;
- the iterations make trying all 2^40 codes against one row with the key as well slow (weeks on a GPU
  rather than minutes), while checking one typed code against ten rows stays near 0.1 s.

A code is compared with `hmac.compare_digest`. A digest made with a key in SECRET_KEY_FALLBACKS still
matches, so rotating SECRET_KEY the Django way does not void the codes people printed.

Pure functions of a code and a digest; the migration that hashed the old plain tokens calls them too.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

VERSION = "v1"
ITERATIONS = 5_000
SALT_BYTES = 16
_KEY_SALT = "volnet.accounts.recoverycodes"


def _keys():
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _hash(code, secret, salt, iterations):
    keyed = salted_hmac(_KEY_SALT, code, secret=secret, algorithm="sha256").digest()
    return hashlib.pbkdf2_hmac("sha256", keyed, salt, iterations)


def make(code):
    """The digest to store for `code` (a normalised code: lower case, no dash)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _hash(code, settings.SECRET_KEY, salt, ITERATIONS)
    return f"{VERSION}${ITERATIONS}${salt.hex()}${digest.hex()}"


def matches(code, stored):
    """Is `code` the code that `stored` (a value made by `make`) was made from?"""
    try:
        version, iterations, salt, digest = stored.split("$")
        iterations, salt, digest = int(iterations), bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        return False
    if version != VERSION:
        return False
    return any(hmac.compare_digest(_hash(code, key, salt, iterations), digest) for key in _keys())
