"""A small HTTP layer over the standard library's threading server (see docs/architecture.md
for why the sandbox does not use an ASGI framework)."""
