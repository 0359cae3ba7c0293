"""SHA-256 without importing hashlib.

hashlib loads OpenSSL's libcrypto at import, several milliseconds of `import sejit` (issue 5);
CPython's own _sha256 module computes the same digest and loads in a fraction of that. The
inputs here (the key material, a kernel's shared object) are kilobytes, where OpenSSL's speed
does not matter.
"""

try:
    from _sha256 import sha256
except ImportError:  # a CPython built without its own SHA-2 modules
    from hashlib import sha256


def hexdigest(data):
    return sha256(data).hexdigest()


def file_hexdigest(f, chunk=1 << 16):
    """The SHA-256 of what is left to read in the binary file f."""
    h = sha256()
    while True:
        block = f.read(chunk)
        if not block:
            return h.hexdigest()
        h.update(block)
