"""`eduplan topics relabel`: a plain function the CLI registers as a command.

It migrates the database of `Settings` first, labels the stored plans again with the lexicon of
this release (`services.registry.topics.relabel_topics`: staff corrections are kept and win),
prints in Chinese how many entries' topics changed and returns an exit code.
"""

from __future__ import annotations

from collections.abc import Callable

from eduplan.config import Settings


def relabel_command(
    plan_id: int | None = None, settings: Settings | None = None, echo: Callable[[str], None] = print
) -> int:
    """Relabel the topics of every stored plan (or of one); 1 when the plan does not exist.

    Example: ``eduplan topics relabel --plan 3``
    """
    from eduplan.commands.registry import prepare_database
    from eduplan.db import make_engine, make_session_factory
    from eduplan.services.registry.errors import NotFound
    from eduplan.services.registry.topics import relabel_topics

    settings = settings or Settings()
    prepare_database(settings)
    engine = make_engine(settings.database_url)
    try:
        done = relabel_topics(make_session_factory(engine), plan_id)
    except NotFound as exc:
        echo(f"错误：{exc}")
        return 1
    finally:
        engine.dispose()
    echo(
        f"重新标注 {done.versions} 个版本的 {done.entries} 个条目：{done.changed} 个条目的主题有变化，"
        f"{done.kept} 个人工校正的条目保持不变"
    )
    return 0
