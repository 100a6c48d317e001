"""The REST API's routers, one module per part of the service."""
