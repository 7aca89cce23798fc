"""The web console: the book of clients in a browser, served by the same app at `/`.

Server-rendered pages (Jinja2 templates in templates/) with htmx for the parts that update in
place (search as you type, an import's progress), both shipped in static/ so that the console
works offline and needs no build step. Every page works without JavaScript too. The pages call
the domain functions the doors call, through the same runtime; a console write is recorded in
the history with door `console` (see web.py)."""
