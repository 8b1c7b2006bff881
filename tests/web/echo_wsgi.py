"""A WSGI app that answers 200 to anything: gunicorn's access log is what the test reads."""


def app(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
