"""The lab's server: JSON API, live run events and the dashboard, on one port.

Imported only by `benchlab serve` (and tests): FastAPI and uvicorn never load
for any other command.
"""

from benchlab.server.app import create_app
from benchlab.server.settings import Settings

__all__ = ["Settings", "create_app"]
