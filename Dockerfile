# peerconomy's server: the core install (no test, simulation or scale extras) in a virtual
# environment, run by an unprivileged user, its data (the SQLite file if no other database is
# set, and the generated secret key) in the volume /var/lib/peerconomy.
#
#   docker build -t peerconomy .
#   docker run -p 8000:8000 -v peerconomy-data:/var/lib/peerconomy peerconomy
#
# The base is Debian's own Python (python3 from bookworm), so that an image built from Debian
# packages alone serves as well as the registry's debian:bookworm-slim (deploy/smoke-test
# imports such an image under that name where no registry can be reached). compose.yaml runs
# this image with PostgreSQL behind Caddy.
ARG BASE_IMAGE=debian:bookworm-slim

# Debian's Python and the unprivileged user, for both stages
FROM ${BASE_IMAGE} AS python
LABEL peerconomy.image=app
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/peerconomy \
        --shell /usr/sbin/nologin peerconomy \
    && install -d -o peerconomy -g peerconomy -m 0700 /var/lib/peerconomy \
    && install -d -o peerconomy -g peerconomy /var/cache/peerconomy

# the package and its dependencies installed into a virtual environment
FROM python AS build
RUN python3 -m venv /opt/peerconomy/venv
COPY pyproject.toml README.md /src/
COPY src /src/src
RUN /opt/peerconomy/venv/bin/pip install --no-cache-dir --disable-pip-version-check /src

# the virtual environment alone, without pip's build folders or the source
FROM python
COPY --from=build /opt/peerconomy/venv /opt/peerconomy/venv
COPY examples /opt/peerconomy/examples
# XDG_DATA_HOME makes the data directory /var/lib/peerconomy; numba keeps the kernels it
# compiles in NUMBA_CACHE_DIR
ENV PATH=/opt/peerconomy/venv/bin:$PATH \
    XDG_DATA_HOME=/var/lib \
    NUMBA_CACHE_DIR=/var/cache/peerconomy/numba \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER peerconomy
# compile the clearing engine's kernels now, as the user that serves, so that no clear in
# the container compiles them (numba compiles them again where the server's CPU differs)
RUN peerconomy warm-up
VOLUME /var/lib/peerconomy
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["peerconomy", "serve", "--host", "0.0.0.0", "--port", "8000"]
