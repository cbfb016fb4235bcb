"""The Alembic environment: run by Alembic, never imported for its own sake.

``govbridge.store.upgrade`` passes an open connection in ``config.attributes["connection"]``;
the ``alembic`` command line can use ``sqlalchemy.url`` instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from govbridge.store._models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url, or use `govbridge db upgrade`")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _in_alembic() -> bool:
    """Whether Alembic is running this file (doctest collection imports it too)."""
    try:
        context.config  # noqa: B018 - raises outside an Alembic run
    except (NameError, AttributeError):
        return False
    return True


if _in_alembic():
    _main()
