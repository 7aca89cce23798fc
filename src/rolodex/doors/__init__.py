"""The front doors. Each parses its own wire format, calls the shared domain, and renders the
result (and its errors) in its own shape."""
