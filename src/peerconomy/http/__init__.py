"""What the API (:mod:`peerconomy.api`) and the pages (:mod:`peerconomy.web`) share: the
application's shell (:mod:`~peerconomy.http.app`: sessions, hardening, the access log, the
outbox, the health check and the error answers), the browser's session and its CSRF check,
the dependencies routes take (a unit of work, the caller, the clock), the refusals as HTTP
answers, idempotency keys, the settings and the mail sender.

It imports neither the API nor the pages (``lint-imports`` holds it to that); the site is
put together by :func:`peerconomy.asgi.create_app`.
"""
