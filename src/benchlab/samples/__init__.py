"""Production samples: what an application really sent and answered, with user feedback.

`log_sample` is called from a user's request path, so this package's import
stays cheap (the standard library only): the schema (pydantic), the readers
of other formats and the store are imported from their own modules by the
commands that need them.
"""

from benchlab.samples.log import log_sample, log_sample_failures

__all__ = ["log_sample", "log_sample_failures"]
