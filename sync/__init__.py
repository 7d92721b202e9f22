"""Moving and keeping data: the local store, the wire protocol, the HTTP client and the platform server.

Nothing here imports Qt or ``desktop``; the server side never imports the client side.
"""
