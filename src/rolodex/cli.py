"""The `rolodex` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import orjson
from sqlalchemy import Engine, select

from rolodex.config import DEFAULT_DATABASE_URL, parse_vendor_hosts
from rolodex.db.engine import create_db_engine, make_session_factory, transaction
from rolodex.db.migrate import upgrade
from rolodex.domain import accounts
from rolodex.errors import DomainError
from rolodex.models import Credential, Office

F = TypeVar("F", bound=Callable[..., Any])

DEMO_SLUG = "demo"


@contextmanager
def migrated_engine(database_url: str, *, backlog: bool = False) -> Iterator[Engine]:
    """An engine on a database migrated to the newest schema, disposed however the command
    ends. `backlog`: render the document backlog too (`db upgrade`); other commands leave it
    to the renderers, so that none of them waits on a large one."""
    engine = create_db_engine(database_url)
    try:
        upgrade(engine, backlog=backlog)
        yield engine
    finally:
        engine.dispose()


def database_option(fn: F) -> F:
    return click.option(
        "--database-url",
        envvar="ROLODEX_DATABASE_URL",
        default=DEFAULT_DATABASE_URL,
        show_default=True,
        help="sqlite:///path or postgresql://user@host/db (also ROLODEX_DATABASE_URL).",
    )(fn)


@click.group()
@click.version_option(package_name="rolodex")
def main() -> None:
    """Rolodex: a self-hosted client registry."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@database_option
def db_upgrade(database_url: str) -> None:
    """Migrate the database to the newest schema, and render the documents it lacks."""
    with migrated_engine(database_url, backlog=True):
        pass
    click.echo("database is up to date", err=True)


@main.group("accounts")
def accounts_group() -> None:
    """Accounts (tenants) and their credentials."""


def _print_credentials(data: dict[str, Any]) -> None:
    click.echo(f"Account {data['name']!r} (id {data['id']}, slug {data['slug']})")
    click.echo("Keep these secrets now: they are not shown again.")
    click.echo(f"  native API   Authorization: Bearer {data['native']['api_key']}")
    t = data["trackops"]
    click.echo(f"  Trackops     basic auth {t['username']}/token : {t['token']}")
    v = data["tevo"]
    click.echo(
        f"  TEvo         X-Token {v['token']}  secret {v['secret']}  office_id {v['office_id']}"
    )
    h = data["halo"]
    click.echo(
        f"  HaloPSA      client_id {h['client_id']}  client_secret {h['client_secret']}"
        f"  tenant {h['tenant']}"
    )
    click.echo(f"  Kickserv     token {data['kickserv']['token']}  (base /kickserv/{data['slug']})")


@accounts_group.command("create")
@click.argument("name")
@click.option("--slug", help="URL name (Kickserv path, Halo tenant); derived from NAME if omitted.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@database_option
def accounts_create(name: str, slug: str | None, as_json: bool, database_url: str) -> None:
    """Create an account and print its credentials for every door."""
    try:
        with (
            migrated_engine(database_url) as engine,
            transaction(make_session_factory(engine), write=True) as session,
        ):
            data = accounts.create_account(session, name, slug).as_json()
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(orjson.dumps(data).decode())
    else:
        _print_credentials(data)


@accounts_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@database_option
def accounts_list(as_json: bool, database_url: str) -> None:
    """List accounts with the public parts of their credentials."""
    rows = []
    with (
        migrated_engine(database_url) as engine,
        transaction(make_session_factory(engine), write=False) as session,
    ):
        for account in accounts.list_accounts(session):
            creds = dict(
                session.execute(
                    select(Credential.scheme, Credential.lookup).where(
                        Credential.account_id == account.id,
                        Credential.scheme.in_(("trackops", "tevo", "halo")),
                    )
                ).all()
            )
            office_id = session.scalar(
                select(Office.id).where(Office.account_id == account.id, Office.is_default)
            )
            rows.append(
                {
                    "id": account.id,
                    "name": account.name,
                    "slug": account.slug,
                    "created_at": account.created_at.isoformat().replace("+00:00", "Z"),
                    "trackops": {"username": creds.get("trackops")},
                    "tevo": {"token": creds.get("tevo"), "office_id": office_id},
                    "halo": {"client_id": creds.get("halo"), "tenant": account.slug},
                }
            )
    if as_json:
        click.echo(orjson.dumps(rows).decode())
        return
    if not rows:
        click.echo("no accounts yet: rolodex accounts create NAME")
    for row in rows:
        click.echo(f"{row['id']:>5}  {row['slug']:<30} {row['name']}")


@accounts_group.command("set-password")
@click.argument("slug")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="ROLODEX_CONSOLE_PASSWORD",
    help="The new password (asked for when not given; also ROLODEX_CONSOLE_PASSWORD).",
)
@database_option
def accounts_set_password(slug: str, password: str, database_url: str) -> None:
    """Set the password that signs in to the web console as the account SLUG (beside its API
    key, which always does)."""
    try:
        with (
            migrated_engine(database_url) as engine,
            transaction(make_session_factory(engine), write=True) as session,
        ):
            account = accounts.set_console_password(session, slug, password)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"The console password of {account.slug} is set.")


@accounts_group.command("rotate")
@click.argument("slug")
@click.argument("door", type=click.Choice(accounts.SCHEMES))
@click.option("--json", "as_json", is_flag=True, help="Print the new credentials as JSON.")
@database_option
def accounts_rotate(slug: str, door: str, as_json: bool, database_url: str) -> None:
    """Issue new credentials for one DOOR of the account SLUG, printed this once; the old ones
    stop working (a running server's credential cache may let them through for up to
    ROLODEX_AUTH_CACHE_SECONDS more)."""
    try:
        with (
            migrated_engine(database_url) as engine,
            transaction(make_session_factory(engine), write=True) as session,
        ):
            account = accounts.find_account_by_slug(session, slug)
            if account is None:
                raise click.ClickException(f"No account with slug {slug!r}.")
            shown = accounts.rotate_credentials(session, account.id, door)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(orjson.dumps({door: shown}).decode())
        return
    for key, value in shown.items():
        click.echo(f"{door}.{key}: {value}")


@main.command("import")
@click.argument("file")
@click.option("--account", "slug", required=True, help="The account's slug.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    help="Default: by the file's extension (.csv, else JSON Lines).",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Report bad rows and go on; without it the first bad row stops the import "
    "and nothing is written.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Processes that parse and check records while this one writes; 0 checks "
    "here. Default: 1 for files of 8 MB and more on a machine with two cores "
    "or more, else 0.",
)
@database_option
def import_clients(
    file: str,
    slug: str,
    fmt: str | None,
    skip_invalid: bool,
    workers: int | None,
    database_url: str,
) -> None:
    """Import clients from FILE (CSV or JSON Lines; - for standard input).

    A client whose external_id (or, without one, account_code) is already in the account is
    left as it is, so running the same file twice creates nothing twice."""
    from rich.console import Console

    from rolodex.transfer import ImportAborted, import_file

    console = Console(stderr=True)

    def report(line: int, reason: str) -> None:
        console.print(f"line {line}: {reason}", markup=False, highlight=False)

    try:
        with migrated_engine(database_url) as engine:
            summary = import_file(
                engine,
                slug,
                file,
                fmt,
                skip_invalid=skip_invalid,
                console=console,
                report=report,
                workers=workers,
            )
    except ImportAborted as exc:
        raise click.ClickException(
            f"import stopped at line {exc.line}: {exc.reason}. Nothing was written "
            "(--skip-invalid skips bad rows instead)."
        ) from None
    except (DomainError, OSError, ValueError) as exc:
        raise click.ClickException(getattr(exc, "message", None) or str(exc)) from None
    click.echo(summary.line(), err=True)


@main.group("documents")
def documents_group() -> None:
    """The client documents each door serves (rendered from the tables at write time)."""


@documents_group.command("rebuild")
@click.option("--account", "slug", help="Only this account's clients (its slug).")
@database_option
def documents_rebuild(slug: str | None, database_url: str) -> None:
    """Render every client's documents again from the tables (the source of truth): for
    recovery, after restoring tables by hand or writing to them outside Rolodex."""
    from rich.console import Console

    from rolodex.domain import documents
    from rolodex.transfer import rebuild_progress

    console = Console(stderr=True)
    with migrated_engine(database_url) as engine:
        account_id = None
        if slug is not None:
            with transaction(make_session_factory(engine), write=False) as session:
                account = accounts.find_account_by_slug(session, slug)
                if account is None:
                    raise click.ClickException(f"No account has the slug {slug!r}.")
                account_id = account.id
        with rebuild_progress(console, engine, account_id) as advance:
            count = documents.rebuild(engine, account_id, progress=advance)
    click.echo(f"{count:,} clients' documents rendered", err=True)


@documents_group.command("render")
@database_option
def documents_render(database_url: str) -> None:
    """Render the documents that bulk writes (batches, imports) left to be rendered after
    their commit and that no server has rendered yet. `rolodex serve` does this by itself."""
    from rich.console import Console

    from rolodex.domain import documents
    from rolodex.transfer import rendering_progress

    with (
        migrated_engine(database_url, backlog=True) as engine,
        rendering_progress(Console(stderr=True), None) as advance,
    ):
        documents.drain(engine, advance)  # what came in while the upgrade rendered
    click.echo("The document backlog is empty.", err=True)


@main.group("webhooks")
def webhooks_group() -> None:
    """Webhook deliveries."""


@webhooks_group.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@database_option
def webhooks_deliver(once: bool, database_url: str) -> None:
    """Deliver webhooks until stopped (Ctrl-C, SIGTERM): claim what is due, send it, retry
    failures on the schedule (ROLODEX_WEBHOOK_RETRY_SCHEDULE). Any number may run beside
    `rolodex serve` and each other; each delivery is claimed by one at a time. Also deletes,
    every hour, the events older than ROLODEX_EVENT_RETENTION_DAYS."""
    import logging
    import signal
    import threading

    from rolodex.config import Settings
    from rolodex.webhooks.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    settings = Settings.from_env(database_url=database_url)
    with migrated_engine(database_url) as engine, Worker(engine, settings) as worker:
        if once:
            count = worker.drain()
            click.echo(
                f"{worker.delivered:,} delivered, {worker.failed:,} failed attempts "
                f"({count:,} claimed)",
                err=True,
            )
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        click.echo("delivering webhooks; Ctrl-C stops", err=True)
        worker.run(stop)
        click.echo(f"{worker.delivered:,} delivered, {worker.failed:,} failed attempts", err=True)


@main.group("events")
def events_group() -> None:
    """The event feed."""


@events_group.command("cleanup")
@click.option(
    "--older-than-days",
    type=click.FloatRange(min=0),
    help="Default: ROLODEX_EVENT_RETENTION_DAYS (90).",
)
@database_option
def events_cleanup(older_than_days: float | None, database_url: str) -> None:
    """Delete the events (and their webhook deliveries) older than the retention. Servers'
    delivery workers do it every hour by themselves."""
    from datetime import timedelta

    from rolodex.config import Settings
    from rolodex.domain import events

    days = older_than_days
    if days is None:
        days = Settings.from_env(database_url=database_url).event_retention_days
    with migrated_engine(database_url) as engine:
        gone = events.cleanup(engine, timedelta(days=days))
    click.echo(f"{gone:,} events older than {days:g} days deleted", err=True)


@main.command("export")
@click.option("--account", "slug", required=True, help="The account's slug.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write here instead of standard output.",
)
@database_option
def export_clients(slug: str, fmt: str, out: str | None, database_url: str) -> None:
    """Export every client of an account, streaming, as CSV or JSON Lines."""
    from rich.console import Console

    from rolodex.transfer import export_file

    console = Console(stderr=True)
    try:
        with migrated_engine(database_url) as engine:
            if out:
                with open(out, "wb") as handle:
                    count = export_file(engine, slug, fmt, handle, console=console)
            else:
                count = export_file(engine, slug, fmt, sys.stdout.buffer, console=console)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{count:,} clients exported", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo",
    is_flag=True,
    help="Create a 'demo' account if there is none and print its credentials.",
)
@click.option(
    "--renderers",
    default=1,
    show_default=True,
    type=click.IntRange(0, 64),
    envvar="ROLODEX_RENDERERS",
    help="Processes rendering the documents creates and imports leave for after their commit "
    "(0: none; reads render those clients from the tables until `rolodex documents render` or "
    "`rolodex db upgrade` renders them).",
)
@click.option(
    "--deliverers",
    default=1,
    show_default=True,
    type=click.IntRange(0, 64),
    envvar="ROLODEX_DELIVERERS",
    help="Processes delivering webhooks (0: none; `rolodex webhooks deliver` can do it elsewhere).",
)
@click.option(
    "--ssl-certfile",
    type=click.Path(exists=True, dir_okay=False),
    envvar="ROLODEX_SSL_CERTFILE",
    help="Serve HTTPS with this PEM certificate (its chain too; and the key, unless "
    "--ssl-keyfile names it).",
)
@click.option(
    "--ssl-keyfile",
    type=click.Path(exists=True, dir_okay=False),
    envvar="ROLODEX_SSL_KEYFILE",
    help="The certificate's private key (PEM, unencrypted).",
)
@click.option(
    "--vendor-hosts",
    envvar="ROLODEX_VENDOR_HOSTS",
    help="Host names served by a vendor door at the vendor's own paths, replacing the "
    "defaults: HOST=DOOR,... (*.name for every host under name; `none` for no host).",
)
@database_option
def serve(
    host: str,
    port: int,
    workers: int,
    demo: bool,
    renderers: int,
    deliverers: int,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
    vendor_hosts: str | None,
    database_url: str,
) -> None:
    """Migrate the database, then serve every door over HTTP (HTTPS with --ssl-certfile)."""
    import uvicorn

    from rolodex.background import deliverers as delivering
    from rolodex.background import renderers as rendering

    if ssl_keyfile and not ssl_certfile:
        raise click.UsageError("--ssl-keyfile needs --ssl-certfile.")
    if vendor_hosts is not None:
        try:
            parse_vendor_hosts(vendor_hosts)  # refused here, not in each worker
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--vendor-hosts") from None
        os.environ["ROLODEX_VENDOR_HOSTS"] = vendor_hosts
    scheme = "https" if ssl_certfile else "http"
    created = None
    with migrated_engine(database_url) as engine:
        if demo:
            with transaction(make_session_factory(engine), write=True) as session:
                if accounts.find_account_by_slug(session, DEMO_SLUG) is None:
                    created = accounts.create_account(session, "Demo", DEMO_SLUG).as_json()
    if demo:
        if created:
            _print_credentials(created)
            base = f"{scheme}://{host}:{port}"
            key = created["native"]["api_key"]
            click.echo("\nTry it:")
            click.echo(
                f"  curl -s -X POST {base}/v1/clients -H 'Authorization: Bearer {key}'"
                " -H 'Content-Type: application/json' -d '{\"name\": \"ACME Corp\"}'"
            )
            click.echo(f"  curl -s {base}/v1/clients -H 'Authorization: Bearer {key}'")
            click.echo(f"  API docs: {base}/docs (every door's page: /v1/docs, /tevo/docs, ...)")
            click.echo(f"  Web console: {base}/ (sign in with the native API key)\n")
        else:
            click.echo(
                "The demo account exists already; its secrets were shown when it was "
                "created (`rolodex accounts create NAME` makes another). Web console: "
                f"{scheme}://{host}:{port}/"
            )
    os.environ["ROLODEX_DATABASE_URL"] = database_url
    with rendering(database_url, renderers), delivering(database_url, deliverers):
        uvicorn.run(
            "rolodex.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=False,
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
