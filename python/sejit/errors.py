"""The exceptions sejit raises for code it cannot compile, and the mapping from engine diagnostics.

Each class derives from the built-in exception a user would expect from plain Python, so
`except TypeError` keeps working around a jitted call.
"""


class UnsupportedError(NotImplementedError):
    """The function uses a Python feature sejit does not compile (yet)."""


class TypingError(TypeError):
    """The function is not well typed for the argument types it was called with."""


class CompilerError(RuntimeError):
    """The engine or the C compiler failed, or a compiled artifact could not be loaded."""


# Error kinds of the engine's reply (docs/protocol.md §2) → exception classes; any other kind,
# "internal" included, is a CompilerError.
KIND_TO_EXCEPTION = {
    "unsupported": UnsupportedError,
    "type": TypingError,
    "name": NameError,
    "value": ValueError,
    "syntax": SyntaxError,
}

# Shown as sejit.UnsupportedError etc. in tracebacks: the public name, not the private module.
for _cls in (UnsupportedError, TypingError, CompilerError):
    _cls.__module__ = "sejit"


def public(exc):
    """Marks exc as one of sejit's deliberate, user-facing errors (see is_public)."""
    exc._sejit_public = True
    return exc


def is_public(exc):
    """Whether exc is an error sejit raised on purpose, with a message meant for the user.

    Those are raised without sejit's internal frames (SEJIT_DEBUG=1 keeps them); anything
    else is a bug in sejit and keeps its traceback.
    """
    return isinstance(exc, (UnsupportedError, TypingError, CompilerError)) or getattr(
        exc, "_sejit_public", False
    )


def error_from_reply(reply, funcname):
    """The one exception for a failed reply: the first error's class and formatted text."""
    errors = reply.get("errors") if isinstance(reply, dict) else None
    if not errors or not isinstance(errors, list) or not isinstance(errors[0], dict):
        return CompilerError(f"sejit engine failed to compile {funcname}() without a diagnostic")
    first = errors[0]
    cls = KIND_TO_EXCEPTION.get(first.get("kind"), CompilerError)
    if first.get("kind") == "axis":
        # NumPy's own class for an axis out of bounds, imported only here so that importing
        # sejit stays free of NumPy.
        from numpy.exceptions import AxisError as cls
    text = first.get("formatted") or first.get("msg") or f"cannot compile {funcname}()"
    return public(cls(text))
