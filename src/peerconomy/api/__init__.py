"""The web service: one FastAPI application with the REST API under ``/api/v1`` and the
pages members and coordinators use (:mod:`peerconomy.web`), on the services of
:mod:`peerconomy.services`. Routes parse input, call one service and map its refusals."""

from peerconomy.api.app import create_app
from peerconomy.api.settings import AppSettings

__all__ = ["AppSettings", "create_app"]
