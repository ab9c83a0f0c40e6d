"""The wire between the trusted checker and the untrusted program: plain data and handles.

The checker runs the tests; every name of the program it uses is a `Remote`,
and using one (calling it, reading an attribute) is a request to the program's
process, answered with a copy of the result. Only plain data crosses back
(numbers, strings, bytes, lists, tuples, dicts, sets, None); anything else
stays in the program's process and is known to the checker by a number. So
the objects the tests compare are the checker's own: an object whose `__eq__`
always says True, a patched builtin or a replaced `assert` machinery can only
live in the program's process, where no test runs.

Standard library only: imported by path inside the sandbox (see _server.py).
"""

from __future__ import annotations

import builtins
import fractions
import json
import numbers
import os
import struct
from decimal import Decimal
from typing import Any

REQUEST_FD = 4  # in the program's process: requests from the checker arrive here
REPLY_FD = 5  # and answers leave here
MAX_FRAME = 64 << 20  # an answer larger than this is the program's failure
_DEPTH = 400


class ProtocolError(Exception):
    """The program's side broke the protocol (or died): the tests cannot go on."""


class RemoteExit(BaseException):
    """The program's process ended (os._exit, a crash, a SystemExit) while being asked."""


class RemoteError(Exception):
    """An exception raised in the program whose type is not a builtin one."""


# --- framing (both sides) ----------------------------------------------------------------------
def send(fd: int, obj: Any) -> None:
    data = json.dumps(obj).encode()
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def read_exact(fd: int, n: int) -> bytes | None:
    """`n` bytes from `fd`, or None at end of input."""
    chunks: list[bytes] = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> Any:
    """One frame of a trusted peer (the pool, the server), uncapped; None at end of input."""
    head = read_exact(fd, 4)
    if head is None:
        return None
    body = read_exact(fd, struct.unpack(">I", head)[0])
    return None if body is None else json.loads(body)


def receive(fd: int, pending: bytearray) -> Any:
    """One frame, or None at end of input; ProtocolError on garbage or an oversized frame.

    For the wire between checker and program only, where nobody else reads:
    each read takes what the pipe holds (a whole frame, usually, in one read
    instead of two), and what follows the frame waits in `pending`, the
    caller's buffer for this descriptor, for the next call.
    """
    while len(pending) < 4:
        if not _fill(fd, pending, 4):
            return None
    size = struct.unpack_from(">I", pending)[0]
    if size > MAX_FRAME:
        raise ProtocolError(f"answer of {size} bytes is larger than the {MAX_FRAME} allowed")
    end = 4 + size
    while len(pending) < end:
        if not _fill(fd, pending, end):
            return None
    body = bytes(pending[4:end])
    del pending[:end]
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"unreadable answer: {exc}") from None


def _fill(fd: int, pending: bytearray, wanted: int) -> bool:
    """Read more into `pending`; False at end of input or on a read error (the far end gone)."""
    try:
        chunk = os.read(fd, min(max(wanted - len(pending), 1 << 16), 1 << 20))
    except OSError:
        return False
    pending += chunk
    return bool(chunk)


# --- values (both sides) -----------------------------------------------------------------------
def encode(value: Any, handle: Any, depth: int = 0) -> Any:
    """Plain data as JSON with tags; anything else through `handle(value)` (a tag of its own).

    Subclasses of the plain types travel as their base type, and numbers of other
    libraries (numpy's, say) as the Python number they stand for, so an honest
    answer compares in the checker as it would in the program.
    """
    if depth > _DEPTH:
        raise ValueError("the value is nested too deeply to be sent")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, bool):  # a numpy bool and the like
        return bool(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return {"x": float.hex(float(value))}
    if isinstance(value, str):
        return {"u": str.__str__(value)}
    down = depth + 1
    if isinstance(value, list):
        return [encode(v, handle, down) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"t": [encode(v, handle, down) for v in tuple.__iter__(value)]}
    if isinstance(value, dict):
        pairs = dict.items(value)
        return {"d": [[encode(k, handle, down), encode(v, handle, down)] for k, v in pairs]}
    if isinstance(value, frozenset):
        return {"f": [encode(v, handle, down) for v in frozenset.__iter__(value)]}
    if isinstance(value, set):
        return {"s": [encode(v, handle, down) for v in set.__iter__(value)]}
    if isinstance(value, (bytes, bytearray)):
        return {"b" if isinstance(value, bytes) else "ba": bytes(value).hex()}
    if isinstance(value, complex):
        return {"c": [float.hex(value.real), float.hex(value.imag)]}
    if isinstance(value, fractions.Fraction):
        return {"q": [str(value.numerator), str(value.denominator)]}
    if isinstance(value, Decimal):
        return {"D": str(value)}
    if type(value).__name__ == "bool_":  # numpy's bool, not a numbers.Number
        return bool(value)
    if isinstance(value, numbers.Integral):
        return encode(int(value), handle, depth)
    if isinstance(value, numbers.Real):
        return encode(float(value), handle, depth)
    return {"h": handle(value)}


def decode(data: Any, remote: Any, depth: int = 0) -> Any:
    """The checker's own copy of a value the program sent; handles become `remote(id)`."""
    if depth > _DEPTH + 2:
        raise ProtocolError("the answer is nested too deeply")
    if data is None or isinstance(data, (bool, int)):
        return data
    down = depth + 1
    if isinstance(data, list):
        return [decode(v, remote, down) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise ProtocolError(f"unexpected value on the wire: {type(data).__name__}")
    ((tag, body),) = data.items()
    try:
        return _decoders[tag](body, remote, down)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ProtocolError(f"unreadable value on the wire ({tag!r}): {exc}") from None


def _items(body: Any, remote: Any, depth: int) -> list[Any]:
    if not isinstance(body, list):
        raise ValueError("not a list")
    return [decode(v, remote, depth) for v in body]


def _handle(body: Any, remote: Any, _depth: int) -> Any:
    if not isinstance(body, int) or isinstance(body, bool):
        raise ValueError("bad handle")
    return remote(body)


def _string(body: Any) -> str:
    if not isinstance(body, str):
        raise ValueError("not a string")
    return body


_decoders: dict[str, Any] = {
    "x": lambda b, r, d: float.fromhex(_string(b)),
    "u": lambda b, r, d: _string(b),
    "t": lambda b, r, d: tuple(_items(b, r, d)),
    "d": lambda b, r, d: {decode(k, r, d): decode(v, r, d) for k, v in b},
    "f": lambda b, r, d: frozenset(_items(b, r, d)),
    "s": lambda b, r, d: set(_items(b, r, d)),
    "b": lambda b, r, d: bytes.fromhex(_string(b)),
    "ba": lambda b, r, d: bytearray.fromhex(_string(b)),
    "c": lambda b, r, d: complex(float.fromhex(_string(b[0])), float.fromhex(_string(b[1]))),
    "q": lambda b, r, d: fractions.Fraction(int(_string(b[0])), int(_string(b[1]))),
    "D": lambda b, r, d: Decimal(_string(b)),
    "h": _handle,
}


def error_of(exc: BaseException) -> list[str]:
    """An exception raised in the program, as [builtin type name or "", message]."""
    kind = type(exc)
    name = kind.__name__ if getattr(builtins, kind.__name__, None) is kind else ""
    try:
        text = str(exc)
    except BaseException:  # the program's own __str__ may fail too
        text = "<unprintable>"
    label = "" if name else f"{kind.__module__}.{kind.__qualname__}: "
    return [name, (label + text)[:2000]]


def raise_error(body: Any) -> None:
    """Raise, in the checker, the exception the program raised (a builtin type when it was one).

    A SystemExit or KeyboardInterrupt becomes `RemoteExit`, which the tests
    cannot catch: leaving is not an answer.
    """
    name, text = [*body, "", ""][:2] if isinstance(body, list) else ("", "?")
    kind = getattr(builtins, str(name), None) if name else None
    if isinstance(kind, type) and issubclass(kind, BaseException):
        if not issubclass(kind, Exception):
            raise RemoteExit(f"the program raised {name}: {text}")
        try:
            error = kind(str(text))
        except Exception:
            error = RemoteError(f"{name}: {text}")
        raise error
    raise RemoteError(str(text))
